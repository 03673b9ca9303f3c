"""``create_app``: the FastAPI application behind ``tieguard serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import TieguardError
from . import alerts_pages, api, pages, review_pages, settings_pages, sso, whatif_pages
from .dashboard import PLOTLY_URL
from .deps import LoginRequired
from .i18n import LanguageMiddleware
from .state import WebConfig, WebState

__all__ = ["create_app", "ROUTERS", "SecurityHeaders"]

#: Every router of the app (pages, single sign-on, API); the role matrix test walks them all.
ROUTERS: tuple[APIRouter, ...] = (
    pages.router, sso.router, api.router, review_pages.router, review_pages.api_router,
    alerts_pages.router, alerts_pages.api_router, settings_pages.router,
    settings_pages.api_router, whatif_pages.router, whatif_pages.api_router,
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' "
                               "'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
}


def create_app(config: WebConfig, state: WebState | None = None) -> FastAPI:
    """The app over ``config.db``; the state (warehouse, app database, jobs) is opened now."""
    state = state or WebState(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(title="tieguard", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.tg = state
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")),
              name="static")
    app.add_middleware(LanguageMiddleware)
    for router in ROUTERS:
        app.include_router(router)

    @app.get(PLOTLY_URL, include_in_schema=False)
    def plotly_js() -> Response:
        from ..report.render import plotly_js as bundled

        return Response(bundled(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login", 303)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        return pages.render(request, "error.html", None, exc.status_code, message=exc.detail)

    @app.exception_handler(TieguardError)
    def library_error(request: Request, exc: TieguardError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, 400)
        return pages.render(request, "error.html", None, 400, message=str(exc))

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` and ``Cache-Control: no-store`` to every response that
    does not set them (a plain ASGI middleware: no task or stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.defaults = [(k.lower().encode(), v.encode()) for k, v in
                         {**SECURITY_HEADERS, "Cache-Control": "no-store"}.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.defaults if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


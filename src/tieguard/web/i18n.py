"""The web app's language: the signed-in user's choice, else the browser's ``Accept-Language``.

The choice is made in the page header (a menu of the four languages) and kept in the
``tieguard_lang`` cookie of that browser. A pure ASGI middleware makes the request's
language current (:func:`tieguard.i18n.use`) for the whole request, so pages, the personal
report built for them and the sentences of the dashboard all speak it. The API's JSON
stays English.
"""

from __future__ import annotations

from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from ..i18n import LANGUAGE_NAMES, current, from_accept_language, use
from ..i18n.catalog import raw_gettext, raw_ngettext
from ..i18n.formats import count, money, share
from ..policy.names import policy_description
from .summary import translated_summary

__all__ = ["LANG_COOKIE", "LanguageMiddleware", "install_translations", "request_language"]

LANG_COOKIE = "tieguard_lang"


def request_language(headers: dict[str, str], cookies: dict[str, str]) -> str:
    return from_accept_language(headers.get("accept-language"), cookies.get(LANG_COOKIE))


def _cookies(header: str) -> dict[str, str]:
    pairs = (part.strip().partition("=") for part in header.split(";"))
    return {name: value for name, _, value in pairs if name}


class LanguageMiddleware:
    """Sets the current language of each HTTP request (``Content-Language`` on the reply)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        language = request_language(headers, _cookies(headers.get("cookie", "")))

        async def send_with_language(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (b"content-language", language.encode())]
            await send(message)

        if str(scope.get("path", "")).startswith("/api"):
            language = "en"  # the API's JSON (sentences included) stays English
        with use(language):
            await self.app(scope, receive, send_with_language)  # type: ignore[arg-type]


def _job_summary(job: Any) -> str:
    """A job's summary (a stored job or a page's job dictionary) in the current language."""
    fields = job if isinstance(job, dict) else vars(job)
    return translated_summary(fields.get("summary"), fields.get("summary_message"), raw_gettext)


def install_translations(templates: Jinja2Templates) -> None:
    """Jinja's i18n extension on the pages' environment, reading the current language."""
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(raw_gettext, raw_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = current
    env.globals["languages"] = LANGUAGE_NAMES
    env.filters["money"] = money
    env.filters["share"] = share
    env.filters["count"] = count
    env.filters["translated"] = raw_gettext  # marked elsewhere with N_(): setting descriptions
    env.globals["policy_description"] = policy_description
    env.globals["job_summary"] = _job_summary

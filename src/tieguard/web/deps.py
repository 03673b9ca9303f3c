"""Who may call what: every route depends on a :class:`Guard` naming the roles it allows."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from .auth import SESSION_COOKIE, Principal, lookup_api_token, lookup_session
from .state import WebState

__all__ = ["Guard", "LoginRequired", "state_of", "EMPLOYEE", "STAFF", "LEADERSHIP", "AUDITORS",
           "ADMINS", "ANYONE", "page", "api"]

EMPLOYEE = ("employee",)
STAFF = ("analyst", "admin")
ADMINS = ("admin",)
LEADERSHIP = ("manager", "analyst", "admin")
AUDITORS = ("auditor",)
ANYONE = ("employee", "manager", "analyst", "admin", "auditor")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Exception):
    """A page asked for without a session: the handler redirects to the sign-in page."""


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.tg
    return state


def principal(request: Request) -> Principal | None:
    state = state_of(request)
    header = request.headers.get("authorization", "")
    with state.app_db() as db:
        if header.lower().startswith("bearer "):
            return lookup_api_token(db, header[7:].strip())
        return lookup_session(db, request.cookies.get(SESSION_COOKIE))


class Guard:
    """Allows ``roles``; 401 (API) or a redirect to sign in (pages) without a user, 403 for
    any other role; checks the CSRF token of every state-changing request made with a cookie."""

    def __init__(self, roles: tuple[str, ...], *, is_api: bool) -> None:
        self.roles, self.is_api = roles, is_api

    async def __call__(self, request: Request) -> Principal:
        who = principal(request)
        if who is None:
            if self.is_api:
                raise HTTPException(401, "Sign in first: send 'Authorization: Bearer <token>' "
                                    "with an API token from your account page.",
                                    headers={"WWW-Authenticate": "Bearer"})
            raise LoginRequired()
        if who.role not in self.roles:
            raise HTTPException(403, f"Your role ({who.role}) may not open this page.")
        if request.method not in SAFE_METHODS and who.csrf_token is not None:
            sent = request.headers.get("x-csrf-token")
            if sent is None and "form" in request.headers.get("content-type", ""):
                sent = str((await request.form()).get("csrf_token") or "")
            if not sent or not hmac.compare_digest(sent, who.csrf_token):
                raise HTTPException(403, "The form's security token is missing or stale. "
                                    "Reload the page and submit it again.")
        return who


def page(*roles: str) -> Guard:
    return Guard(tuple(roles), is_api=False)


def api(*roles: str) -> Guard:
    return Guard(tuple(roles), is_api=True)

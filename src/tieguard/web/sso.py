"""Single sign-on routes: ``/login/oidc`` sends the browser to the identity provider,
``/login/oidc/callback`` signs the person in. People are found by e-mail: a user with that
address, else an employee of the roster (an employee account is created and linked), else the
configured default role (``web.oidc_default_role``, no employee data), else refused with a
sentence. Every outcome is in the audit log (user names and ids only, never the address)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from ..employees import find_employee
from ..errors import NotFoundError
from .auth import SESSION_COOKIE, Principal, start_session
from .deps import state_of
from .oidc import CALLBACK_PATH, Identity, OidcClient, OidcError
from .state import WebState
from .store import User

__all__ = ["router", "user_for"]

router = APIRouter(include_in_schema=False)
STATE_COOKIE = "tg_oidc_state"


def _client(request: Request) -> OidcClient:
    state = state_of(request)
    if state.oidc is None:
        raise HTTPException(404, "Single sign-on is not set up on this server; sign in with "
                            "your user name and password (an administrator sets "
                            "web.oidc_discovery_url to enable it).")
    return state.oidc


@router.get("/login/oidc")
def oidc_start(request: Request) -> Response:
    client = _client(request)
    with state_of(request).app_db() as db:
        try:
            oidc_state, url = client.start(db)
        except OidcError as exc:
            return _refused(request, None, exc)
    response = RedirectResponse(url, 303)
    response.set_cookie(STATE_COOKIE, oidc_state, max_age=600, httponly=True, samesite="lax",
                        secure=state_of(request).secure_cookies, path="/login/oidc")
    return response


@router.get(CALLBACK_PATH)
def oidc_callback(request: Request, code: str = "", state: str = "", error: str = "",
                  error_description: str = "") -> Response:
    client, web = _client(request), state_of(request)
    if error:
        return _refused(request, None, OidcError(
            f"The identity provider did not sign you in ({error_description or error}).", 401))
    try:
        with web.app_db() as db:
            identity = client.finish(db, state, request.cookies.get(STATE_COOKIE, ""), code)
        user_id = user_for(web, identity)
    except OidcError as exc:
        return _refused(request, None, exc)
    with web.app_db() as db:
        user = db.get(User, user_id)
        assert user is not None
        cookie = start_session(db, user, web.web.session_hours)
        who = Principal(user.id, user.username, user.role, user.employee_id, None)
    web.audit(who, "sign-in-oidc", f"user {user_id}")
    # A page, not a redirect: the session cookie is SameSite=Strict, and a redirect would still
    # belong to the identity provider's cross-site navigation, which does not send it.
    response = HTMLResponse('<!doctype html><meta http-equiv="refresh" content="0;url=/">'
                            '<title>Signed in</title><p>Signed in. <a href="/">Continue</a></p>')
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=web.secure_cookies, max_age=int(web.web.session_hours * 3600))
    response.delete_cookie(STATE_COOKIE, path="/login/oidc")
    return response


def user_for(web: WebState, identity: Identity) -> int:
    """The user id of the person with ``identity``'s e-mail; created when the roster or the
    default role allows it; :class:`OidcError` (403) otherwise."""
    email = identity.email
    with web.app_db() as db:
        user = db.scalars(select(User).where(func.lower(User.email) == email.lower())).first()
        if user is not None:
            if not user.active:
                raise OidcError("Your tieguard account is switched off; ask an administrator.",
                                403)
            return user.id
    employee_id, role = _roster_employee(web, email), "employee"
    if employee_id is None:
        role = web.web.oidc_default_role
        if not role:
            raise OidcError("Your e-mail address belongs to no tieguard user and to no employee "
                            "of the roster, so single sign-on cannot sign you in. Ask an "
                            "administrator to add you, or to import the roster with your "
                            "e-mail address.", 403)
    with web.app_db() as db:
        user = User(username=_free_username(web, email), email=email, role=role,
                    employee_id=employee_id, password_hash=None, active=True)
        db.add(user)
        db.commit()
        user_id = user.id
    web.audit(None, "create-user-oidc", f"user {user_id}",
              f"role {role}; {'linked to the roster' if employee_id else 'no employee data'}")
    return user_id


def _roster_employee(web: WebState, email: str) -> str | None:
    try:
        with web.warehouse.engine.reading() as engine:
            employee = find_employee(engine, email)
    except NotFoundError:
        return None
    same = (employee.email or "").strip().lower() == email.lower()
    return employee.employee_id if same else None


def _free_username(web: WebState, email: str) -> str:
    with web.app_db() as db:
        taken = {u for u in db.scalars(select(User.username).where(
            User.username.like(email + "%")))}
    name, n = email, 1
    while name in taken:
        n += 1
        name = f"{email}-{n}"
    return name


def _refused(request: Request, who: Principal | None, exc: OidcError) -> Response:
    from .pages import render

    state_of(request).audit(who, "sign-in-oidc-failed", "", str(exc)[:200])
    return render(request, "login.html", None, exc.status, error=str(exc))

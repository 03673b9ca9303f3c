"""Users, sign-in, API tokens, TOTP; job and audit listings (shared by pages and API)."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyotp
from fastapi import HTTPException
from sqlalchemy import func, select

from ..employees import find_employee
from ..errors import NotFoundError
from ..report.exports import neutralise_formulas
from .auth import Principal, check_password, check_totp, hash_password, new_token, start_session
from .auth import token_hash as hash_of
from .deps import STAFF
from .state import WebState
from .store import ROLES, ApiToken, AuditEvent, Job, User, now

__all__ = ["sign_in", "create_user", "create_token", "list_tokens", "revoke_token",
           "enable_totp", "list_jobs", "list_audit", "job_json", "count_rows", "audit_csv"]

MIN_PASSWORD = 12


def sign_in(state: WebState, username: str, password: str, code: str,
            client: str) -> tuple[str | None, str]:
    """A session cookie, or None and the sentence to show."""
    keys = (f"user:{username.lower()}", f"ip:{client}")
    if state.limiter.blocked(*keys):
        state.audit(None, "sign-in-blocked", username[:60])
        return None, "Too many failed sign-ins; wait five minutes and try again."
    with state.app_db() as db:
        user = db.scalars(select(User).where(User.username == username)).first()
        ok = check_password(user.password_hash if user else None, password)
        if not (user and ok and user.active and check_totp(user.totp_secret, code)):
            state.limiter.fail(*keys)
            state.audit(None, "sign-in-failed", username[:60])
            return None, "The user name, password or code is wrong."
        cookie = start_session(db, user, state.web.session_hours)
        who = Principal(user.id, user.username, user.role, user.employee_id, None)
    state.limiter.reset(keys[0])
    state.audit(who, "sign-in")
    return cookie, ""


def create_user(state: WebState, who: Principal | None, *, username: str, password: str,
                role: str, email: str | None = None, employee_id: str | None = None) -> int:
    """A local account; an employee without an id is linked to the roster by e-mail."""
    if role not in ROLES:
        raise HTTPException(400, f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise HTTPException(400, f"The password needs at least {MIN_PASSWORD} characters.")
    if role == "employee" and not employee_id and email:
        try:
            with state.warehouse.engine.reading() as engine:
                employee_id = find_employee(engine, email).employee_id
        except NotFoundError:
            employee_id = None
    with state.app_db() as db:
        if db.scalars(select(User).where(User.username == username)).first():
            raise HTTPException(409, f"A user called {username!r} exists already.")
        user = User(username=username, email=email, role=role, employee_id=employee_id,
                    password_hash=hash_password(password), active=True)
        db.add(user)
        db.commit()
        user_id = user.id
    state.audit(who, "create-user", f"user {user_id}", f"role {role}")
    return user_id


def create_token(state: WebState, who: Principal, name: str) -> str:
    token = "tg_" + new_token()
    with state.app_db() as db:
        row = ApiToken(user_id=who.user_id, name=name[:200] or "token", token_hash=hash_of(token))
        db.add(row)
        db.commit()
        token_id = row.id
    state.audit(who, "create-api-token", f"token {token_id}")
    return token


def list_tokens(state: WebState, who: Principal) -> list[dict[str, Any]]:
    with state.app_db() as db:
        rows = db.scalars(select(ApiToken).where(ApiToken.user_id == who.user_id)
                          .order_by(ApiToken.id))
        return [{"id": t.id, "name": t.name, "created_at": t.created_at.isoformat(),
                 "revoked": t.revoked_at is not None} for t in rows]


def revoke_token(state: WebState, who: Principal, token_id: int) -> None:
    with state.app_db() as db:
        row = db.get(ApiToken, token_id)
        if row is None or row.user_id != who.user_id:
            raise HTTPException(404, "No such token of yours.")
        row.revoked_at = row.revoked_at or now()
        db.commit()
    state.audit(who, "revoke-api-token", f"token {token_id}")


def enable_totp(state: WebState, who: Principal, secret: str, code: str) -> None:
    if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        raise HTTPException(400, "The code does not match the secret; check the device's clock "
                            "and enter the current code.")
    with state.app_db() as db:
        user = db.get(User, who.user_id)
        assert user is not None
        user.totp_secret = secret
        db.commit()
    state.audit(who, "enable-totp")


def job_json(job: Job) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "status": job.status, "step": job.step,
            "done": job.done, "total": job.total, "error": job.error, "summary": job.summary,
            "created_at": job.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


def _jobs_query(who: Principal):  # type: ignore[no-untyped-def]
    query = select(Job)
    if who.role not in STAFF:
        query = query.where(Job.user_id == who.user_id)
    return query


def list_jobs(state: WebState, who: Principal, offset: int, limit: int,
              *, for_page: bool = False) -> list[dict[str, Any]]:
    """The caller's jobs (all jobs for analysts and administrators), newest first; for a page
    with the summary's sentences too, so it is shown in the reader's language."""
    with state.app_db() as db:
        rows = db.scalars(_jobs_query(who).order_by(Job.id.desc()).offset(offset).limit(limit))
        return [job_json(j) | ({"summary_message": j.summary_message} if for_page else {})
                for j in rows]


def count_rows(state: WebState, who: Principal | None, what: str) -> int:
    with state.app_db() as db:
        if what == "jobs" and who is not None:
            query = _jobs_query(who).with_only_columns(func.count())
            return int(db.scalar(query) or 0)
        return int(db.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def list_audit(state: WebState, offset: int, limit: int) -> list[dict[str, Any]]:
    with state.app_db() as db:
        rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(offset).limit(limit))
        return [{"id": e.id, "at": e.at.isoformat(timespec="seconds"), "actor": e.actor,
                 "role": e.role, "action": e.action, "target": e.target, "detail": e.detail}
                for e in rows]


AUDIT_COLUMNS = ("id", "at", "actor", "role", "action", "target", "detail")


def audit_csv(state: WebState) -> bytes:
    """The whole audit log as CSV; a cell a spreadsheet would run as a formula (a user name
    typed at the sign-in page, say ``=HYPERLINK(...)``) gets a leading apostrophe, as in the
    library's exports (:func:`tieguard.report.exports.neutralise_formulas`)."""
    events = list_audit(state, 0, 10**9)
    columns = {name: [e[name] for e in events] for name in AUDIT_COLUMNS}
    table = pa.table({name: pa.array(values, pa.int64() if name == "id" else pa.string())
                      for name, values in columns.items()})
    buffer = io.BytesIO()
    pa_csv.write_csv(neutralise_formulas(table), buffer)
    return buffer.getvalue()

"""Sign-in: argon2 password hashes, server-side sessions, CSRF tokens, API tokens, TOTP, and
a login rate limit. Every page and API call names the roles it allows (:data:`POLICY`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as DBSession
from sqlalchemy.orm import sessionmaker

from .store import ApiToken, LoginFailure, User, WebSession, now

__all__ = ["Principal", "hash_password", "check_password", "token_hash", "new_token",
           "LoginLimiter", "check_totp", "lookup_session", "lookup_api_token"]

_hasher = PasswordHasher()
SESSION_COOKIE = "tg_session"


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the routes see it."""

    user_id: int
    username: str
    role: str
    employee_id: str | None
    csrf_token: str | None  # None for API-token requests (no cookie, so no CSRF)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    if not stored:
        _hasher.hash(password)  # same cost whether or not the user exists
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check_totp(secret: str | None, code: str) -> bool:
    """True without a secret (TOTP is optional); else the code of now +- 30 s."""
    if not secret:
        return True
    return bool(code) and pyotp.TOTP(secret).verify(code.strip(), valid_window=1)


class LoginLimiter:
    """At most ``limit`` failed sign-ins per key (user name, client address) per window.

    The failures are rows of the application database, so every worker process of a
    deployment counts the same ones and a restart forgets none; only a hash of each key is
    stored. ``clock`` gives the current UTC time (tests move it)."""

    def __init__(self, app_db: sessionmaker[DBSession], limit: int = 5,
                 window_seconds: float = 300.0, clock: Callable[[], dt.datetime] = now) -> None:
        self.app_db, self.limit, self.window, self.clock = app_db, limit, window_seconds, clock

    def _since(self) -> dt.datetime:
        return self.clock() - dt.timedelta(seconds=self.window)

    def blocked(self, *keys: str) -> bool:
        hashes = [token_hash(key) for key in keys]
        query = (select(LoginFailure.key_hash, func.count()).where(
            LoginFailure.key_hash.in_(hashes), LoginFailure.at >= self._since())
            .group_by(LoginFailure.key_hash))
        with self.app_db() as db:
            return any(n >= self.limit for _, n in db.execute(query))

    def fail(self, *keys: str) -> None:
        """Count a failure for each key (and forget failures older than the window)."""
        with self.app_db() as db:
            db.execute(delete(LoginFailure).where(LoginFailure.at < self._since()))
            db.add_all([LoginFailure(key_hash=token_hash(key), at=self.clock()) for key in keys])
            db.commit()

    def reset(self, key: str) -> None:
        with self.app_db() as db:
            db.execute(delete(LoginFailure).where(LoginFailure.key_hash == token_hash(key)))
            db.commit()


def start_session(db: DBSession, user: User, hours: float) -> str:
    """A new session for ``user`` lasting ``hours``; returns the cookie value (only its hash
    is stored)."""
    token = new_token()
    db.add(WebSession(id_hash=token_hash(token), user_id=user.id, csrf_token=new_token(),
                      expires_at=now() + dt.timedelta(hours=hours)))
    db.commit()
    return token


def lookup_session(db: DBSession, cookie: str | None) -> Principal | None:
    if not cookie:
        return None
    row = db.get(WebSession, token_hash(cookie))
    if row is None or row.expires_at < now():
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Principal(user.id, user.username, user.role, user.employee_id, row.csrf_token)


def end_session(db: DBSession, cookie: str | None) -> None:
    if cookie:
        row = db.get(WebSession, token_hash(cookie))
        if row is not None:
            db.delete(row)
            db.commit()


def lookup_api_token(db: DBSession, token: str) -> Principal | None:
    row = db.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Principal(user.id, user.username, user.role, user.employee_id, None)

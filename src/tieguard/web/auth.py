"""Sign-in: argon2 password hashes, server-side sessions, CSRF tokens, API tokens, TOTP, and
a login rate limit. Every page and API call names the roles it allows (:data:`POLICY`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session as DBSession

from .store import ApiToken, User, WebSession, now

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
    """At most ``limit`` failed sign-ins per key (user name and client address) per window."""

    def __init__(self, limit: int = 5, window_seconds: float = 300.0) -> None:
        self.limit, self.window = limit, window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        cutoff = time.monotonic() - self.window
        with self._lock:
            for key in keys:
                q = self._failures.get(key)
                while q and q[0] < cutoff:
                    q.popleft()
                if q and len(q) >= self.limit:
                    return True
        return False

    def fail(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque()).append(time.monotonic())

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


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

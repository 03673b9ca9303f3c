"""Application state (users, sessions, API tokens, jobs, audit log) in SQLAlchemy 2.

SQLite beside the warehouse by default, PostgreSQL for a multi-user deployment. The schema is
created and upgraded by the Alembic migrations in ``web/migrations`` (never ``create_all``).
The analytics stay in the DuckDB warehouse; nothing here holds an employee's network data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine as SAEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

__all__ = ["Base", "User", "WebSession", "ApiToken", "Job", "AuditEvent", "SetupToken", "OidcLogin", "LoginFailure",
           "ROLES", "connect_app_db", "migrate_app_db", "now"]

#: The roles a user can have; the server checks them on every page and API call.
ROLES = ("employee", "manager", "analyst", "admin", "auditor")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    employee_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(400), nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class WebSession(Base):
    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    step: Mapped[str] = mapped_column(String(200), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: the summary's sentences (JSON of :class:`tieguard.web.summary.Summary`), for the pages
    summary_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEvent(Base):
    """Who did what to which object, when: ids and actions only, never personal data."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(400), default="")


class SetupToken(Base):
    __tablename__ = "setup_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class OidcLogin(Base):
    """A single sign-on in flight: only the hash of its state; deleted when it returns."""

    __tablename__ = "oidc_logins"
    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class LoginFailure(Base):
    """A failed sign-in for one rate-limit key (a user name or a client address, hashed)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key_hash", "at"),
                      Index("ix_login_failures_at", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


def _append_only(mapper: object, connection: object, target: AuditEvent) -> None:
    raise PermissionError("The audit log is append-only: events are never changed or deleted.")


event.listen(AuditEvent, "before_update", _append_only)
event.listen(AuditEvent, "before_delete", _append_only)


def default_app_db(warehouse: Path) -> str:
    """SQLite beside the warehouse: ``<warehouse>.app.sqlite``."""
    return f"sqlite:///{warehouse.with_name(warehouse.name + '.app.sqlite')}"


def connect_app_db(url: str) -> tuple[SAEngine, sessionmaker[Session]]:
    """An SQLAlchemy engine and session factory for ``url`` (postgresql:// uses psycopg 3)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    sqlite = url.startswith("sqlite")
    args = {"check_same_thread": False, "timeout": 30} if sqlite else {}
    engine = create_engine(url, connect_args=args, pool_pre_ping=True)
    if sqlite:
        event.listen(engine, "connect", _sqlite_wal)
    return engine, sessionmaker(engine, expire_on_commit=False)


def _sqlite_wal(connection: Any, record: object) -> None:
    """Write-ahead log, synced at checkpoints: a commit (every audited page view) costs
    ~0.1 ms instead of an fsync; a power cut can lose the last commits, never the file."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate_app_db(engine: SAEngine) -> None:
    """Bring the application database to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

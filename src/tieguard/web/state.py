"""The web app's state: the warehouse session, the application database, jobs, audit log."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ..session import Session, open_session
from .auth import LoginLimiter, Principal, new_token, token_hash
from .dashboard import DashboardCache
from .jobs import JobRunner
from .store import AuditEvent, SetupToken, User, connect_app_db, default_app_db, migrate_app_db

__all__ = ["WebConfig", "WebState"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebConfig:
    """How ``tieguard serve`` runs (the CLI and the tests build one)."""

    db: Path
    app_db: str | None = None
    config: Path | None = None
    base_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = False
    max_upload_mb: int = 50
    login_limit: int = 5
    scan_after_upload: bool = True


class WebState:
    """Everything the routes share; one per process."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.app_db_url = config.app_db or default_app_db(config.db)
        self.sa_engine, self.app_db = connect_app_db(self.app_db_url)
        migrate_app_db(self.sa_engine)
        self.warehouse: Session = open_session(config.db, config.config, create=True)
        self.dashboard = DashboardCache()
        self.jobs = JobRunner(self.warehouse, self.app_db,
                              on_finish=lambda job_id, status: self.dashboard.invalidate())
        self.limiter = LoginLimiter(limit=config.login_limit)
        self.uploads = config.db.with_name(config.db.name + ".uploads")
        self.uploads.mkdir(parents=True, exist_ok=True)

    def setup_link(self) -> str | None:
        """A one-time link to create the first administrator, while there is no user."""
        with self.app_db() as db:
            if db.scalar(select(func.count()).select_from(User)):
                return None
            token = new_token()
            db.add(SetupToken(token_hash=token_hash(token), used=False))
            db.commit()
        return f"{self.config.base_url}/setup?token={token}"

    def audit(self, who: Principal | None, action: str, target: str = "",
              detail: str = "") -> None:
        """Append an event: user name, role, action and object ids; never personal data."""
        with self.app_db() as db:
            db.add(AuditEvent(actor=who.username if who else "anonymous",
                              role=who.role if who else "-", action=action,
                              target=target[:200], detail=detail[:400]))
            db.commit()

    def close(self) -> None:
        self.jobs.stop()
        self.warehouse.close()
        self.sa_engine.dispose()

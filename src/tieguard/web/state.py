"""The web app's state: the warehouse session, the application database, jobs, audit log."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..session import Session, open_session
from ..settings import Settings, WebSettings
from .auth import LoginLimiter, Principal, new_token, token_hash
from .dashboard import DashboardCache
from .jobs import JobRunner, JobWork
from .oidc import OidcClient
from .personal import PersonalReports
from .store import AuditEvent, SetupToken, User, connect_app_db, default_app_db, migrate_app_db

__all__ = ["WebConfig", "WebState"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebConfig:
    """Which warehouse ``tieguard serve`` runs on, and the options that override the ``web``
    settings (None: the settings file's value). The CLI and the tests build one."""

    db: Path
    config: Path | None = None
    create: bool = False
    app_db: str | None = None
    base_url: str | None = None
    host: str | None = None
    port: int | None = None
    login_limit: int | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)

    def settings_overrides(self) -> dict[str, Any]:
        given = {"app_db": self.app_db, "base_url": self.base_url, "host": self.host,
                 "port": self.port, "login_limit": self.login_limit}
        return {**{f"web.{k}": v for k, v in given.items() if v is not None}, **self.overrides}


class WebState:
    """Everything the routes share; one per process."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.warehouse: Session = open_session(config.db, config.config,
                                               config.settings_overrides(), create=config.create)
        self.web: WebSettings = self.warehouse.settings.web
        self.base_url = (self.web.base_url or f"http://{self.web.host}:{self.web.port}").rstrip("/")
        self.secure_cookies = self.base_url.startswith("https://")
        self.app_db_url = self.web.app_db or default_app_db(config.db)
        self.sa_engine, self.app_db = connect_app_db(self.app_db_url)
        migrate_app_db(self.sa_engine)
        self.dashboard = DashboardCache()
        self.personal = PersonalReports()
        self.jobs = JobRunner(self.warehouse, self.app_db,
                              on_finish=lambda job_id, status: self.warehouse_changed())
        self.limiter = LoginLimiter(self.app_db, self.web.login_limit,
                                    self.web.login_window_seconds)
        self.oidc = OidcClient(self.web, self.base_url) if self.web.oidc_enabled else None
        self.uploads = config.db.with_name(config.db.name + ".uploads")
        self.uploads.mkdir(parents=True, exist_ok=True)

    def warehouse_changed(self) -> None:
        """A job finished (or the settings changed): pages built from the warehouse are built
        again when next asked."""
        self.dashboard.invalidate()
        self.personal.invalidate()

    def setup_link(self) -> str | None:
        """A one-time link to create the first administrator, while there is no user."""
        with self.app_db() as db:
            if db.scalar(select(func.count()).select_from(User)):
                return None
            token = new_token()
            db.add(SetupToken(token_hash=token_hash(token), used=False))
            db.commit()
        return f"{self.base_url}/setup?token={token}"

    def submit_job(self, who: Principal, kind: str, work: JobWork, *, action: str | None = None,
                   target: str = "", detail: str = "", cleanup: Path | None = None) -> int:
        """Queue ``work`` as a job of ``who`` and audit it (``action``, default ``kind``, with
        the job id in the detail); returns the job id. Every route starting a job uses this."""
        job = self.jobs.submit(who.user_id, kind, work, cleanup=cleanup)
        self.audit(who, action or kind, target, f"{detail}; job {job}" if detail else f"job {job}")
        return job

    def audit(self, who: Principal | None, action: str, target: str = "",
              detail: str = "") -> None:
        """Append an event: user name, role, action and object ids; never personal data."""
        with self.app_db() as db:
            db.add(AuditEvent(actor=who.username if who else "anonymous",
                              role=who.role if who else "-", action=action,
                              target=target[:200], detail=detail[:400]))
            db.commit()

    def use_settings(self, settings: Settings) -> None:
        """Pages and jobs submitted from now on use ``settings`` (a running job keeps its own);
        the ``web`` section keeps its start-up values until the server restarts."""
        self.warehouse = dataclasses.replace(self.warehouse, settings=settings)
        self.jobs.warehouse = self.warehouse
        self.warehouse_changed()

    def close(self) -> None:
        self.jobs.stop()
        self.warehouse.close()
        self.sa_engine.dispose()

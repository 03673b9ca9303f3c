"""A session: one warehouse, opened and migrated, with its frozen settings.

Every CLI command (and later the web server) starts with :func:`open_session` so that
settings are found, validated and applied the same way everywhere:

1. ``config`` if given, else ``tieguard.toml`` beside the warehouse, else defaults;
2. then ``overrides`` (dotted names, e.g. ``{"watch.cadence_days": 14}``);
3. the warehouse is ``db`` if given, else ``warehouse.db`` from the settings.

A warehouse that does not exist is created only with ``create=True``; otherwise
:class:`~tieguard.errors.WarehouseMissingError` says so (a typo in ``--db`` never
creates an empty warehouse).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from .engine import Engine
from .errors import WarehouseMissingError
from .settings import Settings, load_settings
from .warehouse import open_warehouse

__all__ = ["Session", "open_session", "settings_for", "SETTINGS_FILE"]

#: The settings file looked for beside the warehouse.
SETTINGS_FILE = "tieguard.toml"


@dataclass(frozen=True)
class Session:
    """An open warehouse and the settings every stage of this run uses."""

    engine: Engine
    settings: Settings
    db: Path
    created: bool = False

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def settings_for(db: Path | None, config: Path | None = None,
                 overrides: Mapping[str, Any] | None = None) -> Settings:
    """The settings a session on ``db`` would use (see the module docstring)."""
    if config is None and db is not None and (db.parent / SETTINGS_FILE).is_file():
        config = db.parent / SETTINGS_FILE
    merged = dict(overrides or {})
    if db is not None:
        merged["warehouse.db"] = db
    return load_settings(config, merged)


def open_session(
    db: Path | None = None,
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    create: bool = False,
    read_only: bool = False,
) -> Session:
    """Open the warehouse ``db`` with its settings; see the module docstring."""
    settings = settings_for(db, config, overrides)
    path = Path(settings.warehouse.db)
    exists = path.exists() or str(path) == ":memory:"
    if not exists and not create:
        raise WarehouseMissingError(
            f"The warehouse {path} does not exist. Import exports first (tieguard import ... "
            "--create), or run tieguard demo, or point --db at an existing warehouse."
        )
    engine = open_warehouse(
        path,
        threads=settings.warehouse.threads,
        memory_limit=settings.warehouse.memory_limit or None,
        read_only=read_only,
        secret_file=settings.privacy.secret_file,
    )
    return Session(engine, settings, path, created=not exists)

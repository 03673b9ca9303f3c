"""The warehouse: opening, migrating and loading canonical tables.

Stages never open DuckDB themselves: they receive an :class:`~tieguard.engine.Engine`
from :func:`open_warehouse`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .engine import Engine, open_engine
from .errors import SchemaVersionError
from .schema import LATEST_VERSION, MIGRATIONS

__all__ = ["open_warehouse", "migrate", "schema_version", "table_counts"]

log = logging.getLogger(__name__)

CANONICAL_TABLES = [
    "imports", "quarantine", "employees", "profiles", "privacy_settings", "tie_people",
    "snapshots", "ties", "invitations", "accounts", "contacts", "opportunities",
    "opportunity_stages", "contact_roles", "competitors", "organisation",
]


def schema_version(engine: Engine) -> int:
    if not engine.table_exists("schema_version"):
        return 0
    return int(engine.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


def migrate(engine: Engine) -> int:
    """Apply pending migrations; return the resulting version."""
    engine.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        "description VARCHAR, applied_at TIMESTAMP)"
    )
    current = schema_version(engine)
    if current > LATEST_VERSION:
        raise SchemaVersionError(
            f"The warehouse has schema version {current}, newer than this tieguard "
            f"understands ({LATEST_VERSION}). Upgrade tieguard or use another --db file."
        )
    for version, description, statements in MIGRATIONS:
        if version <= current:
            continue
        with engine.transaction():
            for sql in statements:
                engine.execute(sql)
            engine.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [version, description, dt.datetime.now()],
            )
        log.info("applied migration %s: %s", version, description)
    return schema_version(engine)


def open_warehouse(
    path: str | Path = "tieguard.duckdb",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> Engine:
    """Open (creating if needed) and migrate the warehouse at ``path``."""
    engine = open_engine(path, threads=threads, memory_limit=memory_limit)
    migrate(engine)
    return engine


def table_counts(engine: Engine) -> dict[str, int]:
    return {t: int(engine.scalar(f'SELECT count(*) FROM "{t}"') or 0) for t in CANONICAL_TABLES}

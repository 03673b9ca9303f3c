"""The warehouse: opening it and migrating it to the declared tables.

Stages never open a database themselves: they receive an :class:`~tieguard.engine.Engine`
(normally inside a :class:`~tieguard.session.Session`). :func:`migrate` makes the file match
:mod:`tieguard.schema`: it creates missing tables, adds missing columns and rebuilds a
table whose column types or key constraint drifted (copying the rows it can keep).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from . import schema
from .engine import Engine, ReadEngine, open_engine
from .errors import SchemaVersionError, StageNotRunError
from .secret import install_secret

__all__ = [
    "open_warehouse", "migrate", "schema_version", "table_counts", "record_stage_run",
    "require_stage", "stage_ran",
]

log = logging.getLogger(__name__)

CANONICAL_TABLES = tuple(t.name for t in schema.tables_owned_by("sources"))

_TYPE_ALIASES = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE", "INT": "INTEGER"}


def _norm_type(type_: str) -> str:
    t = type_.upper().strip()
    return _TYPE_ALIASES.get(t, t)


def schema_version(engine: Engine) -> int:
    if not engine.table_exists("schema_version"):
        return 0
    return int(engine.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


def _has_primary_key(engine: Engine, table: str) -> bool:
    n = engine.scalar(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
        "AND constraint_type = 'PRIMARY KEY'", [table],
    )
    return bool(n)


def _rebuild(engine: Engine, decl: schema.Table, existing: list[tuple[str, str]]) -> None:
    """Recreate ``decl`` in its declared shape, keeping the rows of the columns it shares."""
    kept = [c for c in decl.columns if c.name in {name for name, _ in existing}]
    temp = f"_tg_migrate_{decl.name}"
    cols = ", ".join(f'"{c.name}"' for c in kept)
    casts = ", ".join(f'TRY_CAST("{c.name}" AS {c.type}) AS "{c.name}"' for c in kept)
    engine.execute(f'DROP TABLE IF EXISTS "{temp}"')
    engine.execute(schema.create_sql(decl, temp))
    if kept:
        engine.execute(f'INSERT INTO "{temp}" ({cols}) SELECT {casts} FROM "{decl.name}"')
    engine.execute(f'DROP TABLE "{decl.name}"')
    engine.execute(f'ALTER TABLE "{temp}" RENAME TO "{decl.name}"')
    log.info("rebuilt table %s in its declared shape", decl.name)


def _migrate_table(engine: Engine, decl: schema.Table) -> None:
    existing = engine.table_columns(decl.name)
    if not existing:
        engine.execute(schema.create_sql(decl))
        return
    have = {name: _norm_type(type_) for name, type_ in existing}
    drifted = any(c.name in have and have[c.name] != _norm_type(c.type) for c in decl.columns)
    extra = set(have) - set(decl.column_names())
    wants_key = decl.enforced and bool(decl.key)
    if drifted or extra or (wants_key and not _has_primary_key(engine, decl.name)):
        _rebuild(engine, decl, existing)
        return
    for c in decl.columns:
        if c.name not in have:
            engine.execute(f'ALTER TABLE "{decl.name}" ADD COLUMN "{c.name}" {c.type}')


def migrate(engine: Engine) -> int:
    """Make the warehouse match the declarations; return the resulting schema version."""
    current = schema_version(engine)
    if current > schema.SCHEMA_VERSION:
        raise SchemaVersionError(
            f"The warehouse has schema version {current}, newer than this tieguard "
            f"understands ({schema.SCHEMA_VERSION}). Upgrade tieguard or use another --db file."
        )
    if current == schema.SCHEMA_VERSION and _matches(engine):
        return current
    with engine.transaction():
        for decl in schema.TABLES:
            _migrate_table(engine, decl)
        if current < schema.SCHEMA_VERSION:
            engine.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [schema.SCHEMA_VERSION, "declared tables", dt.datetime.now()],
            )
    log.info("warehouse migrated to schema version %s", schema.SCHEMA_VERSION)
    return schema.SCHEMA_VERSION


def _matches(engine: Engine) -> bool:
    """Cheap check: every declared table exists with exactly its declared columns."""
    rows = engine.fetchall(
        "SELECT table_name, list(column_name ORDER BY ordinal_position) "
        "FROM information_schema.columns WHERE table_schema = 'main' GROUP BY table_name"
    )
    have = {str(name): tuple(cols) for name, cols in rows}
    return all(have.get(t.name) == t.column_names() for t in schema.TABLES)


def open_warehouse(
    path: str | Path = "tieguard.duckdb",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    read_only: bool = False,
    secret_file: Path | None = None,
    check_key: bool = True,
) -> Engine:
    """Open the warehouse at ``path`` (creating the file if needed), migrate it and key it.

    The pseudonym secret comes from ``secret_file`` or its default place
    (:mod:`tieguard.secret`); ``check_key=False`` only for ``tieguard privacy rekey``.
    """
    engine = open_engine(path, threads=threads, memory_limit=memory_limit, read_only=read_only)
    try:
        if not read_only:
            engine.drop_work_tables()
            migrate(engine)
        install_secret(engine, secret_file, check=check_key)
    except BaseException:
        engine.close()
        raise
    return engine


def table_counts(engine: Engine) -> dict[str, int]:
    return {t: int(engine.scalar(f"SELECT count(*) FROM {engine.ident(t)}") or 0)
            for t in CANONICAL_TABLES}


def record_stage_run(engine: Engine, stage: str, seconds: float, figures: dict[str, Any]) -> None:
    """Remember that ``stage`` ran (commands that need its output check :func:`require_stage`)."""
    engine.replace(
        "stage_runs", "SELECT ? AS stage, ? AS ran_at, ? AS seconds, ? AS figures",
        [stage, dt.datetime.now(), seconds, json.dumps(figures, default=str)],
        where="stage = ?", where_params=[stage],
    )


def stage_ran(engine: ReadEngine, stage: str) -> bool:
    return bool(engine.scalar("SELECT count(*) FROM stage_runs WHERE stage = ?", [stage]))


def require_stage(engine: ReadEngine, stage: str, command: str) -> None:
    """Raise :class:`StageNotRunError` unless ``stage`` has run on this warehouse."""
    if not stage_ran(engine, stage):
        raise StageNotRunError(
            f"`{command}` needs the output of the {stage} stage, which has not run on the "
            f"warehouse {engine.path}. Run `tieguard scan --db {engine.path}` first."
        )

"""The ``roles`` stage over the warehouse: classify distinct titles once, join back in SQL.

Reads ``tie_people.position`` and ``contacts.title``, classifies each distinct raw text
once (:meth:`Classifier.classify_many` further collapses texts with the same normalised
key), registers the small title → labels table with the engine and rebuilds the derived
tables ``person_roles`` and ``contact_title_roles`` with ``CREATE OR REPLACE TABLE``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..settings import Settings
from .buying import load_buying_table
from .classify import Classifier, RoleResult

__all__ = ["run", "title_table"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]
_VIEW = "_tg_role_titles"
_CHUNK = 20_000


def title_table(
    titles: list[str], classifier: Classifier, min_score: float,
    on_progress: ProgressCallback | None = None, step: str = "classifying titles",
) -> pa.Table:
    """One row per distinct title: the labels, ``|``-joined buying roles, is_buying_role."""
    results: list[RoleResult] = []
    for start in range(0, len(titles), _CHUNK):
        results += classifier.classify_many(titles[start : start + _CHUNK])
        if on_progress:
            on_progress(step, min(start + _CHUNK, len(titles)), len(titles))
    return pa.table({
        "title": pa.array(titles, pa.string()),
        "seniority": [r.seniority for r in results],
        "function": [r.function for r in results],
        "buying_roles": ["|".join(r.buying_roles) for r in results],
        "role_confidence": pa.array([r.confidence for r in results], pa.float64()),
        "is_buying_role": [any(s >= min_score for s in r.buying_roles.values()) for r in results],
    })


def _distinct(engine: Engine, table: str, column: str) -> list[str]:
    if not engine.table_exists(table):
        return []
    rows = engine.fetchall(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')
    return [r[0] for r in rows]


def _derive(engine: Engine, target: str, source: str, key: str, column: str) -> int:
    if not engine.table_exists(source):
        engine.execute(
            f"CREATE OR REPLACE TABLE {target} ({key} VARCHAR, seniority VARCHAR, function VARCHAR, "
            "buying_roles VARCHAR, role_confidence DOUBLE, is_buying_role BOOLEAN)"
        )
        return 0
    engine.execute(f"""
        CREATE OR REPLACE TABLE {target} AS
        SELECT s.{key},
               coalesce(t.seniority, 'unknown') AS seniority,
               coalesce(t.function, 'unknown') AS function,
               coalesce(t.buying_roles, '') AS buying_roles,
               coalesce(t.role_confidence, 0.0) AS role_confidence,
               coalesce(t.is_buying_role, false) AS is_buying_role
        FROM {source} s LEFT JOIN {_VIEW} t ON t.title = s.{column}
    """)
    return int(engine.scalar(f"SELECT count(*) FROM {target}") or 0)


def _keep_pseudonymised_roles(engine: Engine) -> None:
    """Stash the roles of pseudonymised people: their title is gone, their labels must stay."""
    engine.execute(
        "CREATE OR REPLACE TEMP TABLE _tg_kept_roles (person_key VARCHAR, seniority VARCHAR, "
        "function VARCHAR, buying_roles VARCHAR, role_confidence DOUBLE, is_buying_role BOOLEAN)"
    )
    pseudonymisable = engine.scalar(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'tie_people' AND column_name = 'is_pseudonymised'"
    )
    if pseudonymisable and engine.table_exists("person_roles"):
        engine.execute(
            "INSERT INTO _tg_kept_roles SELECT r.person_key, r.seniority, r.function, r.buying_roles, "
            "r.role_confidence, r.is_buying_role FROM person_roles r JOIN tie_people p USING (person_key) "
            "WHERE p.is_pseudonymised"
        )


def _restore_pseudonymised_roles(engine: Engine) -> None:
    engine.execute(
        "DELETE FROM person_roles WHERE person_key IN (SELECT person_key FROM _tg_kept_roles)"
    )
    engine.execute("INSERT INTO person_roles SELECT * FROM _tg_kept_roles")
    engine.execute("DROP TABLE _tg_kept_roles")


def run(engine: Engine, settings: Settings, on_progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Rebuild ``person_roles`` and ``contact_title_roles``; return a JSON-able summary."""
    cfg = settings.roles
    classifier = Classifier(load_buying_table(cfg.buying_table), fuzzy=cfg.fuzzy)
    titles = sorted(set(_distinct(engine, "tie_people", "position")) | set(_distinct(engine, "contacts", "title")))
    log.info("classifying %d distinct titles", len(titles))
    table = title_table(titles, classifier, cfg.min_buying_score, on_progress)
    engine.register(_VIEW, table)
    try:
        _keep_pseudonymised_roles(engine)
        _derive(engine, "person_roles", "tie_people", "person_key", "position")
        _restore_pseudonymised_roles(engine)
        people = int(engine.scalar("SELECT count(*) FROM person_roles") or 0)
        contacts = _derive(engine, "contact_title_roles", "contacts", "contact_id", "title")
    finally:
        engine.unregister(_VIEW)
    summary: dict[str, Any] = {
        "distinct_titles": len(titles),
        "people": people,
        "contacts": contacts,
        "paths": dict(classifier.stats),
    }
    if people:
        row = engine.fetchone(
            "SELECT count(*) FILTER (WHERE is_buying_role), count(*) FILTER (WHERE function = 'unknown') FROM person_roles"
        )
        summary["people_buying_role"], summary["people_unknown_function"] = (int(row[0]), int(row[1])) if row else (0, 0)
    return summary

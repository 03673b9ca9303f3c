"""The ``roles`` stage over the warehouse: classify distinct titles once, join back in SQL.

Reads ``tie_people.position`` and ``contacts.title``, classifies the distinct raw texts in
one vectorised pass (:meth:`Classifier.classify_array`), registers the small title → labels table with the engine and replaces the rows of its declared
tables ``person_roles`` and ``contact_title_roles`` (``engine.replace``: delete and insert in
one transaction). Pseudonymised people keep the labels they had: their title is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..settings import Settings
from .buying import load_buying_table
from .classifier import Classifier

__all__ = ["run", "title_table"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]
_VIEW = "_tg_role_titles"


def title_table(
    titles: pa.Array | list[str], classifier: Classifier,
    on_progress: ProgressCallback | None = None, step: str = "classifying titles",
) -> pa.Table:
    """One row per distinct title: the labels, ``|``-joined buying roles, is_buying_role (one vectorised pass)."""
    if not isinstance(titles, pa.Array):
        titles = pa.array(titles, pa.string())
    labels = classifier.classify_array(titles)
    if on_progress:
        on_progress(step, len(titles), len(titles))
    return pa.table({
        "title": titles,
        "seniority": labels.column("seniority"),
        "function": labels.column("function"),
        "buying_roles": labels.column("buying_roles"),
        "role_confidence": labels.column("confidence"),
        "is_buying_role": labels.column("is_buying_role"),
    })


def _distinct_titles(engine: Engine) -> pa.Array:
    """Distinct non-NULL positions and contact titles, as one Arrow column (no Python rows)."""
    table = engine.fetch_arrow(
        "SELECT position AS title FROM tie_people WHERE position IS NOT NULL "
        "UNION SELECT title FROM contacts WHERE title IS NOT NULL"
    )
    column = table.column("title")
    return (column.combine_chunks() if column.num_chunks else pa.array([], pa.string())).cast(pa.string())


def _labels(key: str, source: str, column: str) -> str:
    """SELECT of one source row's labels (``unknown`` rows for titles not in the title table)."""
    return f"""
        SELECT s.{key},
               coalesce(t.seniority, 'unknown') AS seniority,
               coalesce(t.function, 'unknown') AS function,
               coalesce(t.buying_roles, '') AS buying_roles,
               coalesce(t.role_confidence, 0.0) AS role_confidence,
               coalesce(t.is_buying_role, false) AS is_buying_role
        FROM {source} s LEFT JOIN {_VIEW} t ON t.title = s.{column}
    """


#: pseudonymised people have lost their title: their labels stay as they were
_KEEP_PSEUDONYMISED = (
    "EXISTS (SELECT 1 FROM tie_people p WHERE p.person_key = person_roles.person_key AND p.is_pseudonymised)"
)


def _write_people(engine: Engine) -> int:
    """Rebuild ``person_roles``, keeping the rows of pseudonymised people that have one."""
    select = _labels("person_key", "tie_people", "position") + (
        " WHERE NOT (s.is_pseudonymised AND EXISTS "
        "(SELECT 1 FROM person_roles r WHERE r.person_key = s.person_key))"
    )
    engine.replace("person_roles", select, where=f"NOT {_KEEP_PSEUDONYMISED}")
    return int(engine.scalar("SELECT count(*) FROM person_roles") or 0)


def run(engine: Engine, settings: Settings, on_progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Rebuild ``person_roles`` and ``contact_title_roles``; return a JSON-able summary."""
    cfg = settings.roles
    classifier = Classifier(load_buying_table(cfg.buying_table), fuzzy=cfg.fuzzy, min_buying_score=cfg.min_buying_score)
    titles = _distinct_titles(engine)
    log.info("classifying %d distinct titles", len(titles))
    table = title_table(titles, classifier, on_progress)
    engine.register(_VIEW, table)
    try:
        people = _write_people(engine)
        contacts = engine.replace("contact_title_roles", _labels("contact_id", "contacts", "title"))
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

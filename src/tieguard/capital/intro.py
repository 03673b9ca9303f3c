"""Warm introductions, and finding their targets (accounts, contacts) by id or name."""

from __future__ import annotations

import json
from typing import Any

from ..engine import Engine
from ..errors import NotFoundError
from .common import ROLE_POSITION, SAME_ACCOUNT_FACTOR, bind

__all__ = ["find_target", "intro_paths"]

#: Jaro-Winkler similarity at which a single close name is taken as meant.
FUZZY_ACCEPT = 0.93
_TARGETS = """
    SELECT 'account' AS kind, account_id AS id, name, account_id, name AS account_name
    FROM accounts
    UNION ALL
    SELECT 'contact', c.contact_id, concat_ws(' ', c.first_name, c.last_name), c.account_id, a.name
    FROM contacts c LEFT JOIN accounts a USING (account_id)
"""


def _candidates(rows: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['name']} ({c['kind']} {c['id']})" for c in rows[:5])


def _lookup(engine: Engine, source: str, query: str, what: str) -> dict[str, Any]:
    """Exact id, exact name, unique substring, then a unique close fuzzy name."""
    q = query.strip()
    exact = engine.fetch_records(
        f"SELECT * FROM ({source}) s WHERE id = $1 OR lower(name) = lower($1) "
        "ORDER BY id = $1 DESC, id LIMIT 6", [q])
    if exact:
        if exact[0]["id"] == q or len(exact) == 1:
            return exact[0]
        raise NotFoundError(
            f"The {what} {q!r} is ambiguous: {_candidates(exact)}. Give the id instead."
        )
    contained = engine.fetch_records(
        f"SELECT * FROM ({source}) s WHERE contains(lower(name), lower($1)) "
        "ORDER BY length(name), id LIMIT 6", [q])
    if len(contained) == 1 and len(q) >= 3:
        return contained[0]
    close = engine.fetch_records(
        f"SELECT *, jaro_winkler_similarity(lower(name), lower($1)) AS similarity "
        f"FROM ({source}) s WHERE name IS NOT NULL ORDER BY similarity DESC, id LIMIT 5", [q])
    best = close[0]["similarity"] if close else 0.0
    runner_up = close[1]["similarity"] if len(close) > 1 else 0.0
    if best >= FUZZY_ACCEPT and best - runner_up >= 0.02:
        return close[0]
    if not (contained or close):
        raise NotFoundError(
            f"No {what} matches {q!r}: the warehouse holds none. Load the CRM and roster first."
        )
    raise NotFoundError(
        f"No {what} is called {q!r}. Close candidates: {_candidates(contained or close)}. "
        "Give the id or the exact name."
    )


def find_target(engine: Engine, target: str) -> dict[str, Any]:
    """An account or contact by id or (fuzzy) name."""
    return _lookup(engine, _TARGETS, target, "intro target (account or contact)")


def _paths(engine: Engine, where: str, params: dict[str, Any], factor: float, kind: str,
           limit: int) -> list[dict[str, Any]]:
    """Paths into the contacts ``where`` selects (it binds named ``params``)."""
    sql = f"""
        WITH hits AS (
            SELECT * FROM relationship_strength WHERE {where}
            ORDER BY strength DESC, employee_id, contact_id LIMIT $limit
        ), roles AS (
            SELECT contact_id, list(buying_role ORDER BY {ROLE_POSITION})
                   AS buying_roles, any_value(role_source) AS role_source
            FROM capital_contact_roles WHERE contact_id IN (SELECT contact_id FROM hits)
            GROUP BY contact_id
        )
        SELECT $kind AS kind, h.employee_id, e.full_name AS employee_name, h.team,
               h.contact_id, concat_ws(' ', c.first_name, c.last_name) AS contact_name,
               c.title AS contact_title, h.account_id,
               coalesce(r.buying_roles, []) AS buying_roles, r.role_source,
               h.strength, round(h.strength * $factor, 4) AS score, h.since_text AS since,
               h.evidence
        FROM (SELECT *, CAST(connected_on AS VARCHAR) AS since_text FROM hits) h
        LEFT JOIN employees e USING (employee_id)
        LEFT JOIN contacts c ON c.contact_id = h.contact_id
        LEFT JOIN roles r ON r.contact_id = h.contact_id
        ORDER BY score DESC, h.employee_id, h.contact_id
    """
    rows = engine.fetch_records(sql, bind(sql, **params, kind=kind, factor=factor, limit=limit))
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
    return rows


def intro_paths(engine: Engine, target: dict[str, Any], limit: int) -> dict[str, Any]:
    """Best paths employee -> resolved contact into the target, ranked by score."""
    if target["kind"] == "account":
        direct = _paths(engine, "account_id = $target", {"target": target["id"]}, 1.0,
                        "direct", limit)
        via: list[dict[str, Any]] = []
    else:
        direct = _paths(engine, "contact_id = $target", {"target": target["id"]}, 1.0,
                        "direct", limit)
        via = []
        if target["account_id"] is not None:
            via = _paths(engine, "account_id = $account AND contact_id <> $target",
                         {"account": target["account_id"], "target": target["id"]},
                         SAME_ACCOUNT_FACTOR, "same_account", limit)
    paths = sorted(direct + via, key=lambda r: (-r["score"], r["kind"] != "direct"))[:limit]
    return {
        "target": {k: target[k] for k in ("kind", "id", "name", "account_id", "account_name")},
        "reached_directly": bool(direct),
        "paths": paths,
    }

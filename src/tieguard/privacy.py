"""An employee's rights over their own network data: see it, erase it, mark contacts private.

Employees' networks are personal data (PRODUCT.md, privacy by design). This module is
the library behind ``tieguard privacy``:

- :func:`employee_data` lists what the warehouse holds about one employee's network and
  who supplied it on what basis;
- :func:`erase_employee` removes that network from every table (canonical and derived),
  keeps the roster row (it belongs to HR), drops outside people no longer tied to anyone,
  and records the erasure itself (without the erased content);
- :func:`mark_private` / :func:`unmark_private` take a resolved business contact out of
  the shared relationship views.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from .engine import Engine
from .errors import NotFoundError

__all__ = ["employee_data", "erase_employee", "mark_private", "unmark_private"]

log = logging.getLogger(__name__)

#: Tables keyed by person that lose rows once nobody is tied to that person any more.
PERSON_TABLES = ("tie_people", "person_roles", "tie_matches", "review_decisions")
#: Tables that keep their employee rows on erasure: the roster and the erasure log.
KEPT_TABLES = frozenset({"employees", "erasures"})


def _require_employee(engine: Engine, employee_id: str) -> None:
    known = engine.scalar("SELECT count(*) FROM employees WHERE employee_id = ?", [employee_id])
    ties = engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id])
    if not known and not ties:
        raise NotFoundError(
            f"No employee {employee_id!r} in the roster or the imported networks. "
            "Check the id (tieguard capital accounts --json lists teams; the roster has the ids)."
        )


def _ensure_erasure_log(engine: Engine) -> None:
    engine.execute(
        "CREATE TABLE IF NOT EXISTS erasures (employee_id VARCHAR, erased_at TIMESTAMP, "
        "requested_by VARCHAR, ties_erased BIGINT, people_erased BIGINT, tables VARCHAR)"
    )


def employee_data(engine: Engine, employee_id: str) -> dict[str, Any]:
    """What the warehouse holds about ``employee_id``'s network, and where it came from."""
    _require_employee(engine, employee_id)
    ties = engine.fetchone(
        "SELECT count(*), count(*) FILTER (removed_on IS NULL), count(*) FILTER (is_hidden_member), "
        "min(connected_on), max(connected_on) FROM ties WHERE employee_id = ?",
        [employee_id],
    ) or (0, 0, 0, None, None)
    matched = engine.scalar(
        "SELECT count(*) FROM ties t JOIN tie_matches m USING (person_key) "
        "WHERE t.employee_id = ? AND m.status = 'matched'",
        [employee_id],
    ) if engine.table_exists("tie_matches") else 0
    imports = engine.fetch_records(
        "SELECT kind, format, file_name, supplied_by, basis, exported_on, imported_at "
        "FROM imports WHERE employee_id = ? ORDER BY imported_at",
        [employee_id],
    )
    return {
        "employee_id": employee_id,
        "ties": int(ties[0]),
        "ties_current": int(ties[1]),
        "hidden_members": int(ties[2]),
        "first_connected_on": ties[3],
        "last_connected_on": ties[4],
        "ties_resolved_to_crm": int(matched or 0),
        "invitations": int(engine.scalar(
            "SELECT count(*) FROM invitations WHERE employee_id = ?", [employee_id]) or 0),
        "private_marks": int(engine.scalar(
            "SELECT count(*) FROM private_marks WHERE employee_id = ?", [employee_id]) or 0),
        "privacy_settings": engine.fetch_records(
            "SELECT network, valid_from, connections_visibility FROM privacy_settings "
            "WHERE employee_id = ? ORDER BY valid_from", [employee_id]),
        "imports": imports,
    }


def _tables_with_column(engine: Engine, column: str) -> list[str]:
    rows = engine.fetchall(
        "SELECT DISTINCT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.column_name = ? AND t.table_type = 'BASE TABLE' AND t.table_schema = 'main'",
        [column],
    )
    return sorted(r[0] for r in rows)


def erase_employee(engine: Engine, employee_id: str, requested_by: str) -> dict[str, Any]:
    """Erase ``employee_id``'s network everywhere; return what was erased (counts only)."""
    _require_employee(engine, employee_id)
    _ensure_erasure_log(engine)
    ties = int(engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]) or 0)
    touched: list[str] = []
    with engine.transaction():
        engine.execute(
            "DELETE FROM quarantine WHERE import_id IN "
            "(SELECT import_id FROM imports WHERE employee_id = ?)", [employee_id])
        for table in _tables_with_column(engine, "employee_id"):
            if table in KEPT_TABLES:
                continue
            engine.execute(f'DELETE FROM "{table}" WHERE employee_id = ?', [employee_id])
            touched.append(table)
        people = int(engine.scalar(
            "SELECT count(*) FROM tie_people p WHERE NOT EXISTS "
            "(SELECT 1 FROM ties t WHERE t.person_key = p.person_key)") or 0)
        for table in PERSON_TABLES:
            if engine.table_exists(table):
                engine.execute(
                    f'DELETE FROM "{table}" x WHERE NOT EXISTS '
                    "(SELECT 1 FROM ties t WHERE t.person_key = x.person_key)")
        engine.execute(
            "INSERT INTO erasures VALUES (?, ?, ?, ?, ?, ?)",
            [employee_id, dt.datetime.now(), requested_by, ties, people, ",".join(touched)],
        )
    log.info("erased %d ties of employee %s", ties, employee_id)
    return {"employee_id": employee_id, "ties_erased": ties, "people_erased": people,
            "tables": touched}


def _require_contact_tie(engine: Engine, employee_id: str, contact_id: str) -> None:
    linked = engine.scalar(
        "SELECT count(*) FROM ties t JOIN tie_matches m USING (person_key) "
        "WHERE t.employee_id = ? AND m.contact_id = ?",
        [employee_id, contact_id],
    ) if engine.table_exists("tie_matches") else 0
    if not linked:
        raise NotFoundError(
            f"Employee {employee_id!r} has no connection resolved to contact {contact_id!r}. "
            "Run tieguard scan first, or check both ids."
        )


def mark_private(engine: Engine, employee_id: str, contact_id: str) -> None:
    """Take a resolved contact of ``employee_id`` out of every shared relationship view."""
    _require_contact_tie(engine, employee_id, contact_id)
    engine.execute(
        "INSERT INTO private_marks VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [employee_id, contact_id, dt.datetime.now()],
    )


def unmark_private(engine: Engine, employee_id: str, contact_id: str) -> bool:
    """Undo :func:`mark_private`; True if a mark was removed."""
    before = engine.scalar("SELECT count(*) FROM private_marks WHERE employee_id = ? AND contact_id = ?",
                           [employee_id, contact_id])
    engine.execute("DELETE FROM private_marks WHERE employee_id = ? AND contact_id = ?",
                   [employee_id, contact_id])
    return bool(before)

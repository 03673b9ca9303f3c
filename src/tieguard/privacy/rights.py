"""An employee sees their own network data and marks contacts private.

- :func:`employee_data` lists what the warehouse holds about one employee's network and
  who supplied it on what basis;
- :func:`mark_private` / :func:`unmark_private` take a resolved business contact out of
  the shared relationship views.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from ..employees import find_employee
from ..engine import Engine
from ..errors import NotFoundError

__all__ = ["EmployeeData", "employee_data", "employee_id_for", "mark_private", "unmark_private"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmployeeData:
    """What the warehouse holds about one employee's network (``tieguard privacy show``)."""

    employee_id: str
    ties: int
    ties_current: int
    hidden_members: int
    first_connected_on: dt.date | None
    last_connected_on: dt.date | None
    ties_resolved_to_crm: int
    invitations: int
    private_marks: int
    privacy_settings: list[dict[str, Any]]
    imports: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def employee_id_for(engine: Engine, query: str) -> str:
    """The roster id for ``query`` (id, e-mail or name), or an id that only the networks know."""
    try:
        return find_employee(engine, query).employee_id
    except NotFoundError:
        if engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [query.strip()]):
            return query.strip()
        raise


def employee_data(engine: Engine, employee: str) -> EmployeeData:
    """What the warehouse holds about ``employee``'s network, and where it came from."""
    employee_id = employee_id_for(engine, employee)
    ties = engine.fetchone(
        "SELECT count(*), count(*) FILTER (removed_on IS NULL), count(*) FILTER (is_hidden_member), "
        "min(connected_on), max(connected_on) FROM ties WHERE employee_id = ?",
        [employee_id],
    ) or (0, 0, 0, None, None)
    matched = engine.scalar(
        "SELECT count(*) FROM ties t JOIN tie_matches m USING (person_key) "
        "WHERE t.employee_id = ? AND m.status = 'matched'",
        [employee_id],
    )
    return EmployeeData(
        employee_id=employee_id,
        ties=int(ties[0]),
        ties_current=int(ties[1]),
        hidden_members=int(ties[2]),
        first_connected_on=ties[3],
        last_connected_on=ties[4],
        ties_resolved_to_crm=int(matched or 0),
        invitations=int(engine.scalar(
            "SELECT count(*) FROM invitations WHERE employee_id = ?", [employee_id]) or 0),
        private_marks=int(engine.scalar(
            "SELECT count(*) FROM private_marks WHERE employee_id = ?", [employee_id]) or 0),
        privacy_settings=engine.fetch_records(
            "SELECT network, valid_from, connections_visibility FROM privacy_settings "
            "WHERE employee_id = ? ORDER BY valid_from", [employee_id]),
        imports=engine.fetch_records(
            "SELECT kind, format, file_name, supplied_by, basis, exported_on, imported_at "
            "FROM imports WHERE employee_id = ? ORDER BY imported_at",
            [employee_id],
        ),
    )


def _require_contact_tie(engine: Engine, employee_id: str, contact_id: str) -> None:
    linked = engine.scalar(
        "SELECT count(*) FROM ties t JOIN tie_matches m USING (person_key) "
        "WHERE t.employee_id = ? AND m.contact_id = ?",
        [employee_id, contact_id],
    )
    if not linked:
        raise NotFoundError(
            f"Employee {employee_id!r} has no connection resolved to contact {contact_id!r}. "
            "Run tieguard scan first, or check both ids."
        )


def mark_private(engine: Engine, employee_id: str, contact_id: str) -> None:
    """Take a resolved contact of ``employee_id`` out of every shared relationship view."""
    _require_contact_tie(engine, employee_id, contact_id)
    engine.execute(
        "INSERT INTO private_marks (employee_id, contact_id, marked_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [employee_id, contact_id, dt.datetime.now()],
    )


def unmark_private(engine: Engine, employee_id: str, contact_id: str) -> bool:
    """Undo :func:`mark_private`; True if a mark was removed."""
    before = engine.scalar("SELECT count(*) FROM private_marks WHERE employee_id = ? AND contact_id = ?",
                           [employee_id, contact_id])
    engine.execute("DELETE FROM private_marks WHERE employee_id = ? AND contact_id = ?",
                   [employee_id, contact_id])
    return bool(before)

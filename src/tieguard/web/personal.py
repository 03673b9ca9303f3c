"""An employee's personal report in the web app, kept until the warehouse changes.

The report (the same content as ``tieguard report --employee``) reads only that employee's
rows and answers in a fraction of a second; the actions that would cut their exposure most
re-run the competitor model on their connections, which takes seconds on a large warehouse.
So the page shows the report at once and loads the actions as a fragment; both are kept per
employee and language until a job finishes. Both are built on a read view of their own
(:meth:`tieguard.engine.Engine.reading`): one committed snapshot, never a running job's
uncommitted rows, no wait for the job's lock, and scratch tables no other build sees, so
different employees' reports and actions are built at once.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from ..employees import employee_exists
from ..engine import ReadEngine
from ..i18n import current
from ..report.employee import employee_context, personal_actions
from ..session import Session
from ..warehouse import stage_ran
from .cache import ScanCache

__all__ = ["PersonalReports", "build_report", "has_actions"]


def build_report(warehouse: Session, employee_id: str) -> dict[str, Any]:
    """One employee's personal report without the actions; before the first scan only
    whether tieguard holds their data. 404 for an employee the roster does not know."""
    with warehouse.engine.reading() as engine:
        return _report(engine, warehouse, employee_id)


def _report(engine: ReadEngine, warehouse: Session, employee_id: str) -> dict[str, Any]:
    if not employee_exists(engine, employee_id):
        raise HTTPException(404, f"No employee {employee_id!r} is in the roster yet. Ask an "
                            "administrator to import the roster.")
    holds = bool(engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]))
    if not stage_ran(engine, "watch"):
        return {"scan_ran": False, "holds_data": holds, "person": {"employee_id": employee_id},
                "status": None, "advice": [], "tables": [], "actions": []}
    context = employee_context(engine, warehouse.settings, employee_id, with_actions=False)
    return context | {"scan_ran": True, "holds_data": holds}


def has_actions(report: dict[str, Any]) -> bool:
    """Whether there are leads whose actions are worth working out."""
    return bool(report["scan_ran"] and not report["status"] and report.get("leads"))


class PersonalReports:
    """Reports and actions of the current warehouse state, per employee and language."""

    def __init__(self, max_entries: int = 512) -> None:
        self._reports: ScanCache[tuple[str, str], dict[str, Any]] = ScanCache(max_entries)
        self._actions: ScanCache[tuple[str, str], list[dict[str, str]]] = ScanCache(max_entries)

    def invalidate(self) -> None:
        self._reports.invalidate()
        self._actions.invalidate()

    def report(self, warehouse: Session, employee_id: str, *,
               with_actions: bool = False) -> dict[str, Any]:
        """The report in the request's language (``with_actions``: the actions included)."""
        report = self._reports.get_or_build((employee_id, current()),
                                            lambda: build_report(warehouse, employee_id))
        if not with_actions:
            return report
        return report | {"actions": self.actions(warehouse, employee_id)}

    def actions(self, warehouse: Session, employee_id: str) -> list[dict[str, str]]:
        """The actions that would cut the employee's exposure most, with measured effects."""
        report = self.report(warehouse, employee_id)
        if not has_actions(report):
            return []
        return self._actions.get_or_build(
            (employee_id, current()),
            lambda: _actions(warehouse, employee_id))


def _actions(warehouse: Session, employee_id: str) -> list[dict[str, str]]:
    with warehouse.engine.reading() as engine:
        return personal_actions(engine, warehouse.settings, employee_id)

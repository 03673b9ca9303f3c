"""The one employee lookup: by id, by e-mail, or by an unambiguous name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .engine import ReadEngine
from .errors import NotFoundError

__all__ = ["Employee", "find_employee", "get_employee", "employee_exists"]


@dataclass(frozen=True)
class Employee:
    """A roster entry."""

    employee_id: str
    full_name: str | None
    email: str | None
    team: str | None
    job_role: str | None
    country: str | None
    hired_on: dt.date | None
    left_on: dt.date | None
    language: str | None = None  # the roster's language of their personal report and alerts


_COLUMNS = "employee_id, full_name, email, team, job_role, country, hired_on, left_on, language"


def _rows(engine: ReadEngine, where: str, params: list[object]) -> list[Employee]:
    rows = engine.fetchall(f"SELECT {_COLUMNS} FROM employees WHERE {where} ORDER BY employee_id",
                           params)
    return [Employee(*row) for row in rows]


def employee_exists(engine: ReadEngine, employee_id: str) -> bool:
    return bool(engine.scalar("SELECT count(*) FROM employees WHERE employee_id = ?", [employee_id]))


def get_employee(engine: ReadEngine, employee_id: str) -> Employee:
    """The employee with exactly this id; :class:`NotFoundError` otherwise."""
    found = _rows(engine, "employee_id = ?", [employee_id])
    if not found:
        raise NotFoundError(
            f"No employee with id {employee_id!r} is in the roster. Check the id "
            "(the roster's employee_id column) or import the roster first (tieguard import roster)."
        )
    return found[0]


def find_employee(engine: ReadEngine, query: str) -> Employee:
    """An employee by id, else e-mail, else a full name that only one employee has.

    Case and surrounding spaces are ignored for e-mail and name. An ambiguous or unknown
    query raises :class:`NotFoundError` naming up to five close candidates.
    """
    q = query.strip()
    for where, value in (
        ("employee_id = ?", q),
        ("lower(email) = lower(?)", q),
        ("lower(full_name) = lower(?)", q),
    ):
        found = _rows(engine, where, [value])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            ids = ", ".join(e.employee_id for e in found[:5])
            raise NotFoundError(
                f"{len(found)} employees match {query!r} ({ids}). Give the employee id instead."
            )
    close = _rows(engine, "contains(lower(full_name), lower(?)) OR jaro_winkler_similarity("
                          "lower(full_name), lower(?)) > 0.85", [q, q])
    hint = ("Close matches: " + ", ".join(f"{e.employee_id} ({e.full_name})" for e in close[:5])
            + ".") if close else "Check the roster's employee_id column."
    raise NotFoundError(f"No employee is called or has the id {query!r}. {hint}")

"""Erasure that holds: an employee's network leaves every table, every aggregate and the file.

:func:`erase_employee`

1. deletes the employee's rows from every personal table, as its declaration's
   ``erasure`` field says (``import``, ``employee``, then ``person``: outside people no
   longer tied to anyone); the roster row stays (it belongs to HR);
2. records the erasure (counts only) and a **tombstone** per erased import (the file's
   content hash and the employee id), so that importing the same data again is refused
   until the employee's new consent is recorded (:func:`record_reconsent`);
3. recomputes the derived aggregates (``erasure="derived"``) of the stages that had run
   (watch, exposure, capital), and empties and un-marks those it cannot recompute here
   (what-if runs of ``policy``: run them again);
4. drops work tables and **compacts** the warehouse into a fresh file swapped in
   atomically, so that no erased bytes remain in the file.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from .. import schema
from ..engine import Engine
from ..errors import NotFoundError
from ..settings import Settings
from .rights import employee_id_for

__all__ = ["ErasureResult", "erase_employee", "import_refusal", "record_reconsent",
           "REFRESHED_STAGES"]

log = logging.getLogger(__name__)

#: Scan stages re-run after an erasure (when they had run): they feed or own derived tables.
REFRESHED_STAGES = ("watch", "exposure", "capital")


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure removed and redid: counts and names, never the content."""

    employee_id: str
    ties_erased: int
    people_erased: int
    tables: list[str]
    recomputed: list[str]
    invalidated: list[str]
    tombstones: int
    compacted: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _by_erasure(kind: schema.Erasure) -> list[schema.Table]:
    return [t for t in schema.personal_tables() if t.erasure == kind]


def _delete_network(engine: Engine, employee_id: str) -> list[str]:
    """Delete the employee's rows from every personal table the declarations say reaches them."""
    touched: list[str] = []
    for decl in _by_erasure("import"):  # before ``imports`` loses the employee's import ids
        engine.execute(
            f"DELETE FROM {engine.ident(decl.name)} WHERE import_id IN "
            "(SELECT import_id FROM imports WHERE employee_id = ?)", [employee_id])
        touched.append(decl.name)
    for decl in _by_erasure("employee"):
        engine.execute(
            f"DELETE FROM {engine.ident(decl.name)} WHERE {engine.ident(decl.employee_column)} = ?",
            [employee_id])
        touched.append(decl.name)
    for decl in _by_erasure("person"):  # outside people nobody is tied to any more
        engine.execute(
            f"DELETE FROM {engine.ident(decl.name)} x WHERE NOT EXISTS "
            "(SELECT 1 FROM ties t WHERE t.person_key = x.person_key)")
        touched.append(decl.name)
    return touched


def _refresh_derived(engine: Engine, settings: Settings) -> tuple[list[str], list[str]]:
    """Re-run the stages that had run; empty and un-mark the derived tables of the others."""
    from ..pipeline import run_stage
    from ..stages import SCAN_STAGES
    from ..warehouse import stage_ran

    recomputed = []
    for stage in SCAN_STAGES:
        if stage.name in REFRESHED_STAGES and stage_ran(engine, stage.name):
            run_stage(engine, settings, stage)
            recomputed.append(stage.name)
    invalidated = []
    derived = [t for t in schema.TABLES if t.erasure == "derived" and t.owner not in recomputed]
    with engine.transaction():
        for decl in derived:
            engine.execute(f"DELETE FROM {engine.ident(decl.name)}")
            invalidated.append(decl.name)
        for owner in sorted({t.owner for t in derived}):
            engine.execute("DELETE FROM stage_runs WHERE stage = ?", [owner])
    return recomputed, invalidated


def erase_employee(engine: Engine, employee: str, requested_by: str,
                   settings: Settings | None = None, *, compact: bool = True) -> ErasureResult:
    """Erase ``employee``'s network everywhere (see the module docstring); counts only back."""
    employee_id = employee_id_for(engine, employee)
    settings = settings or Settings()
    ties = int(engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]) or 0)
    now = dt.datetime.now()
    with engine.transaction():
        people_before = int(engine.scalar("SELECT count(*) FROM tie_people") or 0)
        tombstones = int(engine.scalar(
            "SELECT count(DISTINCT content_sha256) FROM imports WHERE employee_id = ?",
            [employee_id]) or 0)
        engine.execute(
            "INSERT INTO erasure_tombstones (employee_id, content_sha256, erased_at) "
            "SELECT DISTINCT employee_id, content_sha256, ? FROM imports WHERE employee_id = ? "
            "ON CONFLICT DO NOTHING", [now, employee_id])
        touched = _delete_network(engine, employee_id)
        people = people_before - int(engine.scalar("SELECT count(*) FROM tie_people") or 0)
        engine.execute(
            "INSERT INTO erasures (employee_id, erased_at, requested_by, ties_erased, "
            "people_erased, tables) VALUES (?, ?, ?, ?, ?, ?)",
            [employee_id, now, requested_by, ties, people, ",".join(touched)],
        )
    recomputed, invalidated = _refresh_derived(engine, settings)
    engine.execute("UPDATE erasures SET recomputed = ?, invalidated = ? "
                   "WHERE employee_id = ? AND erased_at = ?",
                   [",".join(recomputed), ",".join(invalidated), employee_id, now])
    engine.drop_work_tables()
    engine.drop_scratch()
    if compact:
        engine.compact()
    log.info("erased %d ties of employee %s", ties, employee_id)
    return ErasureResult(employee_id, ties, people, touched, recomputed, invalidated, tombstones,
                         compact and engine.path != ":memory:")


def import_refusal(engine: Engine, employee_id: str | None,
                   content_sha256: str | None = None) -> str | None:
    """Why an import of ``employee_id``'s data (or of this file) is refused, or None.

    After an erasure, the employee's exports (and any file whose content was erased)
    come in again only once :func:`record_reconsent` recorded their new consent.
    """
    row = engine.fetchone(
        "SELECT employee_id, CAST(max(erased_at) AS DATE) FROM erasure_tombstones "
        "WHERE lifted_at IS NULL AND (employee_id = ? OR content_sha256 = ?) "
        "GROUP BY employee_id ORDER BY 2 DESC LIMIT 1",
        [employee_id or "", content_sha256 or ""],
    )
    if row is None:
        return None
    return (f"The network data of employee {row[0]} was erased on {row[1]}; tieguard refuses to "
            "import it again unless the employee consents anew. With their new consent, run "
            f"the import with --reconsent (recorded), or `tieguard privacy reconsent {row[0]}`.")


def record_reconsent(engine: Engine, employee: str, given_by: str) -> int:
    """Record an employee's new consent: lift their tombstones; return how many were lifted."""
    try:
        employee_id = employee_id_for(engine, employee)
    except NotFoundError:  # erased and not in the roster: the tombstone knows the id
        employee_id = employee.strip()
    n = int(engine.scalar("SELECT count(*) FROM erasure_tombstones WHERE employee_id = ? "
                          "AND lifted_at IS NULL", [employee_id]) or 0)
    if not n:
        raise NotFoundError(f"Employee {employee_id} has no erasure that blocks imports; "
                            "nothing to record.")
    engine.execute("UPDATE erasure_tombstones SET lifted_at = ?, lifted_by = ? "
                   "WHERE employee_id = ? AND lifted_at IS NULL",
                   [dt.datetime.now(), given_by, employee_id])
    return n

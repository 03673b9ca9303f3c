"""Small inputs (roster, CRM, invitations, organisation): shared import plumbing.

These files hold thousands, not millions, of rows: they are read in Python, turned
into Arrow tables and written with one set-based statement per table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..settings import SourcesSettings
from .load import (
    already_imported,
    default_supplier,
    import_id_for,
    quarantine_problems,
    record_import,
    store_rows,
)
from .report import ImportReport, Problem
from .safe_io import MB, read_input_bytes

__all__ = ["TableWrite", "SmallImport", "run_small_import", "parse_iso_date", "parse_bool",
           "parse_amount", "arrow_table", "combined_sha256"]


@dataclass
class TableWrite:
    """Rows for one canonical table; ``key`` makes it an upsert on that primary key."""

    table: str
    rows: list[dict[str, Any]]
    key: list[str] | None = None
    types: dict[str, pa.DataType] = field(default_factory=dict)


@dataclass
class SmallImport:
    """Everything needed to record a small import."""

    file: str
    kind: str
    format: str
    sha256: str
    encoding: str | None
    rows_read: int
    writes: list[TableWrite]
    problems: list[Problem]
    employee_id: str | None = None


def arrow_table(write: TableWrite) -> pa.Table:
    names = list(write.rows[0]) if write.rows else []
    return pa.table({n: pa.array([r.get(n) for r in write.rows], write.types.get(n))
                     for n in names})


def run_small_import(
    engine: Engine, imp: SmallImport, *, supplied_by: str | None, basis: str, dry_run: bool
) -> ImportReport:
    """Write ``imp`` in one transaction (unless it is a dry run or already imported)."""
    import_id = import_id_for(imp.sha256, imp.kind, imp.employee_id)
    report = ImportReport(file=imp.file, kind=imp.kind, format=imp.format, encoding=imp.encoding,
                          employee_id=imp.employee_id, rows=imp.rows_read, dry_run=dry_run,
                          import_id=import_id, problems=imp.problems,
                          quarantined=sum(p.severity == "error" for p in imp.problems),
                          counts={w.table: len(w.rows) for w in imp.writes})
    if already_imported(engine, import_id):
        report.already_imported = True
        return report
    if dry_run:
        return report
    with nullcontext() if dry_run else engine.transaction():
        for write in imp.writes:
            store_rows(engine, write.table, arrow_table(write), write.key)
        quarantine_problems(engine, import_id, imp.file, imp.problems)
        record_import(engine, {
            "import_id": import_id, "kind": imp.kind, "format": imp.format,
            "file_name": imp.file, "content_sha256": imp.sha256, "employee_id": imp.employee_id,
            "supplied_by": supplied_by or default_supplier(), "basis": basis,
            "encoding": imp.encoding, "exported_on": None, "rows_read": imp.rows_read,
            "rows_quarantined": report.quarantined,
        })
    return report


def combined_sha256(paths: list[Path], limits: SourcesSettings | None = None) -> str:
    max_bytes = (limits or SourcesSettings()).max_file_mb * MB
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + read_input_bytes(path, max_bytes))
    return digest.hexdigest()


#: Dates of roster and CRM files outside this range are errors (a year 0 or 9999 is a
#: typo; connection dates have the narrower range of ``sources.earliest_date``).
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


def parse_iso_date(value: str | None) -> dt.date | None:
    """``2024-03-01`` or ``2024-03-01T10:00:00.000Z`` -> date; raise ValueError if bad
    or outside :data:`DATE_RANGE`."""
    text = (value or "").strip()
    if not text:
        return None
    day = dt.date.fromisoformat(text[:10])
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise ValueError(f"the date {text[:10]!r} lies outside {DATE_RANGE[0]} .. "
                         f"{DATE_RANGE[1]}")
    return day


def parse_bool(value: str | None) -> bool | None:
    text = (value or "").strip().lower()
    if not text:
        return None
    if text in ("true", "1", "yes", "y", "t", "ja", "wahr"):
        return True
    if text in ("false", "0", "no", "n", "f", "nein", "nee"):
        return False
    raise ValueError(f"{value!r} is not true/false")


def parse_amount(value: str | None) -> float | None:
    text = (value or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return float(text.replace(",", ""))

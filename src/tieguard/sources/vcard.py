"""vCard ``.vcf`` contacts (XING single-contact exports, Outlook), read with vobject.

Each card becomes a tie of the employee (network ``xing`` by default). A vCard file is
not a complete list of the employee's contacts, so it never marks ties removed.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pyarrow as pa
import vobject

from ..engine import Engine
from ..errors import EmptyInputError, UnrecognisedFormatError
from ..settings import SourcesSettings
from .connections import create_files_table, finish_batch
from .csvfile import read_raw
from .linkedin import STAGE_COLUMNS, classify
from .load import already_imported, default_supplier, import_id_for
from .report import ImportReport, Problem

__all__ = ["import_vcard", "parse_vcards"]

KIND = "vcard"


def _value(card: Any, name: str) -> Any:
    item = getattr(card, name, None)
    return None if item is None else item.value


def _card_row(card: Any) -> dict[str, str | None]:
    name = _value(card, "n")
    first = (name.given or None) if name else None
    last = (name.family or None) if name else None
    if not first and not last:
        full = (_value(card, "fn") or "").strip()
        first, _, last = full.partition(" ")
    org = _value(card, "org")
    company = (org[0] if isinstance(org, list) and org else org) or None
    rev = _value(card, "rev")
    connected = None
    if rev:
        text = str(rev)
        connected = f"{text[:4]}-{text[4:6]}-{text[6:8]}" if text[:8].isdigit() else text[:10]
    return {"first_name": first or None, "last_name": last or None, "url": _value(card, "url"),
            "email": _value(card, "email"), "company": company,
            "position": _value(card, "title"), "connected_raw": connected}


def parse_vcards(text: str) -> tuple[list[tuple[int, dict[str, str | None]]], list[Problem]]:
    """Cards with the line their BEGIN:VCARD is on; unreadable cards as problems."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts = [i + 1 for i, ln in enumerate(lines) if ln.strip().upper() == "BEGIN:VCARD"]
    cards: list[tuple[int, dict[str, str | None]]] = []
    problems: list[Problem] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines)
        chunk = "\n".join(lines[start - 1:end])
        try:
            card = vobject.readOne(chunk)
            cards.append((start, _card_row(card)))
        except Exception as exc:  # vobject raises many types on broken input
            problems.append(Problem(start, None, f"Unreadable vCard ({exc}); card quarantined."))
    return cards, problems


def import_vcard(
    engine: Engine, path: str | Path, employee_id: str, *, supplied_by: str | None = None,
    basis: str = "consent", network: str = "xing", dry_run: bool = False,
    limits: SourcesSettings | None = None,
) -> ImportReport:
    """Import a ``.vcf`` file of one or more cards as ties of ``employee_id``."""
    path = Path(path)
    raw = read_raw(path, limits)
    if "BEGIN:VCARD" not in raw.text.upper():
        raise UnrecognisedFormatError(f"{path} is not a vCard file: it has no 'BEGIN:VCARD' "
                                      "line. Export the contact as .vcf.")
    cards, problems = parse_vcards(raw.text)
    if not cards and not problems:
        raise EmptyInputError(f"{path} holds no vCard. Export the contact again.")
    import_id = import_id_for(raw.sha256, KIND, employee_id)
    report = ImportReport(file=str(path), kind=KIND, format="vcard", encoding=raw.encoding,
                          employee_id=employee_id, dry_run=dry_run, import_id=import_id)
    if already_imported(engine, import_id):
        report.already_imported = True
        return report
    with nullcontext() if dry_run else engine.transaction():
        _stage(engine, cards, problems)
        create_files_table(engine, pa.table({
            "file_idx": pa.array([0], pa.int32()), "kind": [KIND], "import_id": [import_id],
            "file_name": [str(path)], "sha256": [raw.sha256], "employee_id": [employee_id],
            "network": [network], "exported_on": pa.array([dt.date.today()], pa.date32()),
            "encoding": [raw.encoding], "format": ["vcard"],
            "supplied_by": [supplied_by or default_supplier()], "basis": [basis]}))
        classify(engine, date_required=False, limits=limits)
        summaries, _, row_problems, _ = finish_batch(engine, dry_run=dry_run, snapshot=False)
    for key, value in summaries.get(0, {}).items():
        setattr(report, key, value)
    report.problems = raw.problems + row_problems.get(0, [])
    return report


def _stage(engine: Engine, cards: list[tuple[int, dict[str, str | None]]],
           problems: list[Problem]) -> None:
    data: dict[str, list[Any]] = {"file_idx": [], "line": [], **{c: [] for c in STAGE_COLUMNS},
                                  "raw": [], "struct_problem": []}
    entries: list[tuple[int, dict[str, str | None], str | None]] = [
        (line, row, None) for line, row in cards]
    entries += [(p.line or 0, {}, p.message) for p in problems]
    for line, row, problem in entries:
        data["file_idx"].append(0)
        data["line"].append(line)
        for column in STAGE_COLUMNS:
            value = row.get(column)
            data[column].append(None if value is None else str(value))
        data["raw"].append(None)
        data["struct_problem"].append(problem)
    types = {"file_idx": pa.int32(), "line": pa.int32()}
    engine.register("_tg_vcard_rows", pa.table(
        {k: pa.array(v, types.get(k, pa.string())) for k, v in data.items()}))
    try:
        engine.scratch("_tg_conn_stage", "SELECT * FROM _tg_vcard_rows")
    finally:
        engine.unregister("_tg_vcard_rows")

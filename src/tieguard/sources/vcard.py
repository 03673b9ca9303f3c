"""vCard ``.vcf`` contacts (XING single-contact exports, Outlook), read with vobject.

Each card becomes a tie of the employee (network ``xing`` by default). A vCard file is
not a complete list of the employee's contacts, so it never marks ties removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import vobject

from ..engine import Engine
from ..errors import EmptyInputError, TieguardError, UnrecognisedFormatError
from ..settings import SourcesSettings
from .connections import create_files_table, finish_batch, rounds
from .csvfile import RawFile, read_raw
from .linkedin import STAGE_COLUMNS, classify
from .load import default_supplier, import_id_for
from .report import ImportReport, Problem

__all__ = ["import_vcard", "import_vcards", "parse_vcards"]

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
    return import_vcards(engine, [(Path(path), employee_id)], supplied_by=supplied_by,
                         basis=basis, network=network, dry_run=dry_run, limits=limits,
                         raise_errors=True)[0]


def import_vcards(
    engine: Engine, jobs: Sequence[tuple[Path, str]], *, supplied_by: str | None = None,
    basis: str = "consent", network: str = "xing", dry_run: bool = False,
    limits: SourcesSettings | None = None, raise_errors: bool = False,
) -> list[ImportReport]:
    """Import many ``.vcf`` files (path, employee): one transaction per round of files
    with at most one file per employee (the result is that of importing them one by
    one, in order). A file that cannot be read gets a report with ``error`` (or raises)."""
    reports: list[ImportReport] = []
    cards: list[_Cards] = []
    for path, employee_id in jobs:
        try:
            cards.append(_read(Path(path), employee_id, limits))
        except TieguardError as exc:
            if raise_errors:
                raise
            cards.append(_Cards(Path(path), employee_id, None, [], [], "", error=str(exc)))
    known = _known(engine, [c.import_id for c in cards if c.raw])
    for c in cards:
        if c.error:
            reports.append(ImportReport(file=str(c.path), kind=KIND, error=c.error))
            continue
        reports.append(ImportReport(file=str(c.path), kind=KIND, format="vcard",
                                    encoding=c.raw.encoding if c.raw else None,
                                    employee_id=c.employee_id, dry_run=dry_run,
                                    import_id=c.import_id, already_imported=c.import_id in known))
        if not dry_run:
            known.add(c.import_id)
    pending = [i for i, r in enumerate(reports) if not r.error and not r.already_imported]
    for batch in rounds([cards[i].employee_id for i in pending]):
        _import_round(engine, [(pending[i], cards[pending[i]]) for i in batch], reports,
                      supplied_by or default_supplier(), basis, network, dry_run, limits)
    return reports


@dataclass
class _Cards:
    """One vCard file read: its cards and problems."""

    path: Path
    employee_id: str
    raw: RawFile | None
    cards: list[tuple[int, dict[str, str | None]]]
    problems: list[Problem]
    import_id: str
    error: str | None = None


def _read(path: Path, employee_id: str, limits: SourcesSettings | None) -> _Cards:
    raw = read_raw(path, limits)
    if "BEGIN:VCARD" not in raw.text.upper():
        raise UnrecognisedFormatError(f"{path} is not a vCard file: it has no 'BEGIN:VCARD' "
                                      "line. Export the contact as .vcf.")
    cards, problems = parse_vcards(raw.text)
    if not cards and not problems:
        raise EmptyInputError(f"{path} holds no vCard. Export the contact again.")
    return _Cards(path, employee_id, raw, cards, problems,
                  import_id_for(raw.sha256, KIND, employee_id))


def _known(engine: Engine, import_ids: list[str]) -> set[str]:
    """Which of ``import_ids`` the warehouse holds already (one query)."""
    rows = engine.fetchall("SELECT import_id FROM imports WHERE list_contains(?, import_id)",
                           [import_ids])
    return {r[0] for r in rows}


def _import_round(engine: Engine, batch: list[tuple[int, _Cards]], reports: list[ImportReport],
                  supplier: str, basis: str, network: str, dry_run: bool,
                  limits: SourcesSettings | None) -> None:
    """Stage, key and write the files of one round (file_idx = position in ``batch``)."""
    today = dt.date.today()
    files = pa.table({
        "file_idx": pa.array(range(len(batch)), pa.int32()),
        "kind": [KIND] * len(batch), "import_id": [c.import_id for _, c in batch],
        "file_name": [str(c.path) for _, c in batch],
        "sha256": [c.raw.sha256 if c.raw else "" for _, c in batch],
        "employee_id": [c.employee_id for _, c in batch], "network": [network] * len(batch),
        "exported_on": pa.array([today] * len(batch), pa.date32()),
        "encoding": [c.raw.encoding if c.raw else None for _, c in batch],
        "format": ["vcard"] * len(batch), "supplied_by": [supplier] * len(batch),
        "basis": [basis] * len(batch)})
    with nullcontext() if dry_run else engine.transaction():
        _stage(engine, [(c.cards, c.problems) for _, c in batch])
        create_files_table(engine, files)
        classify(engine, date_required=False, limits=limits)
        summaries, _, row_problems, _ = finish_batch(engine, dry_run=dry_run, snapshot=False)
    for file_idx, (index, c) in enumerate(batch):
        report = reports[index]
        for key, value in summaries.get(file_idx, {}).items():
            setattr(report, key, value)
        report.problems = (c.raw.problems if c.raw else []) + row_problems.get(file_idx, [])


def _stage(engine: Engine,
           files: list[tuple[list[tuple[int, dict[str, str | None]]], list[Problem]]]) -> None:
    """``_tg_conn_stage`` from the cards and unreadable cards of each file (its index)."""
    data: dict[str, list[Any]] = {"file_idx": [], "line": [], **{c: [] for c in STAGE_COLUMNS},
                                  "raw": [], "struct_problem": []}
    for file_idx, (cards, problems) in enumerate(files):
        entries: list[tuple[int, dict[str, str | None], str | None]] = [
            (line, row, None) for line, row in cards]
        entries += [(p.line or 0, {}, p.message) for p in problems]
        for line, row, problem in entries:
            data["file_idx"].append(file_idx)
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

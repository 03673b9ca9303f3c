"""LinkedIn ``Connections.csv``: variant recognition and bulk staging of rows.

Python inspects the head of each file (encoding, preamble, delimiter, header, date
format); the engine's CSV reader then reads the rows of many files in one statement.
Files in which the engine or the SQL checks find any problem are read again with
Python's csv module, which knows physical line numbers, so every problem names its
line. The staged rows land in the temporary table ``_tg_conn_stage``.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..errors import InputError, UnrecognisedFormatError
from .csvfile import MAX_FIELD, RawFile, find_header, read_raw, read_records
from .dates import detect_date_format
from .report import Problem

__all__ = ["ConnectionsFile", "inspect_connections", "stage_connections", "classify",
           "EXPECTED_HEADER",
           "STAGE_COLUMNS"]

log = logging.getLogger(__name__)

EXPECTED_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
REQUIRED = ["First Name", "Last Name", "Connected On"]
#: header cell (lower case) -> staging column
CANONICAL = {
    "first name": "first_name", "last name": "last_name", "url": "url",
    "profile url": "url", "email address": "email", "company": "company",
    "position": "position", "connected on": "connected_raw",
}
STAGE_COLUMNS = ["first_name", "last_name", "url", "email", "company", "position",
                 "connected_raw"]


@dataclass
class ConnectionsFile:
    """A recognised connections export, ready to be staged."""

    raw: RawFile
    header_index: int
    delimiter: str
    header: list[str]
    format: str
    file_idx: int = 0
    body_lines: int = 0  # non-blank physical lines after the header

    def count_body_lines(self) -> None:
        body = self.raw.text.split("\n", self.header_index + 1)[-1] if self.header_index >= 0 \
            else self.raw.text
        # Blank lines are (under)counted without a per-line loop; an undercount only
        # sends the file to the exact Python reader, never the other way round.
        blank = body.count("\n\n") + body.count("\n\r\n") + body.endswith("\n") \
            + body.startswith(("\n", "\r\n"))
        self.body_lines = body.count("\n") + 1 - blank

    @property
    def columns(self) -> dict[str, int]:
        """staging column -> position in the header."""
        return {CANONICAL[c.lower()]: i for i, c in enumerate(self.header)
                if c.lower() in CANONICAL}


def inspect_connections(path: Path) -> ConnectionsFile:
    """Read the head of ``path`` and recognise the export variant; refuse other files."""
    raw = read_raw(path)
    found = find_header(raw.text, REQUIRED)
    if found is None:
        raise UnrecognisedFormatError(_unrecognised_message(path, raw.text))
    index, delimiter, header = found
    lowered = [c.lower() for c in header]
    duplicated = sorted({c for c in header if lowered.count(c.lower()) > 1})
    if duplicated:
        raise InputError(
            f"The header of {path} (line {index + 1}) names the column(s) {', '.join(duplicated)} "
            "twice, so the columns are ambiguous. Remove the duplicate column and import again."
        )
    cf = ConnectionsFile(raw, index, delimiter, header, "unknown")
    cf.format = _variant(cf)
    cf.count_body_lines()
    return cf


def _unrecognised_message(path: Path, text: str) -> str:
    first = next((ln.strip() for ln in text.split("\n", 30)[:30] if ln.strip()), "")
    hint = ""
    if detect_date_format([first.split(",")[-1].strip('"')] if first else []):
        hint = " Its first line looks like data: the header line is missing."
    elif "|" in first or "\t" in first:
        hint = " It seems to use another delimiter than ',' or ';'."
    return (
        f"{path} is not a LinkedIn Connections.csv export: expected a header line "
        f"'{EXPECTED_HEADER}' (or the 6-column variant without URL), "
        f"but the file starts with {first[:120]!r}.{hint} "
        "Choose the Connections.csv file of the LinkedIn data export."
    )


def _variant(cf: ConnectionsFile) -> str:
    date_pos = cf.columns["connected_raw"]
    head = cf.raw.text.split("\n", cf.header_index + 60)[cf.header_index + 1: cf.header_index + 60]
    values = [row[date_pos] for row in csv.reader(head, delimiter=cf.delimiter)
              if len(row) > date_pos]
    date_format = detect_date_format(values)
    preamble = cf.header_index > 0 and cf.raw.text.lstrip().lower().startswith("notes:")
    if cf.delimiter == ";" or date_format == "spreadsheet_semicolon":
        return "spreadsheet_semicolon"
    if date_format in ("spreadsheet_resave", "iso"):
        return "spreadsheet_resave"
    if date_format == "linkedin_2018":
        return "linkedin_2018"
    if preamble or "url" in cf.columns:
        return "linkedin_current"
    return "linkedin_2021"


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_STAGE_DDL = (
    "CREATE OR REPLACE TEMP TABLE _tg_conn_stage (file_idx INTEGER, line INTEGER, "
    + ", ".join(f"{c} VARCHAR" for c in STAGE_COLUMNS)
    + ", raw VARCHAR, struct_problem VARCHAR)"
)

_ROW_PROBLEM = f"""
    CASE
      WHEN lower(trim(first_name)) = 'first name' AND lower(trim(connected_raw)) = 'connected on'
        THEN 'A repeated header row; remove it.'
      WHEN greatest(strlen(first_name), strlen(last_name), strlen(url), strlen(email),
                    strlen(company), strlen(position), strlen(connected_raw)) > {MAX_FIELD}
        THEN 'A field is longer than {MAX_FIELD} bytes; the row is probably broken.'
      WHEN nullif(trim(connected_raw), '') IS NULL THEN 'The Connected On date is missing.'
    END"""


def stage_connections(engine: Engine, files: list[ConnectionsFile]) -> dict[int, list[Problem]]:
    """Load the rows of ``files`` into ``_tg_conn_stage``; return structural problems."""
    engine.execute(_STAGE_DDL)
    with tempfile.TemporaryDirectory(prefix="tieguard-") as tmp:
        read_paths = {cf.file_idx: _engine_path(cf, Path(tmp)) for cf in files}
        suspects: set[int] = set()
        groups: dict[tuple[Any, ...], list[ConnectionsFile]] = defaultdict(list)
        for cf in files:
            key = (tuple(c.lower() for c in cf.header), cf.delimiter, cf.header_index)
            groups[key].append(cf)
        for group in groups.values():
            suspects |= _bulk_read(engine, group, read_paths)
    suspects |= _count_mismatches(engine, files)
    classify(engine)
    suspects |= {int(r[0]) for r in engine.fetchall(
        "SELECT DISTINCT file_idx FROM _tg_conn WHERE problem IS NOT NULL")}
    problems: dict[int, list[Problem]] = {cf.file_idx: list(cf.raw.problems) for cf in files}
    for cf in files:
        if cf.file_idx in suspects:
            problems[cf.file_idx] += _python_read(engine, cf)
    if suspects:
        classify(engine, files=suspects)
    return problems


def classify(engine: Engine, *, date_required: bool = True, files: set[int] | None = None) -> None:
    """``_tg_conn``: staged rows with their date, problem (NULL if fine) and hidden flag.

    With ``files``, only the rows of those files are classified again.
    """
    from .dates import date_sql
    from .keys import url_base_sql

    cleaned = ", ".join(f"nullif(trim({c}), '') AS clean_{c}" for c in STAGE_COLUMNS[:-1])
    select = f"""SELECT *, CASE WHEN problem LIKE 'The Connected On%'
                       OR problem LIKE '%date is missing%' THEN 'Connected On' END AS problem_column
        FROM (SELECT s.*, {date_sql('connected_raw')} AS connected_on,
                     {url_base_sql('url')} AS url_base, {cleaned},
                     {row_problem_sql(date_required)} AS problem,
                     coalesce(trim(first_name), '') = '' AND coalesce(trim(last_name), '') = ''
                       AND coalesce(trim(url), '') = '' AS is_hidden
              FROM _tg_conn_stage s {{where}})"""
    if files is None:
        engine.execute("CREATE OR REPLACE TEMP TABLE _tg_conn AS " + select.format(where=""))
        return
    ids = ", ".join(str(int(i)) for i in sorted(files))
    engine.execute(f"DELETE FROM _tg_conn WHERE file_idx IN ({ids})")
    engine.execute("INSERT INTO _tg_conn " + select.format(where=f"WHERE file_idx IN ({ids})"))


def _engine_path(cf: ConnectionsFile, tmp: Path) -> str:
    """The path the engine reads: the file itself if UTF-8, else a UTF-8 copy."""
    if cf.raw.encoding == "utf-8":
        return str(cf.raw.path.resolve())
    copy = tmp / f"{cf.file_idx}.csv"
    copy.write_text(cf.raw.text, encoding="utf-8", newline="")
    return str(copy.resolve())


def _bulk_read(engine: Engine, group: list[ConnectionsFile], read_paths: dict[int, str]) -> set[int]:
    first = group[0]
    names = [f"c{i}" for i in range(len(first.header))]
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    mapping = pa.table({
        "file_idx": pa.array([cf.file_idx for cf in group], pa.int32()),
        "read_path": pa.array([read_paths[cf.file_idx] for cf in group], pa.string()),
    })
    select = ", ".join(
        f"r.c{first.columns[c]}" if c in first.columns else "NULL" for c in STAGE_COLUMNS
    )
    paths = "[" + ", ".join(_sql_str(read_paths[cf.file_idx]) for cf in group) + "]"
    engine.register("_tg_read_map", mapping)
    try:
        engine.execute(
            f"""INSERT INTO _tg_conn_stage
            SELECT m.file_idx, NULL, {select}, NULL, NULL
            FROM read_csv({paths}, skip={first.header_index}, header=true,
                 delim={_sql_str(first.delimiter)}, quote='"', escape='"', all_varchar=true,
                 auto_detect=false, columns={columns}, filename=true, strict_mode=true,
                 store_rejects=true, rejects_table='_tg_rejects', rejects_scan='_tg_reject_scans',
                 max_line_size=4194304) r
            JOIN _tg_read_map m ON r.filename = m.read_path"""
        )
        bad = engine.fetchall(
            "SELECT DISTINCT m.file_idx FROM _tg_rejects e JOIN _tg_reject_scans s "
            "USING (scan_id, file_id) JOIN _tg_read_map m ON s.file_path = m.read_path"
        )
    finally:
        engine.unregister("_tg_read_map")
    return {int(row[0]) for row in bad}


def _count_mismatches(engine: Engine, files: list[ConnectionsFile]) -> set[int]:
    """Files whose staged row count differs from their non-blank line count.

    Equal counts prove the engine read every line as one record; a difference means
    quoted line breaks (harmless) or lines the engine skipped (mixed line endings), and
    the Python reader, which never skips a line silently, decides.
    """
    staged = dict(engine.fetchall("SELECT file_idx, count(*) FROM _tg_conn_stage GROUP BY ALL"))
    return {cf.file_idx for cf in files if staged.get(cf.file_idx, 0) != cf.body_lines}


def _python_read(engine: Engine, cf: ConnectionsFile) -> list[Problem]:
    """Re-read one file in Python, with line numbers; replace its staged rows."""
    engine.execute("DELETE FROM _tg_conn_stage WHERE file_idx = ?", [cf.file_idx])
    records, problems = read_records(cf.raw.text, cf.delimiter, cf.header_index)
    record_problems = {p.line: p.message for p in problems}
    problems = [p for p in problems if p.line not in {r.line for r in records}]
    width = len(cf.header)
    cols = cf.columns
    data: dict[str, list[Any]] = {c: [] for c in ["line", *STAGE_COLUMNS, "raw", "struct_problem"]}
    for record in records:
        ok = len(record.fields) == width
        data["line"].append(record.line)
        for name in STAGE_COLUMNS:
            pos = cols.get(name)
            data[name].append(record.fields[pos] if ok and pos is not None else None)
        data["raw"].append(record.raw[:2000])
        extra = record_problems.get(record.line)
        data["struct_problem"].append(extra if ok else " ".join(filter(None, (
            f"Expected {width} columns, found {len(record.fields)}. Quote fields that contain "
            f"'{cf.delimiter}', or check that the row is complete.", extra))))
    table = pa.table({"file_idx": pa.array([cf.file_idx] * len(records), pa.int32()),
                      **{k: pa.array(v, pa.int32() if k == "line" else pa.string())
                         for k, v in data.items()}})
    engine.insert_arrow("_tg_conn_stage", table)
    log.info("read %s in Python (%d records)", cf.raw.path, len(records))
    return problems


def row_problem_sql(date_required: bool = True) -> str:
    """SQL CASE naming the problem of a staged row (NULL when the row is fine)."""
    from .dates import date_sql

    if not date_required:
        return (f"coalesce(struct_problem, CASE WHEN nullif(trim(connected_raw), '') IS NOT NULL "
                f"AND {date_sql('connected_raw')} IS NULL THEN 'The date ''' || "
                "trim(connected_raw) || ''' is not a real date.' END)")
    return f"""coalesce(struct_problem, {_ROW_PROBLEM},
        CASE WHEN {date_sql('connected_raw')} IS NULL
          THEN 'The Connected On date ''' || trim(connected_raw) || ''' is not a real date in '
               || 'a known format (e.g. 05 Jan 2026).' END)"""

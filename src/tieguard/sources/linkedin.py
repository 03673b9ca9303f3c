"""LinkedIn ``Connections.csv``: bulk reading and classification of rows.

Python has inspected each file (:mod:`tieguard.sources.sniff`: encoding, preamble,
delimiter, header, date format); the engine's CSV reader then reads and classifies the
rows of all files of one layout in one statement, into the temporary table
``_tg_conn``. Files in which the engine or the SQL checks find any problem are read
again with Python's csv module, which knows physical line numbers, so every problem
names its line.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..errors import InputError
from ..settings import SourcesSettings
from .csvfile import read_raw, read_records
from .dates import VARIANT_FORMATS, date_sql
from .joined import write_joined
from .keys import name_text_sql, url_base_sql, url_norm_sql
from .quarantine import RAW_CHARS, kept_raw_sql
from .report import Problem
from .safe_io import raise_if_interrupted, write_work_copy
from .sniff import EXPECTED_HEADER, STAGE_COLUMNS, ConnectionsFile, inspect_connections

__all__ = ["ConnectionsFile", "inspect_connections", "stage_connections", "classify",
           "classify_params", "EXPECTED_HEADER", "STAGE_COLUMNS"]

log = logging.getLogger(__name__)


#: An empty ``_tg_conn_stage``: staged rows before classification.
_STAGE_EMPTY = (
    "SELECT NULL::INTEGER AS file_idx, NULL::INTEGER AS line, "
    + ", ".join(f"NULL::VARCHAR AS {c}" for c in STAGE_COLUMNS)
    + ", NULL::VARCHAR AS raw, NULL::VARCHAR AS struct_problem LIMIT 0"
)
_CLEAN = [f"clean_{c}" for c in STAGE_COLUMNS[:-1]]
_REJECTS = ("store_rejects=true, rejects_table='_tg_rejects', "
            "rejects_scan='_tg_reject_scans',")
_DATE_TEXT = "nullif(trim(connected_raw), '') AS date_text"
#: (lower-casing only makes non-ASCII text shorter, so a first name of fewer than 10
#: bytes cannot be the header's 'First Name': most rows skip the lower-casing)
_REPEATED_HEADER = ("CASE WHEN strlen(first_name) >= 10 THEN lower(trim(first_name)) = "
                    "'first name' AND lower(trim(connected_raw)) = 'connected on' ELSE FALSE END "
                    "AS repeated_header")
#: Parameters of :func:`classified_sql` are $1..$4 (see :func:`classify_params`); a
#: statement adding its own parameters numbers them from $5.
FIRST_FREE_PARAM = 5


def classify_params(limits: SourcesSettings) -> list[Any]:
    """Values of the parameters $1..$4 of :func:`classified_sql`."""
    latest = dt.date.today() + dt.timedelta(days=limits.latest_days_ahead)
    return [limits.max_field_chars, limits.earliest_date, latest, limits.quarantine_raw]


def classified_sql(source: str, *, date_required: bool = True,
                   date_format: str | None = None) -> str:
    """SELECT classifying staged rows of ``source`` (columns as ``_tg_conn_stage``): the
    date, cleaned columns, hidden flag, problem (NULL when the row is fine) and what the
    person's keys are made of: the normalised URL and the name text
    (:mod:`tieguard.sources.keys`; in nested SELECTs so that each piece is computed
    once; keyed per distinct value by :func:`tieguard.sources.link.link_person_keys`).
    The raw text is kept only for problem rows, in the form
    :func:`tieguard.sources.quarantine.kept_raw_sql` allows.

    Parameters: $1 longest field, $2 earliest and $3 latest date, $4 what the quarantine
    keeps of a raw row (:func:`classify_params`). ``date_format``: the strptime format
    most rows use; tried first (the formats exclude each other, so the order never
    changes a result).
    """
    cleaned = ", ".join(f"nullif(trim({c}), '') AS clean_{c}" for c in STAGE_COLUMNS[:-1])
    lengths = ", ".join(f"strlen({c})" for c in STAGE_COLUMNS)
    char_lengths = ", ".join(f"length({c})" for c in STAGE_COLUMNS)
    inner = f"""SELECT file_idx, line, raw, struct_problem, {_DATE_TEXT},
            {date_sql('connected_raw', date_format)} AS connected_on,
            {url_base_sql('url')} AS url_base, {cleaned}, {_REPEATED_HEADER},
            CASE WHEN greatest({lengths}) > $1 THEN greatest({char_lengths}) > $1
              ELSE FALSE END AS too_long
        FROM {source}"""
    # the keys are computed once per distinct URL and name in the batch, not per row
    # (:mod:`tieguard.sources.link`): the row keeps the normalised URL and the raw name
    # text (NULL for a problem row, and the name text without first and last name)
    name_text = name_text_sql('clean_first_name', 'clean_last_name', 'clean_company')
    kept_raw = kept_raw_sql("raw", "$4")
    return f"""SELECT file_idx, line,
            CASE WHEN problem IS NOT NULL THEN {kept_raw} END AS raw,
            connected_on, {', '.join(_CLEAN)},
            clean_first_name IS NULL AND clean_last_name IS NULL AND clean_url IS NULL
              AS is_hidden,
            problem,
            CASE WHEN problem LIKE 'The Connected On%' OR problem LIKE '%date is missing%'
              OR problem LIKE 'The date%' THEN 'Connected On' END AS problem_column,
            CASE WHEN problem IS NULL THEN url_norm END AS url_norm,
            CASE WHEN problem IS NULL AND (clean_first_name IS NOT NULL
              OR clean_last_name IS NOT NULL) THEN {name_text} END AS name_text
        FROM (SELECT *, {_problem_sql(date_required)} AS problem,
                {url_norm_sql('url_base')} AS url_norm
              FROM ({inner}))"""


_OUT_OF_RANGE = """WHEN connected_on < $2 OR connected_on > $3
            THEN 'The Connected On date ''' || date_text || ''' lies outside '
                 || CAST($2 AS VARCHAR) || ' .. ' || CAST($3 AS VARCHAR) || ' (settings '
                 || 'sources.earliest_date and sources.latest_days_ahead); check the date.'"""


#: A row with no name whose URL normalises to nothing has no person key (nor is it a
#: hidden member, which has no URL): it is quarantined.
_NO_KEY = f"""WHEN clean_first_name IS NULL AND clean_last_name IS NULL AND clean_url IS NOT NULL
              AND {url_norm_sql('url_base')} IS NULL
            THEN 'The row has no name, and its URL ''' || clean_url || ''' is not a profile '
                 || 'address, so the person cannot be told apart; fix or remove the row.'"""


def _problem_sql(date_required: bool) -> str:
    if not date_required:
        return f"""coalesce(struct_problem, CASE WHEN date_text IS NOT NULL AND connected_on IS
          NULL THEN 'The date ''' || date_text || ''' is not a real date.' {_OUT_OF_RANGE}
          {_NO_KEY} END)"""
    return f"""coalesce(struct_problem,
        CASE WHEN repeated_header THEN 'A repeated header row; remove it.'
          WHEN too_long
            THEN 'A field is longer than ' || CAST($1 AS VARCHAR) || ' characters (setting '
                 || 'sources.max_field_chars); the row is probably broken: check its quotes.'
          WHEN date_text IS NULL THEN 'The Connected On date is missing.'
          WHEN connected_on IS NULL
            THEN 'The Connected On date ''' || date_text || ''' is not a real date in '
                 || 'a known format (e.g. 05 Jan 2026).'
          {_OUT_OF_RANGE} {_NO_KEY} END)"""


def stage_connections(engine: Engine, files: list[ConnectionsFile],
                      limits: SourcesSettings | None = None) -> dict[int, list[Problem]]:
    """Read and classify the rows of ``files`` into ``_tg_conn``; return file problems.

    Files are read by the engine in groups of one layout (one statement per group);
    files in which the engine or the checks find anything are read again in Python.
    """
    limits = limits or SourcesSettings()
    params = classify_params(limits)
    engine.scratch("_tg_conn_stage", _STAGE_EMPTY)
    engine.scratch("_tg_conn", classified_sql("_tg_conn_stage") + " LIMIT 0", params)
    with tempfile.TemporaryDirectory(prefix="tieguard-") as tmp:
        for cf in files:
            if not cf.read_path:
                cf.read_path = _engine_path(cf, Path(tmp), limits)
        suspects: set[int] = set()
        groups: dict[tuple[Any, ...], list[ConnectionsFile]] = defaultdict(list)
        for cf in files:
            if cf.lone_cr:  # mixed line endings: the engine's reader may skip lines
                suspects.add(cf.file_idx)
                continue
            key = (tuple(c.lower() for c in cf.header), cf.delimiter, cf.header_index,
                   cf.date_format)
            groups[key].append(cf)
        for n, group in enumerate(groups.values()):
            suspects |= _read_group(engine, group, params, limits, Path(tmp) / f"joined-{n}.csv")
    suspects |= _count_mismatches(engine, files)
    suspects |= {int(r[0]) for r in engine.fetchall(
        "SELECT DISTINCT file_idx FROM _tg_conn WHERE problem IS NOT NULL")}
    problems: dict[int, list[Problem]] = {cf.file_idx: list(cf.raw.problems) for cf in files}
    for cf in files:
        if cf.file_idx in suspects:
            problems[cf.file_idx] += _python_read(engine, cf, limits)
    if suspects:
        engine.execute("INSERT INTO _tg_conn BY NAME " + classified_sql("_tg_conn_stage"),
                       params)
    return problems


def classify(engine: Engine, *, date_required: bool = True,
             limits: SourcesSettings | None = None) -> None:
    """``_tg_conn`` from the staged rows in ``_tg_conn_stage`` (see :func:`classified_sql`)."""
    engine.scratch("_tg_conn", classified_sql("_tg_conn_stage", date_required=date_required),
                   classify_params(limits or SourcesSettings()))


def _engine_path(cf: ConnectionsFile, tmp: Path, limits: SourcesSettings) -> str:
    """The path the engine reads: the file itself if UTF-8, else a UTF-8 copy."""
    if cf.raw.engine_readable:
        return str(cf.raw.path.resolve())
    copy = tmp / f"{cf.file_idx}.csv"
    write_work_copy(copy, cf.raw.text or read_raw(cf.raw.path, limits).text)
    return str(copy.resolve())


def _read_group(engine: Engine, group: list[ConnectionsFile], params: list[Any],
                limits: SourcesSettings, joined_path: Path) -> set[int]:
    """Read one group of same-layout files: those that can be joined in one statement
    over one joined file (:mod:`tieguard.sources.joined`), the others (and all of them,
    should the joined read fail twice) by :func:`_bulk_read_or_split`; return suspect
    files. As there, the first joined read is strict without the rejects tables; if it
    fails, files with very wide lines (which make the rejects tables crawl) are left
    out, and the second read keeps the good rows: files of rejected rows are suspects."""
    joined = write_joined(group, joined_path, group[0].delimiter) if len(group) > 1 else []
    suspects: set[int] = set()
    try:
        if joined:
            suspects, joined = _joined_reads(engine, joined, joined_path, params, limits)
    finally:
        joined_path.unlink(missing_ok=True)
    done = {cf.file_idx for cf in joined}
    rest = [cf for cf in group if cf.file_idx not in done]
    return suspects | (_bulk_read_or_split(engine, rest, params, limits) if rest else set())


def _joined_reads(engine: Engine, joined: list[ConnectionsFile], path: Path, params: list[Any],
                  limits: SourcesSettings) -> tuple[set[int], list[ConnectionsFile]]:
    """The strict joined read, else the one with rejects: (suspects, files read)."""
    try:
        return _joined_read(engine, joined, path, params, rejects=False), joined
    except Exception as exc:  # the engine's own error type; the statement left no rows
        raise_if_interrupted(exc)
    narrow = [cf for cf in joined if not _has_wide_line(cf, limits)]
    if len(narrow) < len(joined):
        narrow = write_joined(narrow, path, joined[0].delimiter)
    if not narrow:
        return set(), []
    try:
        return _joined_read(engine, narrow, path, params, rejects=True), narrow
    except Exception as exc:  # the engine's own error type; the statement left no rows
        raise_if_interrupted(exc)
    return set(), []


def _layout(first: ConnectionsFile, leading: list[str]) -> tuple[str, str]:
    """(the reader's ``columns`` for ``leading`` columns and the layout's, the staging
    columns selected from them as ``r``)."""
    names = leading + [f"c{i}" for i in range(len(first.header))]
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    mapped = ", ".join(
        f"r.c{first.columns[c]} AS {c}" if c in first.columns else f"NULL::VARCHAR AS {c}"
        for c in STAGE_COLUMNS
    )
    return columns, mapped


def _joined_read(engine: Engine, group: list[ConnectionsFile], path: Path,
                 params: list[Any], *, rejects: bool) -> set[int]:
    """Read and classify the joined rows of ``group`` (each line led by its file_idx);
    return the files of rows the engine rejected (``rejects``; else it raises on them)."""
    first = group[0]
    columns, mapped = _layout(first, ["file_idx"])
    source = f"""(SELECT CAST(r.file_idx AS INTEGER) AS file_idx, NULL::INTEGER AS line,
                 {mapped}, NULL::VARCHAR AS raw, NULL::VARCHAR AS struct_problem
            FROM read_csv(${FIRST_FREE_PARAM}, header=false, delim=${FIRST_FREE_PARAM + 1},
                 quote='"', escape='"', all_varchar=true, auto_detect=false,
                 columns={columns}, strict_mode=true, {_REJECTS if rejects else ''}
                 max_line_size=4194304) r)"""
    date_format = VARIANT_FORMATS.get(first.date_format or "")
    engine.execute("INSERT INTO _tg_conn BY NAME " + classified_sql(source, date_format=date_format),
                   [*params, str(path), first.delimiter])
    if not rejects:
        return set()
    # a rejected record starts at the start of a line, with its file's prefix
    found = {row[0] for row in engine.fetchall(
        "SELECT DISTINCT TRY_CAST(split_part(csv_line, ?, 1) AS INTEGER) FROM _tg_rejects",
        [first.delimiter])}
    if not found <= {cf.file_idx for cf in group}:
        raise InputError(f"{path}: a rejected row of the joined read names no file of it.")
    return {int(i) for i in found}


def _bulk_read_or_split(engine: Engine, group: list[ConnectionsFile],
                        params: list[Any], limits: SourcesSettings) -> set[int]:
    """:func:`_bulk_read`; when the engine's reader fails on the group (a file it cannot
    parse at all), halve the group until the failing files are found: those become
    suspects, read in Python.

    The first attempt reads without the engine's rejects tables (which cost ~40 % of
    the CSV scan): on clean files it succeeds; any row the rejects table would have
    caught makes the strict reader raise, and the group is read again with them."""
    try:
        return _bulk_read(engine, group, params, rejects=False)
    except Exception as exc:  # the engine's own error type; the statement left no rows
        raise_if_interrupted(exc)
    # a row with a huge number of fields makes the engine's rejects table crawl: such
    # files go to the Python reader directly
    wide = {cf.file_idx for cf in group if _has_wide_line(cf, limits)}
    rest = [cf for cf in group if cf.file_idx not in wide]
    return wide | (_read_with_rejects(engine, rest, params) if rest else set())


def _has_wide_line(cf: ConnectionsFile, limits: SourcesSettings) -> bool:
    """Does a line of the file hold more delimiters than ``limits.max_columns``?"""
    text = cf.raw.text or read_raw(cf.raw.path, limits).text
    if text.count(cf.delimiter) < limits.max_columns:
        return False
    return any(line.count(cf.delimiter) >= limits.max_columns for line in text.split("\n"))


def _read_with_rejects(engine: Engine, group: list[ConnectionsFile],
                       params: list[Any]) -> set[int]:
    try:
        return _bulk_read(engine, group, params, rejects=True)
    except Exception as exc:  # the engine's own error type; the statement left no rows
        raise_if_interrupted(exc)
        if len(group) == 1:
            log.info("the engine cannot read %s (%s); reading it in Python",
                     group[0].raw.path, str(exc).split("\n", 1)[0])
            return {group[0].file_idx}
        half = len(group) // 2
        return _read_with_rejects(engine, group[:half], params) | \
            _read_with_rejects(engine, group[half:], params)


def _bulk_read(engine: Engine, group: list[ConnectionsFile], params: list[Any], *,
               rejects: bool) -> set[int]:
    """Read and classify one group of files of the same layout; return suspect files
    (``rejects``: files with rows in the engine's rejects table; else raise on them)."""
    first = group[0]
    columns, mapped = _layout(first, [])
    paths = list(dict.fromkeys(cf.read_path for cf in group))
    date_format = VARIANT_FORMATS.get(first.date_format or "")
    source = f"""(SELECT m.file_idx, NULL::INTEGER AS line, {mapped}, NULL::VARCHAR AS raw,
                 NULL::VARCHAR AS struct_problem
            FROM read_csv(${FIRST_FREE_PARAM}, skip=${FIRST_FREE_PARAM + 1}, header=true,
                 delim=${FIRST_FREE_PARAM + 2}, quote='"', escape='"', all_varchar=true,
                 auto_detect=false, columns={columns}, filename=true, strict_mode=true,
                 {_REJECTS if rejects else ''} max_line_size=4194304) r
            JOIN _tg_read_map m ON r.filename = m.read_path)"""
    mapping = pa.table({
        "file_idx": pa.array([cf.file_idx for cf in group], pa.int32()),
        "read_path": pa.array([cf.read_path for cf in group], pa.string()),
    })
    engine.register("_tg_read_map", mapping)
    try:
        engine.execute("INSERT INTO _tg_conn BY NAME "
                       + classified_sql(source, date_format=date_format),
                       [*params, paths, first.header_index, first.delimiter])
        if not rejects:
            return set()
        bad = engine.fetchall(
            "SELECT DISTINCT m.file_idx FROM _tg_rejects e JOIN _tg_reject_scans s "
            "USING (scan_id, file_id) JOIN _tg_read_map m ON s.file_path = m.read_path"
        )
    finally:
        engine.unregister("_tg_read_map")
    return {int(row[0]) for row in bad}


def _count_mismatches(engine: Engine, files: list[ConnectionsFile]) -> set[int]:
    """Files whose read row count differs from their non-blank line count.

    Equal counts prove the engine read every line as one record; a difference means
    quoted line breaks (harmless) or lines the engine skipped (mixed line endings), and
    the Python reader, which never skips a line silently, decides.
    """
    staged = dict(engine.fetchall("SELECT file_idx, count(*) FROM _tg_conn GROUP BY ALL"))
    return {cf.file_idx for cf in files if staged.get(cf.file_idx, 0) != cf.body_lines}


def _python_read(engine: Engine, cf: ConnectionsFile, limits: SourcesSettings) -> list[Problem]:
    """Re-read one file in Python, with line numbers; its rows replace the engine's."""
    engine.execute("DELETE FROM _tg_conn WHERE file_idx = ?", [cf.file_idx])
    text = cf.raw.text or read_raw(cf.raw.path, limits).text
    records, problems = read_records(text, cf.delimiter, cf.header_index)
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
        data["raw"].append(record.raw[:RAW_CHARS])
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

"""Recognising a LinkedIn ``Connections.csv`` export from its head, without the engine.

Python reads each file once (bytes, SHA-256, encoding, preamble, delimiter, header,
date format, line count). This module imports no engine code, so that worker
processes can inspect the files of a large import in parallel with the engine's work
(see :func:`prepare_for_engine`).
"""

from __future__ import annotations

import csv
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, UnrecognisedFormatError
from ..settings import SourcesSettings
from .csvfile import RawFile, find_header, read_raw
from .dates import detect_date_format
from .safe_io import Deadline, write_work_copy

__all__ = ["ConnectionsFile", "inspect_connections", "prepare_for_engine", "EXPECTED_HEADER",
           "REQUIRED", "CANONICAL", "STAGE_COLUMNS"]

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
_NOTES = re.compile(r"\s*notes:", re.IGNORECASE)
#: data lines after the header whose dates decide the variant
_SAMPLE_LINES = 40


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
    date_format: str | None = None  # date pattern of the first rows (a dates.py variant)
    read_path: str = ""  # the UTF-8 file the engine reads ('' until prepared)
    lone_cr: bool = False  # holds a CR not followed by LF (mixed line endings)
    blank_lines: int = 0  # blank lines after the header (at least; a final newline aside)

    def count_body_lines(self) -> None:
        text = self.raw.text
        start = 0
        for _ in range(self.header_index + 1):
            start = text.find("\n", start) + 1
            if start == 0:  # no line after the header
                self.body_lines = 0
                return
        # Blank lines are (under)counted without a per-line loop; an undercount only
        # sends the file to the exact Python reader, never the other way round.
        crlf_blank = text.count("\n\r\n", start) if "\r" in text else 0
        blank = text.count("\n\n", start) + crlf_blank \
            + text.endswith("\n") + text.startswith(("\n", "\r\n"), start)
        self.body_lines = text.count("\n", start) + 1 - blank
        self.blank_lines = blank - text.endswith("\n")

    @property
    def columns(self) -> dict[str, int]:
        """staging column -> position in the header."""
        lowered = [c.lower() for c in self.header]
        return {CANONICAL[c]: i for i, c in enumerate(lowered) if c in CANONICAL}


def inspect_connections(path: Path, limits: SourcesSettings | None = None) -> ConnectionsFile:
    """Read ``path`` and recognise the export variant; refuse other files."""
    limits = limits or SourcesSettings()
    raw = read_raw(path, limits)
    found = find_header(raw.text, REQUIRED, limits=limits, path=path,
                        deadline=Deadline(path, limits.sniff_seconds))
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
    cf.format, cf.date_format = _variant(cf)
    cf.count_body_lines()
    cf.lone_cr = "\r" in raw.text and raw.text.count("\r") != raw.text.count("\r\n")
    return cf


def prepare_for_engine(path: Path, tmp: str, tag: str, keep_text: bool,
                       limits: SourcesSettings | None = None) -> ConnectionsFile:
    """Inspect ``path`` and give it a UTF-8 path the engine can read (a copy in ``tmp``
    named ``tag`` when the file is not UTF-8). Without ``keep_text`` the decoded text
    is dropped (for worker processes: it is read again only if the file needs the
    exact Python reader)."""
    cf = inspect_connections(path, limits)
    if cf.raw.engine_readable:
        cf.read_path = str(path.resolve())
    else:
        copy = Path(tmp) / f"{tag}.csv"
        write_work_copy(copy, cf.raw.text)
        cf.read_path = str(copy.resolve())
    if not keep_text:
        cf.raw.text = ""
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


def _variant(cf: ConnectionsFile) -> tuple[str, str | None]:
    """(export variant, date pattern) from the header and the first rows' dates."""
    date_pos = cf.columns["connected_raw"]
    start = cf.header_index + 1
    lines = cf.raw.text.split("\n", start + _SAMPLE_LINES)[start:start + _SAMPLE_LINES]
    head = [part for line in lines for part in line.splitlines()]  # a lone CR ends a line too
    values: list[str] = []
    with suppress(csv.Error):  # a broken quote: the rows before it decide
        values += [row[date_pos] for row in csv.reader(head, delimiter=cf.delimiter)
                   if len(row) > date_pos]
    date_format = detect_date_format(values)
    preamble = cf.header_index > 0 and _NOTES.match(cf.raw.text) is not None
    if cf.delimiter == ";" or date_format == "spreadsheet_semicolon":
        return "spreadsheet_semicolon", date_format
    if date_format in ("spreadsheet_resave", "iso"):
        return "spreadsheet_resave", date_format
    if date_format == "linkedin_2018":
        return "linkedin_2018", date_format
    if preamble or "url" in cf.columns:
        return "linkedin_current", date_format
    return "linkedin_2021", date_format

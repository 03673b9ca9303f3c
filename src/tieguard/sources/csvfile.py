"""Reading input files as text: encoding detection, header finding, Python CSV records.

The head of every file is inspected in Python (bytes, BOM, encoding, preamble,
delimiter); bulk rows of well-formed files are read by the engine's CSV reader (see
:mod:`tieguard.sources.linkedin`). The Python record reader here serves the few files
the engine cannot read, and every small input (roster, CRM, invitations).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..errors import EmptyInputError, InputError
from ..settings import SourcesSettings
from .decode import decode_bytes
from .report import Problem
from .safe_io import MB, Deadline, read_input_bytes

__all__ = ["RawFile", "read_raw", "find_header", "read_records", "Record", "MAX_FIELD",
           "read_table", "Table"]

csv.field_size_limit(sys.maxsize)

#: Longest field kept by default (characters); see ``sources.max_field_chars``.
MAX_FIELD = SourcesSettings().max_field_chars


@dataclass
class RawFile:
    """A file's bytes decoded to text, with what was learnt on the way."""

    path: Path
    sha256: str
    text: str
    encoding: str
    had_bom: bool = False
    problems: list[Problem] = field(default_factory=list)
    rewritten: bool = False  # the text differs from the file's bytes read as UTF-8

    @property
    def utf8_on_disk(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig", "ascii")

    @property
    def engine_readable(self) -> bool:
        """Can the engine read the file itself (else it reads a UTF-8 copy of ``text``)?"""
        return self.encoding == "utf-8" and not self.rewritten


def read_raw(path: Path, limits: SourcesSettings | None = None) -> RawFile:
    """Read and decode ``path``; refuse missing, empty, binary, special and huge files."""
    limits = limits or SourcesSettings()
    data = read_input_bytes(path, limits.max_file_mb * MB)
    digest = hashlib.sha256(data).hexdigest()
    if not data or data.isspace():
        raise EmptyInputError(f"The file {path} is empty. Export it again from its source.")
    decoded = decode_bytes(path, data, Deadline(path, limits.sniff_seconds))
    if not decoded.text.strip("\ufeff \t\r\n"):
        raise EmptyInputError(f"The file {path} is empty. Export it again from its source.")
    return RawFile(path, digest, decoded.text, decoded.encoding, decoded.had_bom,
                   decoded.problems, decoded.rewritten)


def _normalise_cell(cell: str) -> str:
    return cell.strip().strip("\ufeff").strip().lower()


#: Characters at the head of a file searched for its header line.
HEAD_CHARS = 1 << 20


def find_header(
    text: str, required: Iterable[str], *, max_lines: int = 25,
    limits: SourcesSettings | None = None, path: Path | None = None,
    deadline: Deadline | None = None,
) -> tuple[int, str, list[str]] | None:
    """Find the header line holding every ``required`` column (case-insensitive).

    Returns (0-based physical line index, delimiter, header cells) or None. A header
    with more than ``limits.max_columns`` columns is refused (InputError).
    """
    wanted = {r.lower() for r in required}
    max_columns = (limits or SourcesSettings()).max_columns
    for index, line in enumerate(text[:HEAD_CHARS].split("\n", max_lines)[:max_lines]):
        if deadline:
            deadline.check()
        for delimiter in (",", ";", "\t"):
            if delimiter not in line and len(wanted) > 1:
                continue
            if line.count(delimiter) >= max_columns:
                if all(w in line.lower() for w in wanted):
                    raise InputError(
                        f"The header of {path or 'the file'} (line {index + 1}) has "
                        f"{line.count(delimiter) + 1:,} columns, more than the limit of "
                        f"{max_columns} (setting sources.max_columns). Remove the empty or "
                        "extra columns (or export the file again) and import it again.")
                continue
            try:
                cells = next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
            except csv.Error:  # e.g. a lone CR inside: not a header line
                continue
            if wanted <= {_normalise_cell(c) for c in cells}:
                return index, delimiter, [c.strip().strip("\ufeff").strip() for c in cells]
    return None


_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass
class Record:
    """One CSV record with the physical line it starts on and its raw text."""

    line: int
    fields: list[str]
    raw: str


def read_records(
    text: str, delimiter: str, header_index: int
) -> tuple[list[Record], list[Problem]]:
    """Records after the header line (blank lines skipped); structural problems apart.

    A CR not followed by LF (mixed line endings) ends a line, as in a text editor.
    """
    if text.count("\r") != text.count("\r\n"):
        text = _LONE_CR.sub("\n", text)
    lines = text.split("\n")
    body = "\n".join(lines[header_index + 1:])
    stream = io.StringIO(body, newline="\n")
    reader = csv.reader(stream, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    records: list[Record] = []
    problems: list[Problem] = []
    offset = header_index + 1  # physical lines before the body
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(offset + start, None, f"Unreadable CSV record ({exc}); "
                                    "the file may be truncated or use another delimiter."))
            break
        end = reader.line_num
        if fields and any(f.strip() for f in fields):
            raw = "\n".join(lines[offset + start - 1: offset + end])
            records.append(Record(offset + start, fields, raw))
        start = end + 1
    if body.count('"') % 2 and records:
        last = records[-1]
        problems.append(Problem(last.line, None, "The last record has an unterminated quoted "
                                "field: the file looks truncated. Export it again."))
    return records, problems


@dataclass
class Table:
    """A small CSV read in Python: header cells and records as dictionaries."""

    raw: RawFile
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]


def read_table(path: Path, required: Iterable[str], what: str,
               limits: SourcesSettings | None = None) -> Table:
    """Read a small CSV whose header must hold ``required`` columns; rows keyed by header."""
    limits = limits or SourcesSettings()
    raw = read_raw(path, limits)
    required = list(required)
    found = find_header(raw.text, required, limits=limits, path=path,
                        deadline=Deadline(path, limits.sniff_seconds))
    if found is None:
        raise_unrecognised(path, what, required)
    index, delimiter, header = found
    records, problems = read_records(raw.text, delimiter, index)
    problems = raw.problems + problems
    rows: list[tuple[int, dict[str, str]]] = []
    for record in records:
        if len(record.fields) != len(header):
            problems.append(Problem(record.line, None, f"Expected {len(header)} columns, found "
                                    f"{len(record.fields)}; row skipped. Quote fields holding "
                                    f"'{delimiter}'."))
            continue
        longest = max(range(len(header)), key=lambda i: len(record.fields[i]))
        if len(record.fields[longest]) > limits.max_field_chars:
            problems.append(Problem(record.line, header[longest], "The field is longer than "
                                    f"{limits.max_field_chars:,} characters (setting "
                                    "sources.max_field_chars); row skipped. The row is "
                                    "probably broken: check its quotes."))
            continue
        rows.append((record.line, dict(zip(header, record.fields, strict=True))))
    return Table(raw, header, rows, problems)


def raise_unrecognised(path: Path, what: str, required: list[str]) -> NoReturn:
    from ..errors import UnrecognisedFormatError

    raise UnrecognisedFormatError(
        f"{path} is not a {what}: no header line with the columns {', '.join(required)} "
        f"was found in its first lines. Check that you chose the right file and command."
    )

"""Reading input files as text: encoding detection, header finding, Python CSV records.

The head of every file is inspected in Python (bytes, BOM, encoding, preamble,
delimiter); bulk rows of well-formed files are read by the engine's CSV reader (see
:mod:`tieguard.sources.linkedin`). The Python record reader here serves the few files
the engine cannot read, and every small input (roster, CRM, invitations).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from charset_normalizer import from_bytes

from ..errors import EmptyInputError, InputError
from .report import Problem

__all__ = ["RawFile", "read_raw", "find_header", "read_records", "Record", "MAX_FIELD",
           "read_table", "Table"]

csv.field_size_limit(sys.maxsize)

#: Longest field kept (characters); longer fields quarantine their row.
MAX_FIELD = 65_536
_LATIN = {"latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1252", "mac_roman", "cp1254",
          "iso8859_2", "iso8859_9", "cp850", "cp437"}


@dataclass
class RawFile:
    """A file's bytes decoded to text, with what was learnt on the way."""

    path: Path
    sha256: str
    text: str
    encoding: str
    had_bom: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def utf8_on_disk(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig", "ascii")


def read_raw(path: Path) -> RawFile:
    """Read and decode ``path``; refuse missing, empty and binary files."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"The file {path} does not exist. Check the path.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory, not a file. Name the file itself.") from exc
    digest = hashlib.sha256(data).hexdigest()
    if not data or data.isspace():
        raise EmptyInputError(f"The file {path} is empty. Export it again from its source.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return RawFile(path, digest, data.decode("utf-16").lstrip("\ufeff"), "utf-16", True)
    had_bom = data.startswith(codecs.BOM_UTF8)
    if had_bom:
        data = data[len(codecs.BOM_UTF8):]
    if data.find(b"\x00", 0, 65536) >= 0:
        raise InputError(
            f"The file {path} is binary (it contains NUL bytes), not a CSV text export. "
            "Export the data again as CSV."
        )
    try:
        return RawFile(path, digest, data.decode("utf-8"), "utf-8", had_bom)
    except UnicodeDecodeError as exc:
        return _decode_mixed(path, digest, data, had_bom, exc)


def _decode_mixed(
    path: Path, digest: str, data: bytes, had_bom: bool, exc: UnicodeDecodeError
) -> RawFile:
    """Decode a non-UTF-8 file: wholly in the detected legacy encoding, or line by line
    (UTF-8 where valid, else the legacy encoding) when it also holds UTF-8 text."""
    first = data.count(b"\n", 0, exc.start) + 1
    if not _has_utf8_sequence(data):
        fallback = _guess_encoding(data, sample=True)
        text, encoding, bad_count = data.decode(fallback, errors="replace"), fallback, None
    else:
        lines = data.split(b"\n")
        bad = {i for i, line in enumerate(lines) if not _is_utf8(line)}
        fallback = _guess_encoding(b"\n".join(lines[i] for i in sorted(bad))[:4096])
        text = "\n".join(
            line.decode(fallback, errors="replace") if i in bad else line.decode("utf-8")
            for i, line in enumerate(lines)
        )
        encoding, bad_count = f"utf-8+{fallback}", len(bad)
    which = f"{bad_count} line(s)" if bad_count is not None else "the whole file"
    message = (
        f"The file is not UTF-8 ({which}, from line {first} on); decoded as {fallback}. "
        "Check names with accents, or save the file as UTF-8."
    )
    return RawFile(path, digest, text, encoding, had_bom,
                   [Problem(first, None, message, "warning")])


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _legacy_sample(data: bytes, limit: int = 4096) -> bytes:
    """The lines holding non-ASCII bytes, up to ``limit`` bytes: what the detector needs."""
    lines: list[bytes] = []
    size, pos = 0, 0
    while size < limit:
        match = _HIGH_BYTE.search(data, pos)
        if match is None:
            break
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.start())
        end = len(data) if end < 0 else end
        lines.append(data[start:end])
        size, pos = size + end - start, end + 1
    return b"\n".join(lines)


#: A well-formed multi-byte UTF-8 sequence (2-4 bytes).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                       rb"[\xf0-\xf4][\x80-\xbf]{3}")


def _has_utf8_sequence(data: bytes) -> bool:
    """Does ``data`` hold a well-formed multi-byte UTF-8 sequence? (Such a sequence is
    a run of non-ASCII bytes, so the non-ASCII bytes alone are checked first.)"""
    return _UTF8_SEQ.search(data.translate(None, _ASCII)) is not None \
        and _UTF8_SEQ.search(data) is not None


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_ASCII = bytes(range(128))
_GUESSES: dict[frozenset[int], str] = {}


def _guess_encoding(data: bytes, *, sample: bool = False) -> str:
    """The legacy encoding of ``data`` (with ``sample``: of its lines holding non-ASCII
    bytes). Texts with the same set of non-ASCII bytes get the same answer: the
    detector is slow, and thousands of exports share a few such sets."""
    key = frozenset(data.translate(None, _ASCII))
    if key not in _GUESSES:
        if len(_GUESSES) > 4096:
            _GUESSES.clear()
        _GUESSES[key] = _detect_encoding(_legacy_sample(data) if sample else data)
    return _GUESSES[key]


def _detect_encoding(sample: bytes) -> str:
    best = from_bytes(sample).best()
    name = codecs.lookup(best.encoding).name.replace("-", "_") if best else "cp1252"
    if name in _LATIN or name.startswith("iso8859"):
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return name
    return name


def _normalise_cell(cell: str) -> str:
    return cell.strip().strip("\ufeff").strip().lower()


def find_header(
    text: str, required: Iterable[str], *, max_lines: int = 25
) -> tuple[int, str, list[str]] | None:
    """Find the header line holding every ``required`` column (case-insensitive).

    Returns (0-based physical line index, delimiter, header cells) or None.
    """
    wanted = {r.lower() for r in required}
    for index, line in enumerate(text.split("\n", max_lines)[:max_lines]):
        for delimiter in (",", ";", "\t"):
            if delimiter not in line and len(wanted) > 1:
                continue
            cells = next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
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


def read_table(path: Path, required: Iterable[str], what: str) -> Table:
    """Read a small CSV whose header must hold ``required`` columns; rows keyed by header."""
    raw = read_raw(path)
    required = list(required)
    found = find_header(raw.text, required)
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
        rows.append((record.line, dict(zip(header, record.fields, strict=True))))
    return Table(raw, header, rows, problems)


def raise_unrecognised(path: Path, what: str, required: list[str]) -> NoReturn:
    from ..errors import UnrecognisedFormatError

    raise UnrecognisedFormatError(
        f"{path} is not a {what}: no header line with the columns {', '.join(required)} "
        f"was found in its first lines. Check that you chose the right file and command."
    )

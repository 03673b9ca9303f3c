"""From an input file's bytes to text: encodings, binary formats, line endings, mojibake.

Handles what real exports and their spreadsheet re-saves look like: UTF-8 with or
without BOM; UTF-16 and UTF-32 with or without BOM (and cut off mid-character);
legacy code pages (cp1252, latin-1) wholly or line by line mixed with UTF-8; old
CR-only line endings; names double-encoded by a re-save (``MÃ¼ller``), repaired with
ftfy. Binary files (zip, Excel, gzip, PDF, anything with NUL bytes) are refused with
a sentence saying what the file is and what to do.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
from charset_normalizer import from_bytes

from ..errors import InputError
from .report import Problem
from .safe_io import Deadline

__all__ = ["DecodedText", "decode_bytes", "repair_mojibake", "wide_encoding"]

_LATIN = {"latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1252", "mac_roman", "cp1254",
          "iso8859_2", "iso8859_9", "cp850", "cp437"}
_BOMS = [  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
#: magic bytes -> (what the file is, what to do)
_FORMATS = [
    (b"PK\x03\x04", "a zip archive", "Unzip it and pass the Connections.csv inside, or pass "
     "the LinkedIn export zip (Complete_/Basic_LinkedInDataExport_*.zip) itself."),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office document", "Open it and save it as CSV (UTF-8)."),
    (b"\x1f\x8b", "gzip-compressed", "Decompress it (gunzip) and pass the CSV inside."),
    (b"%PDF", "a PDF document", "Pass the CSV export, not a printout."),
    (b"\x89PNG", "a PNG image", "Pass the CSV export."),
    (b"\xff\xd8\xff", "a JPEG image", "Pass the CSV export."),
    (b"SQLite format 3", "an SQLite database", "Pass the CSV export."),
    (b"BZh", "bzip2-compressed", "Decompress it and pass the CSV inside."),
    (b"\xfd7zXZ", "xz-compressed", "Decompress it and pass the CSV inside."),
    (b"7z\xbc\xaf", "a 7-Zip archive", "Unpack it and pass the CSV inside."),
]
#: A UTF-8 lead byte followed by a continuation byte, as cp1252/latin-1 shows them:
#: the mark of UTF-8 decoded twice (``Ã¼`` for ``ü``). ftfy decides on each candidate.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]"
)
#: A necessary condition for :data:`_MOJIBAKE` in the UTF-8 bytes of a text: its first
#: character (U+00C2-U+00F4) is encoded C3 82..C3 B4 and each second character it allows
#: starts with one of these lead bytes. A pattern with a literal first byte is searched
#: far faster than the text pattern, so files without a candidate skip the latter.
_MOJIBAKE_BYTES = re.compile(rb"\xc3[\x82-\xb4][\xc2\xc5\xc6\xcb\xe2]")
_LONE_CR = re.compile(r"\r(?!\n)")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                       rb"[\xf0-\xf4][\x80-\xbf]{3}")
_ASCII = bytes(range(128))
_GUESSES: dict[frozenset[int], str] = {}


@dataclass
class DecodedText:
    """Text of a file and how it was obtained."""

    text: str
    encoding: str
    had_bom: bool = False
    rewritten: bool = False  # the text differs from the bytes read as UTF-8
    problems: list[Problem] = field(default_factory=list)


def decode_bytes(path: Path, data: bytes, deadline: Deadline) -> DecodedText:
    """Decode ``data`` (read from ``path``); refuse binary files."""
    _refuse_binary_format(path, data)
    encoding, bom = _bom_encoding(data)
    encoding = encoding or wide_encoding(data)
    candidates = True  # may the text hold double-encoded UTF-8?
    if encoding and not encoding.startswith("utf-8"):
        decoded = _decode_wide(data[len(bom):], encoding, bool(bom))
    else:
        had_bom = bool(bom)
        body = data[len(bom):]
        _refuse_nul(path, body)
        try:
            decoded = DecodedText(body.decode("utf-8"), "utf-8", had_bom)
            candidates = _MOJIBAKE_BYTES.search(body) is not None
        except UnicodeDecodeError as exc:
            decoded = _decode_mixed(body, had_bom, exc, deadline)
    _refuse_nul(path, decoded.text)
    deadline.check()
    if "\r" in decoded.text and decoded.text.count("\r") != decoded.text.count("\r\n"):
        # old Mac (CR-only) or mixed line endings: a lone CR ends a line, as in an editor
        decoded.text = _LONE_CR.sub("\n", decoded.text)
        decoded.rewritten = True
    text, repaired = repair_mojibake(decoded.text) if candidates else (decoded.text, [])
    if repaired:
        decoded.text, decoded.rewritten = text, True
        decoded.problems.append(Problem(
            repaired[0], None,
            f"{len(repaired)} line(s) held text encoded twice (such as 'Ã¼' for 'ü'), as a "
            "spreadsheet re-save does; repaired. Check those names, or export the file again.",
            "warning"))
    return decoded


def _refuse_binary_format(path: Path, data: bytes) -> None:
    for magic, what, fix in _FORMATS:
        if data.startswith(magic):
            raise InputError(f"{path} is {what}, not a CSV text export. {fix}")


def _refuse_nul(path: Path, data: bytes | str) -> None:
    nul = b"\x00" if isinstance(data, bytes) else "\x00"
    at = data.find(nul)  # type: ignore[arg-type]
    if at >= 0:
        newline = b"\n" if isinstance(data, bytes) else "\n"
        line = data.count(newline, 0, at) + 1  # type: ignore[arg-type]
        raise InputError(
            f"{path} holds NUL bytes (the first on line {line}), which a CSV text export "
            "never contains: it is binary or damaged. Export the data again as CSV, or "
            "pass the LinkedIn export zip."
        )


def _bom_encoding(data: bytes) -> tuple[str | None, bytes]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, bom
    return None, b""


def wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the NUL bytes fall in the file's head (an
    export starts with an ASCII header or preamble, whose characters have NUL high
    bytes)."""
    sample = data[:128]
    if len(sample) < 8:
        return None
    for unit in (4, 2):
        usable = len(sample) - len(sample) % unit
        nul = [sample[k:usable:unit].count(0) / len(sample[k:usable:unit]) for k in range(unit)]
        if unit == 4:
            if nul[3] > 0.95 and nul[2] > 0.7 and nul[0] < 0.5:
                return "utf-32-le"
            if nul[0] > 0.95 and nul[1] > 0.7 and nul[3] < 0.5:
                return "utf-32-be"
        elif nul[1] > 0.7 and nul[0] < 0.3:
            return "utf-16-le"
        elif nul[0] > 0.7 and nul[1] < 0.3:
            return "utf-16-be"
    return None


def _decode_wide(body: bytes, encoding: str, had_bom: bool) -> DecodedText:
    """UTF-16/32 text; a cut-off last character or bad units become U+FFFD and a warning."""
    unit = 4 if encoding.startswith("utf-32") else 2
    problems: list[Problem] = []
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, errors="replace")
        truncated = len(body) % unit != 0 or exc.start >= len(body) - unit
        line = text.count("\n", 0, text.find("\ufffd")) + 1 if "\ufffd" in text else None
        what = ("ends in the middle of a character: it looks truncated. Export it again"
                if truncated else f"holds bytes that are not {encoding.upper()}; they were "
                "replaced. Check the names on that line, or save the file as UTF-8")
        problems.append(Problem(line, None, f"The file ({encoding.upper()}) {what}.", "warning"))
    return DecodedText(text.lstrip("\ufeff"), encoding.replace("-le", "").replace("-be", ""),
                       had_bom, True, problems)


def _decode_mixed(body: bytes, had_bom: bool, exc: UnicodeDecodeError,
                  deadline: Deadline) -> DecodedText:
    """Decode a non-UTF-8 file: wholly in the detected legacy encoding, or line by line
    (UTF-8 where valid, else the legacy encoding) when it also holds UTF-8 text."""
    first = body.count(b"\n", 0, exc.start) + 1
    if not _has_utf8_sequence(body):
        fallback = _guess_encoding(body, sample=True)
        text, encoding, bad_count = body.decode(fallback, errors="replace"), fallback, None
    else:
        lines = body.split(b"\n")
        deadline.check()
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
    return DecodedText(text, encoding, had_bom, True, [Problem(first, None, message, "warning")])


def repair_mojibake(text: str) -> tuple[str, list[int]]:
    """``text`` with double-encoded UTF-8 repaired line by line (ftfy); the 1-based
    numbers of the lines changed. Lines without a candidate sequence are not touched."""
    if _MOJIBAKE.search(text) is None:
        return text, []
    lines = text.split("\n")
    changed: list[int] = []
    for index, line in enumerate(lines):
        if _MOJIBAKE.search(line) is None:
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line and fixed.count("\n") == 0 and _encoded_twice(fixed, line):
            lines[index] = fixed
            changed.append(index + 1)
    return ("\n".join(lines), changed) if changed else (text, [])


def _encoded_twice(fixed: str, line: str) -> bool:
    """Is ``line`` exactly ``fixed`` encoded as UTF-8 and decoded as cp1252/latin-1?
    (Only such an undoing is accepted from ftfy: it never guesses a name.)"""
    data = fixed.encode("utf-8")
    return any(data.decode(codec, errors="replace") == line
               for codec in ("sloppy-windows-1252", "latin-1"))


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
        lines.append(data[start:end][:limit])
        size, pos = size + end - start, end + 1
    return b"\n".join(lines)


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


def _guess_encoding(data: bytes, *, sample: bool = False) -> str:
    """The legacy encoding of ``data`` (with ``sample``: of its lines holding non-ASCII
    bytes). Texts with the same set of non-ASCII bytes get the same answer: the
    detector is slow, and thousands of exports share a few such sets."""
    key = frozenset(data.translate(None, _ASCII))
    if key not in _GUESSES:
        if len(_GUESSES) > 4096:
            _GUESSES.clear()
        _GUESSES[key] = _detect_encoding(_legacy_sample(data) if sample else data[:4096])
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

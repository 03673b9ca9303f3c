"""A deterministic corpus of mutated LinkedIn ``Connections.csv`` files (hostile input).

``corpus(n)`` yields ``n`` (name, bytes) pairs, the same on every run: a clean export
of a few dozen rows, then mutations of it: truncations, bit flips, NUL bytes,
delimiter swaps, other encodings (UTF-16/32 with and without BOM, cut-off UTF-16,
cp1252), CR-only and mixed line endings, enormous fields, headers and rows, binary
formats, formula cells, impossible dates and bad URL escapes, broken quotes.
"""

from __future__ import annotations

import codecs
import datetime as dt
import random
from collections.abc import Callable, Iterator

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
PREAMBLE = "Notes:\n\"When exporting your connection data, you may notice...\"\n\n"
FIRST = ["Anna", "Jürgen", "Zoë", "Łukasz", "Sam \"Sammy\"", "María", "𝐌𝐚𝐫𝐢𝐚 🚀", "Ngozi",
         "O'Neil", "Ærin", "Søren", "李"]
LAST = ["Berg", "Müller", "Dubois", "Kowalski", "de Vries", "Núñez", "Weiß", "Okafor",
        "Smith, Jr.", "Ørsted", "van der Berg", "王"]
COMPANIES = ["Acme, Inc.", "Müller GmbH", "Van Dijk B.V.", "Société Générale", "ACME AG"]


def clean_export(rng: random.Random, rows: int = 30) -> str:
    """A well-formed current-variant export (preamble, newest first, no final newline)."""
    day = dt.date(2026, 1, 5)
    lines = [HEADER]
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        hidden = rng.random() < 0.05
        url = "" if hidden else f"https://www.linkedin.com/in/p{i}-{rng.randrange(10**6)}"
        name = ("", "") if hidden else (first, last)
        company = rng.choice(COMPANIES)
        cells = [*name, url, "", company, "Buyer", day.strftime("%d %b %Y")]
        lines.append(",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if any(
            ch in c for ch in ',"') else c for c in cells))
        day -= dt.timedelta(days=rng.randrange(1, 40))
    return PREAMBLE + "\n".join(lines)


def _row_index(rng: random.Random, lines: list[bytes]) -> int:
    """A data line's index (after the preamble and header when there are such lines)."""
    return rng.randrange(min(4, len(lines) - 1), len(lines))


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(1, max(2, len(data)))]


def _bit_flips(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randrange(1, 24)):
        pos = rng.randrange(len(out))
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def _nuls(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randrange(1, 5)):
        out.insert(rng.randrange(len(out)), 0)
    return bytes(out)


def _delimiter(rng: random.Random, data: bytes) -> bytes:
    new = rng.choice([b";", b"\t", b"|", b" ", b",,"])
    return data.replace(b",", new)


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    kind = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
                       "cp1252", "utf-16-cut", "utf-8-sig", "double"])
    if kind == "utf-16-cut":
        encoded = text.encode("utf-16")
        return encoded[:len(encoded) - rng.choice([1, 3, 5])]
    if kind == "cp1252":
        return text.encode("cp1252", errors="replace")
    if kind == "double":  # UTF-8 read as cp1252 and saved as UTF-8 again (mojibake)
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    return text.encode(kind)


def _line_endings(rng: random.Random, data: bytes) -> bytes:
    if rng.random() < 0.5:
        return data.replace(b"\n", b"\r")
    lines = data.split(b"\n")
    return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r"]) for line in lines)


def _enormous_field(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    pos = _row_index(rng, lines)
    big = rng.choice([b"x", "ü".encode(), b'"', b","]) * rng.choice([70_000, 300_000, 1_100_000])
    lines[pos] = big + b"," + lines[pos]
    return b"\n".join(lines)


def _enormous_header(rng: random.Random, data: bytes) -> bytes:
    extra = b"," * rng.choice([250, 5_000, 1_000_000])
    return data.replace(HEADER.encode(), HEADER.encode() + extra, 1)


def _enormous_row(rng: random.Random, data: bytes) -> bytes:
    return data + b"\n" + b"a," * rng.choice([500, 100_000, 1_000_000])


def _binary(rng: random.Random, data: bytes) -> bytes:
    magic = rng.choice([b"PK\x03\x04", b"\x1f\x8b\x08", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n",
                        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"SQLite format 3\x00", b""])
    noise = bytes(rng.randrange(256) for _ in range(rng.randrange(16, 4096)))
    return magic + noise


def _formulas(rng: random.Random, data: bytes) -> bytes:
    formula = rng.choice(['=cmd|" /C calc"!A0', "+1+1", "-2+3", "@SUM(A1:A9)",
                          '=HYPERLINK("http://x")', "\t=1"])
    cell = '"' + formula.replace('"', '""') + '"'
    return data.replace(b"Buyer", cell.encode(), rng.randrange(1, 6))


def _dates(rng: random.Random, data: bytes) -> bytes:
    bad = rng.choice([b"05 Jan 0000", b"05 Jan 0001", b"31 Feb 2021", b"05 Jan 9999",
                      b"05 Jan 1899", b"00 Jan 2020", b"-1 Jan 2020", b"05 Jan 20211"])
    lines = data.split(b"\n")
    for _ in range(rng.randrange(1, 4)):
        pos = _row_index(rng, lines)
        head, _, _ = lines[pos].rpartition(b",")
        lines[pos] = head + b"," + bad
    return b"\n".join(lines)


def _urls(rng: random.Random, data: bytes) -> bytes:
    bad = rng.choice([b"%C3%28", b"%zz", b"%", b"%ff%fe", b"%00", b"%E2%82"])
    return data.replace(b"linkedin.com/in/p", b"linkedin.com/in/" + bad + b"p",
                        rng.randrange(1, 10))


def _quotes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        out.insert(rng.randrange(len(out)), ord('"'))
    return bytes(out)


def _lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    choice = rng.randrange(4)
    if choice == 0:  # header removed
        return b"\n".join(line for line in lines if not line.startswith(b"First Name"))
    if choice == 1:  # rows duplicated and shuffled
        body = lines[4:] * 2
        rng.shuffle(body)
        return b"\n".join(lines[:4] + body)
    if choice == 2:  # only the header
        return b"\n".join(lines[:4])
    return rng.choice([b"", b"   \n\n", b"\xef\xbb\xbf", codecs.BOM_UTF16_LE])


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _truncate, _bit_flips, _nuls, _delimiter, _encoding, _line_endings, _enormous_field,
    _enormous_header, _enormous_row, _binary, _formulas, _dates, _urls, _quotes, _lines,
]


def corpus(count: int, seed: int = 20261201) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated exports, cycling through every mutation (some applied twice)."""
    for n in range(count):
        rng = random.Random(seed * 1000 + n)
        data = clean_export(rng).encode("utf-8")
        first = MUTATIONS[n % len(MUTATIONS)]
        data = first(rng, data)
        name = first.__name__.strip("_")
        if n % 7 == 3 and len(data) > 8:  # a second mutation on top
            second = rng.choice(MUTATIONS)
            data = second(rng, data) if len(data) > 8 else data
            name += "+" + second.__name__.strip("_")
        yield f"{n:03d}_{name}", data

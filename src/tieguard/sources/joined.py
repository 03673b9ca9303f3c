"""Many small exports of one layout joined into one file for the engine's CSV reader.

The engine's reader pays a fixed cost per file (about 0.4 ms of CPU: opening, buffers,
a scanner per file), which for exports of a few hundred rows is most of the read.
Joining the rows of a group of same-layout files into one file, each line prefixed
with its file's ``file_idx``, lets the engine read them as one parallel stream; the
prefix says which file a row came from. Line endings become LF (the reader expects one
kind per file; a CR inside a field makes a file not joinable, see below).

A file is joined only if a line break inside quotes can never carry the parse across
its end into the next file: its head (preamble and header) and its rows each hold an
even number of quote characters, and it has no lone CR and no blank lines (which the engine skips but
a prefixed line would not be). A line break inside a quoted field within a file puts a
prefix into that field, but the file then has fewer records than lines, and that
count check (:func:`tieguard.sources.linkedin.stage_connections`) sends the file to
the exact Python reader, as without joining. Files not joined are read one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .sniff import ConnectionsFile

__all__ = ["write_joined", "rows_of"]


def rows_of(data: bytes, header_index: int) -> bytes | None:
    """The bytes after the header line (``header_index``, 0-based) without the final line
    breaks; None when a quote character is left open by the head or the rows."""
    start = 0
    for _ in range(header_index + 1):
        end = data.find(b"\n", start)
        if end < 0:
            return b""  # no line after the header: no rows
        if data.count(b'"', start, end) % 2:
            return None
        start = end + 1
    rows = data[start:].rstrip(b"\r\n")
    return None if rows.count(b'"') % 2 else rows


def write_joined(files: Sequence[ConnectionsFile], path: Path, delimiter: str) -> list[ConnectionsFile]:
    """Write the rows of the joinable ``files`` to ``path``, every line prefixed with its
    file's ``file_idx`` and ``delimiter``; return the files written."""
    sep = delimiter.encode("ascii")
    written: list[ConnectionsFile] = []
    with open(path, "wb") as out:
        for cf in files:
            if cf.blank_lines or cf.lone_cr:
                continue
            with open(cf.read_path, "rb") as fh:
                rows = rows_of(fh.read(), cf.header_index)
            if rows is None:
                continue
            if rows:  # one line ending for the whole file: the reader expects one
                rows = rows.replace(b"\r\n", b"\n") if b"\r" in rows else rows
                prefix = str(cf.file_idx).encode("ascii") + sep
                out.write(prefix + rows.replace(b"\n", b"\n" + prefix) + b"\n")
            written.append(cf)
    return written

"""CSV in and out for ``tieguard roles classify --in F --out O``: Arrow's multi-threaded reader and writer.

Headers are read by name; every column is read as text (nothing is converted). The
delimiter is sniffed from the first 4 KB (``,`` ``;`` tab ``|``); a file that is not UTF-8
is decoded as cp1252 (spreadsheet re-saves).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from ..errors import ConfigError, EmptyInputError, InputError

__all__ = ["TITLE_HEADERS", "pick_column", "read_table", "write_table"]

TITLE_HEADERS = ("position", "title", "job title", "jobtitle", "headline", "functie", "funktion", "poste")


def _sniff(sample: str) -> tuple[str, list[str]]:
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    return delimiter, header


def read_table(path: Path) -> pa.Table:
    """All columns of a CSV file as text."""
    import pyarrow.csv as pacsv

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}. Check the path given with --in.") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        sample = raw[:4096].decode("utf-8", errors="ignore")
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raw = raw.decode("cp1252", errors="replace").encode("utf-8")
        sample = raw[:4096].decode("utf-8", errors="ignore")
    delimiter, header = _sniff(sample)
    if not header:
        raise EmptyInputError(f"{path} is empty: it has no header row. Give a CSV file with a title column.")
    try:
        return pacsv.read_csv(
            io.BytesIO(raw),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header}, strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InputError(
            f"{path} is not a well-formed CSV file ({exc}). Check that every row has as many "
            "fields as the header and that quotes are closed."
        ) from exc


def pick_column(path: Path, header: list[str], column: str | None) -> str:
    """The title column: ``--column``, else a usual title header, else the only column."""
    if column:
        if column not in header:
            raise ConfigError(f"{path} has no column {column!r}; its columns are {', '.join(header)}. Fix --column.")
        return column
    lowered = {h.strip().lower(): h for h in header}
    for name in TITLE_HEADERS:
        if name in lowered:
            return lowered[name]
    if len(header) == 1:
        return header[0]
    raise ConfigError(
        f"{path}: cannot tell which column holds the titles (columns: {', '.join(header)}). Name it with --column."
    )


def write_table(table: pa.Table, dest: Path | BinaryIO) -> None:
    """CSV with a header row (Arrow's writer)."""
    import pyarrow.csv as pacsv

    pacsv.write_csv(table, dest if not isinstance(dest, Path) else str(dest))

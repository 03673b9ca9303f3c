"""Column-at-a-time text building for the generator's files (Arrow compute, numpy).

The files are written exactly as Python's ``csv.writer`` (``QUOTE_MINIMAL``, ``"``
doubled) would write them row by row, but a whole column at a time: a field is quoted
when it holds the delimiter, a quote or a character of the line terminator. A file's
body is then one contiguous slice of an Arrow string array's data buffer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .config import date_of

__all__ = ["h32", "hex8", "strings", "take", "csv_fields", "csv_lines", "byte_slices", "day_lookup",
           "map_strings", "TRUE_FALSE"]

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
TRUE_FALSE = pa.array(["false", "true"])


def h32(values: np.ndarray) -> np.ndarray:
    """The generator's integer hash ``(i * 2654435761 + 12345) & 0xFFFFFFFF`` of each value
    (as :func:`tieguard.synth.render._h`; negative values as Python's ``&`` treats them)."""
    return (values.astype(np.int64) * 2654435761 + 12345) & 0xFFFFFFFF


def hex8(values: np.ndarray) -> pa.Array:
    """``f"{v:08x}"`` of each 32-bit value."""
    shifts = np.arange(28, -1, -4, dtype=np.int64)
    digits = _HEX[(values.astype(np.int64)[:, None] >> shifts) & 0xF]
    offsets = np.arange(0, 8 * values.size + 1, 8, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(values.size, pa.py_buffer(offsets),
                                            pa.py_buffer(np.ascontiguousarray(digits).tobytes())).cast(pa.string())


def strings(values: Sequence[str] | np.ndarray) -> pa.Array:
    return pa.array(list(values), pa.string())


def take(table: pa.Array, index: np.ndarray) -> pa.Array:
    return pc.take(table, pa.array(index.astype(np.int64)))


def _needs_quotes(column: pa.Array, delim: str, eol: str) -> pa.Array:
    specials = {delim, '"', *eol}
    pattern = "[" + "".join("\\" + c if c in "\\]^-[" else c for c in sorted(specials)) + "]"
    return pc.match_substring_regex(column, pattern)


def csv_fields(column: pa.Array, delim: str, eol: str) -> pa.Array:
    """The column as ``csv.writer`` writes its fields (``QUOTE_MINIMAL``)."""
    needs = _needs_quotes(column, delim, eol)
    if not pc.any(needs).as_py():
        return column
    doubled = pc.replace_substring(column, '"', '""')
    return pc.if_else(needs, pc.binary_join_element_wise('"', doubled, '"', ""), column)


def csv_lines(columns: Sequence[pa.Array], delim: str, eol: str) -> pa.Array:
    """One CSV line per row (terminated by ``eol``) from equally long string columns."""
    fields = [csv_fields(c, delim, eol) for c in columns]
    line = pc.binary_join_element_wise(*fields, delim)
    return pc.binary_join_element_wise(line, eol, "")


def byte_slices(lines: pa.Array, starts: np.ndarray, stops: np.ndarray) -> list[bytes]:
    """The UTF-8 bytes of rows ``starts[k]:stops[k]`` of ``lines``, for each k."""
    arr = lines.cast(pa.large_string())
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset: arr.offset + len(arr) + 1]
    data = memoryview(data_buf) if data_buf is not None else memoryview(b"")
    return [bytes(data[int(offsets[a]):int(offsets[b])]) for a, b in zip(starts, stops, strict=True)]


def day_lookup(days: np.ndarray, fmt: Callable[[dt.date], str]) -> pa.Array:
    """``fmt(date)`` of each day number, through a table of the days' range."""
    if days.size == 0:
        return pa.array([], pa.string())
    lo, hi = int(days.min()), int(days.max())
    table = strings([fmt(date_of(d)) for d in range(lo, hi + 1)])
    return take(table, days.astype(np.int64) - lo)


def map_strings(column: pa.Array, fn: Callable[[str], str], where: pa.Array | None = None) -> pa.Array:
    """``fn`` applied to each distinct value of ``column`` (rows where ``where`` is true)."""
    rows = np.arange(len(column)) if where is None else np.flatnonzero(where.to_numpy(zero_copy_only=False))
    if rows.size == 0:
        return column
    subset = take(column, rows)
    distinct = pc.unique(subset)
    mapped = strings([fn(v) for v in distinct.to_pylist()])
    new = pc.take(mapped, pc.index_in(subset, value_set=distinct))
    mask = np.zeros(len(column), bool)
    mask[rows] = True
    return pc.replace_with_mask(column, pa.array(mask), new)

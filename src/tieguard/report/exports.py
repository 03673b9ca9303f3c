"""CSV and JSON exports of the shared tables, plus ``headline.json``.

Only tables of the shared report are exported (no per-employee tables); team
figures carry the same small-group suppression as the report.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..engine import Engine
from ..settings import Settings
from .data import MIN_GROUP_SIZE, SHARED_TABLES, has_rows, shared_table_sql
from .headline import headline_data

__all__ = ["write_exports"]

log = logging.getLogger(__name__)


def _clean(value: Any) -> Any:
    """NaN and infinities become ``null`` so that the file is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


#: A cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(...)``,
#: ``+cmd|...``, ``@SUM``; tab and CR start one in some programs).
FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(data: pa.Table) -> pa.Table:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe (OWASP's
    advice for CSV injection): account, company and team names come from CRM and roster
    exports that anyone may have typed into."""
    for i, field in enumerate(data.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = data.column(i)
            risky = pc.match_substring_regex(column, FORMULA_START)
            quoted = pc.binary_join_element_wise("'", column, "")
            data = data.set_column(i, field.name, pc.if_else(risky, quoted, column))
    return data


def _csv_safe(data: pa.Table) -> pa.Table:
    """List columns (e.g. roles reached) become ``|``-joined text for CSV; formulas are
    neutralised (:func:`neutralise_formulas`)."""
    data = _lists_as_text(data)
    return neutralise_formulas(data)


def _lists_as_text(data: pa.Table) -> pa.Table:
    for i, field in enumerate(data.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            as_text = data.column(i).cast(pa.list_(pa.string()))
            data = data.set_column(i, field.name, pc.binary_join(as_text, "|"))
        elif pa.types.is_struct(field.type) or pa.types.is_map(field.type):
            text = [json.dumps(v, default=str) for v in data.column(i).to_pylist()]
            data = data.set_column(i, field.name, pa.array(text, pa.string()))
    return data


def _write_records_json(path: Path, data: pa.Table) -> None:
    """A JSON array of row objects, written by pandas' C encoder (fast for millions of rows);
    dates as ISO text, NaN as ``null``, integers stay integers."""
    for i, field in enumerate(data.schema):
        if pa.types.is_temporal(field.type):
            data = data.set_column(i, field.name, pc.cast(data.column(i), pa.string()))
    frame = data.to_pandas(types_mapper=pd.ArrowDtype)
    frame.to_json(path, orient="records", force_ascii=False, indent=None)


def _write_json(path: Path, payload: Any) -> None:
    text = json.dumps(_clean(payload), default=str, ensure_ascii=False, indent=2, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def write_exports(
    engine: Engine, settings: Settings, exports_dir: Path, *, min_group: int = MIN_GROUP_SIZE
) -> list[Path]:
    """Write ``<table>.csv`` and ``<table>.json`` for each shared table present, and
    ``headline.json``; return the files written."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in SHARED_TABLES:
        if not has_rows(engine, table):
            continue
        sql, params = shared_table_sql(table, min_group)
        data = engine.fetch_arrow(sql, params)
        csv_path = exports_dir / f"{table}.csv"
        pa_csv.write_csv(_csv_safe(data), csv_path)
        json_path = exports_dir / f"{table}.json"
        _write_records_json(json_path, data)
        written += [csv_path, json_path]
        log.info("exported %s (%d rows)", table, data.num_rows)
    headline = exports_dir / "headline.json"
    _write_json(headline, headline_data(engine, settings))
    written.append(headline)
    return written

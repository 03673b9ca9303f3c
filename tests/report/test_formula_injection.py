"""CSV exports never hand a spreadsheet a formula: every text cell of every shared table that
starts with = + - @ (or tab/CR) is written with a leading apostrophe."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tieguard.engine import Engine
from tieguard.report import build_report
from tieguard.report.data import SHARED_TABLES
from tieguard.settings import Settings

HOSTILE = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
           "-2+3")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def test_every_text_cell_of_every_export_is_defused(warehouse: Engine, settings: Settings,
                                                     tmp_path: Path) -> None:
    planted = 0
    for table in SHARED_TABLES:
        if not warehouse.table_exists(table):
            continue
        for n, (column, kind) in enumerate(warehouse.table_columns(table)):
            if kind.upper() == "VARCHAR":
                warehouse.execute(f'UPDATE {warehouse.ident(table)} SET "{column}" = ? || '
                                  f'coalesce("{column}", \'\')', [HOSTILE[n % len(HOSTILE)]])
                planted += 1
    assert planted > 5
    build_report(warehouse, settings, tmp_path / "out")
    cells = 0
    for path in (tmp_path / "out" / "exports").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.match(cell):
                        raise AssertionError(f"{path.name}: formula cell {cell!r}")
                    cells += cell.startswith("'")
    assert cells > 0  # the planted values arrived, defused

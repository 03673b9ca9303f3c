"""Hostile files through the CLI: 0 tracebacks, 0 hangs, the warehouse unchanged on refusal.

The corpus (``fuzzcorpus.py``) is made at test time, the same on every run. Each file
goes through ``tieguard import linkedin`` into one warehouse; a refused file (non-zero
exit) must leave every table exactly as it was, an accepted one must store no date
outside the accepted range and no quarantined row in plain text. The test suite runs 45 files
(every mutation three times, some with a second one on top) to stay within ~30 s;
``make bench`` runs 220 (benchmarks/fuzz.py), and ``TIEGUARD_FUZZ_FILES`` sets any size.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import os
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tieguard.settings import SourcesSettings
from tieguard.warehouse import CANONICAL_TABLES, open_warehouse

from .fuzzcorpus import corpus

FILES = int(os.environ.get("TIEGUARD_FUZZ_FILES", "45"))
#: Seconds one file may take (measured: well under 1 s each on a shared 2-core machine).
PER_FILE_SECONDS = 10.0
EXIT_CODES = {0, 3}  # imported (maybe with quarantined rows) or refused with a sentence


def _contents(db: Path) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows (as text, sorted)."""
    engine = open_warehouse(db)
    try:
        sql = " UNION ALL ".join(
            f"SELECT '{t}', count(*), md5(coalesce(string_agg(CAST(r AS VARCHAR), chr(10) "
            f"ORDER BY CAST(r AS VARCHAR)), '')) FROM {t} r" for t in CANONICAL_TABLES)
        return {row[0]: (row[1], row[2]) for row in engine.fetchall(sql)}
    finally:
        engine.close()


def _plain_text_in_quarantine(db: Path) -> list[str]:
    engine = open_warehouse(db)
    try:
        raws = [r[0] for r in engine.fetchall("SELECT raw FROM quarantine WHERE raw IS NOT NULL")]
    finally:
        engine.close()
    return [raw for raw in raws if any(ch.isalnum() and ch not in "aA9" for ch in raw)]


def test_fuzz_corpus_through_the_cli(tmp_path: Path) -> None:
    from tieguard.cli.main import app

    runner = CliRunner()
    db = tmp_path / "w.duckdb"
    seed = tmp_path / "seed.csv"
    seed.write_text("First Name,Last Name,Connected On\nAnna,Berg,05 Jan 2021\n", encoding="utf-8")
    assert runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(seed), "--employee", "E0", "--db",
                               str(db), "--create"]).exit_code == 0
    failures: list[str] = []
    outcomes = {"imported": 0, "refused": 0}
    faulthandler.dump_traceback_later(PER_FILE_SECONDS * 6, exit=True)  # a hang ends the run
    try:
        after = _contents(db)
        for n, (name, data) in enumerate(corpus(FILES)):
            path = tmp_path / f"{name}.csv"
            path.write_bytes(data)
            before = after
            start = time.monotonic()
            faulthandler.dump_traceback_later(PER_FILE_SECONDS * 6, exit=True)
            result = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(path), "--employee",
                                         f"E{n + 1}", "--db", str(db)])
            took = time.monotonic() - start
            path.unlink()
            problem = _judge(result, took)
            if problem:
                failures.append(f"{name}: {problem}")
            after = _contents(db)
            if problem:
                continue
            if result.exit_code != 0:
                outcomes["refused"] += 1
                if after != before:
                    failures.append(f"{name}: refused, but the warehouse changed")
            else:
                outcomes["imported"] += 1
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert not failures, "\n".join(failures[:20])
    assert outcomes["imported"] > FILES // 5 and outcomes["refused"] > FILES // 5, outcomes
    _check_stored(db)


def _judge(result: Any, took: float) -> str | None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"exception {result.exception!r}"
    if "Traceback" in result.output:
        return "traceback in the output"
    if result.exit_code not in EXIT_CODES:
        return f"exit code {result.exit_code}: {result.output[-300:]}"
    if result.exit_code != 0 and "Error" not in result.output:
        return "refused without a message"
    if took > PER_FILE_SECONDS:
        return f"took {took:.1f} s"
    return None


def _check_stored(db: Path) -> None:
    """What the accepted files left: dates in range, readable, quarantine without names."""
    limits = SourcesSettings()
    latest = dt.date.today() + dt.timedelta(days=limits.latest_days_ahead)
    engine = open_warehouse(db)
    try:
        dates = [r[0] for r in engine.fetchall("SELECT connected_on FROM ties "
                                               "WHERE connected_on IS NOT NULL")]
        quarantined = engine.scalar("SELECT count(*) FROM quarantine")
    finally:
        engine.close()
    assert dates and all(limits.earliest_date <= d <= latest for d in dates)
    assert quarantined > 0
    assert _plain_text_in_quarantine(db) == []

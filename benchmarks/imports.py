"""Benchmark: import LinkedIn Connections.csv exports into a DuckDB warehouse.

Generates FILES exports of ROWS rows each in a mix of the variants (or uses
``tieguard.synth`` with --synth SIZE), times ``import_directory`` and prints rows/s,
peak RSS, CPU time, a calibration (the bare engine CSV read rate right before the
run: the machine is shared) and the wall time per import phase. Usage::

    .venv/bin/python benchmarks/imports.py --files 10000 --rows 500 --memory-limit 1GB \\
        [--data-dir /tmp/tg-bench-10k] [--write-md]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from tieguard.sources import import_directory
from tieguard.sources.dates import format_date
from tieguard.warehouse import open_warehouse

PRE = 'Notes:\n"When exporting your connection data, you may notice that some emails are missing."\n\n'
LAYOUTS = [("linkedin_current", ",", True, True, "utf-8"), ("linkedin_2021", ",", False, False,
           "utf-8"), ("linkedin_2018", ",", False, False, "utf-8"),
           ("spreadsheet_resave", ",", False, True, "utf-8"),
           ("spreadsheet_semicolon", ";", False, False, "cp1252")]
FIRST = ["Anna", "Jörg", "Pierre", "Lars", "Maria", "Sam", "Élodie", "Jan", "Piet", "Eva"]
LAST = ["de Vries", "Müller", "Dubois", "Andersson", "Rossi", "O'Neil", "Weiß", "Jansen"]
COMPANY = ["Van Leeuwen Buizen B.V.", "Stahlbau Müller GmbH", "Dubois S.A.S.", "Acme, Inc.",
           "Nordic Steel AB", "Rossi S.p.A."]


def write_files(out: Path, files: int, rows: int, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed)
    entries = []
    for f in range(files):
        variant, delim, pre, url, enc = LAYOUTS[f % len(LAYOUTS)]
        header = ["First Name", "Last Name"] + (["URL"] if url else []) + \
            ["Email Address", "Company", "Position", "Connected On"]
        lines = [delim.join(header)]
        for i in range(rows):
            person = rng.randrange(rows * files // 3)
            when = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4000))
            company = COMPANY[person % len(COMPANY)]
            cells = [FIRST[person % 10], f"{LAST[person % 8]} {person}"] + \
                ([f"https://www.linkedin.com/in/p-{person}"] if url else []) + \
                ["", f'"{company}"' if delim in company else company, "Buyer",
                 f'"{format_date(when, variant)}"' if delim in format_date(when, variant)
                 else format_date(when, variant)]
            lines.append(delim.join(cells) if i % 97 else delim.join([""] * (len(header) - 1)
                                                                     + [cells[-1]]))
        path = out / "linkedin" / f"E{f:05d}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (PRE if pre else "") + "\n".join(lines)
        path.write_bytes(text.encode(enc, errors="replace"))
        entries.append({"employee": f"E{f:05d}", "path": str(path.relative_to(out))})
    manifest = {"linkedin": entries}
    (out / "manifest.json").write_text(json.dumps(manifest))
    return manifest


PHASES = [("engine read + classify + person keys", ("INSERT INTO _tg_conn",)),
          ("tie keys, in-file duplicates", ("CREATE OR REPLACE TEMP TABLE _tg_ties",
                                            "DELETE FROM _tg_ties", "INSERT INTO _tg_ties")),
          ("tie_people (aggregate, join, insert)", ("CREATE OR REPLACE TEMP TABLE _tg_people",
                                                    "INSERT INTO tie_people",
                                                    "UPDATE tie_people")),
          ("ties (removals, insert)", ("INSERT INTO ties", "UPDATE ties", "_tg_existing",
                                       "_tg_removed")),
          ("commit", ("COMMIT",))]


class PhaseTimer:
    """Wall time of the engine's statements by import phase (wraps one Engine)."""

    def __init__(self, engine: Any) -> None:
        self.seconds: dict[str, float] = {}
        for name in ("execute", "fetchall"):
            original = getattr(engine, name)
            setattr(engine, name, self._timed(original))
        original_tx = engine.transaction

        @contextlib.contextmanager
        def transaction() -> Iterator[None]:
            with original_tx():
                yield
                start = time.perf_counter()
            self._add("COMMIT", time.perf_counter() - start)
        engine.transaction = transaction

    def _timed(self, fn: Any) -> Any:
        def run(sql: str, params: Any = None) -> Any:
            start = time.perf_counter()
            try:
                return fn(sql, params)
            finally:
                self._add(sql, time.perf_counter() - start)
        return run

    def _add(self, sql: str, secs: float) -> None:
        head = " ".join(sql.split())
        phase = next((name for name, keys in PHASES if any(k in head for k in keys)),
                     "other statements")
        self.seconds[phase] = self.seconds.get(phase, 0.0) + secs


def calibrate(out: Path, rows: int = 1_000_000) -> float:
    """Rows/s of a bare engine CSV read of ``rows`` rows into a table: the machine's
    current speed, to compare runs on a shared machine."""
    path = out / "calibration.csv"
    line = "Anna,de Vries 123,https://www.linkedin.com/in/p-123,,Acme Inc.,Buyer,05 Jan 2026\n"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                    + line * rows)
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{path}', all_varchar=true)")
    secs = time.perf_counter() - start
    con.close()
    path.unlink()
    return rows / secs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--synth", help="use tieguard.synth.generate with this size instead")
    parser.add_argument("--data-dir", help="reuse (or first write) the exports in this directory")
    parser.add_argument("--memory-limit", help="engine memory limit, e.g. 1GB")
    parser.add_argument("--write-md", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tg-bench-") as tmp:
        out = Path(args.data_dir) if args.data_dir else Path(tmp)
        t0 = time.perf_counter()
        if not (out / "manifest.json").exists():
            out.mkdir(parents=True, exist_ok=True)
            if args.synth:
                from tieguard.synth import generate

                generate(out, size=args.synth, seed=1)
            else:
                write_files(out, args.files, args.rows)
        gen_s = time.perf_counter() - t0
        calibration = calibrate(Path(tmp))
        load_before = os.getloadavg()[0]
        engine = open_warehouse(Path(tmp) / "w.duckdb", memory_limit=args.memory_limit)
        phases = PhaseTimer(engine)
        cpu0, t0 = os.times(), time.perf_counter()
        reports = import_directory(engine, out)
        secs = time.perf_counter() - t0
        cpu1 = os.times()
        conn = [r for r in reports if r.kind == "linkedin_connections"]
        rows = sum(r.rows for r in conn)
        ties = engine.scalar("SELECT count(*) FROM ties")
        engine.close()
    cpu = cpu1.user + cpu1.system - cpu0.user - cpu0.system
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = [("files", f"{len(conn):,}"), ("connection rows", f"{rows:,}"),
               ("ties stored", f"{ties:,}"), ("generation (s)", f"{gen_s:.1f}"),
               ("import (s)", f"{secs:.1f}"), ("rows/s", f"{rows / secs:,.0f}"),
               ("CPU time of the import (s, both cores)", f"{cpu:.1f}"),
               ("peak RSS (MB)", f"{peak_mb:,.0f}"),
               ("calibration: bare engine CSV read (rows/s)", f"{calibration:,.0f}"),
               ("load average (1 min) before / after",
                f"{load_before:.1f} / {os.getloadavg()[0]:.1f}")]
    sql = sum(phases.seconds.values())
    breakdown = sorted(phases.seconds.items(), key=lambda kv: -kv[1]) + [
        ("Python on the main thread (waiting for inspection, reports)", secs - sql)]
    table = "| figure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in figures)
    table += "\n\n| phase (wall time) | s | share |\n|---|---|---|\n" + "\n".join(
        f"| {k} | {v:.1f} | {v / secs:.0%} |" for k, v in breakdown)
    print(table)
    if args.write_md:
        cmd = ".venv/bin/python benchmarks/imports.py " + " ".join(sys.argv[1:])
        md = Path(__file__).parents[1] / "docs" / "benchmarks" / "imports.md"
        text = md.read_text(encoding="utf-8") if md.exists() else "# Import benchmark\n"
        text = text.split("\n## Latest run")[0].rstrip("\n")
        md.write_text(f"{text}\n\n## Latest run\n\nCommand: `{cmd}` (2 cores, 24 GB).\n\n"
                      f"{table}\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: import LinkedIn Connections.csv exports into a DuckDB warehouse.

Generates FILES exports of ROWS rows each in a mix of the variants (or uses
``tieguard.synth`` with --synth SIZE), times ``import_directory`` into a fresh warehouse
and prints rows/s, peak RSS, CPU time, a calibration (the bare engine CSV read rate
right before the run: the machine is shared), its ratio to the import's rate and the
wall time per import phase. RUNS runs (default 3), each in a cold process on its own
inputs (seed 7 + run); the median run (by rows/s) is reported. Usage::

    .venv/bin/python benchmarks/imports.py --files 4000 --rows 500 --memory-limit 1GB \\
        [--runs 3] [--data-dir /tmp/tg-bench-4k] [--write-md]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import subprocess
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


PHASES = [("engine read + classify", ("INSERT INTO _tg_conn",)),
          ("person keys (once per distinct URL and name) and linking",
           ("TEMP TABLE _tg_links ", "TEMP TABLE _tg_link_url ", "TEMP TABLE _tg_link_name ")),
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
        head = " ".join(sql.split()).replace('"', "")
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


def prepare(args: argparse.Namespace, data: Path, seed: int) -> None:
    """Write the exports of one run (unless ``data`` holds them from an earlier call)."""
    if (data / "manifest.json").exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    if args.synth:
        from tieguard.synth import generate

        generate(data, size=args.synth, seed=seed)
    else:
        write_files(data, args.files, args.rows, seed=seed)


def measure_once(args: argparse.Namespace, data: Path) -> dict[str, Any]:
    """One import into a fresh warehouse (this process is a cold child of :func:`main`)."""
    with tempfile.TemporaryDirectory(prefix="tg-bench-") as tmp:
        calibration = calibrate(Path(tmp))
        load_before = os.getloadavg()[0]
        engine = open_warehouse(Path(tmp) / "w.duckdb", memory_limit=args.memory_limit)
        phases = PhaseTimer(engine)
        cpu0, t0 = os.times(), time.perf_counter()
        reports = import_directory(engine, data, basis="consent")
        secs = time.perf_counter() - t0
        cpu1 = os.times()
        conn = [r for r in reports if r.kind == "linkedin_connections"]
        ties = engine.scalar("SELECT count(*) FROM ties")
        engine.close()
    return {"files": len(conn), "rows": sum(r.rows for r in conn), "ties": ties,
            "import_s": secs, "cpu_s": cpu1.user + cpu1.system - cpu0.user - cpu0.system,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "calibration": calibration, "load_before": load_before, "load_after": os.getloadavg()[0],
            "phases": phases.seconds}


def _child_run(run: int, data: Path) -> dict[str, Any]:
    """Run :func:`measure_once` in a cold process."""
    argv = [sys.executable, __file__, *sys.argv[1:], "--child-run", str(run), "--child-data", str(data)]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def report(runs: list[dict[str, Any]]) -> str:
    """The median run's figures (by rows/s), the spread, and its phase breakdown."""
    for r in runs:
        r["rows_per_s"] = r["rows"] / r["import_s"]
        r["ratio"] = r["rows_per_s"] / r["calibration"]
    ordered = sorted(runs, key=lambda r: r["rows_per_s"])
    med = ordered[len(ordered) // 2]
    spread = ", ".join(f"{r['rows_per_s']:,.0f}" for r in runs)
    figures = [("runs (cold processes, distinct inputs)", f"{len(runs)}"),
               ("files", f"{med['files']:,}"), ("connection rows", f"{med['rows']:,}"),
               ("ties stored", f"{med['ties']:,}"),
               ("import (s), median run", f"{med['import_s']:.1f}"),
               ("rows/s, median run", f"{med['rows_per_s']:,.0f}"), ("rows/s of each run", spread),
               ("CPU time of the import (s, both cores)", f"{med['cpu_s']:.1f}"),
               ("CPU seconds per million rows", f"{med['cpu_s'] / med['rows'] * 1e6:.1f}"),
               ("peak RSS (MB, largest run)", f"{max(r['peak_mb'] for r in runs):,.0f}"),
               ("calibration: bare engine CSV read (rows/s)", f"{med['calibration']:,.0f}"),
               ("import rows/s / calibration (median run)", f"{med['ratio']:.3f}"),
               ("load average (1 min) before / after, median run",
                f"{med['load_before']:.1f} / {med['load_after']:.1f}")]
    table = "| figure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in figures)
    secs = med["import_s"]
    breakdown = sorted(med["phases"].items(), key=lambda kv: -kv[1]) + [
        ("Python on the main thread (waiting for inspection, reports)", secs - sum(med["phases"].values()))]
    return table + "\n\n| phase (wall time, median run) | s | share |\n|---|---|---|\n" + "\n".join(
        f"| {k} | {v:.1f} | {v / secs:.0%} |" for k, v in breakdown)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synth", help="use tieguard.synth.generate with this size instead")
    parser.add_argument("--data-dir", help="reuse (or first write) the exports in DIR/run-N")
    parser.add_argument("--memory-limit", help="engine memory limit, e.g. 1GB")
    parser.add_argument("--write-md", action="store_true")
    parser.add_argument("--child-run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_run is not None:
        print(json.dumps(measure_once(args, Path(args.child_data))))
        return
    with tempfile.TemporaryDirectory(prefix="tg-bench-data-") as tmp:
        base = Path(args.data_dir) if args.data_dir else Path(tmp)
        runs = []
        for run in range(args.runs):
            prepare(args, base / f"run-{run}", seed=7 + run)
            runs.append(_child_run(run, base / f"run-{run}"))
            print(f"run {run + 1}: {runs[-1]['rows'] / runs[-1]['import_s']:,.0f} rows/s, "
                  f"calibration {runs[-1]['calibration']:,.0f}, load {runs[-1]['load_before']:.1f}", flush=True)
    table = report(runs)
    print(table)
    if args.write_md:
        cmd = ".venv/bin/python benchmarks/imports.py " + " ".join(sys.argv[1:])
        md = Path(__file__).parents[1] / "docs" / "benchmarks" / "imports.md"
        text = md.read_text(encoding="utf-8") if md.exists() else "# Import benchmark\n"
        text = text.split("\n## Latest run")[0].rstrip("\n")
        md.write_text(f"{text}\n\n## Latest run\n\nCommand: `{cmd}` (2 cores, 24 GB, shared).\n\n"
                      f"{table}\n", encoding="utf-8")


if __name__ == "__main__":
    main()

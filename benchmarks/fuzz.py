"""The full hostile-file corpus (issue 12): 220 mutated Connections.csv through the CLI.

Usage: .venv/bin/python benchmarks/fuzz.py [--files 220] [--runs 3] [--out docs/benchmarks/fuzz.md]
Runs tests/sources/test_fuzz.py with TIEGUARD_FUZZ_FILES in a cold process per run (the test
suite runs a 45-file subset); prints wall seconds per run, the median and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(files: int) -> tuple[float, bool]:
    env = {**os.environ, "TIEGUARD_FUZZ_FILES": str(files)}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "sources" / "test_fuzz.py")],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    return time.monotonic() - start, done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=220)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "fuzz.md")
    args = parser.parse_args()
    rows = []
    for run in range(1, args.runs + 1):
        seconds, passed = one_run(args.files)
        load = Path("/proc/loadavg").read_text().split()[0]
        rows.append((run, seconds, passed, load))
        print(f"run {run}: {seconds:.1f} s, {'passed' if passed else 'FAILED'}, load {load}")
    median = statistics.median(r[1] for r in rows)
    lines = ["# Benchmark: hostile-file corpus (fuzz)", "",
             f"Command: `python benchmarks/fuzz.py --files {args.files} --runs {args.runs}`", "",
             "| run | files | wall s | result | load average |", "|---:|---:|---:|---|---:|"]
    lines += [f"| {r} | {args.files} | {s:.1f} | {'passed' if p else 'FAILED'} | {ld} |"
              for r, s, p, ld in rows]
    lines += ["", f"Median {median:.1f} s for {args.files} files (shared machine)."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if not all(r[2] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""The demo end to end with a timeline: how long generation, import, each stage, the
what-ifs and the report take inside ``tieguard demo``.

Each run calls :func:`tieguard.demo.run_demo` (what ``tieguard demo`` runs) in a cold
child process and records when each progress step is first and last reported; the
median run (by wall time) is printed with its steps, the scan stages' own seconds, wall
and CPU time (all threads), peak RSS and the load average before and after, and the
wall, CPU and peak of every run. Usage::

    .venv/bin/python benchmarks/demo.py --size large [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def run_once(size: str, seed: int, out: Path) -> dict[str, Any]:
    """One demo in this process: its timeline, stage seconds, wall, CPU, peak, load."""
    from tieguard.demo import run_demo

    spans: dict[str, list[float]] = {}
    start, cpu0, load = time.perf_counter(), os.times(), os.getloadavg()[0]

    def record(step: str, done: int, total: int) -> None:
        now = time.perf_counter() - start
        spans.setdefault(step, [now, now])[1] = now

    result = run_demo(out, size=size, seed=seed, on_progress=record)
    cpu1 = os.times()
    return {"total_s": time.perf_counter() - start,
            "cpu_s": cpu1.user + cpu1.system - cpu0.user - cpu0.system,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load_before": load, "load_after": os.getloadavg()[0], "spans": spans,
            "stages": {k: float(v["seconds"]) for k, v in result["stages"].items()},
            "headline": {k: v for k, v in result["headline"].items() if k != "sentence"}}


def report(runs: list[dict[str, Any]], size: str, seed: int) -> str:
    """The median run's timeline and the figures of every run."""
    med = sorted(runs, key=lambda r: r["total_s"])[len(runs) // 2]
    lines = ["| progress step, median run (first report → last) | from s | to s |", "|---|---:|---:|"]
    lines += [f"| {step} | {a:.0f} | {b:.0f} |" for step, (a, b) in med["spans"].items()]
    lines += ["", "| scan stage, median run | seconds |", "|---|---:|"]
    lines += [f"| {name} | {secs:.1f} |" for name, secs in med["stages"].items()]
    lines += ["", "| run | wall s | CPU s | peak RSS MB | load before / after |", "|---|---:|---:|---:|---|"]
    lines += [f"| {n} | {r['total_s']:.0f} | {r['cpu_s']:.0f} | {r['peak_mb']:,.0f} | "
              f"{r['load_before']:.1f} / {r['load_after']:.1f} |" for n, r in enumerate(runs, 1)]
    lines += ["", f"Median of {len(runs)} cold run(s): {med['total_s']:.0f} s wall, {med['cpu_s']:.0f} CPU-s; "
              f"largest peak RSS {max(r['peak_mb'] for r in runs):,.0f} MB. Size {size}, seed {seed}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="large")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="demo folder of the child run (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures of every run as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_once(args.size, args.seed, args.out), default=str))
        return
    runs = []
    for n in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="tg-demo-") as tmp:
            argv = [sys.executable, __file__, "--child", "--size", args.size, "--seed", str(args.seed),
                    "--out", str(Path(tmp) / "demo")]
            out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        print(f"run {n + 1}: {runs[-1]['total_s']:.0f} s wall, {runs[-1]['cpu_s']:.0f} CPU-s, "
              f"load {runs[-1]['load_before']:.1f}", flush=True)
    print(report(runs, args.size, args.seed))
    print(json.dumps(runs[0]["headline"], default=str))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1, default=str))


if __name__ == "__main__":
    main()

"""The demo end to end with a timeline: how long generation, import, each stage, the
what-ifs and the report take inside ``tieguard demo``.

Calls :func:`tieguard.demo.run_demo` (what ``tieguard demo`` runs) in this cold process
and records when each progress step is first and last reported, then prints the steps
in order with their span, the scan stages' own seconds, total wall and CPU time, peak
RSS and the load average. Usage::

    .venv/bin/python benchmarks/demo.py --size large [--out /tmp/tg-demo-large] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from tieguard.demo import run_demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="large")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tg-demo-"))
    spans: dict[str, list[float]] = {}
    start, cpu0, load = time.perf_counter(), os.times(), os.getloadavg()

    def record(step: str, done: int, total: int) -> None:
        now = time.perf_counter() - start
        spans.setdefault(step, [now, now])[1] = now

    result = run_demo(out, size=args.size, seed=args.seed, on_progress=record)
    total = time.perf_counter() - start
    cpu1 = os.times()
    cpu = cpu1.user + cpu1.system - cpu0.user - cpu0.system
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = ["| progress step (first report → last) | from s | to s |", "|---|---:|---:|"]
    lines += [f"| {step} | {a:.0f} | {b:.0f} |" for step, (a, b) in spans.items()]
    lines += ["", "| scan stage | seconds |", "|---|---:|"]
    lines += [f"| {name} | {float(stage['seconds']):.1f} |" for name, stage in result["stages"].items()]
    lines += ["", f"Total {total:.0f} s wall, {cpu:.0f} CPU-s, peak RSS {peak:,.0f} MB; load average "
              f"before {load[0]:.1f}, after {os.getloadavg()[0]:.1f}. Size {args.size}, seed {args.seed}."]
    print("\n".join(lines))
    headline = {k: v for k, v in result["headline"].items() if k != "sentence"}
    print(json.dumps(headline, default=str))
    if args.json:
        args.json.write_text(json.dumps({"total_s": total, "cpu_s": cpu, "peak_mb": peak, "spans": spans,
                                         "stages": result["stages"], "headline": headline}, indent=1,
                                        default=str))


if __name__ == "__main__":
    main()

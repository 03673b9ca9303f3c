"""Benchmark the synthetic organisation: generation time, CPU time and peak memory per size.

Usage: .venv/bin/python benchmarks/synth.py [--large] [--runs 3] [--write docs/benchmarks/synth.md]
Each run is a fresh subprocess (cold, its own peak RSS) writing into an empty directory;
the median run (by wall time) of each size is reported with the load average before it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, os, resource, sys, time
from tieguard.synth import generate
t, c = time.perf_counter(), os.times()
s = generate(sys.argv[1], size=sys.argv[2], seed=0)
c2 = os.times()
s["seconds"] = time.perf_counter() - t
s["cpu"] = c2.user + c2.system - c.user - c.system
s["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(s))
"""


def run(size: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        load = os.getloadavg()[0]
        out = subprocess.run([sys.executable, "-c", CHILD, tmp, size], check=True, capture_output=True, text=True)
        result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
        result["disk_mb"] = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 1e6
        result["load"] = load
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="also run the large size (minutes)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="write the table as markdown to this file")
    args = parser.parse_args()
    sizes = ["small", "default"] + (["large"] if args.large else [])
    header = ("| size | employees | accounts | contacts | opportunities | ties | seconds (median) | "
              "seconds (each run) | CPU s | peak MB (largest run) | disk MB | load average before |")
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|"]
    for size in sizes:
        runs = sorted((run(size) for _ in range(args.runs)), key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
        r = runs[len(runs) // 2]
        each = ", ".join(f"{float(x['seconds']):.0f}" for x in runs)  # type: ignore[arg-type]
        loads = ", ".join(f"{float(x['load']):.1f}" for x in runs)  # type: ignore[arg-type]
        lines.append(f"| {size} | {r['employees']} | {r['accounts']} | {r['contacts']} | {r['opportunities']} | "
                     f"{r['ties']} | {r['seconds']:.1f} | {each} | {r['cpu']:.1f} | "
                     f"{max(float(x['peak_mb']) for x in runs):.0f} | {r['disk_mb']:.0f} | {loads} |")  # type: ignore[arg-type]
        print(lines[-1], flush=True)
    if args.write:
        cmd = "`.venv/bin/python benchmarks/synth.py" + (" --large" if args.large else "") + f" --write {args.write}`"
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("# Synthetic organisation: generation benchmark\n\n"
                              "Machine: 2 cores, 24 GB RAM, shared with other jobs. Command: " + cmd + "\n\n"
                              + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

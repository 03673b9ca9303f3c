"""Benchmark the synthetic organisation: generation time and peak memory per size.

Usage: .venv/bin/python benchmarks/synth.py [--large] [--write docs/benchmarks/synth.md]
Each size runs in a fresh subprocess so peak RSS is per size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from tieguard.synth import generate
t = time.perf_counter()
s = generate(sys.argv[1], size=sys.argv[2], seed=0)
s["seconds"] = time.perf_counter() - t
s["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(s))
"""


def run(size: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, tmp, size], check=True, capture_output=True, text=True)
        result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
        result["disk_mb"] = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 1e6
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="also run the large size (minutes)")
    parser.add_argument("--write", type=Path, help="write the table as markdown to this file")
    args = parser.parse_args()
    sizes = ["small", "default"] + (["large"] if args.large else [])
    header = "| size | employees | accounts | contacts | opportunities | ties | seconds | peak MB | disk MB |"
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        r = run(size)
        lines.append(f"| {size} | {r['employees']} | {r['accounts']} | {r['contacts']} | {r['opportunities']} | "
                     f"{r['ties']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | {r['disk_mb']:.0f} |")
        print(lines[-1], flush=True)
    if args.write:
        cmd = "`.venv/bin/python benchmarks/synth.py" + (" --large" if args.large else "") + f" --write {args.write}`"
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("# Synthetic organisation: generation benchmark\n\n"
                              "Machine: 2 cores, 24 GB RAM. Command: " + cmd + "\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

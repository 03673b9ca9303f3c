"""Run every benchmark and assemble docs/benchmarks.md from docs/benchmarks/*.md.

Usage: .venv/bin/python benchmarks/run_all.py [--assemble-only] [--large]
Each stage benchmark writes its own docs/benchmarks/<stage>.md; this script runs
them in turn and concatenates the figures with the machine they ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["synth", "imports", "roles", "resolve", "watch", "capital", "report", "alerts", "fuzz",
         "demo", "growth"]
FIRST = "summary"  # hand-kept table of targets vs figures, placed first


def machine() -> str:
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{mem_gb:.0f} GB RAM, Python {platform.python_version()}, {platform.system()}"
    )


def demote_headings(markdown: str) -> str:
    """Each section's headings one level down, so the assembled page has one title."""
    lines, in_code = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        lines.append("#" + line if line.startswith("#") and not in_code else line)
    return "\n".join(lines)


def assemble() -> Path:
    parts = [
        "# Benchmarks\n",
        "Figures measured on this project's reference machine (2 cores, 24 GB). Each section "
        "names the command that reproduces it; `make bench` reruns them all and rewrites this file.\n",
        f"Machine of the last assembly: {machine()}.\n",
    ]
    bench_dir = ROOT / "docs" / "benchmarks"
    names = [n for n in [FIRST, *ORDER] if (bench_dir / f"{n}.md").exists()]
    names += sorted(p.stem for p in bench_dir.glob("*.md") if p.stem not in names)
    for name in names:
        text = (bench_dir / f"{name}.md").read_text(encoding="utf-8").strip()
        parts.append(demote_headings(text) + "\n")
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text("\n".join(parts), encoding="utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assemble-only", action="store_true")
    args = parser.parse_args()
    if not args.assemble_only:
        for name in ORDER:
            script = ROOT / "benchmarks" / f"{name}.py"
            if script.exists():
                print(f"== {name}", flush=True)
                subprocess.run([sys.executable, str(script)], check=False, cwd=ROOT)
    print(f"wrote {assemble()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

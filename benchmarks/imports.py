"""Benchmark: import LinkedIn Connections.csv exports into a DuckDB warehouse.

Generates FILES exports of ROWS rows each in a mix of the variants (or uses
``tieguard.synth`` with --synth SIZE), times ``import_directory`` and prints rows/s
and peak RSS. Usage::

    .venv/bin/python benchmarks/imports.py --files 2000 --rows 500 [--write-md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--synth", help="use tieguard.synth.generate with this size instead")
    parser.add_argument("--memory-limit", help="engine memory limit, e.g. 1GB")
    parser.add_argument("--write-md", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tg-bench-") as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        if args.synth:
            from tieguard.synth import generate

            generate(out, size=args.synth, seed=1)
        else:
            write_files(out, args.files, args.rows)
        gen_s = time.perf_counter() - t0
        engine = open_warehouse(out / "w.duckdb", memory_limit=args.memory_limit)
        t0 = time.perf_counter()
        reports = import_directory(engine, out)
        secs = time.perf_counter() - t0
        conn = [r for r in reports if r.kind == "linkedin_connections"]
        rows = sum(r.rows for r in conn)
        ties = engine.scalar("SELECT count(*) FROM ties")
        engine.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = [("files", f"{len(conn):,}"), ("connection rows", f"{rows:,}"),
               ("ties stored", f"{ties:,}"), ("generation (s)", f"{gen_s:.1f}"),
               ("import (s)", f"{secs:.1f}"), ("rows/s", f"{rows / secs:,.0f}"),
               ("peak RSS (MB)", f"{peak_mb:,.0f}")]
    table = "| figure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in figures)
    print(table)
    if args.write_md:
        cmd = "python benchmarks/imports.py " + " ".join(sys.argv[1:])
        md = Path(__file__).parents[1] / "docs" / "benchmarks" / "imports.md"
        md.write_text(f"# Import benchmark (sources)\n\nCommand: `{cmd}` (2 cores, 24 GB).\n\n"
                      f"{table}\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Growth curve of the scan: time and peak memory per stage as the organisation grows.

For each size (ties; the synthetic organisation scaled to ties / 531 employees, the
large organisation's proportions), the organisation is generated and imported once
into a warehouse; then, RUNS times, a fresh copy of that warehouse is scanned one stage
at a time, each stage in its own cold ``tieguard scan --stage S`` process (so its peak
RSS is the stage's own). The median per stage and size is printed with the fitted
exponent b of ``seconds ~ ties^b`` (and of peak memory), by least squares on logs.

Usage::

    .venv/bin/python benchmarks/growth.py [--ties 500000,1000000,2500000,5000000] \\
        [--runs 3] [--work /tmp/tg-growth] [--write docs/benchmarks/growth.md]

``--work`` keeps the generated data and imported warehouses, so a later run (e.g. after
the stages changed) only scans. ``--prepare-only`` generates and imports. Every stage
measurement is appended to ``WORK/samples.json``, and the table is computed from all
samples there (so sizes can be measured in separate invocations, e.g. fewer runs of the
largest); ``--report-only`` prints it without measuring, ``--fresh`` forgets old samples.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tieguard.stages import SCAN_STAGES

TIES_PER_EMPLOYEE = 531  # the large organisation: 5.31 M ties, 10,000 employees


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    load: float


#: Runs a Python program (``-c`` code or the CLI) and, at exit, writes its own CPU time
#: (all threads) and peak RSS to the file named by its first argument.
USAGE = """
import atexit, json, resource, sys
_out = sys.argv.pop(1)
def _usage():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    with open(_out, "w") as fh:
        json.dump({"cpu": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024}, fh)
atexit.register(_usage)
"""
CLI = USAGE + "from tieguard.cli.main import run\nsys.argv[0] = 'tieguard'\nrun()\n"


def measure(code: str, args: list[str]) -> tuple[Sample, str]:
    """Run ``code`` in a cold Python process; its wall and CPU time, peak RSS, load before."""
    with tempfile.NamedTemporaryFile(suffix=".json") as usage:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, usage.name, *args], capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        used = json.loads(Path(usage.name).read_text())
    return Sample(wall, used["cpu"], used["peak_mb"], load), proc.stdout


PREPARE = USAGE + """
import json, time
from pathlib import Path
from tieguard.synth import generate
from tieguard.sources import import_directory
from tieguard.warehouse import open_warehouse
data, db, employees = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
summary = generate(data, size="large", seed=7, employees=employees)
gen = time.perf_counter() - t
engine = open_warehouse(db)
t = time.perf_counter()
reports = import_directory(engine, data, basis="consent")
imp = time.perf_counter() - t
rows = sum(r.rows or 0 for r in reports if r.kind == "linkedin_connections")
ties = engine.scalar("SELECT count(*) FROM ties")
engine.close()
print(json.dumps({"ties": ties, "rows": rows, "employees": employees, "generate_s": gen, "import_s": imp}))
"""


def prepare(work: Path, ties: int) -> dict[str, float]:
    """Generate and import the organisation of ``ties`` ties (once; reused from ``work``)."""
    home = work / f"ties-{ties}"
    info = home / "prepared.json"
    if info.exists():
        return dict(json.loads(info.read_text()))
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    employees = max(20, round(ties / TIES_PER_EMPLOYEE))
    sample, out = measure(PREPARE, [str(home / "data"), str(home / "warehouse.duckdb"), str(employees)])
    result = json.loads(out.strip().splitlines()[-1]) | {"prepare_peak_mb": sample.peak_mb}
    info.write_text(json.dumps(result))
    return dict(result)


def scan_once(work: Path, ties: int, tmp: Path) -> dict[str, Sample]:
    """One cold scan of a fresh copy of the warehouse, stage by stage."""
    db = tmp / "scan.duckdb"
    shutil.copyfile(work / f"ties-{ties}" / "warehouse.duckdb", db)
    samples = {}
    for stage in SCAN_STAGES:
        samples[stage.name], _ = measure(CLI, ["scan", "--db", str(db), "--stage", stage.name, "--json"])
    db.unlink()
    return samples


def exponent(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): y ~ x^b."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = statistics.fmean(p[0] for p in pts)
    my = statistics.fmean(p[1] for p in pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def table(results: dict[int, dict[str, list[Sample]]], prepared: dict[int, dict[str, float]]) -> str:
    sizes = sorted(results)
    stages = [s.name for s in SCAN_STAGES] + ["scan (sum)"]
    med: dict[tuple[str, int], tuple[float, float, float]] = {}
    for size in sizes:
        for name in stages[:-1]:
            runs = results[size][name]
            med[name, size] = (statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
                               max(r.peak_mb for r in runs))
        med["scan (sum)", size] = (sum(med[n, size][0] for n in stages[:-1]),
                                   sum(med[n, size][1] for n in stages[:-1]),
                                   max(med[n, size][2] for n in stages[:-1]))
    ties = [prepared[s]["ties"] for s in sizes]
    head = " | ".join(f"{t / 1e6:.2f} M ties" for t in ties)
    lines = [f"| stage | {head} | exponent (wall) | exponent (CPU) | exponent (peak) |",
             "|---|" + "---:|" * (len(sizes) + 3)]
    for name in stages:
        cells = " | ".join(f"{med[name, s][0]:.1f} s, {med[name, s][1]:.0f} CPU-s, {med[name, s][2]:,.0f} MB"
                           for s in sizes)
        fits = [exponent(ties, [med[name, s][k] for s in sizes]) for k in range(3)]
        lines.append(f"| {name} | {cells} | " + " | ".join("–" if f is None else f"{f:.2f}" for f in fits) + " |")
    runs = ", ".join(f"{len(results[s][stages[0]])} at {prepared[s]['ties'] / 1e6:.2f} M" for s in sizes)
    loads = [r.load for s in sizes for name in stages[:-1] for r in results[s][name]]
    lines.append("")
    lines.append(f"Median of the runs per size ({runs}; peak: the largest of the runs); load average (1 min) "
                 f"before the stages: {min(loads):.1f}-{max(loads):.1f}.")
    lines.append("")
    lines.append("| ties | employees | import rows | generate s | import s | import rows/s |")
    lines.append("|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        p = prepared[s]
        lines.append(f"| {p['ties']:,} | {p['employees']:,} | {p['rows']:,} | {p['generate_s']:.0f} | "
                     f"{p['import_s']:.0f} | {p['rows'] / p['import_s']:,.0f} |")
    return "\n".join(lines)


def _store(store: Path, size: int, samples: dict[str, Sample]) -> None:
    data = json.loads(store.read_text()) if store.exists() else {}
    for name, sample in samples.items():
        data.setdefault(str(size), {}).setdefault(name, []).append(asdict(sample))
    store.write_text(json.dumps(data, indent=1))


def _load(store: Path) -> dict[int, dict[str, list[Sample]]]:
    data = json.loads(store.read_text()) if store.exists() else {}
    return {int(size): {name: [Sample(**s) for s in runs] for name, runs in stages.items()}
            for size, stages in data.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ties", default="500000,1000000,2500000,5000000",
                        help="comma-separated sizes in ties")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tg-growth")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="forget the samples of earlier invocations")
    parser.add_argument("--write", type=Path, help="write the table as markdown to this file")
    args = parser.parse_args()
    sizes = [int(float(t)) for t in args.ties.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "samples.json"
    if args.fresh:
        store.unlink(missing_ok=True)
    if not args.report_only:
        for size in sizes:
            print(f"prepared {size:,}: {prepare(args.work, size)}", flush=True)
        if args.prepare_only:
            return
        with tempfile.TemporaryDirectory(prefix="tg-growth-", dir=args.work) as tmp:
            for run in range(args.runs):
                for size in sizes:
                    samples = scan_once(args.work, size, Path(tmp))
                    _store(store, size, samples)
                    for name, sample in samples.items():
                        print(f"run {run + 1} {size:,} {name}: {sample.wall:.1f} s, {sample.cpu:.1f} CPU-s, "
                              f"{sample.peak_mb:,.0f} MB, load {sample.load:.1f}", flush=True)
    results = _load(store)
    prepared = {size: prepare(args.work, size) for size in results}
    text = table(results, prepared)
    print(text)
    if args.write:
        cmd = "`.venv/bin/python benchmarks/growth.py " + " ".join(sys.argv[1:]) + "`"
        args.write.write_text("# Growth of the scan\n\nCommand: " + cmd + " (2 cores, 24 GB, shared).\n\n"
                              + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

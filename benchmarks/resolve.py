"""Benchmark of the resolve stage: accuracy on two worlds, baselines, calibration, speed.

    .venv/bin/python benchmarks/resolve.py                       # 100k accuracy, 1M x 3 timing
    .venv/bin/python benchmarks/resolve.py --sizes 200000 --runs 1   # quicker

Worlds: ``independent`` (benchmarks/resolve_world.py: not drawn from the resolver's tables;
Zipf names, scripts, middle names, legal-form spellings, job changers) and ``regression``
(benchmarks/resolve_data.py, the earlier hard synthetic set, kept as a regression row).
Both against 200,000 contacts and 50,000 accounts. Each world is generated into a DuckDB
file by one subprocess and resolved by another (cold process, I/O included), so the peak
memory measured is that of resolution alone. ``--base DIR`` (the ``src`` of commit a8367f2)
adds the model before issue 10 as a row. Writes docs/benchmarks/resolve.md, keeping the
blocks that benchmarks/resolve_names.py and resolve_lift.py write there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

CONTACTS, ACCOUNTS = 200_000, 50_000
NOTES = """## Notes

* The independent world is written without the resolver's tables: Faker's name pools per
  locale (incl. Cyrillic, Greek and Chinese CRM records with the person's own Latin
  spelling on the profile), Zipf-drawn, middle names on either side, two-part surnames
  shortened or glued, swapped first/last name, initials, 1-3 typos, legal forms in
  spellings outside the normaliser's list (`e.K.`, `S.A.S.U.`, `Oy Ab`, `K.K.`), locations,
  acronyms, job changers (6%). Names repeat a lot (Zipf), so full-name namesakes at other
  accounts are common: a job changer with no relationship evidence has only the name.
* Timing: each run copies the generated warehouse and resolves it in a cold process
  (I/O included); the model cache is empty, so every run trains EM. Load averages are the
  machine's 1-minute load before and after each run; other engineers' tests and
  benchmarks shared the two cores.
"""


def _child(args: list[str], src: Path | None = None) -> dict[str, Any]:
    env = os.environ | ({"PYTHONPATH": str(src)} if src else {})
    code = [sys.executable, __file__, *args] if src is None else [
        sys.executable, "-c", CHILD_WITH_BASE, *args]
    out = subprocess.run(code, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


#: Resolution with another source tree (the model before issue 10) in a cold process.
CHILD_WITH_BASE = """
import json, resource, sys, time
import duckdb
con = duckdb.connect(sys.argv[-1])  # the old code reads the file as its own schema version
con.execute("UPDATE schema_version SET version = 2")
con.close()
from tieguard.resolve import run
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse
engine = open_warehouse(sys.argv[-1])
started = time.perf_counter()
summary = run(engine, Settings())
seconds = time.perf_counter() - started
engine.close()
print(json.dumps({"seconds": seconds, "summary": summary,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024},
                 default=str))
"""


def _generate(n: int, db: Path, world: str = "regression") -> dict[str, Any]:
    import resolve_data
    import resolve_world

    from tieguard.warehouse import open_warehouse

    db.unlink(missing_ok=True)
    started = time.perf_counter()
    engine = open_warehouse(db)
    module = resolve_world if world == "independent" else resolve_data
    resolve_data.load(engine, module.generate(n, CONTACTS, ACCOUNTS))
    engine.close()
    return {"seconds": time.perf_counter() - started}


def _resolve(db: Path) -> dict[str, Any]:
    from tieguard.resolve import run
    from tieguard.settings import Settings
    from tieguard.warehouse import open_warehouse

    engine = open_warehouse(db)
    started, cpu = time.perf_counter(), _cpu()
    summary = run(engine, Settings())
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    engine.close()
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_gb": peak_gb, "summary": summary}


def _cpu() -> float:
    """CPU seconds of this process, all threads (the engine's too), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _accuracy(db: Path) -> dict[str, Any]:
    from tieguard.warehouse import open_warehouse

    engine = open_warehouse(db)
    result: dict[str, Any] = {}
    for label, statuses in (("default", "('matched')"), ("with_review", "('matched','review')")):
        for level, col in (("contact", "contact_id"), ("account", "account_id")):
            tp, pp, ap = engine.fetchone(
                f"""SELECT count(*) FILTER (WHERE m.status IN {statuses}
                                            AND m.{col} = b.truth_{col}),
                           count(*) FILTER (WHERE m.status IN {statuses} AND m.{col} IS NOT NULL),
                           count(*) FILTER (WHERE b.truth_{col} IS NOT NULL)
                    FROM bench_truth b JOIN tie_matches m USING (person_key)""") or (0, 0, 0)
            p, r = tp / max(pp, 1), tp / max(ap, 1)
            result[f"{level}_{label}"] = {"precision": p, "recall": r,
                                          "f1": 2 * p * r / max(p + r, 1e-9)}
    result["contact_flagged"] = _flagged(engine)
    rows = engine.fetchall(
        """SELECT b.condition, count(*),
                  avg(CASE WHEN m.status = 'matched' AND m.contact_id = b.truth_contact_id
                           THEN 1 ELSE 0 END),
                  avg(CASE WHEN m.status IN ('matched', 'review')
                            AND m.contact_id = b.truth_contact_id THEN 1 ELSE 0 END)
           FROM bench_truth b JOIN tie_matches m USING (person_key)
           WHERE b.kind = 'contact' GROUP BY 1 ORDER BY 2 DESC""")
    result["recall_by_condition"] = {
        str(c): {"n": int(n), "matched": float(r), "matched_or_review": float(rr)}
        for c, n, r, rr in rows}
    engine.close()
    return result


def _flagged(engine: Any) -> dict[str, float]:
    """Job changes counted as expected-flagged: a job-change tie-person is handled
    correctly when its true contact is proposed (matched or review) with
    ``job_change = TRUE``; every other tie-person must be ``matched`` to its contact.
    Predictions: matched contact links plus review links flagged as job changes."""
    tp, pp, ap, flags, true_flags = engine.fetchone(
        """WITH x AS (
               SELECT b.truth_contact_id AS truth, m.contact_id, m.job_change,
                      b.condition = 'job_change' AS moved,
                      m.contact_id IS NOT NULL AND (m.status = 'matched'
                          OR (m.status = 'review' AND m.job_change)) AS predicted
               FROM bench_truth b JOIN tie_matches m USING (person_key))
           SELECT count(*) FILTER (WHERE predicted AND contact_id = truth
                                   AND (NOT moved OR job_change)),
                  count(*) FILTER (WHERE predicted),
                  count(*) FILTER (WHERE truth IS NOT NULL),
                  count(*) FILTER (WHERE predicted AND job_change),
                  count(*) FILTER (WHERE predicted AND job_change AND moved
                                   AND contact_id = truth)
           FROM x""") or (0, 0, 0, 0, 0)
    p, r = tp / max(pp, 1), tp / max(ap, 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9),
            "flag_precision": true_flags / max(flags, 1)}


def _baselines(db: Path) -> dict[str, Any]:
    import resolve_baselines as rb

    from tieguard.warehouse import open_warehouse

    engine = open_warehouse(db)
    truth = engine.fetch_arrow("SELECT person_key, truth_contact_id FROM bench_truth").to_pandas()
    out = {
        "exact normalised name": rb.exact_baseline(engine, truth),
        "rapidfuzz token_set_ratio + rigour legal forms": rb.rapidfuzz_baseline(engine, truth),
        "Splink default comparisons": rb.splink_default_baseline(engine, truth),
    }
    engine.close()
    return out


def _reliability(db: Path) -> list[tuple[str, int, float, float]]:
    """Production probabilities of contact links against the truth, by probability bin."""
    from tieguard.warehouse import open_warehouse

    engine = open_warehouse(db)
    rows = engine.fetchall(
        """SELECT m.match_probability, m.contact_id = b.truth_contact_id
           FROM tie_matches m JOIN bench_truth b USING (person_key)
           WHERE m.contact_id IS NOT NULL AND m.method = 'probabilistic'""")
    engine.close()
    import numpy as np
    import resolve_calibrate as rc

    p = np.array([float(r[0]) for r in rows])
    y = np.array([bool(r[1]) for r in rows])
    return rc.reliability(p, y) if len(p) else []


def _fmt(m: dict[str, float]) -> str:
    return f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f}"


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _world(world: str, n: int, base_src: Path | None, baselines: bool) -> dict[str, Any]:
    db = Path(f"/tmp/tieguard_resolve_{world}_{n}.duckdb")
    _child(["--child", "generate", f"{n}:{db}:{world}"])
    out: dict[str, Any] = {"baselines": _baselines(db) if baselines else {}}
    if base_src is not None:
        base_db = db.with_name(db.stem + "_base.duckdb")
        shutil.copy(db, base_db)
        out["base_run"] = _child([str(base_db)], base_src)
        out["base"] = _accuracy(base_db)
    out["run"] = _child(["--child", "resolve", str(db)])
    out["accuracy"] = _accuracy(db)
    out["reliability"] = _reliability(db)
    return out


def _timing(n: int, runs: int, reuse: bool) -> dict[str, Any]:
    pristine = Path(f"/tmp/tieguard_resolve_time_{n}.duckdb")
    if not (reuse and pristine.exists()):
        _child(["--child", "generate", f"{n}:{pristine}:independent"])
    results = []
    for i in range(runs):
        db = pristine.with_name(f"{pristine.stem}_run{i}.duckdb")
        shutil.copy(pristine, db)
        before = _load()
        res = _child(["--child", "resolve", str(db)])
        res["load"] = f"{before}-{_load()}"
        results.append(res)
        db.unlink(missing_ok=True)
        print(f"{n:,} run {i + 1}: {res['seconds']:.1f} s (CPU {res['cpu_seconds']:.1f} s), "
              f"{res['peak_gb']:.2f} GB, "
              f"load {res['load']}", flush=True)
    return {"runs": results}


def _accuracy_rows(name: str, w: dict[str, Any]) -> list[str]:
    a = w["accuracy"]
    lines = [f"### {name}", "", "| method | contact P | R | F1 | with review P | R | F1 | "
             "account P | R | F1 |", "|---|---|---|---|---|---|---|---|---|---|",
             f"| tieguard resolve | {_fmt(a['contact_default'])} | "
             f"{_fmt(a['contact_with_review'])} | {_fmt(a['account_default'])} |"]
    if "base" in w:
        b = w["base"]
        lines.append(f"| before issue 10 (a8367f2) | {_fmt(b['contact_default'])} | "
                     f"{_fmt(b['contact_with_review'])} | {_fmt(b['account_default'])} |")
    for label, m in w["baselines"].items():
        lines.append(f"| baseline: {label} | {_fmt(m)} | | | | | | | |")
    return [*lines, ""]


def _conditions(w: dict[str, Any]) -> list[str]:
    new = w["accuracy"]["recall_by_condition"]
    old = w.get("base", {}).get("recall_by_condition", {})
    lines = ["| condition | tie-people | matched | matched or review | before: matched |",
             "|---|---|---|---|---|"]
    for cond, v in new.items():
        before = old.get(cond, {}).get("matched")
        lines.append(f"| {cond} | {v['n']:,} | {v['matched']:.3f} | {v['matched_or_review']:.3f} "
                     f"| {'' if before is None else f'{before:.3f}'} |")
    return [*lines, ""]


def _speed(timings: dict[int, dict[str, Any]]) -> list[str]:
    lines = ["| tie-people × contacts | runs | median wall s | min-max s | median CPU s | "
             "peak RSS GB (max) | load average (before-after) | blocked comparisons | "
             "oversized blocks refined: comparisons before → kept (capped) | "
             "steps of the median run (wall s) | steps of the median run (CPU s) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, t in timings.items():
        runs = t["runs"]
        secs = [r["seconds"] for r in runs]
        med = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
        s = med["summary"]
        lines.append(
            f"| {n:,} × {CONTACTS:,} | {len(runs)} | {statistics.median(secs):.1f} | "
            f"{min(secs):.1f}-{max(secs):.1f} | "
            f"{statistics.median(r['cpu_seconds'] for r in runs):.1f} | "
            f"{max(r['peak_gb'] for r in runs):.2f} | "
            f"{', '.join(r['load'] for r in runs)} | {s['blocked_comparisons']:,} | "
            f"{sum((s.get('capped_blocks') or {}).values()):,} blocks (largest "
            f"{s.get('largest_capped_block') or '-'}): {s.get('capped_block_pairs', 0):,} → "
            f"{s.get('refined_block_pairs', 0):,} ({s.get('dropped_blocks', 0)} blocks, "
            f"{s.get('dropped_pairs', 0):,} comparisons capped) | {s['step_seconds']} | "
            f"{s.get('step_cpu_seconds', '')} |")
    return [*lines, ""]


def _report(args: argparse.Namespace, worlds: dict[str, dict[str, Any]],
            timings: dict[int, dict[str, Any]]) -> str:
    lines = ["# resolve benchmark", "",
             f"Machine: {os.cpu_count()} cores, shared with other engineers' work (load "
             "averages beside each figure). Command: `.venv/bin/python benchmarks/resolve.py "
             f"--accuracy-size {args.accuracy_size} --sizes {args.sizes} --runs {args.runs}"
             f"{' --base ' + str(args.base) if args.base else ''}`.", "",
             f"## Accuracy at the default thresholds ({args.accuracy_size:,} tie-people, "
             f"{CONTACTS:,} contacts, {ACCOUNTS:,} accounts)", "",
             "Contact level: a tie-person `matched` to its true contact (with review: matched or "
             "in review). Account level: the tie-person's account. Job changers count as "
             "expected matches.", ""]
    titles = {"independent": "Independent world (benchmarks/resolve_world.py)",
              "regression": "Regression row: the earlier hard synthetic set (resolve_data.py)"}
    for name, w in worlds.items():
        lines += _accuracy_rows(titles[name], w)
    if "independent" in worlds:
        w = worlds["independent"]
        lines += ["### Recall by condition, independent world", "", *_conditions(w),
                  "### Reliability of the stage's probabilities (independent world)", "",
                  "Probabilistic contact links (matched and review rows): mean predicted "
                  "probability vs the share that is the true contact.", "",
                  "| predicted | links | mean predicted | observed |", "|---|---|---|---|",
                  *[f"| {b} | {n:,} | {mp:.2f} | {ob:.2f} |" for b, n, mp, ob in w["reliability"]],
                  ""]
    if timings:
        lines += ["## Speed and memory (independent world, Zipf names)", "", *_speed(timings)]
    return "\n".join(lines) + "\n" + NOTES


def _keep_blocks(old: str) -> str:
    """The blocks other benchmark scripts wrote into the page (names, lift)."""
    blocks = []
    for start, end in (("<!-- names:start -->", "<!-- names:end -->"),
                       ("<!-- lift:start -->", "<!-- lift:end -->")):
        if start in old and end in old:
            blocks.append(old[old.index(start):old.index(end) + len(end)])
    return "\n\n".join(blocks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accuracy-size", type=int, default=100_000)
    parser.add_argument("--sizes", default="1000000", help="timing sizes ('' for none)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worlds", default="independent,regression")
    parser.add_argument("--base", type=Path, default=None)
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--reuse-world", action="store_true",
                        help="time on /tmp/tieguard_resolve_time_N.duckdb if it exists")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "resolve.md"))
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        kind, value = args.child
        parts = value.split(":")
        result = _generate(int(parts[0]), Path(parts[1]), parts[2] if len(parts) > 2 else "")\
            if kind == "generate" else _resolve(Path(value))
        print(json.dumps(result, default=str))
        return
    worlds = {}
    for world in [w for w in args.worlds.split(",") if w]:
        worlds[world] = _world(world, args.accuracy_size, args.base, not args.skip_baselines)
        print(world, worlds[world]["accuracy"]["contact_default"], flush=True)
    timings = {int(n): _timing(int(n), args.runs, args.reuse_world)
               for n in args.sizes.split(",") if n}
    report = _report(args, worlds, timings)
    out = Path(args.out)
    kept = _keep_blocks(out.read_text(encoding="utf-8")) if out.exists() else ""
    out.write_text(report + ("\n" + kept + "\n" if kept else ""), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()

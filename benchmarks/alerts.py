"""Benchmark: a batch of newer exports arrives; how long until its alerts are ready?

For every employee (or ``--employees N``) of a scanned warehouse, a newer LinkedIn export
(current format) is written: the employee's current connections that are still stored
with names, plus ``--new`` connections per employee: one person a colleague already knows
who matched a CRM contact, one CRM contact at their account's name (resolved
provisionally), and one person unknown to the CRM. Each run copies the warehouse (not
timed), imports the batch through the real reader (``import_connections_batch``) and raises
the alerts (``raise_alerts``), in a fresh process per run (cold), with distinct new
connections per run (seed = run number). Prints a table with the median of three runs and
the load average beside each figure.

Caveat: people pseudonymised by resolution have no name left to re-export, so their ties
are missing from the written exports and the import marks them removed; that inflates the
import's work (not the alerts').

    .venv/bin/python benchmarks/alerts.py [--db tieguard-demo/tieguard.duckdb] [--employees N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


def _write_exports(db: Path, out: Path, employees: int | None, new: int, seed: int) -> dict[str, object]:
    from tieguard.warehouse import open_warehouse

    rng = random.Random(seed)
    engine = open_warehouse(db, read_only=True)
    try:
        last = engine.scalar("SELECT max(exported_on) FROM snapshots")
        day = last + dt.timedelta(days=7 + seed)
        ids = [str(r[0]) for r in engine.fetchall(
            "SELECT DISTINCT employee_id FROM snapshots WHERE network = 'linkedin' ORDER BY 1")]
        ids = ids[:employees] if employees else ids
        rows = engine.fetchall(
            "SELECT t.employee_id, p.first_name, p.last_name, p.profile_url, p.company, p.position, "
            "t.connected_on FROM ties t JOIN tie_people p USING (person_key) "
            "WHERE t.removed_on IS NULL AND NOT t.is_hidden_member AND p.first_name IS NOT NULL "
            "AND t.network = 'linkedin' AND t.employee_id IN (SELECT unnest(?))", [ids])
        known = engine.fetchall(
            "SELECT p.first_name, p.last_name, p.profile_url, p.company, p.position FROM tie_people p "
            "JOIN tie_matches m USING (person_key) WHERE m.status = 'matched' AND p.profile_url IS NOT NULL "
            "AND p.first_name IS NOT NULL")
        contacts = engine.fetchall(
            "SELECT c.first_name, c.last_name, a.name, c.title FROM contacts c JOIN accounts a USING (account_id) "
            "WHERE c.first_name IS NOT NULL")
    finally:
        engine.close()
    per: dict[str, list[list[str]]] = {e: [] for e in ids}
    for eid, first, last_name, url, company, position, on in rows:
        per[eid].append([first, last_name, url or "", "", company or "", position or "",
                         on.strftime("%d %b %Y") if on else ""])
    jobs = []
    for n, eid in enumerate(ids):
        extra = []
        for k in range(new):
            when = (day - dt.timedelta(days=rng.randint(0, 6))).strftime("%d %b %Y")
            if k % 3 == 0 and known:
                f, ln, url, company, position = rng.choice(known)
                extra.append([f, ln, url, "", company or "", position or "", when])
            elif k % 3 == 1 and contacts:
                f, ln, company, title = rng.choice(contacts)
                slug = f"{f}-{ln}-{seed}-{n}-{k}".lower().replace(" ", "-")
                extra.append([f, ln, f"https://www.linkedin.com/in/{slug}", "", company, title or "", when])
            else:
                extra.append([f"New{seed}", f"Person{n}x{k}", "", "", f"Elsewhere {rng.randint(1, 10**6)} GmbH",
                              "Engineer", when])
        path = out / eid / "Connections.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            handle.write("Notes:\n\"Connections export\"\n\n")
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(extra + per[eid])
        jobs.append({"employee": eid, "path": str(path)})
    return {"day": day.isoformat(), "jobs": jobs, "rows": len(rows) + new * len(ids)}


def _one_run(db: Path, exports: Path, day: str) -> dict[str, float]:
    """In this (fresh) process: import the batch, then raise alerts; return timings."""
    from tieguard.alerts import raise_alerts
    from tieguard.session import open_session
    from tieguard.sources import ConnectionsJob, import_connections_batch

    jobs = json.loads((exports / "jobs.json").read_text())
    with open_session(db) as session:
        started = time.perf_counter()
        import_connections_batch(session.engine, [
            ConnectionsJob(Path(j["path"]), j["employee"], dt.date.fromisoformat(day)) for j in jobs])
        imported = time.perf_counter()
        result = raise_alerts(session.engine, session.settings)
        done = time.perf_counter()
    return {"import_s": imported - started, "alerts_s": done - imported, "total_s": done - started,
            "exports": result.exports_checked, "new_ties": result.new_ties, "alerts": result.alerts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None,
                        help="a scanned warehouse; default: a fresh default-size demo (not timed)")
    parser.add_argument("--employees", type=int, default=None, help="employees in the batch (default: all)")
    parser.add_argument("--new", type=int, default=3, help="new connections per employee")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--run-one", nargs=3, metavar=("DB", "EXPORTS", "DAY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        db, exports, day = args.run_one
        print(json.dumps(_one_run(Path(db), Path(exports), day)))
        return
    if args.db is None:
        demo_dir = Path(tempfile.mkdtemp(prefix="tg-alerts-demo-"))
        subprocess.run([str(Path(sys.executable).parent / "tieguard"), "demo", "--out", str(demo_dir),
                        "--json"], check=True, capture_output=True)
        args.db = demo_dir / "tieguard.duckdb"
    results = []
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="tg-alerts-bench-") as tmp:
            work = Path(tmp)
            db = work / "w.duckdb"
            shutil.copy(args.db, db)
            info = _write_exports(db, work / "exports", args.employees, args.new, seed=run)
            (work / "exports" / "jobs.json").write_text(json.dumps(info["jobs"]))
            load = Path("/proc/loadavg").read_text().split()[0]
            proc = subprocess.run([sys.executable, __file__, "--db", str(db), "--run-one", str(db),
                                   str(work / "exports"), str(info["day"])],
                                  check=True, capture_output=True, text=True, env=os.environ.copy())
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            figures |= {"rows": info["rows"], "load": float(load)}
            results.append(figures)
            print(f"run {run}: {figures}", file=sys.stderr)
    print("| run | exports | rows | import s | alerts s | total s | new ties | alerts | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for i, r in enumerate(results, 1):
        print(f"| {i} | {r['exports']} | {r['rows']:,} | {r['import_s']:.2f} | {r['alerts_s']:.2f} | "
              f"{r['total_s']:.2f} | {r['new_ties']:,} | {r['alerts']} | {r['load']} |")
    med = {k: statistics.median(r[k] for r in results) for k in ("import_s", "alerts_s", "total_s")}
    print(f"| median | | | {med['import_s']:.2f} | {med['alerts_s']:.2f} | {med['total_s']:.2f} | | | |")


if __name__ == "__main__":
    main()

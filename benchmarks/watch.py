"""Benchmark of watch + exposure and of a 5-policy what-if on a large synthetic organisation.

Generates the canonical tables directly with DuckDB SQL (range(), hash-based
pseudo-random numbers): 10,000 employees, ~5 million ties over 5 years, 50,000
accounts, 200,000 contacts, 100,000 opportunities. Each measured phase runs in
its own process so that its peak memory (ru_maxrss) is its own.

    .venv/bin/python benchmarks/watch.py [--ties 5000000] [--employees 10000] [--out docs/benchmarks/watch.md]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = "2021-11-01"
DAYS = 5 * 365
MEMORY_LIMIT = "3GB"


def _u(expr: str, salt: str) -> str:
    return f"((hash({expr}, '{salt}') % 1000003) / 1000003.0)"


def generate(db: Path, ties: int, employees: int) -> dict[str, int]:
    """Write the canonical tables of a large organisation into the warehouse ``db``."""
    from tieguard import open_warehouse

    people = int(ties * 0.6)
    accounts, contacts, opps = 50_000, 200_000, 100_000
    eng = open_warehouse(db, memory_limit=MEMORY_LIMIT)
    d0 = f"DATE '{START}'"
    stmts = [
        "INSERT INTO organisation VALUES ('own_name', 'Ourco')",
        "INSERT INTO competitors VALUES ('Rivalco', 'rival.example'), ('Otherco', 'other.example')",
        f"""INSERT INTO employees (employee_id, team, job_role, country)
            SELECT 'E' || i, 'team_' || (hash(i, 't') % 40),
                   CASE WHEN {_u('i', 'r')} < 0.25 THEN 'inside_sales' WHEN {_u('i', 'r')} < 0.4 THEN 'field_sales'
                        WHEN {_u('i', 'r')} < 0.7 THEN 'engineering' ELSE 'support' END,
                   ['NL', 'DE', 'FR', 'GB', 'US', 'CN'][CAST(1 + hash(i, 'c') % 6 AS BIGINT)]
            FROM range({employees}) t(i)""",
        f"""INSERT INTO profiles SELECT 'E' || i, 'linkedin', NULL, {_u('i', 'named')} < 0.8
            FROM range({employees}) t(i)""",
        f"""INSERT INTO privacy_settings
            SELECT 'E' || i, 'linkedin', {d0} + CAST(hash(i, 'pv') % {DAYS} AS INTEGER),
                   CASE WHEN {_u('i', 'pk')} < 0.5 THEN 'only_me' ELSE 'connections' END
            FROM range({employees}) t(i) WHERE {_u('i', 'hasp')} < 0.4
            UNION ALL
            SELECT 'E' || i, 'linkedin', DATE '1900-01-01', 'only_me'
            FROM range({employees}) t(i) WHERE {_u('i', 'hide0')} < 0.1""",
        f"""INSERT INTO accounts (account_id, name, country, account_type)
            SELECT 'A' || i, 'Account ' || i, ['NL', 'DE', 'FR', 'GB', 'US', 'CN', 'BR', 'IN'][CAST(1 + hash(i, 'ac') % 8 AS BIGINT)],
                   CASE WHEN {_u('i', 'at')} < 0.3 THEN 'customer' ELSE 'prospect' END
            FROM range({accounts}) t(i)""",
        f"""INSERT INTO contacts (contact_id, account_id)
            SELECT 'C' || i, 'A' || (i % {accounts}) FROM range({contacts}) t(i)""",
        f"""INSERT INTO opportunities (opportunity_id, account_id, amount, created_on, close_date, is_closed, is_won)
            SELECT 'O' || i, 'A' || (hash(i, 'oa') % {accounts}), 1000 + hash(i, 'am') % 200000,
                   c, c + CAST(30 + hash(i, 'len') % 270 AS INTEGER),
                   c + CAST(30 + hash(i, 'len') % 270 AS INTEGER) <= {d0} + {DAYS},
                   (c + CAST(30 + hash(i, 'len') % 270 AS INTEGER) <= {d0} + {DAYS}) AND {_u('i', 'won')} < 0.4
            FROM (SELECT i, {d0} + CAST(hash(i, 'cr') % {DAYS} AS INTEGER) AS c FROM range({opps}) t(i))""",
        f"""INSERT INTO contact_roles
            SELECT o.opportunity_id, 'C' || (CAST(substr(o.account_id, 2) AS BIGINT) + {accounts} * k),
                   'Decision Maker', 'decision_maker', k = 0
            FROM opportunities o, range(2) r(k)""",
        f"""INSERT INTO tie_people (person_key, company, country, company_class)
            SELECT 'P' || i,
                   CASE WHEN {_u('i', 'cc')} < 0.01 THEN 'Rivalco' WHEN {_u('i', 'cc')} < 0.03 THEN 'Ourco'
                        ELSE 'Company ' || (hash(i, 'co') % 400000) END,
                   ['NL', 'DE', 'FR', 'GB', 'US', 'CN', 'BR', 'IN'][CAST(1 + hash(i, 'pc') % 8 AS BIGINT)],
                   CASE WHEN {_u('i', 'cc')} < 0.01 THEN 'competitor' WHEN {_u('i', 'cc')} < 0.03 THEN 'own'
                        WHEN i < {contacts * 3} THEN 'account' ELSE 'other' END
            FROM range({people}) t(i)""",
        f"""INSERT INTO tie_matches (person_key, contact_id, account_id, match_probability, method, status)
            SELECT 'P' || i, CASE WHEN i < {contacts} THEN 'C' || i END,
                   'A' || CASE WHEN i < {contacts} THEN i % {accounts} ELSE hash(i, 'ma') % {accounts} END,
                   0.9 + 0.1 * {_u('i', 'mp')}, 'bench', 'matched'
            FROM range({min(people, contacts * 3)}) t(i)""",
        f"""INSERT INTO person_roles
            SELECT 'P' || i, 'manager', 'purchasing',
                   CASE WHEN {_u('i', 'br')} < 0.35 THEN 'decision_maker' ELSE '' END, 0.9,
                   {_u('i', 'br')} < 0.35
            FROM range({people}) t(i)""",
        f"""INSERT INTO ties (tie_id, employee_id, network, person_key, connected_on, removed_on,
                              first_import_id, last_seen_import_id)
            SELECT 'T' || i, 'E' || (hash(i, 'te') % {employees}), 'linkedin',
                   'P' || CASE WHEN {_u('i', 'tm')} < 0.3 THEN hash(i, 'tp') % {contacts * 3}
                               ELSE hash(i, 'tp') % {people} END,
                   c, CASE WHEN {_u('i', 'rm')} < 0.03 THEN c + CAST(10 + hash(i, 'rd') % 400 AS INTEGER) END,
                   'bench', 'bench'
            FROM (SELECT i, {d0} + CAST(hash(i, 'tc') % {DAYS} AS INTEGER) AS c FROM range({ties}) t(i))""",
    ]
    for sql in stmts:
        eng.execute(sql)
    counts = {t: int(eng.scalar(f"SELECT count(*) FROM {t}") or 0)
              for t in ("employees", "ties", "tie_people", "tie_matches", "accounts", "contacts",
                        "opportunities", "privacy_settings")}
    eng.close()
    return counts


def _settings() -> object:
    from tieguard.settings import Settings

    return Settings.model_validate({
        "watch": {"watched": "company_named", "vantage": "first_degree", "cadence_days": 7,
                  "start": START, "end": "2026-10-31"},
    })


def measure(db: Path, phase: str) -> dict[str, object]:
    """Run one phase in this process; return seconds, peak RSS and a summary."""
    from tieguard import exposure, open_warehouse, policy, watch

    settings = _settings()
    eng = open_warehouse(db, memory_limit=MEMORY_LIMIT)
    t0 = time.perf_counter()
    if phase == "watch_exposure":
        w = watch.run(eng, settings)  # type: ignore[arg-type]
        t1 = time.perf_counter()
        h = exposure.run(eng, settings)  # type: ignore[arg-type]
        summary = {"watch_s": round(t1 - t0, 2), "exposure_s": round(time.perf_counter() - t1, 2),
                   "sightings": w["sightings"], "leads": h["leads"],
                   "deals_revealed": round(h["deals_revealed"], 3),
                   "account_visibility": round(h["account_visibility"], 3),
                   "head_start_days_median": h["head_start_days_median"],
                   "lead_precision": round(h["lead_precision"], 3)}
    else:
        res = policy.whatif(eng, settings, policy.builtin_policies())  # type: ignore[arg-type]
        summary = {p.policy: round(p.after["deals_revealed"], 3) for p in res.policies}
        summary["baseline"] = round(res.before["deals_revealed"], 3)
    seconds = time.perf_counter() - t0
    eng.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"phase": phase, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb), **summary}


def _child(db: Path, phase: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", str(db), "--phase", phase],
        check=True, capture_output=True, text=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _markdown(counts: dict[str, int], results: list[dict[str, object]], gen_s: float, cmd: str) -> str:
    lines = [
        "# Benchmark: watch, exposure and what-if",
        "",
        "Machine: 2 cores, 24 GB RAM; DuckDB memory_limit " + MEMORY_LIMIT + "; weekly cadence, "
        "1st-degree vantage, watched = profiles naming the company, 5 years of polls.",
        "",
        f"Command: `{cmd}`",
        "",
        "Data (generated with DuckDB SQL in " + f"{gen_s:.0f} s): "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        "",
        "| phase | seconds | peak RSS (MB) | target | details |",
        "|---|---:|---:|---|---|",
    ]
    targets = {"watch_exposure": "<= 60 s, <= 4 GB", "whatif": "<= 300 s (5 policies)"}
    for r in results:
        details = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("phase", "seconds", "peak_rss_mb"))
        lines.append(f"| {r['phase']} | {r['seconds']} | {r['peak_rss_mb']} | {targets[str(r['phase'])]} | {details} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ties", type=int, default=5_000_000)
    ap.add_argument("--employees", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=None, help="Write the figures as markdown here.")
    ap.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--phase", default="watch_exposure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.phase)))
        return
    from rich.console import Console
    from rich.table import Table

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        counts = generate(db, args.ties, args.employees)
        gen_s = time.perf_counter() - t0
        results = [_child(db, "watch_exposure"), _child(db, "whatif")]
    table = Table(title=f"watch benchmark ({counts['ties']:,} ties, {counts['employees']:,} employees)")
    for col in ("phase", "seconds", "peak RSS (MB)", "details"):
        table.add_column(col)
    for r in results:
        details = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("phase", "seconds", "peak_rss_mb"))
        table.add_row(str(r["phase"]), str(r["seconds"]), str(r["peak_rss_mb"]), details)
    Console().print(table)
    if args.out:
        cmd = "python benchmarks/watch.py " + " ".join(sys.argv[1:])
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(_markdown(counts, results, gen_s, cmd.strip()), encoding="utf-8")


if __name__ == "__main__":
    main()

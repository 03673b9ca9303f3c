"""Benchmark of the capital stage on a `large`-sized registry.

Generates, with DuckDB SQL and hash-based pseudo-random values, 10,000 employees,
5 million ties (2 million people, 200,000 of them resolved to CRM contacts),
200,000 contacts, 50,000 accounts, 100,000 opportunities, then times every capital
view. Prints a table; ``--write`` records the figures in docs/benchmarks/capital.md.

    .venv/bin/python benchmarks/capital.py --write
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tieguard import capital
from tieguard.engine import Engine
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
SIZES = {
    "large": dict(employees=10_000, accounts=50_000, contacts=200_000, people=2_000_000,
                  ties=5_000_000, opportunities=100_000),
    "small": dict(employees=500, accounts=2_000, contacts=10_000, people=100_000,
                  ties=250_000, opportunities=5_000),
}
ROLES = "['decision_maker','economic_buyer','procurement','technical_evaluator','user','gatekeeper']"


def _h(expr: str, salt: str, n: int) -> str:
    """Hash-based pseudo-random integer in [0, n) from ``expr``."""
    return f"CAST(hash({expr}, '{salt}') % {n} AS BIGINT)"


def generate(engine: Engine, n: dict[str, int]) -> None:
    """Fill the canonical tables the capital stage reads, set-based."""
    e, a, c, p, t, o = (n[k] for k in ("employees", "accounts", "contacts", "people", "ties",
                                       "opportunities"))
    sql = [
        f"""INSERT INTO employees (employee_id, full_name, team, left_on)
            SELECT 'E' || i, 'Employee ' || i, 'Team ' || {_h('i', 'team', 50)},
                   CASE WHEN {_h('i', 'left', 100)} < 3 THEN DATE '2025-01-01'
                        + CAST({_h('i', 'leftd', 600)} AS INTEGER) END
            FROM range({e}) r(i)""",
        f"""INSERT INTO accounts (account_id, name, account_type)
            SELECT 'A' || i, 'Account ' || i || ' GmbH',
                   CASE WHEN {_h('i', 'type', 10)} < 3 THEN 'customer' ELSE 'prospect' END
            FROM range({a}) r(i)""",
        f"""INSERT INTO contacts (contact_id, account_id, first_name, last_name, owner_employee_id)
            SELECT 'C' || i, 'A' || {_h('i', 'acc', a)}, 'First' || i, 'Last' || i,
                   CASE WHEN {_h('i', 'own', 10)} < 3 THEN 'E' || {_h('i', 'owner', e)} END
            FROM range({c}) r(i)""",
        f"""CREATE OR REPLACE TABLE contact_title_roles AS
            SELECT 'C' || i AS contact_id, NULL::VARCHAR AS seniority, NULL::VARCHAR AS function,
                   CASE WHEN {_h('i', 'tr', 10)} < 4 THEN ''
                        ELSE {ROLES}[1 + {_h('i', 'role', 6)}] END AS buying_roles,
                   0.8 AS role_confidence, true AS is_buying_role
            FROM range({c}) r(i)""",
        f"""INSERT INTO opportunities (opportunity_id, account_id, amount, created_on, close_date,
                                       is_closed, is_won, owner_employee_id)
            SELECT 'O' || i, 'A' || {_h('i', 'oacc', a)}, 1000 + {_h('i', 'amt', 200000)},
                   DATE '2021-01-01' + CAST({_h('i', 'cre', 1800)} AS INTEGER),
                   DATE '2021-03-01' + CAST({_h('i', 'cre', 1800)} AS INTEGER),
                   {_h('i', 'cl', 10)} < 6, {_h('i', 'cl', 10)} < 3,
                   'E' || {_h('i', 'oown', e)}
            FROM range({o}) r(i)""",
        f"""INSERT INTO contact_roles (opportunity_id, contact_id, role, buying_role)
            SELECT DISTINCT ON (opp, contact) opp, contact, 'Role', role
            FROM (SELECT 'O' || {_h('i', 'cro', o)} AS opp, 'C' || {_h('i', 'crc', c)} AS contact,
                         {ROLES}[1 + {_h('i', 'crr', 6)}] AS role
                  FROM range({o * 3 // 2}) r(i))""",
        f"""INSERT INTO tie_people (person_key, first_name, last_name, profile_url)
            SELECT 'P' || i, 'First' || i, 'Last' || i, 'https://www.linkedin.com/in/p' || i
            FROM range({p}) r(i)""",
        f"""INSERT INTO tie_matches (person_key, contact_id, account_id, match_probability, status)
            SELECT 'P' || i, CASE WHEN i < {c} THEN 'C' || i END,
                   CASE WHEN i < {c} THEN 'A' || {_h('i', 'acc', a)} END,
                   0.95, CASE WHEN i < {c} THEN 'matched' ELSE 'unmatched' END
            FROM range({p}) r(i)""",
        f"""INSERT INTO person_roles (person_key, buying_roles)
            SELECT 'P' || i, CASE WHEN {_h('i', 'pr', 10)} < 5 THEN ''
                                  ELSE {ROLES}[1 + {_h('i', 'prr', 6)}] END
            FROM range({p}) r(i)""",
        f"""INSERT INTO ties (tie_id, employee_id, network, person_key, connected_on,
                              first_import_id, last_seen_import_id, removed_on)
            SELECT DISTINCT ON (emp, person) 'T' || i, emp, 'linkedin', person, connected_on,
                   'imp', 'imp', removed_on
            FROM (SELECT i, 'E' || {_h('i', 'temp', e)} AS emp,
                         'P' || CASE WHEN {_h('i', 'skew', 4)} = 0 THEN {_h('i', 'mp', c)}
                                     ELSE {_h('i', 'up', p)} END AS person,
                         DATE '2011-01-01' + CAST({_h('i', 'con', 5700)} AS INTEGER)
                             AS connected_on,
                         CASE WHEN {_h('i', 'rem', 50)} = 0 THEN DATE '2026-06-01' END
                             AS removed_on
                  FROM range({t}) r(i))""",
        f"""INSERT INTO invitations (employee_id, network, direction, counterpart_name,
                                     counterpart_url, sent_at, has_message, import_id)
            SELECT t.employee_id, 'linkedin',
                   CASE WHEN {_h('t.tie_id', 'dir', 2)} = 0 THEN 'outgoing' ELSE 'incoming' END,
                   tp.first_name || ' ' || tp.last_name, tp.profile_url,
                   CAST(t.connected_on AS TIMESTAMP), {_h('t.tie_id', 'msg', 3)} = 0, 'imp'
            FROM ties t JOIN tie_people tp USING (person_key)
            WHERE {_h('t.tie_id', 'inv', 100)} < 6""",
        f"""INSERT INTO private_marks (employee_id, contact_id)
            SELECT DISTINCT t.employee_id, m.contact_id FROM ties t
            JOIN tie_matches m USING (person_key)
            WHERE m.status = 'matched' AND {_h('t.tie_id', 'priv', 1000)} = 0""",
    ]
    for statement in sql:
        engine.execute(statement)


_CPU: dict[str, float] = {}


def _time(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds and result; the process CPU seconds go to ``_CPU['last']``."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    _CPU["last"] = time.process_time() - cpu
    return time.perf_counter() - started, result


Row = tuple[str, float, float, str]


def measure(engine: Engine, n: dict[str, int]) -> list[Row]:
    """Time the build and each view; return (step, wall s, cpu s, note) rows."""
    rows: list[Row] = []
    settings = Settings.model_validate({"capital": {"as_of": "2026-11-30"}})
    secs, summary = _time(lambda: capital.run(engine, settings))
    build_cpu = _CPU["last"]
    rows.extend((f"  build: {k}", v, float("nan"), "") for k, v in summary["seconds"].items())
    rows.append(("run (build registry)", secs, build_cpu,
                 f"{summary['relationships']:,} relationships, "
                 f"{summary['accounts_at_key_person_risk']:,} accounts at risk"))
    secs, acc = _time(lambda: capital.accounts(engine))
    rows.append(("accounts()", secs, _CPU["last"], f"{len(acc):,} accounts"))
    secs, risky = _time(lambda: capital.risk(engine))
    rows.append(("risk()", secs, _CPU["last"], f"{len(risky):,} accounts"))
    holder = engine.scalar("""
        SELECT r.employee_id FROM relationship_strength r
        JOIN capital_contact_roles c USING (contact_id)
        WHERE c.buying_role IN ('decision_maker', 'economic_buyer', 'procurement',
                                'technical_evaluator')
          AND r.account_id = (SELECT account_id FROM capital_risk WHERE at_risk
                              ORDER BY value DESC, account_id LIMIT 1)
        ORDER BY 1 LIMIT 1""")
    secs, dep = _time(lambda: capital.departure(engine, holder))
    rows.append(("departure(a sole holder)", secs, _CPU["last"],
                 f"{dep['accounts_lost']} accounts lost, {dep['accounts_weakened']} weakened"))
    secs, months = _time(lambda: capital.monthly(engine))
    rows.append(("monthly()", secs, _CPU["last"], f"{len(months)} months"))
    top = [r for r in rows if not r[0].startswith(" ")]
    rows.append(("all views (build + views)", sum(r[1] for r in top), sum(r[2] for r in top),
                 "target <= 60 s"))
    intro_times = []
    for target in ("A17", f"A{n['accounts'] // 2 + 3}", "C123", "Account 977 GmbH",
                   "First55 Last55"):
        secs, _ = _time(lambda t=target: capital.intro(engine, t))  # type: ignore[misc]
        intro_times.append(secs)
    rows.append(("intro() median of 5 (ids, names)", statistics.median(intro_times), float("nan"),
                 f"max {max(intro_times):.3f} s; target <= 1 s"))
    return rows


def _markdown(rows: list[Row], gen_secs: float, size: str, counts: dict[str, int],
              load: str) -> str:
    lines = [
        "# Benchmark: capital stage",
        "",
        f"Size `{size}`: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB file "
        "warehouse. Data generated with hash-based SQL "
        + (f"in {gen_secs:.1f} s" if gen_secs else "by an earlier run (reused with --db)")
        + f" (not counted). Load average during the run: {load} (other "
        "engineers' jobs shared the 2 cores, so wall times are inflated; CPU seconds are "
        "this process's CPU time, all DuckDB threads).",
        "",
        "Command: `.venv/bin/python benchmarks/capital.py --size large --write` "
        "(add `--db /tmp/capbench.duckdb` to keep and reuse the generated warehouse)",
        "",
        "| step | wall s | CPU s | note |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {s.strip()} | {w:.3f} | {'' if c != c else f'{c:.2f}'} | {note} |"
              for s, w, c, note in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--write", action="store_true", help="Write docs/benchmarks/capital.md.")
    parser.add_argument("--db", type=Path, help="Keep the generated warehouse here (reused if present).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.duckdb"
        reuse = path.exists()
        engine = open_warehouse(path)
        gen_secs = 0.0 if reuse else _time(lambda: generate(engine, SIZES[args.size]))[0]
        counts = {t: int(engine.scalar(f"SELECT count(*) FROM {t}")) for t in (
            "employees", "ties", "tie_people", "contacts", "accounts", "opportunities")}
        rows = measure(engine, SIZES[args.size])
        engine.close()
    print(f"generated in {gen_secs:.1f} s: {counts}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{'step':<40} {'wall s':>9} {'CPU s':>8}  note   (load average {load})")
    for step, wall, cpu, note in rows:
        print(f"{step:<40} {wall:>9.3f} {cpu:>8.2f}  {note}")
    if args.write:
        out = ROOT / "docs" / "benchmarks" / "capital.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_markdown(rows, gen_secs, args.size, counts, load), encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()

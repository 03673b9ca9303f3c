"""Benchmark of the report stage on `large`-sized derived tables.

Fills the derived tables of docs/stage-outputs.md with DuckDB SQL at the size of the
`large` organisation (100,000 opportunities, 50,000 accounts, 10,000 employees in 100
teams, 5 policies, a 300,000-row coverage table, 2 million competitor leads), then times
the shared report (HTML + exports) and one employee's personal report. Prints a table;
``--write`` records the figures in docs/benchmarks/report.md.

    .venv/bin/python benchmarks/report.py --write
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from pathlib import Path

from tieguard.engine import Engine
from tieguard.report import build_report, write_employee_report
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse, record_stage_run

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ".venv/bin/python benchmarks/report.py --write"
TABLES = [
    """CREATE OR REPLACE TABLE exposure_opportunities AS SELECT 'baseline' AS scenario,
       'O' || i AS opportunity_id, 'A' || (i % 50000) AS account_id, (hash(i) % 900 + 10) * 1000.0 AS amount,
       i % 3 = 0 AS is_won, i % 5 <> 0 AS is_closed, DATE '2025-01-01' + CAST(i % 365 AS INT) AS close_date,
       DATE '2024-06-01' + CAST(i % 200 AS INT) AS revealed_on, CAST(hash(i) % 400 AS INT) AS head_start_days,
       i % 2 = 0 AS revealed, i % 3 <> 0 AS account_visible, true AS in_window FROM range(100000) t(i)""",
    """CREATE OR REPLACE TABLE exposure_headline AS SELECT 'baseline' AS scenario, metric, value FROM (VALUES
       ('deals_revealed', 0.5), ('deals_revealed_value', 2.3e10), ('account_visibility', 0.8), ('opportunities', 100000.0),
       ('opportunities_value', 4.6e10), ('head_start_days_median', 200.0), ('lead_precision', 0.31),
       ('leads', 2000000.0), ('accounts_revealed', 41000.0)) v(metric, value)""",
    """CREATE OR REPLACE TABLE exposure_accounts AS SELECT 'baseline' AS scenario, 'A' || i AS account_id,
       'Account ' || i AS account_name, 'DE' AS country, i % 50 AS ties_visible, DATE '2024-01-01' AS first_seen_on,
       i % 7 AS revealed_opportunities, (hash(i) % 997) * 1000.0 AS revealed_value, (i % 100) * 1.0 AS score
       FROM range(50000) t(i)""",
    """CREATE OR REPLACE TABLE exposure_monthly AS SELECT 'baseline' AS scenario,
       CAST(DATE '2021-01-01' + INTERVAL (i) MONTH AS DATE) AS month, 30000 + i AS leads, 500 AS new_accounts_revealed,
       1500 AS revealed_opportunities, 1.0e8 AS revealed_value FROM range(60) t(i)""",
    """CREATE OR REPLACE TABLE exposure_teams AS SELECT 'baseline' AS scenario, 'Team ' || i AS team,
       CASE WHEN i < 3 THEN 2 ELSE 100 END AS employees, 20000 AS leads, 900 AS revealed_opportunities,
       2.0e8 AS revealed_value FROM range(100) t(i)""",
    """CREATE OR REPLACE TABLE whatif_results AS SELECT 'policy_' || p AS policy, 'Policy number ' || p AS description,
       metric, 0.5 AS before, 0.5 - p * 0.08 AS after, -p * 0.08 AS difference
       FROM range(1, 6) a(p), (VALUES ('deals_revealed'), ('leads')) m(metric)""",
    """CREATE OR REPLACE TABLE whatif_costs AS SELECT 'policy_' || p AS policy, p * 1000 AS ties_delayed,
       p * 5000 AS ties_hidden, 30.0 AS median_delay_days, '' AS notes FROM range(1, 6) a(p)""",
    """CREATE OR REPLACE TABLE capital_coverage AS SELECT 'A' || (i // 6) AS account_id, 'Account ' || (i // 6) AS account_name,
       ['decision_maker','economic_buyer','procurement','technical_evaluator','user','gatekeeper'][i % 6 + 1] AS buying_role,
       hash(i) % 3 = 0 AS reached, 1 AS employees, DATE '2022-01-01' AS since, 0.5 AS strength FROM range(300000) t(i)""",
    """CREATE OR REPLACE TABLE capital_risk AS SELECT 'A' || i AS account_id, 'Account ' || i AS account_name,
       (hash(i) % 1000) * 1000.0 AS value, 3 AS key_contacts, i % 4 AS single_holder_contacts,
       'Team ' || (i % 100) AS holder_team, (hash(i) % 1000) * 1.0 AS risk_score FROM range(50000) t(i)""",
    """CREATE OR REPLACE TABLE capital_monthly AS SELECT CAST(DATE '2021-01-01' + INTERVAL (i) MONTH AS DATE) AS month,
       20000 + i AS accounts_covered, 60000 + i AS roles_covered FROM range(60) t(i)""",
    """CREATE OR REPLACE TABLE competitor_sightings AS SELECT 'baseline' AS scenario, 'T' || i AS tie_id,
       'E' || (i % 10000) AS employee_id, 'P' || i AS person_key, DATE '2021-01-01' + CAST(i % 1800 AS INT) AS connected_on,
       DATE '2021-01-04' + CAST(i % 1800 AS INT) AS seen_on, CASE WHEN i % 9 = 0 THEN 'shared' ELSE 'list' END AS channel
       FROM range(2000000) t(i)""",
    """CREATE OR REPLACE TABLE competitor_leads AS SELECT 'baseline' AS scenario, seen_on, tie_id, employee_id, person_key,
       'A' || (hash(tie_id) % 50000) AS account_id, NULL AS contact_id, 'Company' AS company, 'Buyer' AS position,
       'head' AS seniority, 'purchasing' AS function, 'procurement' AS buying_roles, true AS is_lead,
       hash(tie_id) % 4 = 0 AS is_pipeline, false AS is_customer_contact, NULL AS opportunity_id,
       false AS is_first_tie_into_account FROM competitor_sightings""",
    """INSERT INTO employees (employee_id, full_name, team) SELECT 'E' || i, 'Person ' || i, 'Team ' || (i % 100)
       FROM range(10000) t(i)""",
    """INSERT INTO ties (tie_id, employee_id, network, person_key, connected_on, first_import_id,
       last_seen_import_id) SELECT tie_id, employee_id, 'linkedin', person_key, connected_on, 'i', 'i'
       FROM competitor_sightings WHERE employee_id = 'E42'""",
]


def fill(engine: Engine) -> None:
    for sql in TABLES:
        created = re.match(r"\s*CREATE OR REPLACE TABLE (\w+) AS (.*)", sql, re.S)
        if created:  # declared tables are filled through the engine, never created
            engine.replace(created.group(1), created.group(2))
        else:
            engine.execute(sql)
    for stage in ("watch", "exposure", "capital"):
        record_stage_run(engine, stage, 0.0, {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="Write docs/benchmarks/report.md.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_warehouse(Path(tmp) / "w.duckdb")
        started = time.perf_counter()
        fill(engine)
        fill_s = time.perf_counter() - started
        started = time.perf_counter()
        result = build_report(engine, Settings(), Path(tmp) / "report")
        report_s = time.perf_counter() - started
        html_mb = result.path.stat().st_size / 2**20
        started = time.perf_counter()
        personal = write_employee_report(engine, Settings(), "E42", Path(tmp) / "report")
        employee_s = time.perf_counter() - started
        personal_kb = personal.stat().st_size / 2**10
        engine.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("fill derived tables (setup, not timed below)", f"{fill_s:.1f} s"),
        ("shared report: HTML + CSV/JSON exports", f"{report_s:.1f} s"),
        ("index.html size (plotly.js inline)", f"{html_mb:.1f} MB"),
        ("personal report of one employee (200 leads)", f"{employee_s:.2f} s"),
        ("personal report size", f"{personal_kb:.0f} KB"),
        ("peak memory of the process", f"{peak_mb:,.0f} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10}")
    if args.write:
        lines = ["## report", "", f"Command: `{COMMAND}` (2 cores, 24 GB).", "",
                 "100,000 opportunities, 50,000 accounts, 10,000 employees in 100 teams, "
                 "5 policies, 2 million competitor leads.", "",
                 "| step | figure |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in rows]
        target = ROOT / "docs" / "benchmarks" / "report.md"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A warehouse populated by hand with the derived tables declared in tieguard.schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse, record_stage_run

DERIVED = {
    "exposure_headline": """SELECT * FROM (VALUES
        ('baseline', 'deals_revealed', 0.583), ('baseline', 'deals_revealed_value', 12400000.0),
        ('baseline', 'account_visibility', 0.91),
        ('baseline', 'opportunities', 412.0), ('baseline', 'opportunities_value', 21300000.0),
        ('baseline', 'head_start_days_median', 74.0), ('baseline', 'lead_precision', 0.27),
        ('baseline', 'leads', 1834.0), ('baseline', 'accounts_revealed', 96.0),
        ('hide_sales', 'deals_revealed', 0.19)) t(scenario, metric, value)""",
    "exposure_opportunities": """SELECT * FROM (VALUES
        ('baseline', 'O1', 'A1', 500000.0, true, true, DATE '2025-06-30', DATE '2025-03-01', 121, true, true),
        ('baseline', 'O2', 'A2', 250000.0, true, true, DATE '2025-05-15', DATE '2025-04-20', 25, true, true),
        ('baseline', 'O3', 'A3', 90000.0, false, true, DATE '2025-02-01', NULL, NULL, false, true),
        ('baseline', 'O4', 'A1', 70000.0, false, false, DATE '2025-12-31', DATE '2025-09-01', 60, true, true))
        t(scenario, opportunity_id, account_id, amount, is_won, is_closed, close_date, revealed_on,
          head_start_days, revealed, in_window)""",
    "exposure_accounts": """SELECT * FROM (VALUES
        ('baseline', 'A1', 'Kesselbau Rhein GmbH', 'DE', 14, DATE '2025-03-01', 2, 570000.0, 0.91),
        ('baseline', 'A2', 'Acme Valves BV', 'NL', 3, DATE '2025-04-20', 1, 250000.0, 0.55),
        ('baseline', 'A3', 'Quiet Pumps SA', 'FR', 0, NULL, 0, 0.0, 0.0))
        t(scenario, account_id, account_name, country, ties_visible, first_seen_on,
          revealed_opportunities, revealed_value, score)""",
    "exposure_monthly": """SELECT * FROM (VALUES
        ('baseline', DATE '2025-03-01', 17, 2, 1, 500000.0),
        ('baseline', DATE '2025-04-01', 23, 1, 1, 250000.0),
        ('baseline', DATE '2025-05-01', 9, 0, 0, 0.0))
        t(scenario, month, leads, new_accounts_revealed, revealed_opportunities, revealed_value)""",
    "exposure_teams": """SELECT * FROM (VALUES
        ('baseline', 'Inside Sales DACH', 12, 731, 40, 3456789.0),
        ('baseline', 'Field Sales Benelux', 8, 402, 22, 1234567.0),
        ('baseline', 'Tiny Team A', 1, 55, 3, 98765.0),
        ('baseline', 'Tiny Team B', 2, 11, 1, 4321.0))
        t(scenario, team, employees, leads, revealed_opportunities, revealed_value)""",
    "whatif_results": """SELECT * FROM (VALUES
        ('hide_sales', 'Hiding connection lists for the sales team', 'deals_revealed', 0.583, 0.19, -0.393),
        ('connect_after_close', 'Connecting only after close', 'deals_revealed', 0.583, 0.04, -0.543),
        ('hide_sales', 'Hiding connection lists for the sales team', 'leads', 1834.0, 612.0, -1222.0),
        ('connect_after_close', 'Connecting only after close', 'leads', 1834.0, 401.0, -1433.0))
        t(policy, description, metric, before, after, difference)""",
    "whatif_costs": """SELECT * FROM (VALUES
        ('hide_sales', 0, 5012, NULL, 'lists hidden'),
        ('connect_after_close', 2345, 0, 88.0, 'ties delayed until close'))
        t(policy, ties_delayed, ties_hidden, median_delay_days, notes)""",
    "capital_coverage": """SELECT * FROM (VALUES
        ('A1', 'Kesselbau Rhein GmbH', 'decision_maker', true, 2, DATE '2021-01-01', 0.8),
        ('A1', 'Kesselbau Rhein GmbH', 'procurement', false, 0, NULL, NULL),
        ('A2', 'Acme Valves BV', 'decision_maker', true, 1, DATE '2022-05-01', 0.4),
        ('A2', 'Acme Valves BV', 'procurement', true, 1, DATE '2023-02-01', 0.3))
        t(account_id, account_name, buying_role, reached, employees, since, strength)""",
    "capital_risk": """SELECT * FROM (VALUES
        ('A2', 'Acme Valves BV', 777000.0, 2, 2, 'Field Sales Benelux', 0.88, true),
        ('A1', 'Kesselbau Rhein GmbH', 570000.0, 3, 0, NULL, 0.1, false))
        t(account_id, account_name, value, key_contacts, single_holder_contacts, holder_team, risk_score,
          at_risk)""",
    "capital_monthly": """SELECT * FROM (VALUES
        (DATE '2025-03-01', 40, 90), (DATE '2025-04-01', 44, 97)) t(month, accounts_covered, roles_covered)""",
    "competitor_sightings": """SELECT * FROM (VALUES
        ('baseline', 'T1', 'E7', 'P1', DATE '2024-02-27', DATE '2024-03-01', 'list'),
        ('baseline', 'T2', 'E7', 'P2', DATE '2025-01-10', DATE '2025-01-13', 'list'),
        ('baseline', 'T3', 'E7', 'P3', DATE '2025-04-02', DATE '2025-04-07', 'shared'),
        ('baseline', 'T4', 'E7', 'P4', DATE '2025-05-02', DATE '2025-05-05', 'list'),
        ('baseline', 'T9', 'E8', 'P9', DATE '2025-05-02', DATE '2025-05-05', 'list'))
        t(scenario, tie_id, employee_id, person_key, connected_on, seen_on, channel)""",
    "competitor_leads": """SELECT * FROM (VALUES
        ('baseline', DATE '2024-03-01', 'T1', 'E7', 'P1', 'A1', 'C1', 'Kesselbau Rhein', 'Einkaufsleiter',
         'head', 'purchasing', 'procurement', true, true, false, 'O1', true),
        ('baseline', DATE '2025-01-13', 'T2', 'E7', 'P2', 'A1', 'C2', 'Kesselbau Rhein', 'CTO',
         'c_level', 'engineering', 'decision_maker|technical_evaluator', true, false, true, NULL, false),
        ('baseline', DATE '2025-04-07', 'T3', 'E7', 'P3', NULL, NULL, 'Pumpwerk Nord', 'Buyer',
         'individual', 'purchasing', 'procurement', true, false, false, NULL, true),
        ('baseline', DATE '2025-05-05', 'T4', 'E7', 'P4', NULL, NULL, 'Some Agency', 'Designer',
         'individual', 'marketing', '', false, false, false, NULL, false),
        ('baseline', DATE '2025-05-05', 'T9', 'E8', 'P9', 'A2', 'C9', 'Colleague Secret Corp', 'CEO',
         'c_level', 'general_management', 'decision_maker', true, true, false, 'O2', true))
        t(scenario, seen_on, tie_id, employee_id, person_key, account_id, contact_id, company, position,
          seniority, function, buying_roles, is_lead, is_pipeline, is_customer_contact, opportunity_id,
          is_first_tie_into_account)""",
}

EMPLOYEES_SQL = """INSERT INTO employees (employee_id, full_name, team, country) VALUES
    ('E7', 'Anna Verkauf', 'Inside Sales DACH', 'DE'),
    ('E8', 'Bert Geheim', 'Tiny Team A', 'NL')"""
ACCOUNTS_SQL = """INSERT INTO accounts (account_id, name, country) VALUES
    ('A1', 'Kesselbau Rhein GmbH', 'DE'), ('A2', 'Acme Valves BV', 'NL')"""
TIES_SQL = """INSERT INTO ties (tie_id, employee_id, network, person_key, connected_on,
    first_import_id, last_seen_import_id) VALUES
    ('T1', 'E7', 'linkedin', 'P1', DATE '2024-02-27', 'i7', 'i7'),
    ('T9', 'E8', 'linkedin', 'P9', DATE '2025-05-02', 'i8', 'i8')"""
PRIVACY_SQL = """INSERT INTO privacy_settings VALUES
    ('E7', 'linkedin', DATE '2020-01-01', 'connections')"""


def fill(engine: Engine, table: str, select_sql: str | None = None) -> None:
    """Replace ``table``'s rows (a declared table) with a fixture query, columns by name."""
    engine.replace(table, select_sql or DERIVED[table])


def populate(engine: Engine, tables: list[str] | None = None) -> None:
    for stage in ("watch", "exposure"):
        record_stage_run(engine, stage, 0.0, {})
    for name in DERIVED:
        if tables is None or name in tables:
            fill(engine, name)
    engine.execute(EMPLOYEES_SQL)
    engine.execute(ACCOUNTS_SQL)
    engine.execute(PRIVACY_SQL)
    engine.execute(TIES_SQL)


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Engine]:
    engine = open_warehouse(tmp_path / "w.duckdb")
    populate(engine)
    yield engine
    engine.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()

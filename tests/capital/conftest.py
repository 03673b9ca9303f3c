"""Hand-built relationship graphs with known answers for the capital stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tieguard.engine import Engine
from tieguard.pipeline import run_stage
from tieguard.settings import CapitalSettings, Settings
from tieguard.stages import stage
from tieguard.warehouse import open_warehouse

AS_OF = dt.date(2026, 6, 30)


def insert(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert dict rows (columns by name) into ``table``."""
    for row in rows:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        engine.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


def add_tie(engine: Engine, employee: str, person: str, contact: str | None, account: str | None,
            connected_on: dt.date, removed_on: dt.date | None = None) -> None:
    """A tie employee -> person, the person resolved to (contact, account)."""
    if not engine.scalar("SELECT count(*) FROM tie_people WHERE person_key = ?", [person]):
        insert(engine, "tie_people", [{"person_key": person, "first_name": person.upper(),
                                       "last_name": "Person",
                                       "profile_url": f"https://www.linkedin.com/in/{person}"}])
        insert(engine, "tie_matches", [{"person_key": person, "contact_id": contact,
                                        "account_id": account, "match_probability": 0.99,
                                        "method": "profile_url", "status": "matched"}])
    insert(engine, "ties", [{"tie_id": f"{employee}-{person}", "employee_id": employee,
                             "network": "linkedin", "person_key": person,
                             "connected_on": connected_on, "first_import_id": "imp",
                             "last_seen_import_id": "imp", "removed_on": removed_on}])


def settings() -> Settings:
    return Settings(capital=CapitalSettings(as_of=AS_OF.isoformat()))


def build(engine: Engine) -> dict[str, Any]:
    """Run the capital stage as the pipeline does (recorded, so the views may read it)."""
    return dict(run_stage(engine, settings(), stage("capital")).figures)


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_warehouse(tmp_path / "w.duckdb")
    yield eng
    eng.close()


@pytest.fixture()
def org(engine: Engine) -> Engine:
    """Four accounts; see the module docstring of test_capital.py for the known answers."""
    insert(engine, "employees", [
        {"employee_id": "E1", "full_name": "Anna Jansen", "team": "North"},
        {"employee_id": "E2", "full_name": "Bert de Vries", "team": "North"},
        {"employee_id": "E3", "full_name": "Carla Schmidt", "team": "South"},
        {"employee_id": "E4", "full_name": "Dirk Meyer", "team": "South",
         "left_on": dt.date(2025, 1, 1)},
    ])
    insert(engine, "accounts", [
        {"account_id": "A1", "name": "Acme Industrial", "account_type": "customer"},
        {"account_id": "A2", "name": "Beta Werke", "account_type": "customer"},
        {"account_id": "A3", "name": "Gamma BV", "account_type": "prospect"},
        {"account_id": "A4", "name": "Delta Ltd", "account_type": "prospect"},
    ])
    insert(engine, "contacts", [
        {"contact_id": "C1", "account_id": "A1", "first_name": "Clara", "last_name": "One"},
        {"contact_id": "C2", "account_id": "A1", "first_name": "Chris", "last_name": "Two"},
        {"contact_id": "C3", "account_id": "A2", "first_name": "Cem", "last_name": "Three"},
        {"contact_id": "C4", "account_id": "A3", "first_name": "Cora", "last_name": "Four"},
        {"contact_id": "C5", "account_id": "A3", "first_name": "Carl", "last_name": "Five"},
        {"contact_id": "C6", "account_id": "A4", "first_name": "Cleo", "last_name": "Six"},
    ])
    insert(engine, "contact_title_roles", [
        {"contact_id": "C1", "buying_roles": "decision_maker"},
        {"contact_id": "C2", "buying_roles": "technical_evaluator|user"},
        {"contact_id": "C3", "buying_roles": "decision_maker"},
        {"contact_id": "C4", "buying_roles": "procurement"},
        {"contact_id": "C5", "buying_roles": "user"},
        {"contact_id": "C6", "buying_roles": "decision_maker"},
    ])
    insert(engine, "opportunities", [
        {"opportunity_id": "O1", "account_id": "A1", "amount": 100_000.0, "is_closed": False,
         "is_won": False, "owner_employee_id": "E1", "created_on": dt.date(2026, 1, 10)},
        {"opportunity_id": "O2", "account_id": "A2", "amount": 50_000.0, "is_closed": True,
         "is_won": True, "owner_employee_id": "E2", "close_date": dt.date(2025, 3, 1)},
        {"opportunity_id": "O3", "account_id": "A3", "amount": 20_000.0, "is_closed": False,
         "is_won": False, "owner_employee_id": "E3"},
        {"opportunity_id": "O4", "account_id": "A1", "amount": 999.0, "is_closed": True,
         "is_won": True, "owner_employee_id": "E1", "close_date": dt.date(2020, 5, 1)},
    ])
    insert(engine, "contact_roles", [
        {"opportunity_id": "O1", "contact_id": "C1", "role": "Economic Buyer",
         "buying_role": "economic_buyer"},
        {"opportunity_id": "O2", "contact_id": "C3", "role": "Decision Maker",
         "buying_role": "decision_maker"},
    ])
    add_tie(engine, "E1", "p1", "C1", "A1", dt.date(2024, 1, 1))
    add_tie(engine, "E1", "p2", "C2", "A1", dt.date(2024, 2, 1))
    add_tie(engine, "E2", "p3", "C3", "A2", dt.date(2023, 5, 1))
    add_tie(engine, "E3", "p3", "C3", "A2", dt.date(2025, 9, 1))
    add_tie(engine, "E3", "p4", "C4", "A3", dt.date(2025, 10, 1))
    add_tie(engine, "E4", "p4", "C4", "A3", dt.date(2023, 10, 1))  # E4 left the company
    add_tie(engine, "E2", "p5", "C5", "A3", dt.date(2025, 11, 1))
    insert(engine, "private_marks", [{"employee_id": "E2", "contact_id": "C5"}])
    return engine

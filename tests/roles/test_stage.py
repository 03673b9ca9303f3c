"""The roles stage over a small warehouse: derived tables rebuilt from distinct titles."""

from __future__ import annotations

from tieguard.engine import Engine
from tieguard.roles import run
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse


def _engine() -> Engine:
    engine = open_warehouse(":memory:")
    engine.execute(
        "INSERT INTO tie_people (person_key, position) VALUES ('p1', 'Head of Procurement @ Acme'), ('p2', NULL), "
        "('p3', 'Einkaufsleiter'), ('p4', '🚀'), ('p5', 'Head of Procurement @ Acme'), ('p6', 'Account Executive')"
    )
    engine.execute("INSERT INTO contacts (contact_id, title) VALUES ('c1', 'CFO'), ('c2', 'Einkaufsleiter'), ('c3', '')")
    return engine


def test_run_writes_both_tables_with_one_row_per_source_row() -> None:
    engine = _engine()
    summary = run(engine, Settings())
    assert summary["people"] == 6 and summary["contacts"] == 3
    assert summary["distinct_titles"] == 6  # NULL excluded, '' kept
    people = {r["person_key"]: r for r in engine.fetch_records("SELECT * FROM person_roles")}
    assert people["p1"]["seniority"] == "head" and people["p1"]["function"] == "purchasing"
    assert people["p1"]["is_buying_role"] is True
    assert "procurement" in people["p1"]["buying_roles"].split("|")
    assert people["p2"]["function"] == "unknown" and people["p2"]["is_buying_role"] is False
    assert people["p6"]["is_buying_role"] is False
    contacts = {r["contact_id"]: r for r in engine.fetch_records("SELECT * FROM contact_title_roles")}
    assert contacts["c1"]["seniority"] == "c_level"
    assert set(contacts["c1"]) == {
        "contact_id", "seniority", "function", "buying_roles", "role_confidence", "is_buying_role"
    }


def test_run_is_repeatable_and_tolerates_empty_tables() -> None:
    engine = _engine()
    run(engine, Settings())
    run(engine, Settings())
    assert engine.scalar("SELECT count(*) FROM person_roles") == 6
    empty = open_warehouse(":memory:")
    summary = run(empty, Settings())
    assert summary["people"] == 0
    assert empty.scalar("SELECT count(*) FROM contact_title_roles") == 0


def test_min_buying_score_setting_is_applied() -> None:
    engine = _engine()
    run(engine, Settings.model_validate({"roles": {"min_buying_score": 0.95}}))
    assert engine.scalar("SELECT count(*) FILTER (WHERE is_buying_role) FROM person_roles") == 0


def test_roles_of_pseudonymised_people_survive_a_rerun(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = open_warehouse(tmp_path / "w.duckdb")
    engine.execute(
        "INSERT INTO tie_people (person_key, first_name, position) VALUES "
        "('p1', 'Anna', 'Einkaufsleiterin'), ('p2', 'Bob', 'Software Engineer')"
    )
    run(engine, Settings())
    before = engine.fetch_records("SELECT * FROM person_roles WHERE person_key = 'p1'")[0]
    assert before["function"] == "purchasing"
    # resolution found no CRM match for p1: its name and title are erased, its labels kept
    engine.execute(
        "UPDATE tie_people SET first_name = NULL, position = NULL, is_pseudonymised = TRUE "
        "WHERE person_key = 'p1'"
    )
    run(engine, Settings())
    after = engine.fetch_records("SELECT * FROM person_roles WHERE person_key = 'p1'")
    assert after == [before]
    assert engine.scalar("SELECT count(*) FROM person_roles") == 2

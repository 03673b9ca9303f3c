"""Relationship prior and title features of the person model."""

from __future__ import annotations

from pathlib import Path

import duckdb
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tieguard.resolve.features import TITLE_KEY_SQL, build_features
from tieguard.resolve.model import person_settings
from tieguard.warehouse import open_warehouse


def _title_key(text: str | None) -> str | None:
    con = duckdb.connect()
    rows = con.execute(f"SELECT {TITLE_KEY_SQL.format(col='$t')}", {"t": text}).fetchall()
    con.close()
    return rows[0][0]


def test_title_key_drops_company_suffix_case_and_accents() -> None:
    assert _title_key("Head of R&D | ACME GmbH") == _title_key("head of r&d")
    assert _title_key("Directeur Général at Foo SA") == "directeur general"
    assert _title_key("  ") is None
    assert _title_key(None) is None


@hypothesis_settings(deadline=None, derandomize=True)  # no wall-clock deadline on a shared machine
@given(st.text(max_size=40))
def test_title_key_is_lowercase_ascii_words(text: str) -> None:
    key = _title_key(text)
    assert key is None or (key == key.strip() and all(c.isascii() for c in key)
                           and key == key.lower() and "  " not in key)


def test_rel_employees_from_ties_and_ownership(tmp_path: Path) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    engine.execute("INSERT INTO accounts (account_id, name, owner_employee_id) VALUES "
                   "('A1', 'Acme Pumps', 'E1'), ('A2', 'Bolt Valves', NULL)")
    engine.execute("INSERT INTO opportunities (opportunity_id, account_id, owner_employee_id) "
                   "VALUES ('O1', 'A1', 'E2')")
    engine.execute("INSERT INTO contacts (contact_id, account_id, first_name, last_name, title, "
                   "owner_employee_id) VALUES ('C1', 'A1', 'Jan', 'Smit', 'Buyer', 'E3'), "
                   "('C2', 'A2', 'Piet', 'Bos', NULL, NULL)")
    engine.execute("INSERT INTO tie_people (person_key, first_name, last_name, position) VALUES "
                   "('P1', 'Jan', 'Smit', 'Senior Buyer | Acme'), ('P2', 'Piet', 'Bos', NULL)")
    engine.execute("INSERT INTO ties (tie_id, employee_id, network, person_key, first_import_id, "
                   "last_seen_import_id) VALUES ('T1', 'E2', 'linkedin', 'P1', 'i', 'i'), "
                   "('T2', 'E9', 'linkedin', 'P1', 'i', 'i')")
    build_features(engine, max_block_size=100)
    contacts = dict(engine.fetchall("SELECT unique_id, rel_employees FROM _rs_contacts"))
    people = dict(engine.fetchall("SELECT unique_id, rel_employees FROM _rs_people"))
    assert contacts == {"C1": ["E1", "E2", "E3"], "C2": None}
    assert people == {"P1": ["E2", "E9"], "P2": None}
    titles = dict(engine.fetchall("SELECT unique_id, title_tokens FROM _rs_people"))
    assert titles["P1"] == ["buyer"] and titles["P2"] is None
    engine.close()


def test_optional_comparisons_can_be_left_out() -> None:
    names = lambda s: [c.create_output_column_name() for c in s.comparisons]  # noqa: E731
    assert names(person_settings())[-2:] == ["relationship", "title"]
    assert "relationship" not in names(person_settings(relationship=False, title=False))


def _namesakes(path: Path, with_tie: bool) -> tuple[str | None, float]:
    """One tie-person 'Jan Smit' (no company) and two contacts of that name at two
    accounts owned by different employees; optionally a tie from the first owner."""
    engine = open_warehouse(path)
    engine.execute("INSERT INTO accounts (account_id, name, owner_employee_id) VALUES "
                   "('A1', 'Acme Pumps', 'E1'), ('A2', 'Bolt Valves', 'E2')")
    engine.execute("INSERT INTO contacts (contact_id, account_id, first_name, last_name) VALUES "
                   "('C1', 'A1', 'Jan', 'Smit'), ('C2', 'A2', 'Jan', 'Smit')")
    engine.execute("INSERT INTO tie_people (person_key, first_name, last_name) VALUES "
                   "('P1', 'Jan', 'Smit')")
    employee = "E1" if with_tie else "E7"
    engine.execute("INSERT INTO ties (tie_id, employee_id, network, person_key, first_import_id, "
                   f"last_seen_import_id) VALUES ('T1', '{employee}', 'linkedin', 'P1', 'i', 'i')")
    from tieguard.resolve import run
    from tieguard.settings import Settings

    run(engine, Settings())
    row = engine.fetchall("SELECT contact_id, match_probability FROM tie_matches")[0]
    engine.close()
    return row[0], float(row[1])


def test_relationship_prior_prefers_the_owned_namesake(tmp_path: Path) -> None:
    contact, p_tie = _namesakes(tmp_path / "a.duckdb", with_tie=True)
    _, p_no_tie = _namesakes(tmp_path / "b.duckdb", with_tie=False)
    assert contact == "C1"
    assert p_tie > p_no_tie

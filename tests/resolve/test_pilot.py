"""A first pilot never crashes resolve: every thin-data case falls back with a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.resolve import model as model_module
from tieguard.resolve import run
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse

SETTINGS = Settings()


def _warehouse(path: Path, people: list[tuple[str, str, str, str]],
               contacts: list[tuple[str, str, str, str, str | None]],
               accounts: list[tuple[str, str]], employees: list[str]) -> Engine:
    engine = open_warehouse(path)
    for account_id, name in accounts:
        engine.execute("INSERT INTO accounts (account_id, name) VALUES (?, ?)", [account_id, name])
    for row in contacts:
        engine.execute("INSERT INTO contacts (contact_id, account_id, first_name, last_name, email)"
                       " VALUES (?, ?, ?, ?, ?)", list(row))
    for i, (key, first, last, company) in enumerate(people):
        engine.execute("INSERT INTO tie_people (person_key, first_name, last_name, company) "
                       "VALUES (?, ?, ?, ?)", [key, first, last, company])
        employee = employees[i % len(employees)]
        engine.execute("INSERT INTO ties (tie_id, employee_id, network, person_key, "
                       "first_import_id, last_seen_import_id) VALUES (?, ?, 'linkedin', ?, 'i', 'i')",
                       [f"T{i}", employee, key])
    return engine


def _statuses(engine: Engine) -> dict[str, str]:
    return dict(engine.fetchall("SELECT person_key, status FROM tie_matches"))


def test_empty_crm_warns_and_keeps_names(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = _warehouse(tmp_path / "w.duckdb", [("P1", "Jan", "Smit", "Acme")], [], [], ["E1"])
    with caplog.at_level(logging.WARNING):
        summary = run(engine, SETTINGS)
    assert "tieguard import crm" in caplog.text
    assert _statuses(engine) == {"P1": "unmatched"} and summary["pseudonymised"] == 0
    assert engine.scalar("SELECT first_name FROM tie_people") == "Jan"
    engine.close()


def test_one_employee_few_people_no_emails(tmp_path: Path) -> None:
    people = [("P1", "Jan", "Smit", "Acme Pumps BV"), ("P2", "Maria", "Rossi", "Other"),
              ("P3", "Piet", "Bos", None)]
    contacts = [("C1", "A1", "Jan", "Smit", None), ("C2", "A2", "Anna", "Weber", None)]
    engine = _warehouse(tmp_path / "w.duckdb", people, contacts,
                        [("A1", "Acme Pumps"), ("A2", "Bolt Valves GmbH")], ["E1"])
    summary = run(engine, SETTINGS)
    assert summary["person_model"] == "shipped"
    statuses = _statuses(engine)
    assert statuses["P1"] == "matched" and statuses["P3"] == "unmatched"
    engine.close()


def test_em_without_pairs_falls_back_to_shipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough people to train, but LinkedIn exports and CRM share no one: EM has no pairs."""
    monkeypatch.setattr(model_module, "MIN_TRAIN_PEOPLE", 30)
    monkeypatch.setattr(model_module, "MIN_TRAIN_CONTACTS", 10)
    firsts = ["Jan", "Piet", "Kees", "Anna", "Sofie", "Lotte", "Bram", "Daan"]
    lasts = ["Smit", "Bos", "Visser", "Mulder", "Dekker"]
    people = [(f"P{i}", f, ln, "Plain Sailing BV") for i, (f, ln) in
              enumerate((f, ln) for f in firsts for ln in lasts)]
    contacts = [(f"C{i}", "A1", f, ln, None) for i, (f, ln) in
                enumerate((f, ln) for f in ["Giulia", "Marco", "Luca"]
                          for ln in ["Rossi", "Bianchi", "Romano", "Ricci", "Greco"])]
    engine = _warehouse(tmp_path / "w.duckdb", people, contacts, [("A1", "Acme")], ["E1", "E2"])
    with caplog.at_level(logging.WARNING):
        summary = run(engine, SETTINGS)
    assert summary["person_model"] == "shipped"
    assert "could not be trained" in caplog.text and "resolve train --labels" in caplog.text
    assert set(_statuses(engine).values()) == {"unmatched"}
    engine.close()


def test_em_failure_of_any_kind_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_module, "MIN_TRAIN_PEOPLE", 1)
    monkeypatch.setattr(model_module, "MIN_TRAIN_CONTACTS", 1)

    def broken(linker: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(model_module, "_train", broken)
    engine = _warehouse(tmp_path / "w.duckdb", [("P1", "Jan", "Smit", "Acme")],
                        [("C1", "A1", "Jan", "Smit", None)], [("A1", "Acme")], ["E1"])
    summary = run(engine, SETTINGS)
    assert summary["person_model"] == "shipped" and _statuses(engine)["P1"] == "matched"
    engine.close()

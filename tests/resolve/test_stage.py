"""The resolve stage on small hand-made warehouses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tieguard.engine import Engine
from tieguard.resolve import run
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse

ACCOUNTS = [
    ("A1", "Van Oord Dredging B.V.", "vanoord.com"),
    ("A2", "Siemens Aktiengesellschaft", "siemens.com"),
    ("A3", "Barilla G. e R. Fratelli S.p.A.", "barilla.com"),
    ("A4", "Acme Logistics Ltd", "acme-logistics.co.uk"),
    ("A5", None, None),                      # account without a name
    ("A6", "Heineken Nederland Supply", "heineken.com"),
]
CONTACTS = [
    # contact_id, account, first, last, email, profile_url
    ("C1", "A1", "Johannes", "van der Berg", "j.vdberg@vanoord.com", None),
    ("C2", "A2", "Jürgen", "Müller", "juergen.mueller@siemens.com", None),
    ("C3", "A3", "Giuseppe", "Rossi", "g.rossi@barilla.com", None),
    ("C4", "A4", "Robert", "Smith", "rob@acme-logistics.co.uk",
     "https://www.linkedin.com/in/robsmith/"),
    ("C5", "A4", "Robert", "Smith", "robert.smith@acme-logistics.co.uk", None),  # duplicate
    ("C6", "A6", "Willem", "de Jong", "w.dejong@heineken.com", None),
    ("C7", "A1", "Pieter", "Bakker", "p.bakker@vanoord.com", None),
]
PEOPLE = [
    # person_key, first, last, company, profile_url, email
    ("P1", "Prof. dr. ir. Jan", "van der Berg 🚀", "Van Oord", None, None),
    ("P2", "Juergen", "Mueller", "Siemens AG", None, None),
    ("P3", "Beppe", "Rossi", "Barilla", None, None),
    ("P4", "Bob", "Smith", "Acme", "linkedin.com/in/robsmith", None),
    ("P5", "Wim", "de Jong", "Hoogvliet Supermarkten", None, None),   # job change
    ("P6", "🙂🙂", "", "Freelance", None, None),                      # emoji-only name
    ("P7", "", "", None, None, None),                                  # empty
    ("P8", "Maria", "Garcia", "Siemens AG", None, None),              # account only
    ("P9", "Tomasz", "Nowak", "Zabka Polska", None, None),            # nobody
    ("P10", "Pieter", "Bakker", None, None, None),                    # no company
]


def _load(engine: Engine, people: list[tuple[Any, ...]] = PEOPLE) -> None:
    for row in ACCOUNTS:
        engine.execute("INSERT INTO accounts (account_id, name, domain) VALUES (?, ?, ?)", row)
    for row in CONTACTS:
        engine.execute(
            "INSERT INTO contacts (contact_id, account_id, first_name, last_name, email, "
            "profile_url) VALUES (?, ?, ?, ?, ?, ?)", row)
    for row in people:
        engine.execute(
            "INSERT INTO tie_people (person_key, first_name, last_name, company, profile_url, "
            "email) VALUES (?, ?, ?, ?, ?, ?)", row)
    engine.execute("INSERT INTO competitors VALUES ('Zabka Polska', NULL)")


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    eng = open_warehouse(tmp_path / "w.duckdb")
    _load(eng)
    yield eng
    eng.close()


def _matches(engine: Engine) -> dict[str, dict[str, Any]]:
    return {r["person_key"]: r for r in engine.fetch_records("SELECT * FROM tie_matches")}


def test_links_people_to_contacts_and_accounts(engine: Engine) -> None:
    summary = run(engine, Settings())
    m = _matches(engine)
    assert m["P1"]["contact_id"] == "C1" and m["P1"]["status"] == "matched"
    assert m["P2"]["contact_id"] == "C2" and m["P2"]["status"] == "matched"
    assert m["P3"]["contact_id"] == "C3"
    assert m["P4"]["contact_id"] in {"C4", "C5"} and m["P4"]["method"] == "profile_url"
    assert m["P8"]["contact_id"] is None and m["P8"]["account_id"] == "A2"
    assert m["P9"]["status"] == "unmatched"
    assert summary["tie_people"] == len(PEOPLE)
    assert summary["duplicate_contacts"] == 1
    assert summary["accounts_without_name"] == 1
    assert summary["people_without_name"] == 2
    # every step is timed in wall and CPU seconds (the benchmark's per-step profile)
    assert set(summary["step_cpu_seconds"]) == set(summary["step_seconds"]) == {
        "features", "exact_keys", "person_model", "accounts", "assign", "privacy"}
    assert all(v >= 0 for v in summary["step_cpu_seconds"].values())


def test_evidence_names_comparisons_with_weights(engine: Engine) -> None:
    run(engine, Settings())
    evidence = json.loads(_matches(engine)["P3"]["evidence"])
    assert {"first_name", "last_name", "company", "match_weight"} <= set(evidence)
    assert evidence["first_name"]["level"] == "nickname of the same name"
    assert evidence["company"]["weight"] > 0


def test_job_change_is_flagged_not_dropped(engine: Engine) -> None:
    run(engine, Settings())
    p5 = _matches(engine)["P5"]
    assert p5["contact_id"] == "C6" and p5["job_change"] is True
    assert p5["status"] in {"matched", "review"}
    assert not _matches(engine)["P1"]["job_change"]


def test_unresolved_people_are_pseudonymised(engine: Engine) -> None:
    engine.execute("INSERT INTO person_roles (person_key, seniority) VALUES ('P9', 'manager')")
    run(engine, Settings())
    p9 = engine.fetch_records("SELECT * FROM tie_people WHERE person_key = 'P9'")[0]
    assert p9["is_pseudonymised"] and p9["first_name"] is None and p9["company"] is None
    assert len(p9["person_hash"]) == 32 and p9["company_class"] == "competitor"  # keyed hash
    assert engine.scalar("SELECT count(*) FROM person_roles WHERE person_key = 'P9'") == 1
    p1 = engine.fetch_records("SELECT * FROM tie_people WHERE person_key = 'P1'")[0]
    assert p1["first_name"] and not p1["is_pseudonymised"] and p1["company_class"] == "account"


def test_review_decisions_win_on_rerun(engine: Engine) -> None:
    run(engine, Settings())
    engine.execute("INSERT INTO review_decisions VALUES ('P3', 'C3', 'contact', 'no_match', 't', NULL)")
    engine.execute("INSERT INTO review_decisions VALUES ('P10', 'C7', 'contact', 'match', 't', NULL)")
    run(engine, Settings())
    m = _matches(engine)
    assert m["P3"]["contact_id"] != "C3"
    assert m["P10"]["contact_id"] == "C7" and m["P10"]["status"] == "matched"
    assert m["P10"]["method"] == "review"
    assert engine.scalar("SELECT count(*) FROM review_decisions") == 2


def _namesakes(eng: Engine, crowd: int) -> None:
    """``crowd`` tie-people called Jan Jansen, each at a company with other first letters,
    one of them at Firma Sieben; Jan Jansen is a contact at Firma Sieben and at Van Oord."""
    letters = "abcdeghijklmnopqrstuvwxyz"
    people = [(f"X{i}", "Jan", "Jansen", f"{letters[i % 25]}{letters[i // 25]}x Industries",
               None, None) for i in range(crowd)]
    _load(eng, PEOPLE + people + [("X-true", "Jan", "Jansen", "Firma Sieben", None, None)])
    eng.execute("INSERT INTO accounts (account_id, name) VALUES ('A7', 'Firma Sieben GmbH')")
    eng.execute("INSERT INTO contacts (contact_id, account_id, first_name, last_name) VALUES "
                "('C8', 'A7', 'Jan', 'Jansen'), ('C9', 'A1', 'Jan', 'Jansen')")


def test_oversized_blocks_are_refined_not_dropped(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "big.duckdb")
    _namesakes(eng, 60)
    summary = run(eng, Settings.model_validate({"resolve": {"max_block_pairs": 50}}))
    # 'jan|jansen': 61 tie-people x 2 contacts = 122 comparisons, over the cap of 50
    assert summary["capped_blocks"]["bk_name"] == 1
    assert summary["capped_block_pairs"] >= 122
    assert 0 < summary["refined_block_pairs"] < summary["capped_block_pairs"]
    assert summary["dropped_blocks"] == 0 and summary["dropped_pairs"] == 0
    assert summary["largest_capped_block"] == "61 × 2"
    assert summary["candidate_pairs"] < 122
    m = _matches(eng)
    assert m["X-true"]["contact_id"] == "C8" and m["X-true"]["status"] == "matched"
    eng.close()


def test_refined_blocks_still_too_large_are_capped_and_counted(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "big.duckdb")
    _namesakes(eng, 0)
    for i in range(30):  # namesakes at the same company: the tighter key cannot split them
        eng.execute("INSERT INTO tie_people (person_key, first_name, last_name, company) "
                    "VALUES (?, 'Jan', 'Jansen', 'Firma Sieben')", [f"Y{i}"])
    summary = run(eng, Settings.model_validate({"resolve": {"max_block_pairs": 20}}))
    assert summary["dropped_blocks"] >= 1
    # each dropped block held the 31 namesakes x the contact at Firma Sieben
    assert summary["dropped_pairs"] >= 31 * summary["dropped_blocks"]
    assert summary["refined_block_pairs"] + summary["dropped_pairs"] <= summary[
        "capped_block_pairs"]
    eng.close()


def test_block_size_cap_on_one_side(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "big.duckdb")
    _namesakes(eng, 30)
    summary = run(eng, Settings.model_validate({"resolve": {"max_block_size": 20}}))
    assert summary["capped_blocks"].get("bk_name") == 1
    assert summary["blocked_comparisons"] < 31 * 2 * len(summary["capped_blocks"]) + 200
    eng.close()


def test_another_business_sharing_the_brand_is_not_queued(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "brand.duckdb")
    _load(eng, PEOPLE + [("Y1", "Anna", "Berg", "Terrafix Hospital", None, None),
                         ("Y2", "Lena", "Vogt", "Terrafix Holding", None, None)])
    eng.execute("INSERT INTO accounts (account_id, name) VALUES ('A8', 'Terrafix GmbH')")
    run(eng, Settings())
    m = _matches(eng)
    assert m["Y2"]["account_id"] == "A8" and m["Y2"]["status"] in {"review", "matched"}
    assert m["Y1"]["status"] == "unmatched"
    assert m["Y1"]["match_probability"] < m["Y2"]["match_probability"]
    eng.close()


def test_empty_warehouse_resolves_to_nothing(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "none.duckdb")
    summary = run(eng, Settings())
    assert summary["matched"] == 0 and eng.scalar("SELECT count(*) FROM tie_matches") == 0
    eng.close()


def test_rerun_gives_the_same_decisions(engine: Engine) -> None:
    run(engine, Settings())
    first = {k: (v["status"], v["contact_id"], v["account_id"]) for k, v in _matches(engine).items()}
    run(engine, Settings())
    second = {k: (v["status"], v["contact_id"], v["account_id"]) for k, v in _matches(engine).items()}
    assert first == second

"""Company classes (own, competitor, account, other) of tie-people.

The stage narrows the tie companies it compares in full with a filter in the engine
(fuzzy token agreement once per distinct token); the result must be the one the plain
per-company path gives, on names that reach a reference only by a typo, an acronym, a
glued word or a shared token.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.resolve.features import _register_lookups
from tieguard.resolve.privacy import classify_companies
from tieguard.warehouse import open_warehouse

OWN = "Brakel Industrial Solutions B.V."
COMPETITORS = ("Rivalco GmbH", "International Business Machines", "Siemens AG")
COMPANIES = (
    "Brakel Industrial Solutions",      # own, legal form dropped
    "Brakell Industrial Solutions",     # own, one typo in a token
    "BrakelIndustrialSolutions",        # own, glued words
    "Rivalco",                          # competitor
    "Rivalcoo GmbH",                    # competitor with a typo
    "IBM",                              # competitor by acronym
    "Siemens",                          # competitor
    "SiemensAG",                        # glued legal form
    "Siemens Healthineers",             # shares a token only
    "Acme Logistics",                   # neither
    "Industrial Solutions Group",       # shares generic tokens only
    "Zabka Polska",                     # neither
    "",                                 # no usable name
)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = open_warehouse(tmp_path / "w.duckdb")
    for name in COMPETITORS:
        eng.execute("INSERT INTO competitors (name) VALUES (?)", [name])
    for i, company in enumerate(COMPANIES):
        eng.execute("INSERT INTO tie_people (person_key, company) VALUES (?, ?)",
                    [f"P{i}", company])
        eng.execute("INSERT INTO tie_matches (person_key, match_probability, method, status) "
                    "VALUES (?, 0, 'test', 'unmatched')", [f"P{i}"])
    yield eng
    eng.close()


def _classes(engine: Engine) -> dict[str, str]:
    return {str(k): str(c) for k, c in engine.fetchall(
        "SELECT person_key, company_class FROM tie_people ORDER BY person_key")}


def test_engine_filter_gives_the_classes_of_the_full_comparison(engine: Engine) -> None:
    classify_companies(engine, OWN)  # no lookup: every company compared in Python
    plain = _classes(engine)
    engine.execute("UPDATE tie_people SET company_class = NULL")
    _register_lookups(engine)
    classify_companies(engine, OWN, "_rs_company_lookup")
    assert _classes(engine) == plain
    by_company = {COMPANIES[int(k[1:])]: c for k, c in plain.items()}
    assert by_company["Brakel Industrial Solutions"] == "own"
    assert by_company["Brakell Industrial Solutions"] == "own"
    assert by_company["Rivalcoo GmbH"] == "competitor"
    assert by_company["IBM"] == "competitor"
    assert by_company["Acme Logistics"] == "other"
    assert by_company["Zabka Polska"] == "other"


def test_without_own_or_competitor_names_every_class_comes_from_the_match(
        engine: Engine) -> None:
    engine.execute("DELETE FROM competitors")
    engine.execute("UPDATE tie_matches SET account_id = 'A1', status = 'matched' "
                   "WHERE person_key = 'P0'")
    _register_lookups(engine)
    classify_companies(engine, "", "_rs_company_lookup")
    classes = _classes(engine)
    assert classes.pop("P0") == "account"
    assert set(classes.values()) == {"other"}

"""Company names as real data spells them (issue 10, part 1)."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.resolve import company_key, compare_companies, normalise_company
from tieguard.resolve.company_match import company_probability


@pytest.mark.parametrize("variant", [
    "Philips B. V.", "Philips B.V", "Philips B.V.", "Philips BV", "PHILIPS b.v.",
    "Philips S. A.", "Philips Ges.m.b.H.", "Philips GmbH & Co. KG", "PhilipsAG",
    "Philips S.à r.l.", "Philips AB (publ)", "Philips Sp. z o.o.",
])
def test_legal_form_spellings_leave_the_brand(variant: str) -> None:
    assert company_key(variant) == "philips"


def test_trailing_location_is_a_separate_signal() -> None:
    name = normalise_company("Siemens AG, Amsterdam")
    assert (name.key, name.location) == ("siemens", "amsterdam")
    assert normalise_company("Total (France)").location == "france"
    assert normalise_company("Smith, Jones and Partners").key == "smith jones"  # not a place
    same = compare_companies("Siemens, Den Haag", "Siemens, Den Haag")
    other = compare_companies("Siemens, Den Haag", "Siemens, München")
    assert same.location == "same" and other.location == "different"
    assert other.similarity < same.similarity


def test_numbers_glued_words_and_acronyms() -> None:
    assert compare_companies("3M Company", "Three M").rule == "same name"
    assert compare_companies("Face Book", "Facebook").similarity == 1.0
    assert compare_companies("IBM", "International Business Machines Corporation").rule == "acronym"
    assert compare_companies("GSK", "GlaxoSmithKline plc").rule == "acronym"
    assert compare_companies("KPN", "Koninklijke PTT Nederland").rule == "acronym"


def test_typo_and_containment_do_not_fall_to_zero() -> None:
    typo = compare_companies("Simens AG", "Siemens")
    assert typo.similarity >= 0.85 and typo.rule == "token overlap"
    contained = compare_companies("Philips", "Koninklijke Philips Electronics N.V.")
    assert contained.rule == "contained" and contained.similarity >= 0.85
    assert compare_companies("Deutsche Bank", "Commerzbank").similarity < 0.5
    assert compare_companies("Shell", "Shelter BV").similarity == 0.0


def test_probability_grows_with_similarity() -> None:
    values = [company_probability(s) for s in (0.0, 0.3, 0.6, 0.9, 1.0)]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == 0.99


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@settings(deadline=None, derandomize=True)
@given(_text)
def test_normalised_tokens_are_lowercase_ascii(name: str) -> None:
    norm = normalise_company(name)
    allowed = set(string.ascii_lowercase + string.digits)
    assert all(set(t) <= allowed and t for t in norm.tokens + norm.core)
    assert set(norm.location) <= allowed | {" "}


def test_stage_and_score_pairs_compare_companies_alike(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The stage links a tie company to an account with the comparison score-pairs uses."""
    from tieguard.resolve import run
    from tieguard.settings import Settings
    from tieguard.warehouse import open_warehouse

    engine = open_warehouse(tmp_path / "w.duckdb")
    engine.execute("INSERT INTO accounts (account_id, name) VALUES "
                   "('A1', 'Koninklijke Philips Electronics N.V.')")
    engine.execute("INSERT INTO contacts (contact_id, account_id, first_name, last_name) "
                   "VALUES ('C1', 'A1', 'Anna', 'Visser')")
    engine.execute("INSERT INTO tie_people (person_key, first_name, last_name, company) "
                   "VALUES ('P1', 'Jan', 'Smit', 'Philips, Eindhoven')")
    run(engine, Settings())
    account, evidence = engine.fetchall("SELECT account_id, evidence FROM tie_matches")[0]
    engine.close()
    expected = compare_companies("Philips, Eindhoven", "Koninklijke Philips Electronics N.V.")
    found = json.loads(evidence)
    assert account == "A1" and found["rule"] == expected.rule == "contained"
    assert found["company_similarity"] == pytest.approx(expected.similarity, abs=1e-3)

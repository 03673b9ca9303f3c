"""classify(): label contract, the issue's traps and abbreviations, bad input, one pass per batch."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.labels import BUYING_ROLES, FUNCTIONS, SENIORITY
from tieguard.roles import Classifier, RoleResult, classify, classify_many


@pytest.fixture(scope="module")
def rules_only() -> Classifier:
    return Classifier(fuzzy=False)


@pytest.mark.parametrize(
    ("title", "seniority", "function"),
    [
        ("Head of Procurement @ Acme | ex-Siemens", "head", "purchasing"),
        ("Inkoper bij Van Dijk B.V.", "individual", "purchasing"),
        ("Leiter/Leiterin Einkauf (m/w/d)", "head", "purchasing"),
        ("Einkaufsleiter", "head", "purchasing"),
        ("inkoopmanager", "manager", "purchasing"),
        ("Vertriebsleiterin", "head", "sales"),
        ("Assistant to the CEO", "individual", "admin"),
        ("Account Executive", "individual", None),
        ("Directeur", "c_level", "general_management"),
        ("Directeur achats", "director", "purchasing"),
        ("Geschäftsführender Gesellschafter", "owner", "general_management"),
        ("DGA", "owner", "general_management"),
        ("PDG", "c_level", "general_management"),
        ("SVP Sales EMEA", "vp", "sales"),
        ("Sr. Software Engineer", "senior", "it"),
        ("Jr. Buyer", "individual", "purchasing"),
        ("Lid Raad van Commissarissen", "board", None),
        ("Stellvertretender Einkaufsleiter", "manager", "purchasing"),
        ("Praktikant Einkauf", "intern", "purchasing"),
    ],
)
def test_titles_from_the_issue(rules_only: Classifier, title: str, seniority: str, function: str | None) -> None:
    result = rules_only.classify(title)
    assert result.seniority == seniority, result.evidence
    if function:
        assert function in result.functions, result.evidence


def test_multi_role_title_takes_highest_seniority_and_union_of_functions(rules_only: Classifier) -> None:
    result = rules_only.classify("Einkaufsleiter / Prokurist")
    assert result.seniority == "director"
    both = rules_only.classify("CFO & Head of Purchasing")
    assert both.seniority == "c_level"
    assert {"finance", "purchasing"} <= set(both.functions)


def test_account_executive_is_not_an_executive(rules_only: Classifier) -> None:
    result = rules_only.classify("Account Executive")
    assert result.seniority == "individual"
    assert "decision_maker" not in result.buying_roles


def test_buying_roles_follow_the_default_table(rules_only: Classifier) -> None:
    buyer = rules_only.classify("Senior Buyer")
    assert "procurement" in buyer.buying_roles
    assert "gatekeeper" in rules_only.classify("Assistant to the CEO").buying_roles
    assert "decision_maker" in rules_only.classify("CEO").buying_roles


def test_language_is_detected() -> None:
    assert classify("Leiter Einkauf und Logistik").language == "de"
    assert classify("Responsable des achats").language == "fr"
    assert classify("Medewerker inkoop").language == "nl"


def test_non_roles_abstain(rules_only: Classifier) -> None:
    for text in ("Open to work", "Retired", "Gepensioneerd", "🚀🚀", "", "   ", "<div></div>"):
        result = rules_only.classify(text)
        assert result.seniority == "unknown" and result.function == "unknown"


def test_the_model_covers_an_occupation_the_rules_do_not_know() -> None:
    result = classify("Islamitisch slager")
    assert result.function == "production"
    assert result.path in ("exact", "model")


def test_without_fuzzy_an_unseen_occupation_abstains_on_the_function() -> None:
    assert Classifier(fuzzy=False).classify("Kalkzandsteenmetselaar").function == "unknown"
    assert Classifier(fuzzy=True).classify("Kalkzandsteenmetselaar").function == "production"


def test_classify_many_classifies_each_normalised_title_once() -> None:
    clf = Classifier(fuzzy=False)
    titles = ["Senior Buyer", "senior buyer", "Senior Buyer (m/w/d)", "Senior Buyer @ Acme", "CFO"] * 50
    results = clf.classify_many(titles)
    assert [r.seniority for r in results[:5]] == ["senior"] * 4 + ["c_level"]
    assert clf.stats["distinct_titles"] == 5 and clf.stats["distinct_keys"] == 2


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.one_of(st.text(max_size=300), st.text(alphabet=st.characters(), min_size=1000, max_size=5500)))
def test_any_text_gives_valid_labels_and_no_exception(text: str) -> None:
    result = classify(text)
    assert isinstance(result, RoleResult)
    assert result.seniority in SENIORITY
    assert result.function in FUNCTIONS
    assert set(result.buying_roles) <= set(BUYING_ROLES)
    assert 0.0 <= result.confidence <= 1.0


def test_bad_input_is_quick() -> None:
    nasty = ["", "🙂" * 500, "<p>" * 1500, "x" * 5000, "Директор по закупкам 采购经理", None, 42]
    start = time.perf_counter()
    results = classify_many(nasty)
    assert time.perf_counter() - start < 2.0
    assert results[0].function == "unknown" and results[1].function == "unknown"
    assert results[5].seniority == "unknown" and results[6].seniority == "unknown"


def test_explanations_only_when_asked_name_the_deciding_words() -> None:
    clf = Classifier()
    assert clf.classify("Einkaufsleiter").evidence == ()
    why = clf.explain("Einkaufsleiter")
    assert "compound:einkaufsleiter" in why and "seniority:einkaufsleiter=head" in why
    assert any(e.startswith("model:") for e in clf.explain("Kalkzandsteenmetselaar"))

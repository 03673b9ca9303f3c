"""The language fixes of issue 11: compounds, endings, gendered and plural forms, multi-function
ISCO groups, executives over board seats, Lead/Leiter, risky short words, one table per word."""

from __future__ import annotations

import pytest

from tieguard.roles import Classifier
from tieguard.roles.rules import analyse_word
from tieguard.roles.tables import FUNCTION_WORDS, WEAK_FUNCTION_WORDS, _table


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(
    ("word", "level", "function"),
    [
        ("zerspanungsleiter", "head", None),  # unknown modifier: the ending still gives the level
        ("fertigungsleitung", "head", "production"),
        ("betriebsinhaberin", "owner", None),
        ("bereichsgeschaftsfuhrer", "c_level", "general_management"),
        ("afdelingshoofd", "head", None),
        ("kwaliteitsmanager", "manager", "quality"),
        ("einkaufsleiterin", "head", "purchasing"),
    ],
)
def test_compounds_and_german_dutch_endings(word: str, level: str, function: str | None) -> None:
    rule = analyse_word(word)
    assert (rule.level, rule.function) == (level, function)


@pytest.mark.parametrize(
    ("word", "level", "function"),
    [("leiterin", "head", None), ("ingeniera", None, "engineering"), ("ingegneri", None, "engineering"),
     ("responsables", "manager", None), ("acheteuse", None, "purchasing"), ("directrice", "director", None),
     ("compradora", None, "purchasing"), ("inkopers", None, "purchasing")],
)
def test_gendered_and_plural_forms(word: str, level: str | None, function: str | None) -> None:
    rule = analyse_word(word)
    assert (rule.level, rule.function) == (level, function)


def test_doublets_collapse_on_the_gendered_root(clf: Classifier) -> None:
    assert clf.classify("Leiter/Leiterin Einkauf").seniority == "head"
    assert clf.classify("Leiter/Leiterin Einkauf") == clf.classify("Leiter Einkauf")


def test_multi_function_isco_groups_are_decided_by_the_title_words(clf: Classifier) -> None:
    assert clf.classify("Vertriebsleiter").function == "sales"  # ESCO: 1324, purchasing|supply_chain
    assert clf.classify("Distribution Manager").function == "supply_chain"  # 1324, no purchasing word
    assert clf.classify("Einkaufsleiter").function == "purchasing"


def test_executives_beat_board_membership(clf: Classifier) -> None:
    assert clf.classify("CCO & Board Member").seniority == "c_level"
    assert clf.classify("CFO | Board Member | Investor").seniority == "c_level"
    assert clf.classify("Board Member").seniority == "board"
    assert clf.classify("Lid Raad van Commissarissen").seniority == "board"


def test_lead_leiter_and_projektleiter(clf: Classifier) -> None:
    assert clf.classify("Lead Buyer").seniority == "senior"
    assert clf.classify("Team Lead Procurement").seniority == "manager"
    assert clf.classify("Leiter Einkauf").seniority == "head"
    assert clf.classify("Projektleiter Elektrotechnik").seniority == "senior"


def test_risky_short_words_only_in_context(clf: Classifier) -> None:
    assert clf.classify("Chief Engineer").seniority == "head"
    assert clf.classify("Chief Technology Officer").seniority == "c_level"
    assert clf.classify("Chief Supply Chain Officer").seniority == "c_level"
    assert clf.classify("AD").seniority == "c_level"  # alone: amministratore delegato
    assert clf.classify("AD e socio fondatore").seniority in ("c_level", "owner")
    assert clf.classify("AD Sales Manager").seniority == "manager"  # English context: not an AD


def test_no_word_is_in_two_function_tables() -> None:
    with pytest.raises(ValueError, match="listed under both"):
        _table({"sales": "accounts", "finance": "accounts"})
    assert "accounts" not in FUNCTION_WORDS
    assert WEAK_FUNCTION_WORDS - set(FUNCTION_WORDS) <= {"verkauf"}  # weak words are table words

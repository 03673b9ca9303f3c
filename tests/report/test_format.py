"""Number formatting and the headline sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tieguard.report import fmt
from tieguard.report.headline import cadence_phrase, exposure_sentence, whatif_sentence
from tieguard.settings import Settings


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_money_round_trips_with_thousands_separators(value: float) -> None:
    text = fmt.money(value)
    assert text.lstrip("-").startswith("€")
    assert int(text.replace("€", "").replace(",", "")) == round(value) or abs(value) < 0.5


@given(st.floats(min_value=0, max_value=1))
def test_share_is_a_percentage(value: float) -> None:
    text = fmt.share(value)
    assert text.endswith("%")
    assert abs(float(text[:-1].replace(",", "")) - value * 100) <= 0.5


@given(st.floats(min_value=1000, max_value=1e11))
def test_compact_money_keeps_three_significant_figures(value: float) -> None:
    text = fmt.money(value, compact=True)
    number, unit = float(text[1:-1].replace(",", "")), text[-1]
    scale = {"k": 1e3, "M": 1e6, "B": 1e9}[unit]
    assert abs(number * scale - value) <= 0.05 * value


def test_missing_values_are_a_dash() -> None:
    assert fmt.money(None) == fmt.share(float("nan")) == fmt.days(None) == "–"


def test_cadence_phrases() -> None:
    assert cadence_phrase(7) == "every week"
    assert cadence_phrase(1) == "every day"
    assert cadence_phrase(30) == "every month"
    assert cadence_phrase(10) == "every 10 days"


def _outcome(policy: str, after: float) -> dict[str, object]:
    return {"policy": policy, "description": f"Policy {policy}", "before": 0.6, "after": after,
            "difference": after - 0.6, "cost": {}}


def test_sentence_lists_only_countermeasures_that_help() -> None:
    metrics = {"deals_revealed": 0.6, "opportunities": 10.0, "head_start_days_median": 30.0}
    outcomes = [_outcome("a", 0.1), _outcome("b", 0.6), _outcome("c", 0.7)]
    text = whatif_sentence(outcomes)
    assert "60% of our 10 deals of the past year from a new connection" in exposure_sentence(
        metrics, outcomes, Settings())
    assert "10% with “policy a”" in text
    assert "policy b" not in text and "policy c" not in text


def test_sentence_says_when_nothing_helps() -> None:
    text = whatif_sentence([_outcome("b", 0.6)])
    assert "None of the 1 countermeasure tested reduces the share of deals revealed" in text


def test_no_sentence_without_exposure() -> None:
    assert exposure_sentence({}, [], Settings()) == ""

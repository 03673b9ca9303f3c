"""Alerts speak the employee's language: the advice stored with each alert and the message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tieguard.alerts.advice import Measured, advice_text
from tieguard.alerts.outbox import compose
from tieguard.alerts.raising import employee_languages
from tieguard.alerts.store import Alert
from tieguard.i18n import use
from tieguard.settings import Settings
from tieguard.sources import import_roster
from tieguard.warehouse import open_warehouse

from .helpers import english_left_over

ALERT = {
    "account_name": "Kesselbau Rhein GmbH", "contact_id": "C1", "contact_name": "Jürgen Weiß",
    "reasons": "buying_committee|open_opportunity", "opportunity_id": "O1",
    "opportunity_name": "Boiler retrofit", "opportunity_stage": "Negotiation",
    "value_band": "250k-1M", "expected_close": dt.date(2026, 3, 31), "contact_role": "Decision Maker",
    "channel": "list", "competitor_sees_on": dt.date(2026, 1, 12), "head_start_days": 78,
}
UNMATCHED = {"account_name": "Acme Valves BV", "reasons": "buying_committee|target_account",
             "channel": "shared", "competitor_sees_on": dt.date(2026, 1, 5),
             "head_start_days": None}


def test_english_advice_is_unchanged_in_form() -> None:
    text = advice_text(ALERT, dt.date(2026, 1, 1), Measured(connect_after_close=-0.12))
    assert text.startswith("Your new connection Jürgen Weiß at Kesselbau Rhein GmbH is on the "
                           "buying committee of an open deal and works at an account with an "
                           "open deal. The deal is Boiler retrofit: at stage Negotiation, worth "
                           "250k-1M, expected to close on 2026-03-31.")
    assert "by -12 points" in text and "78 days of head start" in text
    unmatched = advice_text(UNMATCHED, dt.date(2026, 1, 1))
    assert unmatched.startswith("A new connection at Acme Valves BV works at an account on the "
                                "target list.")
    assert "buying committee" not in unmatched  # no person-level fact about an unmatched person


@pytest.mark.parametrize(("lang", "phrase"), [
    ("nl", "zit in de beslissingseenheid van een lopende deal"),
    ("de", "gehört zum Buying Center eines offenen Deals"),
    ("fr", "fait partie du comité d'achat d'une affaire en cours"),
])
def test_advice_in_each_language(lang: str, phrase: str) -> None:
    with use(lang):
        text = advice_text(ALERT, dt.date(2026, 1, 1), Measured(connect_after_close=-0.12))
        shared = advice_text(UNMATCHED, dt.date(2026, 1, 1))
    assert phrase in text and "Jürgen Weiß" in text and "Negotiation" in text
    assert english_left_over(lang, text + " " + shared) == []


def _alert(**values: object) -> Alert:
    fields: dict[str, object] = {name: None for name in Alert.__dataclass_fields__}
    fields["status"] = "open"
    fields.update(alert_id="a" * 32, employee_id="E1", risk_score=42.0, account_name="Kesselbau",
                  advice="Ein neuer Kontakt bei Kesselbau ...")
    fields.update(values)
    return Alert(**fields)  # type: ignore[arg-type]


def test_message_is_composed_in_the_employees_language() -> None:
    subject, body, payload = compose("E1", "day 2026-01-12", [_alert(), _alert(alert_id="b" * 32)],
                                     "de")
    assert subject.startswith("tieguard: 2 neue Kontakte") and body.startswith("Hallo E1,")
    assert english_left_over("de", subject + "\n" + body) == []
    assert payload["type"] == "tieguard.alerts" and payload["employee_id"] == "E1"  # keys English
    subject_en, _, payload_en = compose("E1", "day 2026-01-12", [_alert()])
    assert subject_en.startswith("tieguard: 1 new connection a competitor")
    assert payload_en.keys() == payload.keys()


def test_alert_language_is_the_roster_language_else_the_organisations(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,language\nE1,Anna,nl\nE2,Jonas,\n", encoding="utf-8")
    engine = open_warehouse(":memory:")
    try:
        import_roster(engine, roster)
        assert employee_languages(engine, Settings()) == {"E1": "nl", "E2": "en"}
        assert employee_languages(engine, Settings(language="fr")) == {"E1": "nl", "E2": "fr"}
    finally:
        engine.close()


def test_builtin_countermeasure_names_match_their_policy_files() -> None:
    """The catalogue's English names are exactly the TOML descriptions (else the report would
    show a built-in policy untranslated), and the short names are what the sentence used."""
    import tomllib

    from tieguard.policy.names import BUILTIN_NAMES, policy_short_name, short_description

    files = sorted((Path(__file__).resolve().parents[2] / "src/tieguard/policy/builtin")
                   .glob("*.toml"))
    found = {}
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found[data["name"]] = data["description"]
    assert {name: names[0] for name, names in BUILTIN_NAMES.items()} == found
    for name, (description, short) in BUILTIN_NAMES.items():
        assert short == short_description(description)
        with use("de"):
            assert policy_short_name(name, description) != short
    assert policy_short_name("mine", "Our own rule (50% adopt)") == "our own rule"

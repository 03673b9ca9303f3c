"""Numbers, money, shares, days and dates per language, and choosing the language."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.errors import ConfigError
from tieguard.i18n import (
    UnsupportedLanguageError,
    check_language,
    choose_language,
    from_accept_language,
    translator,
    use,
)
from tieguard.i18n.formats import count, date, days, money, number, share

NBSP, NNBSP = "\u00a0", "\u202f"


def _plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(("lang", "compact", "full", "pct", "n_days", "day"), [
    ("en", "€27.5M", "€12,400,000", "7.5%", "1,508 days", "2025-03-07"),
    ("nl", "€ 27,5 mln.", "€ 12.400.000", "7,5%", "1.508 dagen", "7 mrt 2025"),
    ("de", "27,5 Mio. €", "12.400.000 €", "7,5 %", "1.508 Tage", "07.03.2025"),
    ("fr", "27,5 M €", "12 400 000 €", "7,5 %", "1 508 jours", "7 mars 2025"),
])
def test_values_read_as_in_the_language(lang: str, compact: str, full: str, pct: str,
                                        n_days: str, day: str) -> None:
    with use(lang):
        assert _plain(money(27_500_000, compact=True)) == compact
        assert _plain(money(12_400_000.4)) == full
        assert _plain(share(0.0754, digits=1)) == pct
        assert _plain(days(1508)) == n_days
        assert _plain(date(dt.date(2025, 3, 7))) == day
        assert days(1) != days(2).replace("2", "1")  # singular form, not "1 days"


def test_english_keeps_the_reports_forms() -> None:
    assert money(950_000, compact=True) == "€950k"
    assert money(-1234.4) == "-€1,234"
    assert number(True) == "yes" and number(0.1234) == "0.123" and number(12.5) == "12.50"
    with use("de"):
        assert number(True) == "ja" and number(12.5) == "12,50"
        assert _plain(money(950_000, compact=True)) == "950.000 €"  # no "Tsd." abbreviation


@settings(deadline=None, derandomize=True)
@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from(["en", "nl", "de", "fr"]))
def test_counts_round_trip_in_every_language(value: int, lang: str) -> None:
    with use(lang):
        text = _plain(count(value))
    digits = text.replace(",", "").replace(".", "").replace(" ", "").replace("\u2212", "-")
    assert int(digits) == value


def test_language_is_restored_after_the_block() -> None:
    with use("nl"):
        with use("fr"):
            assert days(2) == "2 jours"
        assert days(2) == "2 dagen"
    assert days(2) == "2 days"


def test_unknown_language_lists_the_supported_ones() -> None:
    with pytest.raises(UnsupportedLanguageError) as err:
        check_language("xx")
    message = str(err.value)
    assert "'xx'" in message
    for code in ("en (English)", "nl (Nederlands)", "de (Deutsch)", "fr (français)"):
        assert code in message
    assert isinstance(err.value, ConfigError)  # the CLI's exit code 2 for bad options


def test_language_codes_are_normalised() -> None:
    assert [check_language(v) for v in ("NL", "nl-BE", "de_AT.UTF-8", " fr ")] == [
        "nl", "nl", "de", "fr"]


def test_choice_order_explicit_then_employee_then_organisation_then_english() -> None:
    assert choose_language("de", "nl", "fr") == "de"
    assert choose_language(None, "nl", "fr") == "nl"
    assert choose_language(None, None, "fr") == "fr"
    assert choose_language(None, None, None) == "en"
    assert choose_language(None, "xx", "fr") == "fr"  # a stored value no longer supported
    with pytest.raises(UnsupportedLanguageError):
        choose_language("xx", "nl")


@pytest.mark.parametrize(("header", "expected"), [
    ("de-DE,de;q=0.9,en;q=0.8", "de"),
    ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", "fr"),
    ("es-ES,es;q=0.9,nl;q=0.5", "nl"),
    ("en-GB;q=0.3, nl-BE;q=0.8", "nl"),
    ("de-LU", "de"),
    ("ja,zh;q=0.5", "en"),
    ("nl;q=0, fr;q=0.1", "fr"),
    ("", "en"),
])
def test_browser_language(header: str, expected: str) -> None:
    assert from_accept_language(header) == expected


def test_signed_in_users_choice_wins_over_the_browser() -> None:
    assert from_accept_language("de-DE,de;q=0.9", user_choice="fr") == "fr"


def test_translator_holds_its_language() -> None:
    t = translator("de")
    assert t.gettext("yes") == "ja"
    assert t.ngettext("%(days)s day", "%(days)s days", 3, days="3") == "3 Tage"

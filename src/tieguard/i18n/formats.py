"""Numbers, money, shares, days and dates in the current language's conventions (Babel/CLDR).

``27500000`` euros read "€27.5M" in English, "€ 27,5 mln." in Dutch, "27,5 Mio. €" in German
and "27,5 M €" in French; 1,508 days read "1.508 Tage". English keeps the forms the report
has always used (ISO dates, "€12.4M", "k" for thousands), so English output is unchanged.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_compact_currency, format_decimal

from .catalog import current, gettext, ngettext

__all__ = ["is_missing", "money", "share", "count", "days", "number", "date", "signed", "MISSING"]

MISSING = "–"
CURRENCY = "EUR"


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@functools.cache
def _pattern(lang: str, kind: str, digits: int) -> NumberPattern:
    """The locale's percent or currency pattern with exactly ``digits`` fraction digits."""
    loc = _locale(lang)
    base = loc.percent_formats[None] if kind == "percent" else loc.currency_formats["standard"]
    pattern: NumberPattern = copy.copy(base)
    pattern.frac_prec = (digits, digits)
    return pattern


def _compact_english(v: float, sign: str) -> str | None:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= limit:
            scaled = v / limit
            text = f"{scaled:,.0f}" if scaled >= 100 else f"{scaled:,.1f}".removesuffix(".0")
            return f"{sign}€{text}{suffix}"
    return None


def money(value: Any, *, compact: bool = False) -> str:
    """Euros without cents: ``€12,400,000``; compact ``€12.4M`` / ``12,4 Mio. €``."""
    if is_missing(value):
        return MISSING
    v = float(value)
    lang = current()
    if compact and lang == "en":
        short = _compact_english(abs(v), "-" if v < 0 else "")
        if short:
            return short
    elif compact and abs(v) >= 1e6:
        digits = 0 if abs(v) >= 1e8 else 1
        return str(format_compact_currency(v, CURRENCY, locale=lang, fraction_digits=digits))
    return str(_pattern(lang, "currency", 0).apply(round(v), _locale(lang), currency=CURRENCY,
                                                   currency_digits=False))


def share(value: Any, *, digits: int = 0) -> str:
    """A fraction 0..1 as a percentage: ``58%``, ``7,5 %``."""
    if is_missing(value):
        return MISSING
    lang = current()
    return str(_pattern(lang, "percent", digits).apply(float(value), _locale(lang)))


def count(value: Any) -> str:
    """A whole number with the locale's grouping: ``1,508`` / ``1.508`` / ``1 508``."""
    if is_missing(value):
        return MISSING
    return str(format_decimal(round(float(value)), locale=current()))


def days(value: Any) -> str:
    """``1 day``, ``1,508 days``, ``1.508 Tage``."""
    if is_missing(value):
        return MISSING
    n = round(float(value))
    return ngettext("%(days)s day", "%(days)s days", abs(n), days=count(n))


def number(value: Any) -> str:
    """Counts with grouping, fractions with two (≥ 1) or three decimals, yes/no for booleans."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    lang = current()
    if isinstance(value, int):
        return str(format_decimal(value, locale=lang))
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1:
            return str(format_decimal(value, format="#,##0", locale=lang))
        pattern = "#,##0.00" if abs(value) >= 1 else "0.000"
        return str(format_decimal(value, format=pattern, locale=lang, decimal_quantization=True))
    return str(value)


def date(value: Any) -> str:
    """A date: ISO in English (``2025-03-07``), the locale's medium form otherwise
    (``7 mrt 2025``, ``07.03.2025``, ``7 mars 2025``)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime):
        day: dt.date | None = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)[:10]
    lang = current()
    if lang == "en" or day is None:
        return day.isoformat() if day else MISSING
    return str(format_date(day, format="medium", locale=lang))


def signed(value: float, digits: int = 0) -> str:
    """A difference with its sign: ``+3``, ``-12``, ``+1,5`` (in the current language)."""
    fraction = "." + "0" * digits if digits else ""
    return str(format_decimal(value, format=f"+#,##0{fraction};-#,##0{fraction}",
                              locale=current()))

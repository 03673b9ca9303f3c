"""Number and text formatting for the report: thousands separators, € values, shares.

Metric names decide the format: ``*_value``/``amount`` are money, ``deals_revealed``,
``lead_precision`` and ``*_share``/``*_rate`` are shares (stored as fractions 0..1),
``*_days*`` are days, everything else a count or a plain number.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

__all__ = [
    "money", "share", "count", "days", "number", "date", "metric_kind", "format_metric",
    "metric_label", "metric_definition", "METRIC_DEFINITIONS", "is_missing", "cadence", "plural",
]

SHARE_METRICS = frozenset(
    {"deals_revealed", "lead_precision", "won_revealed", "account_visibility",
     "deals_revealed_value_share"}
)

METRIC_LABELS: dict[str, str] = {
    "deals_revealed": "Deals revealed by a new connection",
    "deals_revealed_value": "Value of the revealed deals",
    "deals_revealed_value_share": "Share of deal value revealed",
    "revealed_opportunities": "Revealed deals",
    "opportunities": "Deals analysed",
    "opportunities_value": "Value of the deals analysed",
    "won_revealed": "Share of won deals revealed",
    "head_start_days_median": "Median head start (days before close)",
    "head_start_days_p25": "Head start, 25th percentile (days)",
    "head_start_days_p75": "Head start, 75th percentile (days)",
    "account_visibility": "Deals whose account was visible at all",
    "account_visibility_value": "Value of deals whose account was visible",
    "account_head_start_days_median": "Median days an account was visible before close",
    "customer_accounts": "Customer accounts",
    "customer_accounts_visible": "Customer accounts with a visible connection",
    "lead_precision": "Lead precision",
    "leads": "Competitor leads",
    "true_leads": "Leads that are real pipeline or customers",
    "accounts_revealed": "Accounts with a competitor lead",
    "sightings": "New connections the competitor saw",
    "ties_matched": "People resolved to a CRM contact or account",
    "ties_review": "People awaiting review (uncertain match)",
    "ties_unmatched": "People not in the CRM (kept only as a keyed hash)",
    "capital_accounts_listed": "Accounts in the CRM",
    "capital_accounts_reached": "Accounts our staff reach",
    "capital_accounts_covered": "Accounts with a buying-role relationship",
    "capital_accounts_at_key_person_risk": "Accounts at key-person risk (one holder)",
    "capital_accounts_with_single_holder_contacts": "Accounts with a key contact known by one employee only",
}

#: One line per figure: what it means (shown beside every figure of the report).
METRIC_DEFINITIONS: dict[str, str] = {
    "deals_revealed": "Share of the deals in the window that a buying-role connection made from "
    "{reveal_days} days before the deal opened until it closed showed to the competitor before the close, "
    "while it knew nothing of the account yet.",
    "deals_revealed_value": "Summed amount of the revealed deals.",
    "deals_revealed_value_share": "Revealed deal value divided by the value of all deals in the window.",
    "revealed_opportunities": "Number of deals in the window revealed by a new connection.",
    "opportunities": "Deals closed in the headline window plus the deals still open.",
    "opportunities_value": "Summed amount of those deals.",
    "won_revealed": "Share of the won deals in the window that were revealed.",
    "head_start_days_median": "Days from the first reveal to the close date, median over revealed deals.",
    "head_start_days_p25": "A quarter of the revealed deals gave the competitor less head start than this.",
    "head_start_days_p75": "A quarter of the revealed deals gave the competitor more head start than this.",
    "account_visibility": "Share of deals whose account had any connection visible to the competitor "
    "before the close, old or new (it can see whom we sell to, not necessarily the deal).",
    "account_visibility_value": "Summed amount of those deals.",
    "account_head_start_days_median": "Days from the first visible connection into the account to "
    "the close, median (often years: long-standing relationships).",
    "customer_accounts": "Accounts marked as customers in the CRM.",
    "customer_accounts_visible": "Customer accounts with at least one connection the competitor "
    "saw: long-standing customer ties, a smaller risk of their own.",
    "lead_precision": "Share of the competitor's leads that were real pipeline or customer contacts: "
    "how informative our profiles are to it.",
    "leads": "New connections to buying roles outside our company and competitors that the "
    "competitor saw (its lead rule fired).",
    "true_leads": "Leads that were CRM contacts on an open deal or at a customer when seen.",
    "accounts_revealed": "CRM accounts into which the competitor saw at least one lead.",
    "sightings": "All new connections the competitor saw on the watched profiles.",
}


def metric_definition(metric: str, reveal_days: int = 180) -> str:
    """The one-line definition of ``metric`` (empty when there is none)."""
    return METRIC_DEFINITIONS.get(metric, "").replace("{reveal_days}", f"{reveal_days:,}")


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: Any, *, compact: bool = False) -> str:
    """``€12,400,000`` or, compact, ``€12.4M``."""
    if is_missing(value):
        return "–"
    v = float(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    if compact:
        for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if v >= limit:
                scaled = v / limit
                text = f"{scaled:,.0f}" if scaled >= 100 else f"{scaled:,.1f}".removesuffix(".0")
                return f"{sign}€{text}{suffix}"
    return f"{sign}€{v:,.0f}"


def share(value: Any, *, digits: int = 0) -> str:
    """A fraction 0..1 as a percentage, ``0.583`` → ``58%``."""
    if is_missing(value):
        return "–"
    return f"{float(value) * 100:,.{digits}f}%"


def count(value: Any) -> str:
    if is_missing(value):
        return "–"
    return f"{round(float(value)):,}"


def days(value: Any) -> str:
    if is_missing(value):
        return "–"
    v = round(float(value))
    return f"{v:,} day" if abs(v) == 1 else f"{v:,} days"


def number(value: Any) -> str:
    if is_missing(value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1:
            return f"{value:,.0f}"
        return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3f}"
    return str(value)


def date(value: Any) -> str:
    """ISO date (``2025-03-07``) for dates, datetimes and ISO strings."""
    if is_missing(value):
        return "–"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def metric_kind(metric: str) -> str:
    """``share``, ``money``, ``days`` or ``count`` for a metric name."""
    if metric in SHARE_METRICS or metric.endswith(("_share", "_rate", "_precision")):
        return "share"
    if metric.endswith("_value") or metric in ("amount", "value"):
        return "money"
    if "days" in metric:
        return "days"
    return "count"


def format_metric(metric: str, value: Any) -> str:
    kind = metric_kind(metric)
    if kind == "share":
        return share(value)
    if kind == "money":
        return money(value)
    if kind == "days":
        return days(value)
    return number(value) if isinstance(value, float) and not float(value).is_integer() else count(value)


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def cadence(cadence_days: int) -> str:
    """``every 7 days (weekly)``-style phrase for the settings table."""
    names = {1: "daily", 7: "weekly", 14: "fortnightly", 30: "monthly", 31: "monthly"}
    label = names.get(cadence_days)
    base = f"every {cadence_days:,} day" + ("" if cadence_days == 1 else "s")
    return f"{base} ({label})" if label else base


def plural(n: Any, singular: str, plural_form: str | None = None) -> str:
    """``1 account``, ``2 accounts`` (count formatted with thousands separators)."""
    word = singular if round(float(n or 0)) == 1 else (plural_form or singular + "s")
    return f"{count(n or 0)} {word}"

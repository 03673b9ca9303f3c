"""Number and text formatting for the report: thousands separators, € values, shares.

Metric names decide the format: ``*_value``/``amount`` are money, ``deals_revealed``,
``lead_precision`` and ``*_share``/``*_rate`` are shares (stored as fractions 0..1),
``*_days*`` are days, everything else a count or a plain number. Every value is formatted
for the current language (:mod:`tieguard.i18n.formats`); labels and definitions come from
the message catalogue (marked here with ``N_``).
"""

from __future__ import annotations

from typing import Any

from ..i18n import N_, _, ngettext
from ..i18n.formats import count, date, days, is_missing, money, number, share

__all__ = [
    "money", "share", "count", "days", "number", "date", "metric_kind", "format_metric",
    "metric_label", "metric_definition", "METRIC_DEFINITIONS", "is_missing", "cadence", "plural",
]

SHARE_METRICS = frozenset(
    {"deals_revealed", "lead_precision", "won_revealed", "account_visibility",
     "deals_revealed_value_share"}
)

METRIC_LABELS: dict[str, str] = {
    "deals_revealed": N_("Deals revealed by a new connection"),
    "deals_revealed_value": N_("Value of the revealed deals"),
    "deals_revealed_value_share": N_("Share of deal value revealed"),
    "revealed_opportunities": N_("Revealed deals"),
    "opportunities": N_("Deals analysed"),
    "opportunities_value": N_("Value of the deals analysed"),
    "won_revealed": N_("Share of won deals revealed"),
    "head_start_days_median": N_("Median head start (days before close)"),
    "head_start_days_p25": N_("Head start, 25th percentile (days)"),
    "head_start_days_p75": N_("Head start, 75th percentile (days)"),
    "account_visibility": N_("Deals whose account was visible at all"),
    "account_visibility_value": N_("Value of deals whose account was visible"),
    "account_head_start_days_median": N_("Median days an account was visible before close"),
    "customer_accounts": N_("Customer accounts"),
    "customer_accounts_visible": N_("Customer accounts with a visible connection"),
    "lead_precision": N_("Lead precision"),
    "leads": N_("Competitor leads"),
    "true_leads": N_("Leads that are real pipeline or customers"),
    "accounts_revealed": N_("Accounts with a competitor lead"),
    "sightings": N_("New connections the competitor saw"),
    "ties_matched": N_("People resolved to a CRM contact or account"),
    "ties_review": N_("People awaiting review (uncertain match)"),
    "ties_unmatched": N_("People not in the CRM (kept only as a keyed hash)"),
    "capital_accounts_listed": N_("Accounts in the CRM"),
    "capital_accounts_reached": N_("Accounts our staff reach"),
    "capital_accounts_covered": N_("Accounts with a buying-role relationship"),
    "capital_accounts_at_key_person_risk": N_("Accounts at key-person risk (one holder)"),
    "capital_accounts_with_single_holder_contacts": N_("Accounts with a key contact known by one employee only"),
}

#: One line per figure: what it means (shown beside every figure of the report).
METRIC_DEFINITIONS: dict[str, str] = {
    "deals_revealed": N_("Share of the deals in the window that a buying-role connection made from "
    "%(reveal_days)s days before the deal opened until it closed showed to the competitor before the close, "
    "while it knew nothing of the account yet."),
    "deals_revealed_value": N_("Summed amount of the revealed deals."),
    "deals_revealed_value_share": N_("Revealed deal value divided by the value of all deals in the window."),
    "revealed_opportunities": N_("Number of deals in the window revealed by a new connection."),
    "opportunities": N_("Deals closed in the headline window plus the deals still open."),
    "opportunities_value": N_("Summed amount of those deals."),
    "won_revealed": N_("Share of the won deals in the window that were revealed."),
    "head_start_days_median": N_("Days from the first reveal to the close date, median over revealed deals."),
    "head_start_days_p25": N_("A quarter of the revealed deals gave the competitor less head start than this."),
    "head_start_days_p75": N_("A quarter of the revealed deals gave the competitor more head start than this."),
    "account_visibility": N_("Share of deals whose account had any connection visible to the competitor "
    "before the close, old or new (it can see whom we sell to, not necessarily the deal)."),
    "account_visibility_value": N_("Summed amount of those deals."),
    "account_head_start_days_median": N_("Days from the first visible connection into the account to "
    "the close, median (often years: long-standing relationships)."),
    "customer_accounts": N_("Accounts marked as customers in the CRM."),
    "customer_accounts_visible": N_("Customer accounts with at least one connection the competitor "
    "saw: long-standing customer ties, a smaller risk of their own."),
    "lead_precision": N_("Share of the competitor's leads that were real pipeline or customer contacts: "
    "how informative our profiles are to it."),
    "leads": N_("New connections to buying roles outside our company and competitors that the "
    "competitor saw (its lead rule fired)."),
    "true_leads": N_("Leads that were CRM contacts on an open deal or at a customer when seen."),
    "accounts_revealed": N_("CRM accounts into which the competitor saw at least one lead."),
    "sightings": N_("All new connections the competitor saw on the watched profiles."),
}


def metric_definition(metric: str, reveal_days: int = 180) -> str:
    """The one-line definition of ``metric`` in the current language (empty when none)."""
    text = METRIC_DEFINITIONS.get(metric, "")
    return _(text, reveal_days=count(reveal_days)) if text else ""


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
    label = METRIC_LABELS.get(metric)
    return _(label) if label else metric.replace("_", " ").capitalize()


def cadence(cadence_days: int) -> str:
    """``every 7 days (weekly)``-style phrase for the settings table."""
    names = {1: N_("daily"), 7: N_("weekly"), 14: N_("fortnightly"), 30: N_("monthly"),
             31: N_("monthly")}
    base = ngettext("every %(days)s day", "every %(days)s days", cadence_days,
                    days=count(cadence_days))
    label = names.get(cadence_days)
    return _("%(every)s (%(name)s)", every=base, name=_(label)) if label else base


def plural(n: Any, singular: str, plural_form: str | None = None) -> str:
    """``1 account``, ``2 accounts`` (English only; translated text uses ``ngettext``)."""
    word = singular if round(float(n or 0)) == 1 else (plural_form or singular + "s")
    return f"{count(n or 0)} {word}"

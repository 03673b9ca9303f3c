"""The headline a sales director can read, from ``exposure_headline`` and ``whatif_results``.

One short sentence ("A competitor connected to our staff who looked at their profiles every
week learned of 23% of our 656 deals of the past year (€7.1M) from a new connection, a
median 64 days before they closed."), then the figures, each with its definition; the
countermeasures and their cost follow as sentences of their own.
"""

from __future__ import annotations

from typing import Any

from ..engine import ReadEngine
from ..i18n import N_, _, current, ngettext
from ..policy.names import policy_short_name
from ..settings import Settings
from . import fmt
from .data import BASELINE, as_share, exposed_money, has_rows, headline_metrics, records

__all__ = [
    "cadence_phrase", "vantage_phrase", "whatif_outcomes", "exposure_sentence", "whatif_sentence",
    "cost_sentence",
    "headline_data",
]

MAX_POLICIES_IN_SENTENCE = 3

QUOTES = {"en": ("\u201c", "\u201d"), "nl": ("\u201c", "\u201d"), "de": ("\u201e", "\u201c"),
          "fr": ("\u00ab\u202f", "\u202f\u00bb")}
VANTAGE = {
    "stranger": N_("A competitor with no connection to our staff"),
    "first_degree": N_("A competitor connected to our staff"),
    "shared": N_("A competitor connected to our staff, reading only shared connections,"),
}


def cadence_phrase(cadence_days: int) -> str:
    named = {1: N_("every day"), 7: N_("every week"), 14: N_("every two weeks")}
    if cadence_days in named:
        return _(named[cadence_days])
    if 28 <= cadence_days <= 31:
        return _("every month")
    if 89 <= cadence_days <= 92:
        return _("every quarter")
    return ngettext("every %(days)s day", "every %(days)s days", cadence_days,
                    days=str(cadence_days))


def vantage_phrase(vantage: str) -> str:
    return _(VANTAGE[vantage]) if vantage in VANTAGE else _("A competitor")


def whatif_outcomes(engine: ReadEngine, metric: str = "deals_revealed") -> list[dict[str, Any]]:
    """Per policy: description, before, after (fractions) and its cost row, best first."""
    if not has_rows(engine, "whatif_results"):
        return []
    rows = records(
        engine,
        "SELECT policy, description, before, after, difference FROM whatif_results "
        "WHERE metric = ? ORDER BY after, policy",
        [metric],
    )
    costs: dict[str, dict[str, Any]] = {}
    if has_rows(engine, "whatif_costs"):
        costs = {str(c["policy"]): c for c in records(engine, "SELECT * FROM whatif_costs")}
    for row in rows:
        row["before"] = as_share(row["before"])
        row["after"] = as_share(row["after"])
        row["cost"] = costs.get(str(row["policy"]), {})
    return rows


def _window_phrase(lookback_days: int) -> str:
    if lookback_days == 365:
        return _("the past year")
    return ngettext("the past %(days)s day", "the past %(days)s days", lookback_days,
                    days=fmt.count(lookback_days))


def _in_quotes(text: str) -> str:
    """``text`` in the language's quotation marks: “…” „…“ « … »."""
    start, end = QUOTES.get(current(), QUOTES["en"])
    return f"{start}{text}{end}"


def _and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (no serial comma, as the report always wrote)."""
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def exposure_sentence(
    metrics: dict[str, float], outcomes: list[dict[str, Any]], settings: Settings
) -> str:
    """The one short headline sentence; empty when the exposure stage has not run.

    ``outcomes`` is accepted for symmetry; countermeasures have their own sentence
    (:func:`whatif_sentence`).
    """
    revealed = as_share(metrics.get("deals_revealed"))
    if revealed is None:
        return ""
    n = metrics.get("opportunities")
    deals = (ngettext("%(n)s deal", "%(n)s deals", round(n), n=fmt.count(n)) if n is not None
             else _("deals"))
    value = exposed_money(metrics)
    head_start = metrics.get("head_start_days_median")
    return _(
        "%(who)s who looked at their profiles %(when)s learned of %(share)s of our %(deals)s of "
        "%(window)s%(value)s from a new connection%(head_start)s.",
        who=vantage_phrase(settings.watch.vantage),
        when=cadence_phrase(settings.watch.cadence_days), share=fmt.share(revealed), deals=deals,
        window=_window_phrase(settings.exposure.lookback_days),
        value=_(" (%(value)s)", value=fmt.money(value, compact=True)) if value else "",
        head_start=_(", a median %(days)s before they closed", days=fmt.days(head_start))
        if head_start is not None and revealed > 0 else "",
    )


def whatif_sentence(outcomes: list[dict[str, Any]]) -> str:
    """What the countermeasures that help would bring the headline share down to."""
    clauses = [
        _("%(share)s with %(countermeasure)s", share=fmt.share(o["after"]),
          countermeasure=_in_quotes(policy_short_name(str(o["policy"]),
                                                      str(o["description"] or o["policy"]))))
        for o in _helpful(outcomes)
    ]
    if clauses:
        return _("That would drop to %(shares)s.", shares=_and_list(clauses))
    if outcomes:
        return ngettext(
            "None of the %(n)s countermeasure tested reduces the share of deals revealed.",
            "None of the %(n)s countermeasures tested reduces the share of deals revealed.",
            len(outcomes), n=fmt.count(len(outcomes)))
    return ""


def _helpful(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The countermeasures that lower exposure, best first (at most three)."""
    return [
        o for o in outcomes
        if o["after"] is not None and o["before"] is not None and o["after"] < o["before"]
    ][:MAX_POLICIES_IN_SENTENCE]


def _cost_phrase(cost: dict[str, Any]) -> str:
    parts: list[str] = []
    if cost.get("ties_never_made"):
        n = cost["ties_never_made"]
        parts.append(ngettext("%(n)s connection never made", "%(n)s connections never made",
                              round(n), n=fmt.count(n)))
    if cost.get("ties_delayed"):
        n, delay = cost["ties_delayed"], cost.get("median_delay_days")
        parts.append(
            ngettext("%(n)s connection made a median %(days)s later",
                     "%(n)s connections made a median %(days)s later", round(n), n=fmt.count(n),
                     days=fmt.days(delay)) if delay else
            ngettext("%(n)s connection made later", "%(n)s connections made later", round(n),
                     n=fmt.count(n)))
    if not parts:
        adopters = cost.get("adopters")
        parts.append(ngettext(
            "no connection delayed or lost (%(n)s person changes a setting)",
            "no connection delayed or lost (%(n)s people change a setting)", round(adopters),
            n=fmt.count(adopters)) if adopters else _("no connection delayed or lost"))
    return ", ".join(parts)


def cost_sentence(outcomes: list[dict[str, Any]]) -> str:
    """What each countermeasure of the headline costs, e.g. ties hidden or delayed."""
    shown = [o for o in _helpful(outcomes) if o.get("cost")]
    if not shown:
        return ""
    return _("The cost: %(costs)s.", costs="; ".join(
        _("%(countermeasure)s: %(cost)s",
          countermeasure=policy_short_name(str(o["policy"]), str(o["description"] or o["policy"])),
          cost=_cost_phrase(o["cost"]))
        for o in shown
    ))


def headline_data(engine: ReadEngine, settings: Settings) -> dict[str, Any]:
    """Everything ``headline.json`` holds: sentences, baseline metrics with their definitions,
    and what-if outcomes."""
    metrics = headline_metrics(engine, BASELINE)
    outcomes = whatif_outcomes(engine)
    reveal_days = settings.exposure.reveal_days_before
    return {
        "sentence": exposure_sentence(metrics, outcomes, settings),
        "whatif_sentence": whatif_sentence(outcomes),
        "cost_sentence": cost_sentence(outcomes),
        "scenario": BASELINE,
        "metrics": metrics,
        "definitions": {m: fmt.metric_definition(m, reveal_days) for m in metrics
                        if fmt.metric_definition(m, reveal_days)},
        "revealed_value_eur": exposed_money(metrics),
        "whatif": [
            {k: o[k] for k in ("policy", "description", "before", "after", "difference")}
            | {"cost": o["cost"]}
            for o in outcomes
        ],
        "settings": {
            "vantage": settings.watch.vantage,
            "cadence_days": settings.watch.cadence_days,
            "watched": settings.watch.watched,
            "reveal_days_before": reveal_days,
            "lookback_days": settings.exposure.lookback_days,
        },
    }

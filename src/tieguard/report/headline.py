"""The headline a sales director can read, from ``exposure_headline`` and ``whatif_results``.

One short sentence ("A competitor connected to our staff who looked at their profiles every
week learned of 23% of our 656 deals of the past year (€7.1M) from a new connection, a
median 64 days before they closed."), then the figures, each with its definition; the
countermeasures and their cost follow as sentences of their own.
"""

from __future__ import annotations

from typing import Any

from ..engine import Engine
from ..settings import Settings
from . import fmt
from .data import BASELINE, as_share, exposed_money, has_rows, headline_metrics, records

__all__ = [
    "cadence_phrase", "vantage_phrase", "whatif_outcomes", "exposure_sentence", "whatif_sentence",
    "cost_sentence",
    "headline_data",
]

MAX_POLICIES_IN_SENTENCE = 3

VANTAGE = {
    "stranger": "A competitor with no connection to our staff",
    "first_degree": "A competitor connected to our staff",
    "shared": "A competitor connected to our staff, reading only shared connections,",
}


def cadence_phrase(cadence_days: int) -> str:
    named = {1: "every day", 7: "every week", 14: "every two weeks"}
    if cadence_days in named:
        return named[cadence_days]
    if 28 <= cadence_days <= 31:
        return "every month"
    if 89 <= cadence_days <= 92:
        return "every quarter"
    return f"every {cadence_days} days"


def vantage_phrase(vantage: str) -> str:
    return VANTAGE.get(vantage, "A competitor")


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def whatif_outcomes(engine: Engine, metric: str = "deals_revealed") -> list[dict[str, Any]]:
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
    return "the past year" if lookback_days == 365 else f"the past {lookback_days:,} days"


def _in_quotes(text: str) -> str:
    return "\u201c" + text + "\u201d"


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
    who = vantage_phrase(settings.watch.vantage)
    when = cadence_phrase(settings.watch.cadence_days)
    n = metrics.get("opportunities")
    deals = fmt.plural(n, "deal") if n is not None else "deals"
    text = (f"{who} who looked at their profiles {when} learned of {fmt.share(revealed)} of our "
            f"{deals} of {_window_phrase(settings.exposure.lookback_days)}")
    value = exposed_money(metrics)
    if value:
        text += f" ({fmt.money(value, compact=True)})"
    text += " from a new connection"
    head_start = metrics.get("head_start_days_median")
    if head_start is not None and revealed > 0:
        text += f", a median {fmt.days(head_start)} before they closed"
    return text + "."


def whatif_sentence(outcomes: list[dict[str, Any]]) -> str:
    """What the countermeasures that help would bring the headline share down to."""
    helpful = _helpful(outcomes)
    clauses = [
        f"{fmt.share(o['after'])} with {_in_quotes(_short(str(o['description'] or o['policy'])))}"
        for o in helpful
    ]
    if clauses:
        return "That would drop to " + (
            clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
        ) + "."
    if outcomes:
        return (f"None of the {fmt.plural(len(outcomes), 'countermeasure')} tested reduces the "
                "share of deals revealed.")
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
        parts.append(f"{fmt.plural(cost['ties_never_made'], 'connection')} never made")
    if cost.get("ties_delayed"):
        delay = cost.get("median_delay_days")
        suffix = f" a median {fmt.days(delay)} later" if delay else " later"
        parts.append(f"{fmt.plural(cost['ties_delayed'], 'connection')} made{suffix}")
    if not parts:
        adopters = cost.get("adopters")
        who = f" ({fmt.plural(adopters, 'person', 'people')} change a setting)" if adopters else ""
        parts.append(f"no connection delayed or lost{who}")
    return ", ".join(parts)


def cost_sentence(outcomes: list[dict[str, Any]]) -> str:
    """What each countermeasure of the headline costs, e.g. ties hidden or delayed."""
    shown = [o for o in _helpful(outcomes) if o.get("cost")]
    if not shown:
        return ""
    return "The cost: " + "; ".join(
        f"{_short(str(o['description'] or o['policy']))}: {_cost_phrase(o['cost'])}"
        for o in shown
    ) + "."


def _short(description: str) -> str:
    """A policy description without its parenthetical detail, e.g. the adoption rate."""
    return _lower_first(description.split(" (", 1)[0].split(", as if", 1)[0])


def headline_data(engine: Engine, settings: Settings) -> dict[str, Any]:
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

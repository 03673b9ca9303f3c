"""The headline a sales director can read, from ``exposure_headline`` and ``whatif_results``.

"A competitor connected to our staff who looked at their profiles every week would have
seen 58% of our 412 deals of the past year (€12.4M of €21.3M), including 61% of the
deals we won, a median 74 days before they closed; that would drop to 4% with “connect
only after close” and 19% with “sales staff hide their connection lists”."  The cost of
each countermeasure follows as a second sentence.
"""

from __future__ import annotations

from typing import Any

from ..engine import Engine
from ..settings import Settings
from . import fmt
from .data import BASELINE, as_share, exposed_money, has_rows, headline_metrics, records

__all__ = [
    "cadence_phrase", "vantage_phrase", "whatif_outcomes", "exposure_sentence", "cost_sentence",
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


def whatif_outcomes(engine: Engine, metric: str = "pipeline_exposure") -> list[dict[str, Any]]:
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
    """The one-sentence headline; empty when the exposure stage has not run."""
    exposure = as_share(metrics.get("pipeline_exposure"))
    if exposure is None:
        return ""
    who = vantage_phrase(settings.watch.vantage)
    when = cadence_phrase(settings.watch.cadence_days)
    text = f"{who} who looked at their profiles {when} would have seen {fmt.share(exposure)}"
    n = metrics.get("opportunities")
    window = _window_phrase(settings.exposure.lookback_days)
    text += f" of our {fmt.plural(n, 'deal')} of {window}" if n is not None else " of our deals"
    value, total = exposed_money(metrics), metrics.get("opportunities_value")
    if value is not None:
        of_total = f" of {fmt.money(total, compact=True)}" if total else ""
        text += f" ({fmt.money(value, compact=True)}{of_total})"
    won = as_share(metrics.get("won_exposure"))
    if won is not None and metrics.get("won_exposure_value"):
        text += f", including {fmt.share(won)} of the deals we won"
    head_start = metrics.get("head_start_days_median")
    if head_start is not None and exposure > 0:
        text += f", a median {fmt.days(head_start)} before they closed"
    text += _in_deal_clause(metrics)
    helpful = _helpful(outcomes)
    clauses = [
        f"{fmt.share(o['after'])} with {_in_quotes(_short(str(o['description'] or o['policy'])))}"
        for o in helpful
    ]
    if clauses:
        text += "; that would drop to " + (
            clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
        )
    elif outcomes:
        text += f"; none of the {fmt.plural(len(outcomes), 'countermeasure')} tested reduces that"
    return text + "."


def _in_deal_clause(metrics: dict[str, float]) -> str:
    """Novelty: deals where a new tie appeared while the deal was open, and how early."""
    in_deal = as_share(metrics.get("deal_exposure"))
    days = metrics.get("deal_head_start_days_median")
    if not in_deal or days is None:
        return ""
    return (
        f" ({fmt.share(in_deal)} through a new connection made while the deal was open, "
        f"a median {fmt.days(days)} before close)"
    )


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
    """Everything ``headline.json`` holds: sentences, baseline metrics and what-if outcomes."""
    metrics = headline_metrics(engine, BASELINE)
    outcomes = whatif_outcomes(engine)
    return {
        "sentence": exposure_sentence(metrics, outcomes, settings),
        "cost_sentence": cost_sentence(outcomes),
        "scenario": BASELINE,
        "metrics": metrics,
        "exposed_value_eur": exposed_money(metrics),
        "whatif": [
            {k: o[k] for k in ("policy", "description", "before", "after", "difference")}
            | {"cost": o["cost"]}
            for o in outcomes
        ],
        "settings": {
            "vantage": settings.watch.vantage,
            "cadence_days": settings.watch.cadence_days,
            "watched": settings.watch.watched,
        },
    }

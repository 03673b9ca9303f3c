"""The report's countermeasure section: each what-if run before and after, and its cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine import ReadEngine
from ..i18n import N_, _
from ..policy.names import policy_description
from ..settings import Settings
from . import charts, fmt
from .data import as_share, has_rows, records
from .headline import whatif_outcomes
from .model import Column, Figure, Section, Table

__all__ = ["whatif_section"]


def whatif_section(engine: ReadEngine, settings: Settings) -> Section | None:
    if not has_rows(engine, "whatif_results"):
        return None
    all_rows = records(
        engine,
        "SELECT policy, description, metric, before, after FROM whatif_results "
        "ORDER BY policy, metric",
    )
    if not all_rows:
        return None
    outcomes = whatif_outcomes(engine)
    section = Section("whatif", _("What each countermeasure would save"))
    section.paragraphs.append(_(
        "Each countermeasure re-runs the competitor on a changed timeline. "
        "Lower is better; the cost is what the organisation gives up (ties hidden or delayed)."
    ))
    if outcomes:
        baseline = outcomes[0]["before"]
        section.figures.append(Figure(
            "whatif", charts.whatif_bars(baseline, outcomes, _("Share of deals revealed")),
            _("Share of deals revealed today and under each countermeasure"),
        ))
    section.tables.append(_whatif_table(all_rows, outcomes, engine))
    cost = _cost_table(engine, outcomes)
    if cost is not None:
        section.tables.append(cost)
    return section


WHATIF_METRICS = (
    "deals_revealed", "deals_revealed_value", "account_visibility", "head_start_days_median",
    "leads",
)
COST_COLUMNS = (
    ("adopters", N_("People adopting"), fmt.count),
    ("ties_delayed", N_("Connections delayed"), fmt.count),
    ("median_delay_days", N_("Median delay"), fmt.days),
    ("ties_never_made", N_("Connections never made"), fmt.count),
    ("ties_hidden", N_("Sightings prevented"), fmt.count),
)


def _whatif_table(
    rows: list[dict[str, Any]], outcomes: list[dict[str, Any]], engine: ReadEngine
) -> Table:
    present = {str(r["metric"]) for r in rows}
    metrics = [m for m in WHATIF_METRICS if m in present] or sorted(present)[:4]
    by_policy: dict[str, dict[str, Any]] = {}
    before: dict[str, Any] = {}
    for r in rows:
        entry = by_policy.setdefault(str(r["policy"]), {"description": r["description"]})
        entry[str(r["metric"])] = r["after"]
        before.setdefault(str(r["metric"]), r["before"])

    def cell(metric: str, value: Any) -> str:
        if fmt.metric_kind(metric) == "share":
            return fmt.share(as_share(value), digits=1)
        return fmt.format_metric(metric, value)

    table_rows = [[_("Today, no countermeasure")] + [cell(m, before.get(m)) for m in metrics]]
    for policy in _policy_order(by_policy, outcomes):
        entry = by_policy[policy]
        table_rows.append([policy_description(policy, entry["description"])]
                          + [cell(m, entry.get(m)) for m in metrics])
    columns = [Column(_("Countermeasure"))] + [Column(fmt.metric_label(m), True) for m in metrics]
    notes = "; ".join(f"{fmt.metric_label(m)}: {fmt.metric_definition(m)}" for m in metrics
                      if fmt.metric_definition(m))
    return Table(columns, table_rows, caption=_("Effect: before and after each countermeasure"),
                 note=notes)


def _policy_order(by_policy: dict[str, Any], outcomes: list[dict[str, Any]]) -> list[str]:
    ranked = [str(o["policy"]) for o in outcomes if str(o["policy"]) in by_policy]
    return ranked + sorted(p for p in by_policy if p not in ranked)


def _cost_table(engine: ReadEngine, outcomes: list[dict[str, Any]]) -> Table | None:
    if not has_rows(engine, "whatif_costs"):
        return None
    costs = {str(c["policy"]): c for c in records(engine, "SELECT * FROM whatif_costs")}
    present = list(COST_COLUMNS)
    names = {str(o["policy"]): policy_description(str(o["policy"]), o["description"])
             for o in outcomes}
    order = [p for p in names if p in costs] + sorted(p for p in costs if p not in names)
    rows = [[names.get(p, p)] + [_cost_cell(costs[p], key, f) for key, _label, f in present]
            for p in order]
    return Table(
        [Column(_("Countermeasure"))] + [Column(_(label), True) for _k, label, _f in present],
        rows, caption=_("Cost: what the organisation gives up"),
        note=_("Connections delayed or never made are the business cost; sightings prevented "
               "are new connections the competitor no longer sees."),
    )


def _cost_cell(cost: dict[str, Any], key: str, f: Callable[[Any], str]) -> str:
    if key == "median_delay_days" and not cost.get("ties_delayed"):
        return "–"  # nothing delayed: no delay to report
    return f(cost.get(key))

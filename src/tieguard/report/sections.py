"""The sections of the shared report, in order.

Each section is a function ``(engine, settings) -> Section | None`` that returns
``None`` when the tables it needs are absent, so the report shows whatever stages
ran. No section shows a per-employee figure: teams are the smallest unit, and teams
smaller than ``privacy.k_anonymity`` (default 3) are merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..engine import Engine
from ..settings import Settings
from . import charts, fmt
from .capital_sections import capital_section
from .data import (
    BASELINE,
    as_share,
    exposed_money,
    has_rows,
    headline_metrics,
    records,
    teams_params,
    teams_sql,
)
from .headline import cost_sentence, exposure_sentence, whatif_outcomes, whatif_sentence
from .model import Column, Figure, Section, Table

__all__ = ["SectionBuilder", "SECTIONS", "TOP_ACCOUNTS"]

SectionBuilder = Callable[[Engine, Settings], Section | None]
TOP_ACCOUNTS = 20
HEADLINE_ORDER = (
    "deals_revealed", "deals_revealed_value", "revealed_opportunities", "opportunities",
    "opportunities_value", "won_revealed", "head_start_days_median", "head_start_days_p25",
    "head_start_days_p75", "account_visibility", "account_visibility_value",
    "account_head_start_days_median", "customer_accounts_visible", "customer_accounts",
    "lead_precision", "leads", "true_leads", "accounts_revealed", "sightings",
)


def headline_section(engine: Engine, settings: Settings) -> Section | None:
    metrics = headline_metrics(engine)
    if not metrics:
        return None
    outcomes = whatif_outcomes(engine)
    section = Section("headline", "What a competitor sees")
    section.paragraphs = [p for p in (exposure_sentence(metrics, outcomes, settings),
                                      whatif_sentence(outcomes), cost_sentence(outcomes)) if p]
    tiles = [
        ("deals_revealed", fmt.share(as_share(metrics.get("deals_revealed"))),
         "of deals revealed to the competitor by a new connection before they closed"),
        ("deals_revealed_value", fmt.money(exposed_money(metrics), compact=True),
         "value of those deals"),
        ("head_start_days_median", fmt.days(metrics.get("head_start_days_median")),
         "median head start from the reveal to the close"),
        ("account_visibility", fmt.share(as_share(metrics.get("account_visibility"))),
         "of deals at an account the competitor could see at all (old or new ties)"),
        ("lead_precision", fmt.share(as_share(metrics.get("lead_precision"))),
         "of competitor leads are real pipeline or customers"),
    ]
    section.highlights = [(value, label) for key, value, label in tiles if key in metrics]
    ordered = [m for m in HEADLINE_ORDER if m in metrics] + sorted(
        m for m in metrics if m not in HEADLINE_ORDER
    )
    days = settings.exposure.reveal_days_before
    rows = [[fmt.metric_label(m), _metric_cell(m, metrics), fmt.metric_definition(m, days)]
            for m in ordered]
    section.tables.append(Table(
        [Column("Figure"), Column("Value", numeric=True), Column("What it means")], rows,
        caption="Headline figures",
    ))
    return section


def _metric_cell(metric: str, metrics: dict[str, float]) -> str:
    if metric == "deals_revealed_value":
        return fmt.money(exposed_money(metrics))
    if fmt.metric_kind(metric) == "share":
        return fmt.share(as_share(metrics[metric]), digits=1)
    return fmt.format_metric(metric, metrics[metric])


def over_time_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_monthly"):
        return None
    monthly = records(
        engine,
        "SELECT month, leads, new_accounts_revealed, revealed_opportunities, revealed_value "
        "FROM exposure_monthly WHERE scenario = ? ORDER BY month",
        [BASELINE],
    )
    if not monthly:
        return None
    section = Section("over-time", "Exposure over time")
    total_leads = sum(int(r["leads"] or 0) for r in monthly)
    section.paragraphs.append(
        f"Over {fmt.count(len(monthly))} months the competitor logged {fmt.count(total_leads)} "
        "leads from our staff's profiles. Bars: new leads per month; line: accounts the "
        "competitor saw a first buying-role tie into."
    )
    section.figures.append(Figure("exposure-over-time", charts.exposure_over_time(monthly),
                                  "Competitor leads and newly revealed accounts per month"))
    return section


HEAD_START_BINS = 30


def head_start_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_opportunities"):
        return None
    where = "scenario = $scenario AND revealed AND head_start_days IS NOT NULL AND in_window"
    stats = engine.fetchone(
        "SELECT count(*), min(head_start_days), max(head_start_days), median(head_start_days), "
        "quantile_cont(head_start_days, 0.25), quantile_cont(head_start_days, 0.75), "
        f"avg(CASE WHEN head_start_days >= 90 THEN 1.0 ELSE 0.0 END) "
        f"FROM exposure_opportunities WHERE {where}",
        {"scenario": BASELINE},
    )
    if not stats or not stats[0]:
        return None
    n, lo, hi, median, q1, q3, early = stats
    width = max(1, -(-(int(hi) - int(lo) + 1) // HEAD_START_BINS))  # ceil, whole days
    bins = engine.fetchall(
        "SELECT $lo + $width * floor((head_start_days - $lo) / $width) AS start, count(*) "
        f"FROM exposure_opportunities WHERE {where} GROUP BY 1 ORDER BY 1",
        {"lo": int(lo), "width": width, "scenario": BASELINE},
    )
    section = Section("head-start", "How early the competitor knows")
    section.paragraphs.append(
        f"For {fmt.plural(n, 'revealed deal')} the competitor saw the new connection that "
        f"revealed it a median {fmt.days(median)} before the close (the expected close, if still "
        f"open); {fmt.share(early)} of them at least 90 days ahead. Head start: days from the "
        "first reveal to the close date."
    )
    section.figures.append(Figure(
        "head-start",
        charts.head_start_histogram([(float(b), int(c)) for b, c in bins], width, median),
        "Distribution of head-start days",
    ))
    section.tables.append(Table(
        [Column("Quartile"), Column("Head start", numeric=True)],
        [["25th percentile", fmt.days(q1)], ["Median", fmt.days(median)],
         ["75th percentile", fmt.days(q3)], ["Longest", fmt.days(hi)]],
        caption="Head start of revealed deals",
    ))
    return section


def accounts_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_accounts"):
        return None
    top = records(
        engine,
        "SELECT account_id, account_name, country, ties_visible, first_seen_on, "
        "revealed_opportunities, revealed_value, score FROM exposure_accounts WHERE scenario = ? "
        "ORDER BY revealed_value DESC NULLS LAST, score DESC NULLS LAST, account_id LIMIT ?",
        [BASELINE, TOP_ACCOUNTS],
    )
    if not top:
        return None
    section = Section("accounts", "Accounts with the most revealed value")
    section.paragraphs.append(
        f"The {fmt.count(len(top))} accounts whose open or recent pipeline a competitor could "
        "see best, by the value of the deals a new connection revealed."
    )
    section.figures.append(Figure("top-accounts", charts.top_accounts_bar(top),
                                  "Accounts by revealed value"))
    rows = [[
        str(r["account_name"] or r["account_id"]), str(r["country"] or "–"),
        fmt.count(r["ties_visible"]), fmt.date(r["first_seen_on"]),
        fmt.count(r["revealed_opportunities"]), fmt.money(r["revealed_value"]), fmt.number(r["score"]),
    ] for r in top]
    section.tables.append(Table(
        [Column("Account"), Column("Country"), Column("Visible ties", True),
         Column("First seen"), Column("Revealed deals", True),
         Column("Revealed value", True), Column("Score", True)],
        rows, caption=f"Top {len(top)} accounts",
        note="Visible ties: connections into the account the competitor saw. First seen: its "
        "first lead there. Revealed deals/value: deals a new connection revealed (headline "
        "definition). Score (0-100): chance-style combination of the per-connection scores "
        "100 × match probability × buying-role weight × deal-value weight × novelty "
        "(docs/competitor-model.md).",
    ))
    return section


def whatif_section(engine: Engine, settings: Settings) -> Section | None:
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
    section = Section("whatif", "What each countermeasure would save")
    section.paragraphs.append(
        "Each countermeasure re-runs the competitor on a changed timeline. "
        "Lower is better; the cost is what the organisation gives up (ties hidden or delayed)."
    )
    if outcomes:
        baseline = outcomes[0]["before"]
        section.figures.append(Figure(
            "whatif", charts.whatif_bars(baseline, outcomes, "Share of deals revealed"),
            "Share of deals revealed today and under each countermeasure",
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
    ("adopters", "People adopting", fmt.count), ("ties_delayed", "Connections delayed", fmt.count),
    ("median_delay_days", "Median delay", fmt.days),
    ("ties_never_made", "Connections never made", fmt.count),
    ("ties_hidden", "Sightings prevented", fmt.count),
)


def _whatif_table(
    rows: list[dict[str, Any]], outcomes: list[dict[str, Any]], engine: Engine
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

    table_rows = [["Today, no countermeasure"] + [cell(m, before.get(m)) for m in metrics]]
    for policy in _policy_order(by_policy, outcomes):
        entry = by_policy[policy]
        table_rows.append(
            [str(entry["description"] or policy)] + [cell(m, entry.get(m)) for m in metrics]
        )
    columns = [Column("Countermeasure")] + [Column(fmt.metric_label(m), True) for m in metrics]
    notes = "; ".join(f"{fmt.metric_label(m)}: {fmt.metric_definition(m)}" for m in metrics
                      if fmt.metric_definition(m))
    return Table(columns, table_rows, caption="Effect: before and after each countermeasure",
                 note=notes)


def _policy_order(by_policy: dict[str, Any], outcomes: list[dict[str, Any]]) -> list[str]:
    ranked = [str(o["policy"]) for o in outcomes if str(o["policy"]) in by_policy]
    return ranked + sorted(p for p in by_policy if p not in ranked)


def _cost_table(engine: Engine, outcomes: list[dict[str, Any]]) -> Table | None:
    if not has_rows(engine, "whatif_costs"):
        return None
    costs = {str(c["policy"]): c for c in records(engine, "SELECT * FROM whatif_costs")}
    present = list(COST_COLUMNS)
    names = {str(o["policy"]): str(o["description"] or o["policy"]) for o in outcomes}
    order = [p for p in names if p in costs] + sorted(p for p in costs if p not in names)
    rows = [[names.get(p, p)] + [_cost_cell(costs[p], key, f) for key, _, f in present]
            for p in order]
    return Table(
        [Column("Countermeasure")] + [Column(label, True) for _, label, _ in present], rows,
        caption="Cost: what the organisation gives up",
        note="Connections delayed or never made are the business cost; sightings prevented "
        "are new connections the competitor no longer sees.",
    )


def _cost_cell(cost: dict[str, Any], key: str, f: Callable[[Any], str]) -> str:
    if key == "median_delay_days" and not cost.get("ties_delayed"):
        return "–"  # nothing delayed: no delay to report
    return f(cost.get(key))


def countries_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_countries"):
        return None
    rows = records(
        engine,
        "SELECT country, opportunities, revealed_opportunities, opportunities_value, "
        "revealed_value, leads FROM exposure_countries WHERE scenario = ? "
        "ORDER BY revealed_value DESC NULLS LAST, leads DESC, country LIMIT ?",
        [BASELINE, TOP_ACCOUNTS],
    )
    if not rows:
        return None
    section = Section("countries", "Exposure by country")
    section.tables.append(Table(
        [Column("Country"), Column("Opportunities", True), Column("Revealed", True),
         Column("Share revealed", True), Column("Revealed value", True),
         Column("Competitor leads", True)],
        [[str(r["country"] if r["country"] not in (None, "??") else "unknown"),
          fmt.count(r["opportunities"]), fmt.count(r["revealed_opportunities"]),
          fmt.share(r["revealed_opportunities"] / r["opportunities"]) if r["opportunities"] else "–",
          fmt.money(r["revealed_value"]), fmt.count(r["leads"])] for r in rows],
        caption="Countries of the accounts (headline window)",
        note="Revealed: deals a new connection revealed to the competitor before the close; "
        "competitor leads: new buying-role connections it saw into accounts of that country.",
    ))
    return section


def teams_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_teams"):
        return None
    rows = engine.fetch_records(
        f"SELECT * FROM ({teams_sql()}) WHERE scenario = $scenario "
        "ORDER BY revealed_value DESC NULLS LAST, team",
        {**teams_params(settings.privacy.k_anonymity), "scenario": BASELINE},
    )
    hidden = engine.scalar(
        "SELECT coalesce(sum(employees), 0) FROM exposure_teams WHERE scenario = ?", [BASELINE]
    ) - sum(int(r["employees"] or 0) for r in rows)
    if not rows and not hidden:
        return None
    section = Section("teams", "Exposure by team")
    section.paragraphs.append(
        "Figures are aggregated by team; this report never lists individual employees. "
        f"Teams with fewer than {settings.privacy.k_anonymity} people are combined"
        + (f"; the figures of {fmt.plural(hidden, 'person', 'people')} in very small teams "
           "are withheld."
           if hidden else ".")
        + " Each employee can ask for a personal report of their own profile."
    )
    section.tables.append(Table(
        [Column("Team"), Column("People", True), Column("Competitor leads", True),
         Column("Revealed deals", True), Column("Revealed value", True)],
        [[str(r["team"] or "(no team)"), fmt.count(r["employees"]), fmt.count(r["leads"]),
          fmt.count(r["revealed_opportunities"]), fmt.money(r["revealed_value"])] for r in rows],
        caption="By team",
        note="Competitor leads: new buying-role connections of the team's members it saw. "
        "Revealed deals: deals whose first reveal came from a team member's new connection.",
    ))
    return section


def settings_section(engine: Engine, settings: Settings) -> Section | None:
    watch = settings.watch
    rows = [
        ["Competitor watches", {"all": "all staff", "sales": "sales staff",
                                "company_named": "staff whose profile names our company"}
         .get(watch.watched, watch.watched)],
        ["Vantage", {"stranger": "stranger (not connected)",
                     "first_degree": "1st-degree connection of the employee",
                     "shared": "shared connections only"}.get(watch.vantage, watch.vantage)],
        ["Looks at profiles", f"{fmt.cadence(watch.cadence_days)}"],
        ["International leads only", "yes" if watch.international_only else "no"],
        ["Leads already the competitor's customers",
         fmt.share(watch.exclude_competitor_customers)],
        ["Period", f"{watch.start or 'first tie'} to {watch.end or 'last data'}"],
        ["Headline window", fmt.days(settings.exposure.lookback_days)],
        ["Smallest team shown", f"{settings.privacy.k_anonymity} people"],
        ["Generated", f"{dt.datetime.now():%Y-%m-%d %H:%M} by tieguard {__version__}"],
    ]
    section = Section("settings", "Settings used")
    section.tables.append(Table([Column("Setting"), Column("Value")], rows))
    return section


SECTIONS: list[SectionBuilder] = [
    headline_section, over_time_section, head_start_section, accounts_section, whatif_section,
    teams_section, countries_section, capital_section, settings_section,
]

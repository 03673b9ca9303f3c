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
from .headline import cost_sentence, exposure_sentence, whatif_outcomes
from .model import Column, Figure, Section, Table

__all__ = ["SectionBuilder", "SECTIONS", "TOP_ACCOUNTS"]

SectionBuilder = Callable[[Engine, Settings], Section | None]
TOP_ACCOUNTS = 20
HEADLINE_ORDER = (
    "pipeline_exposure", "pipeline_exposure_value", "opportunities", "opportunities_value",
    "head_start_days_median", "lead_precision", "leads", "accounts_revealed",
)


def headline_section(engine: Engine, settings: Settings) -> Section | None:
    metrics = headline_metrics(engine)
    if not metrics:
        return None
    outcomes = whatif_outcomes(engine)
    section = Section("headline", "What a competitor sees")
    section.paragraphs = [p for p in (exposure_sentence(metrics, outcomes, settings),
                                      cost_sentence(outcomes)) if p]
    tiles = [
        ("pipeline_exposure", fmt.share(as_share(metrics.get("pipeline_exposure"))),
         "of deals visible to the competitor before they closed"),
        ("pipeline_exposure_value", fmt.money(exposed_money(metrics), compact=True),
         "value of those deals"),
        ("head_start_days_median", fmt.days(metrics.get("head_start_days_median")),
         "median head start before close"),
        ("lead_precision", fmt.share(as_share(metrics.get("lead_precision"))),
         "of competitor leads are real pipeline or customers"),
    ]
    section.highlights = [(value, label) for key, value, label in tiles if key in metrics]
    ordered = [m for m in HEADLINE_ORDER if m in metrics] + sorted(
        m for m in metrics if m not in HEADLINE_ORDER
    )
    rows = [[fmt.metric_label(m), _metric_cell(m, metrics)] for m in ordered]
    section.tables.append(
        Table([Column("Figure"), Column("Value", numeric=True)], rows, caption="Headline figures")
    )
    return section


def _metric_cell(metric: str, metrics: dict[str, float]) -> str:
    if metric == "pipeline_exposure_value":
        return fmt.money(exposed_money(metrics))
    if fmt.metric_kind(metric) == "share":
        return fmt.share(as_share(metrics[metric]), digits=1)
    return fmt.format_metric(metric, metrics[metric])


def over_time_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_monthly"):
        return None
    monthly = records(
        engine,
        "SELECT month, leads, new_accounts_revealed, exposed_opportunities, exposed_value "
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
    where = "scenario = $scenario AND exposed AND head_start_days IS NOT NULL AND in_window"
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
        f"For {fmt.plural(n, 'exposed opportunity', 'exposed opportunities')} the competitor saw "
        f"a tie into the account a median {fmt.days(median)} before the close (or before the end "
        f"of the watch, if still open); {fmt.share(early)} of them at least 90 days ahead."
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
        caption="Head start of exposed opportunities",
    ))
    return section


def accounts_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_accounts"):
        return None
    top = records(
        engine,
        "SELECT account_id, account_name, country, ties_visible, first_seen_on, "
        "exposed_opportunities, exposed_value, score FROM exposure_accounts WHERE scenario = ? "
        "ORDER BY exposed_value DESC NULLS LAST, score DESC NULLS LAST, account_id LIMIT ?",
        [BASELINE, TOP_ACCOUNTS],
    )
    if not top:
        return None
    section = Section("accounts", "Most exposed accounts")
    section.paragraphs.append(
        f"The {fmt.count(len(top))} accounts whose open or recent pipeline a competitor could "
        "see best, by the value of exposed opportunities."
    )
    section.figures.append(Figure("top-accounts", charts.top_accounts_bar(top),
                                  "Most exposed accounts by exposed value"))
    rows = [[
        str(r["account_name"] or r["account_id"]), str(r["country"] or "–"),
        fmt.count(r["ties_visible"]), fmt.date(r["first_seen_on"]),
        fmt.count(r["exposed_opportunities"]), fmt.money(r["exposed_value"]), fmt.number(r["score"]),
    ] for r in top]
    section.tables.append(Table(
        [Column("Account"), Column("Country"), Column("Visible ties", True),
         Column("First seen"), Column("Exposed opportunities", True),
         Column("Exposed value", True), Column("Score", True)],
        rows, caption=f"Top {len(top)} accounts",
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
            "whatif", charts.whatif_bars(baseline, outcomes, "Share of deals exposed"),
            "Share of deals exposed today and under each countermeasure",
        ))
    section.tables.append(_whatif_table(all_rows, outcomes, engine))
    cost = _cost_table(engine, outcomes)
    if cost is not None:
        section.tables.append(cost)
    return section


WHATIF_METRICS = ("pipeline_exposure", "pipeline_exposure_value", "head_start_days_median", "leads")
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
    return Table(columns, table_rows, caption="Effect: before and after each countermeasure")


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
        "SELECT country, opportunities, exposed_opportunities, opportunities_value, "
        "exposed_value, leads FROM exposure_countries WHERE scenario = ? "
        "ORDER BY exposed_value DESC NULLS LAST, leads DESC, country LIMIT ?",
        [BASELINE, TOP_ACCOUNTS],
    )
    if not rows:
        return None
    section = Section("countries", "Exposure by country")
    section.tables.append(Table(
        [Column("Country"), Column("Opportunities", True), Column("Exposed", True),
         Column("Share exposed", True), Column("Exposed value", True),
         Column("Competitor leads", True)],
        [[str(r["country"] if r["country"] not in (None, "??") else "unknown"),
          fmt.count(r["opportunities"]), fmt.count(r["exposed_opportunities"]),
          fmt.share(r["exposed_opportunities"] / r["opportunities"]) if r["opportunities"] else "–",
          fmt.money(r["exposed_value"]), fmt.count(r["leads"])] for r in rows],
        caption="Countries of the accounts (headline window)",
    ))
    return section


def teams_section(engine: Engine, settings: Settings) -> Section | None:
    if not has_rows(engine, "exposure_teams"):
        return None
    rows = engine.fetch_records(
        f"SELECT * FROM ({teams_sql()}) WHERE scenario = $scenario "
        "ORDER BY exposed_value DESC NULLS LAST, team",
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
         Column("Exposed opportunities", True), Column("Exposed value", True)],
        [[str(r["team"] or "(no team)"), fmt.count(r["employees"]), fmt.count(r["leads"]),
          fmt.count(r["exposed_opportunities"]), fmt.money(r["exposed_value"])] for r in rows],
        caption="By team",
    ))
    return section


def capital_section(engine: Engine, settings: Settings) -> Section | None:
    parts = [p for p in (_coverage_part(engine), _risk_part(engine), _capital_monthly_part(engine))
             if p is not None]
    if not parts:
        return None
    section = Section("capital", "Our relationship capital")
    section.paragraphs.append(
        "Which buying committees the organisation reaches through its people, and which "
        "accounts hang on a single person (key-person risk)."
    )
    for part in parts:
        section.paragraphs += part.paragraphs
        section.figures += part.figures
        section.tables += part.tables
        section.highlights += part.highlights
    return section


def _coverage_part(engine: Engine) -> Section | None:
    if not has_rows(engine, "capital_coverage"):
        return None
    roles = records(
        engine,
        "SELECT buying_role, count(DISTINCT account_id) AS accounts, "
        "count(DISTINCT account_id) FILTER (WHERE reached) AS reached_accounts, "
        "avg(strength) FILTER (WHERE reached) AS mean_strength FROM capital_coverage "
        "GROUP BY buying_role ORDER BY buying_role",
    )
    if not roles:
        return None
    for r in roles:
        r["reached_share"] = (r["reached_accounts"] or 0) / r["accounts"] if r["accounts"] else 0
    n_accounts = engine.scalar("SELECT count(DISTINCT account_id) FROM capital_coverage")
    full = engine.scalar(
        "SELECT count(*) FROM (SELECT account_id FROM capital_coverage GROUP BY account_id "
        "HAVING bool_and(reached))"
    )
    part = Section("coverage", "")
    part.highlights.append((fmt.count(n_accounts), "accounts in the registry"))
    part.highlights.append((fmt.count(full), "with the whole buying committee reached"))
    part.figures.append(Figure("roles-reached", charts.roles_reached_bar(roles),
                               "Share of accounts whose buying role we reach"))
    part.tables.append(Table(
        [Column("Buying role"), Column("Accounts reached", True), Column("Share", True),
         Column("Mean strength", True)],
        [[str(r["buying_role"]).replace("_", " "), fmt.count(r["reached_accounts"]),
          fmt.share(r["reached_share"]), fmt.number(r["mean_strength"])] for r in roles],
        caption="Buying-committee coverage",
    ))
    return part


def _risk_part(engine: Engine) -> Section | None:
    if not has_rows(engine, "capital_risk"):
        return None
    top = records(
        engine,
        "SELECT account_name, account_id, value, key_contacts, single_holder_contacts, "
        "holder_team, risk_score FROM capital_risk WHERE single_holder_contacts > 0 "
        "ORDER BY risk_score DESC NULLS LAST, value DESC NULLS LAST LIMIT ?",
        [TOP_ACCOUNTS],
    )
    at_risk = engine.fetchone(
        "SELECT count(*), coalesce(sum(value), 0) FROM capital_risk WHERE at_risk"
    ) or (0, 0)
    part = Section("risk", "")
    part.paragraphs.append(
        f"{fmt.plural(at_risk[0], 'account')} ({fmt.money(at_risk[1], compact=True)} of pipeline "
        "and customer value) "
        + "hang on a single person: every key buying-role contact we reach there is known to "
        "the same one employee."
    )
    part.highlights.append((fmt.money(at_risk[1], compact=True), "value hanging on one person"))
    if top:
        part.tables.append(Table(
            [Column("Account"), Column("Value", True), Column("Key contacts", True),
             Column("Held by one person", True), Column("Holder's team"), Column("Risk", True)],
            [[str(r["account_name"] or r["account_id"]), fmt.money(r["value"]),
              fmt.count(r["key_contacts"]), fmt.count(r["single_holder_contacts"]),
              str(r["holder_team"] or "–"), fmt.number(r["risk_score"])] for r in top],
            caption="Key-person risk: top accounts",
        ))
    return part


def _capital_monthly_part(engine: Engine) -> Section | None:
    if not has_rows(engine, "capital_monthly"):
        return None
    monthly = records(
        engine, "SELECT month, accounts_covered, roles_covered FROM capital_monthly ORDER BY month"
    )
    if not monthly:
        return None
    part = Section("capital-monthly", "")
    part.figures.append(Figure("coverage-over-time", charts.coverage_over_time(monthly),
                               "Coverage over time"))
    return part


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

"""The sections of the shared report, in order.

Each section is a function ``(engine, settings) -> Section | None`` that returns
``None`` when the tables it needs are absent, so the report shows whatever stages
ran. No section shows a per-employee figure: teams are the smallest unit, and teams
smaller than ``privacy.k_anonymity`` (default 3) are merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .. import __version__
from ..engine import ReadEngine
from ..i18n import N_, _, ngettext
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
from .whatif_section import whatif_section

__all__ = ["SectionBuilder", "SECTIONS", "TOP_ACCOUNTS"]

SectionBuilder = Callable[[ReadEngine, Settings], Section | None]
TOP_ACCOUNTS = 20
HEADLINE_ORDER = (
    "deals_revealed", "deals_revealed_value", "revealed_opportunities", "opportunities",
    "opportunities_value", "won_revealed", "head_start_days_median", "head_start_days_p25",
    "head_start_days_p75", "account_visibility", "account_visibility_value",
    "account_head_start_days_median", "customer_accounts_visible", "customer_accounts",
    "lead_precision", "leads", "true_leads", "accounts_revealed", "sightings",
)


def headline_section(engine: ReadEngine, settings: Settings) -> Section | None:
    metrics = headline_metrics(engine)
    if not metrics:
        return None
    outcomes = whatif_outcomes(engine)
    section = Section("headline", _("What a competitor sees"))
    section.paragraphs = [p for p in (exposure_sentence(metrics, outcomes, settings),
                                      whatif_sentence(outcomes), cost_sentence(outcomes)) if p]
    tiles = [
        ("deals_revealed", fmt.share(as_share(metrics.get("deals_revealed"))),
         _("of deals revealed to the competitor by a new connection before they closed")),
        ("deals_revealed_value", fmt.money(exposed_money(metrics), compact=True),
         _("value of those deals")),
        ("head_start_days_median", fmt.days(metrics.get("head_start_days_median")),
         _("median head start from the reveal to the close")),
        ("account_visibility", fmt.share(as_share(metrics.get("account_visibility"))),
         _("of deals at an account the competitor could see at all (old or new ties)")),
        ("lead_precision", fmt.share(as_share(metrics.get("lead_precision"))),
         _("of competitor leads are real pipeline or customers")),
    ]
    section.highlights = [(value, label) for key, value, label in tiles if key in metrics]
    ordered = [m for m in HEADLINE_ORDER if m in metrics] + sorted(
        m for m in metrics if m not in HEADLINE_ORDER
    )
    days = settings.exposure.reveal_days_before
    rows = [[fmt.metric_label(m), _metric_cell(m, metrics), fmt.metric_definition(m, days)]
            for m in ordered]
    section.tables.append(Table(
        [Column(_("Figure")), Column(_("Value"), numeric=True), Column(_("What it means"))], rows,
        caption=_("Headline figures"),
    ))
    return section


def _metric_cell(metric: str, metrics: dict[str, float]) -> str:
    if metric == "deals_revealed_value":
        return fmt.money(exposed_money(metrics))
    if fmt.metric_kind(metric) == "share":
        return fmt.share(as_share(metrics[metric]), digits=1)
    return fmt.format_metric(metric, metrics[metric])


def over_time_section(engine: ReadEngine, settings: Settings) -> Section | None:
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
    section = Section("over-time", _("Exposure over time"))
    total_leads = sum(int(r["leads"] or 0) for r in monthly)
    section.paragraphs.append(ngettext(
        "Over %(n)s month the competitor logged %(leads)s leads from our staff's profiles. Bars: "
        "new leads per month; line: accounts the competitor saw a first buying-role tie into.",
        "Over %(n)s months the competitor logged %(leads)s leads from our staff's profiles. Bars: "
        "new leads per month; line: accounts the competitor saw a first buying-role tie into.",
        len(monthly), n=fmt.count(len(monthly)), leads=fmt.count(total_leads)))
    section.figures.append(Figure("exposure-over-time", charts.exposure_over_time(monthly),
                                  _("Competitor leads and newly revealed accounts per month")))
    return section


HEAD_START_BINS = 30


def head_start_section(engine: ReadEngine, settings: Settings) -> Section | None:
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
    section = Section("head-start", _("How early the competitor knows"))
    section.paragraphs.append(ngettext(
        "For %(n)s revealed deal the competitor saw the new connection that revealed it a median "
        "%(days)s before the close (the expected close, if still open); %(early)s of them at "
        "least 90 days ahead. Head start: days from the first reveal to the close date.",
        "For %(n)s revealed deals the competitor saw the new connection that revealed it a median "
        "%(days)s before the close (the expected close, if still open); %(early)s of them at "
        "least 90 days ahead. Head start: days from the first reveal to the close date.",
        int(n), n=fmt.count(n), days=fmt.days(median), early=fmt.share(early)))
    section.figures.append(Figure(
        "head-start",
        charts.head_start_histogram([(float(b), int(c)) for b, c in bins], width, median),
        _("Distribution of head-start days"),
    ))
    section.tables.append(Table(
        [Column(_("Quartile")), Column(_("Head start"), numeric=True)],
        [[_("25th percentile"), fmt.days(q1)], [_("Median"), fmt.days(median)],
         [_("75th percentile"), fmt.days(q3)], [_("Longest"), fmt.days(hi)]],
        caption=_("Head start of revealed deals"),
    ))
    return section


def accounts_section(engine: ReadEngine, settings: Settings) -> Section | None:
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
    section = Section("accounts", _("Accounts with the most revealed value"))
    section.paragraphs.append(ngettext(
        "The %(n)s account whose open or recent pipeline a competitor could see best, by the "
        "value of the deals a new connection revealed.",
        "The %(n)s accounts whose open or recent pipeline a competitor could see best, by the "
        "value of the deals a new connection revealed.", len(top), n=fmt.count(len(top))))
    section.figures.append(Figure("top-accounts", charts.top_accounts_bar(top),
                                  _("Accounts by revealed value")))
    rows = [[
        str(r["account_name"] or r["account_id"]), str(r["country"] or "–"),
        fmt.count(r["ties_visible"]), fmt.date(r["first_seen_on"]),
        fmt.count(r["revealed_opportunities"]), fmt.money(r["revealed_value"]), fmt.number(r["score"]),
    ] for r in top]
    section.tables.append(Table(
        [Column(_("Account")), Column(_("Country")), Column(_("Visible ties"), True),
         Column(_("First seen")), Column(_("Revealed deals"), True),
         Column(_("Revealed value"), True), Column(_("Score"), True)],
        rows, caption=_("Top %(n)s accounts", n=fmt.count(len(top))),
        note=_("Visible ties: connections into the account the competitor saw. First seen: its "
               "first lead there. Revealed deals/value: deals a new connection revealed (headline "
               "definition). Score (0-100): chance-style combination of the per-connection scores "
               "100 × match probability × buying-role weight × deal-value weight × novelty "
               "(docs/competitor-model.md)."),
    ))
    return section


def countries_section(engine: ReadEngine, settings: Settings) -> Section | None:
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
    section = Section("countries", _("Exposure by country"))
    section.tables.append(Table(
        [Column(_("Country")), Column(_("Opportunities"), True), Column(_("Revealed"), True),
         Column(_("Share revealed"), True), Column(_("Revealed value"), True),
         Column(_("Competitor leads"), True)],
        [[str(r["country"] if r["country"] not in (None, "??") else _("unknown")),
          fmt.count(r["opportunities"]), fmt.count(r["revealed_opportunities"]),
          fmt.share(r["revealed_opportunities"] / r["opportunities"]) if r["opportunities"] else "–",
          fmt.money(r["revealed_value"]), fmt.count(r["leads"])] for r in rows],
        caption=_("Countries of the accounts (headline window)"),
        note=_("Revealed: deals a new connection revealed to the competitor before the close; "
               "competitor leads: new buying-role connections it saw into accounts of that "
               "country."),
    ))
    return section


def teams_section(engine: ReadEngine, settings: Settings) -> Section | None:
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
    section = Section("teams", _("Exposure by team"))
    k = settings.privacy.k_anonymity
    section.paragraphs.append(ngettext(
        "Figures are aggregated by team; this report never lists individual employees. Teams "
        "with fewer than %(k)s people are combined; the figures of %(n)s person in very small "
        "teams are withheld. Each employee can ask for a personal report of their own profile.",
        "Figures are aggregated by team; this report never lists individual employees. Teams "
        "with fewer than %(k)s people are combined; the figures of %(n)s people in very small "
        "teams are withheld. Each employee can ask for a personal report of their own profile.",
        int(hidden), k=fmt.count(k), n=fmt.count(hidden)) if hidden else _(
        "Figures are aggregated by team; this report never lists individual employees. Teams "
        "with fewer than %(k)s people are combined. Each employee can ask for a personal report "
        "of their own profile.", k=fmt.count(k)))
    section.tables.append(Table(
        [Column(_("Team")), Column(_("People"), True), Column(_("Competitor leads"), True),
         Column(_("Revealed deals"), True), Column(_("Revealed value"), True)],
        [[str(r["team"] or _("(no team)")), fmt.count(r["employees"]), fmt.count(r["leads"]),
          fmt.count(r["revealed_opportunities"]), fmt.money(r["revealed_value"])] for r in rows],
        caption=_("By team"),
        note=_("Competitor leads: new buying-role connections of the team's members it saw. "
               "Revealed deals: deals whose first reveal came from a team member's new "
               "connection."),
    ))
    return section


WATCHED = {"all": N_("all staff"), "sales": N_("sales staff"),
           "company_named": N_("staff whose profile names our company")}
VANTAGES = {"stranger": N_("stranger (not connected)"),
            "first_degree": N_("1st-degree connection of the employee"),
            "shared": N_("shared connections only")}


def settings_section(engine: ReadEngine, settings: Settings) -> Section | None:
    watch = settings.watch
    k = settings.privacy.k_anonymity
    now = fmt.date(dt.date.today()) + dt.datetime.now().strftime(" %H:%M")
    rows = [
        [_("Competitor watches"), _(WATCHED[watch.watched]) if watch.watched in WATCHED
         else watch.watched],
        [_("Vantage"), _(VANTAGES[watch.vantage]) if watch.vantage in VANTAGES else watch.vantage],
        [_("Looks at profiles"), fmt.cadence(watch.cadence_days)],
        [_("International leads only"), fmt.number(bool(watch.international_only))],
        [_("Leads already the competitor's customers"),
         fmt.share(watch.exclude_competitor_customers)],
        [_("Period"), _("%(start)s to %(end)s",
                        start=fmt.date(watch.start) if watch.start else _("first tie"),
                        end=fmt.date(watch.end) if watch.end else _("last data"))],
        [_("Headline window"), fmt.days(settings.exposure.lookback_days)],
        [_("Smallest team shown"), ngettext("%(n)s person", "%(n)s people", k, n=fmt.count(k))],
        [_("Generated"), _("%(when)s by tieguard %(version)s",
                           when=now, version=__version__)],
    ]
    section = Section("settings", _("Settings used"))
    section.tables.append(Table([Column(_("Setting")), Column(_("Value"))], rows))
    return section


SECTIONS: list[SectionBuilder] = [
    headline_section, over_time_section, head_start_section, accounts_section, whatif_section,
    teams_section, countries_section, capital_section, settings_section,
]

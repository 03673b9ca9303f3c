"""Exposure: what the competitor's lead log gives away, as numbers.

Reads ``competitor_leads`` (one scenario) and the CRM, writes the ``exposure_*``
tables of ``docs/stage-outputs.md`` and returns the headline. Definitions
(``docs/competitor-model.md``):

* a deal is **revealed** when a buying-role tie made in its window (from
  ``exposure.reveal_days_before`` days before it opened until it closed) became visible
  to the competitor before the close (or by the end of the watch, if open) while the
  account was not already visible to it (no earlier sighting into the account);
* **head start** = close date - that first reveal, in days;
* **account visibility** (secondary) = any sighting into the account before the close,
  old tie or new;
* **lead precision** = share of leads that are real pipeline or customer contacts;
* the **headline window** holds the opportunities closed in the last
  ``exposure.lookback_days`` before the end of the watch, plus the open ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .engine import Engine
from .exposure_breakdowns import (
    accounts_sql,
    countries_sql,
    monthly_sql,
    teams_sql,
    tie_exposure_select,
)
from .settings import Settings
from .stages import JSONValue
from .watch import WatchWindow, bind, watch_window, write_scenario_table

__all__ = [
    "run", "measure", "Headline", "headline", "fingerprint", "baseline_is_current",
    "HEADLINE_METRICS", "HEAD_START_BUCKETS",
]

log = logging.getLogger(__name__)

HEADLINE_METRICS = (
    "deals_revealed", "deals_revealed_value", "deals_revealed_value_share",
    "revealed_opportunities", "opportunities", "opportunities_value", "won_revealed",
    "head_start_days_median", "head_start_days_p25", "head_start_days_p75",
    "account_visibility", "account_visibility_value", "account_head_start_days_median",
    "customer_accounts", "customer_accounts_visible", "lead_precision", "leads", "true_leads",
    "accounts_revealed", "sightings",
)

_COUNT_METRICS = ("opportunities", "revealed_opportunities", "customer_accounts",
                  "customer_accounts_visible", "leads", "true_leads", "accounts_revealed",
                  "sightings")

#: (label, lower bound inclusive, upper bound exclusive) in days.
HEAD_START_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("< 0 (overdue)", -100000, 0), ("0-30", 0, 31), ("31-90", 31, 91), ("91-180", 91, 181),
    ("181-365", 181, 366), ("> 365", 366, 100000000),
)


def _opportunities_sql() -> str:
    """Per opportunity: account visibility, the first reveal by a new tie, the head start."""
    end = WatchWindow.end_sql
    lo = f"({end} - CAST($lookback_days AS INTEGER))"
    return f"""
    WITH s AS (SELECT l.account_id, l.seen_on, l.is_lead, c.connected_on
               FROM competitor_leads l JOIN competitor_sightings c USING (scenario, tie_id)
               WHERE l.scenario = $scenario AND l.account_id IS NOT NULL),
    o AS (SELECT *, coalesce(is_closed, false) AS closed,
                 CASE WHEN coalesce(is_closed, false) THEN close_date ELSE {end} + 1 END AS until,
                 coalesce(created_on, close_date) - CAST($reveal_days_before AS INTEGER) AS window_from
          FROM opportunities),
    vis AS (SELECT o.opportunity_id, min(s.seen_on) AS first_seen_on
            FROM o JOIN s ON s.account_id = o.account_id AND s.seen_on < o.until
            GROUP BY o.opportunity_id),
    rev AS (SELECT o.opportunity_id, min(s.seen_on) AS revealed_on
            FROM o JOIN s ON s.account_id = o.account_id AND s.seen_on < o.until AND s.is_lead
                         AND s.connected_on >= o.window_from AND s.connected_on < o.until
            GROUP BY o.opportunity_id)
    SELECT $scenario AS scenario, o.opportunity_id, o.account_id, o.amount,
           coalesce(o.is_won, false) AS is_won, o.closed AS is_closed, o.close_date,
           o.window_from,
           vis.first_seen_on AS account_first_seen_on,
           date_diff('day', vis.first_seen_on, o.close_date) AS account_head_start_days,
           vis.first_seen_on IS NOT NULL AS account_visible,
           rev.revealed_on,
           date_diff('day', rev.revealed_on, o.close_date) AS head_start_days,
           rev.revealed_on IS NOT NULL AS revealed,
           ((o.closed AND o.close_date > {lo} AND o.close_date <= {end})
            OR (NOT o.closed AND coalesce(o.created_on, {end}) <= {end})) AS in_window
    FROM o LEFT JOIN vis USING (opportunity_id)
    LEFT JOIN rev ON rev.opportunity_id = o.opportunity_id AND rev.revealed_on <= vis.first_seen_on
    """


def _head_start_sql() -> str:
    return """
    WITH b AS (SELECT unnest($bucket_order) AS bucket_order, unnest($bucket_label) AS bucket,
                      unnest($bucket_lo) AS lo, unnest($bucket_hi) AS hi),
    e AS (SELECT head_start_days, amount FROM exposure_opportunities
          WHERE scenario = $scenario AND revealed AND in_window AND head_start_days IS NOT NULL)
    SELECT $scenario AS scenario, b.bucket_order, b.bucket,
           count(e.head_start_days) AS opportunities, coalesce(sum(e.amount), 0) AS value
    FROM b LEFT JOIN e ON e.head_start_days >= b.lo AND e.head_start_days < b.hi
    GROUP BY ALL ORDER BY b.bucket_order
    """


def _headline_values(engine: Engine, scenario: str) -> dict[str, float]:
    o = engine.fetchone(
        "SELECT count(*), coalesce(sum(amount), 0), count(*) FILTER (revealed), "
        "coalesce(sum(amount) FILTER (revealed), 0), "
        "count(*) FILTER (is_won), count(*) FILTER (is_won AND revealed), "
        "median(head_start_days) FILTER (revealed), "
        "quantile_cont(head_start_days, 0.25) FILTER (revealed), "
        "quantile_cont(head_start_days, 0.75) FILTER (revealed), "
        "count(*) FILTER (account_visible), coalesce(sum(amount) FILTER (account_visible), 0), "
        "median(account_head_start_days) FILTER (account_visible) "
        "FROM exposure_opportunities WHERE scenario = ? AND in_window",
        [scenario],
    ) or (0,) * 12
    n, value, rev_n, rev_v, won, won_rev, hs_med, hs25, hs75, vis_n, vis_v, vis_hs = o
    lrow = engine.fetchone(
        "SELECT count(*) FILTER (is_lead), "
        "count(*) FILTER (is_lead AND (is_pipeline OR is_customer_contact)), "
        "count(DISTINCT account_id) FILTER (is_lead), count(*) "
        "FROM competitor_leads WHERE scenario = ?",
        [scenario],
    ) or (0, 0, 0, 0)
    leads, true_leads, revealed_accounts, sightings = lrow
    crow = engine.fetchone(
        "SELECT count(*), count(*) FILTER (account_id IN (SELECT account_id FROM competitor_leads "
        "WHERE scenario = ? AND account_id IS NOT NULL)) "
        "FROM accounts WHERE lower(account_type) = 'customer'",
        [scenario],
    ) or (0, 0)

    def share(part: float, whole: float) -> float:
        return float(part) / float(whole) if whole else 0.0

    return {
        "deals_revealed": share(rev_n, n),
        "deals_revealed_value": float(rev_v),
        "deals_revealed_value_share": share(rev_v, value),
        "revealed_opportunities": float(rev_n),
        "opportunities": float(n),
        "opportunities_value": float(value),
        "won_revealed": share(won_rev, won),
        "head_start_days_median": float(hs_med) if hs_med is not None else 0.0,
        "head_start_days_p25": float(hs25) if hs25 is not None else 0.0,
        "head_start_days_p75": float(hs75) if hs75 is not None else 0.0,
        "account_visibility": share(vis_n, n),
        "account_visibility_value": float(vis_v),
        "account_head_start_days_median": float(vis_hs) if vis_hs is not None else 0.0,
        "customer_accounts": float(crow[0]),
        "customer_accounts_visible": float(crow[1]),
        "lead_precision": share(true_leads, leads),
        "leads": float(leads),
        "true_leads": float(true_leads),
        "accounts_revealed": float(revealed_accounts),
        "sightings": float(sightings),
    }


@dataclass(frozen=True)
class Headline:
    """One scenario's headline figures (docs/competitor-model.md defines each)."""

    scenario: str
    metrics: Mapping[str, float]
    sentence: str = ""
    window_from: dt.date | None = None
    window_to: dt.date | None = None

    def __getitem__(self, metric: str) -> float | int:
        value = self.metrics[metric]
        return int(value) if metric in _COUNT_METRICS else value

    def get(self, metric: str, default: float | None = None) -> float | int | None:
        return self[metric] if metric in self.metrics else default

    def figures(self) -> dict[str, JSONValue]:
        """The flat JSON form ``tieguard scan --json`` prints and ``stage_runs`` stores."""
        out: dict[str, JSONValue] = {"scenario": self.scenario}
        out.update({m: self[m] for m in self.metrics})
        out["sentence"] = self.sentence
        if self.window_from and self.window_to:
            out["window"] = {"from": self.window_from.isoformat(), "to": self.window_to.isoformat(),
                             "rule": "opportunities closed in the window plus open ones"}
        return out


def headline(engine: Engine, scenario: str = "baseline") -> Headline:
    """The stored headline of a scenario (as written by :func:`run`)."""
    rows = engine.fetchall(
        "SELECT metric, value FROM exposure_headline WHERE scenario = ?", [scenario]
    )
    return Headline(scenario, {str(m): float(v) for m, v in rows if v is not None})


_FINGERPRINT_TABLES = (
    "ties", "privacy_settings", "profiles", "employees", "tie_people", "tie_matches",
    "person_roles", "opportunities", "contact_roles", "accounts", "competitors", "organisation",
)


def fingerprint(engine: Engine, settings: Settings) -> str:
    """A cheap digest of the inputs and settings the baseline depends on."""
    counts = [engine.scalar(f"SELECT count(*) FROM {engine.ident(t)}") for t in _FINGERPRINT_TABLES]
    extra = engine.fetchone("SELECT max(connected_on), max(removed_on) FROM ties")
    payload = json.dumps(
        [settings.watch.model_dump(), settings.exposure.model_dump(), settings.own_company,
         counts, [str(x) for x in (extra or ())]],
        sort_keys=True, default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def baseline_is_current(engine: Engine, settings: Settings) -> bool:
    """Whether the stored baseline was computed from the current inputs and settings."""
    stored = engine.scalar("SELECT fingerprint FROM exposure_runs WHERE scenario = 'baseline'")
    return bool(stored) and stored == fingerprint(engine, settings)


def _write_headline(engine: Engine, scenario: str, values: dict[str, float]) -> None:
    sql = "SELECT $scenario AS scenario, unnest($metric) AS metric, unnest($value) AS value"
    write_scenario_table(engine, "exposure_headline", sql,
                         {"scenario": scenario, "metric": list(values),
                          "value": [float(v) for v in values.values()]}, scenario)


def _sentence(settings: Settings, h: Headline) -> str:
    """One short plain sentence for the headline."""
    if not h["opportunities"]:
        return "No opportunities in the headline window; load the CRM export to measure exposure."
    return (
        f"A competitor watching our staff's profiles every {settings.watch.cadence_days} days "
        f"learned of {h['deals_revealed']:.0%} of our {h['opportunities']:,} deals from a new "
        f"connection, a median {h['head_start_days_median']:.0f} days before they closed."
    )


def measure(
    engine: Engine,
    settings: Settings,
    on_progress: Any = None,
    scenario: str = "baseline",
) -> Headline:
    """Measure exposure of one scenario's lead log; write the exposure tables; return the headline."""
    window = watch_window(engine, settings)
    values: dict[str, Any] = {
        **window.params(), "scenario": scenario, "lookback_days": settings.exposure.lookback_days,
        "reveal_days_before": settings.exposure.reveal_days_before,
        "bucket_order": list(range(len(HEAD_START_BUCKETS))),
        "bucket_label": [b[0] for b in HEAD_START_BUCKETS],
        "bucket_lo": [b[1] for b in HEAD_START_BUCKETS],
        "bucket_hi": [b[2] for b in HEAD_START_BUCKETS],
    }
    steps: list[tuple[str, str]] = [
        ("exposure_opportunities", _opportunities_sql()),
        ("exposure_head_start", _head_start_sql()),
        ("exposure_accounts", accounts_sql("_tg_tie_scores")),
        ("exposure_monthly", monthly_sql()),
        ("exposure_teams", teams_sql()),
        ("exposure_countries", countries_sql()),
    ]
    total = len(steps) + 2
    scores_sql = tie_exposure_select()
    engine.scratch("_tg_tie_scores", scores_sql, bind(scores_sql, values))
    for i, (table, sql) in enumerate(steps):
        if on_progress:
            on_progress("exposure", i, total)
        write_scenario_table(engine, table, sql, values, scenario)
    if scenario == "baseline":
        engine.replace("tie_exposure", "SELECT * FROM _tg_tie_scores")
    engine.drop_scratch("_tg_tie_scores")
    metrics = _headline_values(engine, scenario)
    _write_headline(engine, scenario, metrics)
    if scenario == "baseline":
        engine.replace(
            "exposure_runs", "SELECT 'baseline' AS scenario, ? AS fingerprint, now() AS ran_at",
            [fingerprint(engine, settings)],
        )
    if on_progress:
        on_progress("exposure", total, total)
    lo = window.end - dt.timedelta(days=settings.exposure.lookback_days)
    plain = Headline(scenario, metrics, "", lo, window.end)
    result = Headline(scenario, metrics, _sentence(settings, plain), lo, window.end)
    log.info("exposure %s: %s", scenario, result.figures())
    return result


def run(
    engine: Engine,
    settings: Settings,
    on_progress: Any = None,
    scenario: str = "baseline",
) -> dict[str, JSONValue]:
    """The exposure stage: :func:`measure`, as the flat figures a stage returns."""
    return measure(engine, settings, on_progress, scenario).figures()

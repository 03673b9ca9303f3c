"""Exposure: what the competitor's lead log gives away, as numbers.

Reads ``competitor_leads`` (one scenario) and the CRM, writes the ``exposure_*``
tables of ``docs/stage-outputs.md`` and returns the headline. Definitions
(``docs/competitor-model.md``):

* an opportunity is **exposed** when a lead into its account was seen before the
  deal closed (or by the end of the watch, if open);
* **head start** = close date - first sighting into the account, in days;
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
from .settings import Settings
from .stages import JSONValue
from .watch import WatchWindow, bind, watch_window, write_scenario_table

__all__ = ["run", "measure", "Headline", "headline", "fingerprint", "baseline_is_current", "HEADLINE_METRICS", "HEAD_START_BUCKETS"]

log = logging.getLogger(__name__)

HEADLINE_METRICS = (
    "pipeline_exposure", "pipeline_exposure_value", "pipeline_exposure_value_share",
    "opportunities", "opportunities_value", "exposed_opportunities",
    "won_exposure", "won_exposure_value", "head_start_days_median", "head_start_days_p25",
    "head_start_days_p75", "deal_exposure", "deal_head_start_days_median", "lead_precision",
    "leads", "true_leads", "accounts_revealed", "sightings",
)

_COUNT_METRICS = ("opportunities", "exposed_opportunities", "leads", "true_leads",
                  "accounts_revealed", "sightings")

#: (label, lower bound inclusive, upper bound exclusive) in days.
HEAD_START_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("< 0 (overdue)", -100000, 0), ("0-30", 0, 31), ("31-90", 31, 91), ("91-180", 91, 181),
    ("181-365", 181, 366), ("> 365", 366, 100000000),
)


def _opportunities_sql() -> str:
    end = WatchWindow.end_sql
    lo = f"({end} - CAST($lookback_days AS INTEGER))"
    return f"""
    WITH l AS (SELECT account_id, seen_on FROM competitor_leads
               WHERE scenario = $scenario AND is_lead AND account_id IS NOT NULL),
    o AS (SELECT *, coalesce(is_closed, false) AS closed FROM opportunities),
    f AS (
        SELECT o.opportunity_id, min(l.seen_on) AS first_seen_on,
               min(l.seen_on) FILTER (l.seen_on >= o.created_on) AS first_seen_in_deal_on
        FROM o JOIN l ON l.account_id = o.account_id
        WHERE (o.closed AND l.seen_on < o.close_date) OR (NOT o.closed AND l.seen_on <= {end})
        GROUP BY o.opportunity_id
    )
    SELECT $scenario AS scenario, o.opportunity_id, o.account_id, o.amount,
           coalesce(o.is_won, false) AS is_won, o.closed AS is_closed, o.close_date,
           f.first_seen_on, date_diff('day', f.first_seen_on, o.close_date) AS head_start_days,
           f.first_seen_on IS NOT NULL AS exposed,
           f.first_seen_in_deal_on,
           date_diff('day', f.first_seen_in_deal_on, o.close_date) AS deal_head_start_days,
           f.first_seen_in_deal_on IS NOT NULL AS exposed_in_deal,
           ((o.closed AND o.close_date > {lo} AND o.close_date <= {end})
            OR (NOT o.closed AND coalesce(o.created_on, {end}) <= {end})) AS in_window
    FROM o LEFT JOIN f USING (opportunity_id)
    """


def _head_start_sql() -> str:
    return """
    WITH b AS (SELECT unnest($bucket_order) AS bucket_order, unnest($bucket_label) AS bucket,
                      unnest($bucket_lo) AS lo, unnest($bucket_hi) AS hi),
    e AS (SELECT head_start_days, amount FROM exposure_opportunities
          WHERE scenario = $scenario AND exposed AND in_window AND head_start_days IS NOT NULL)
    SELECT $scenario AS scenario, b.bucket_order, b.bucket,
           count(e.head_start_days) AS opportunities, coalesce(sum(e.amount), 0) AS value
    FROM b LEFT JOIN e ON e.head_start_days >= b.lo AND e.head_start_days < b.hi
    GROUP BY ALL ORDER BY b.bucket_order
    """


#: The per-tie score's parts, shared with :mod:`tieguard.alerts` so that an alert's risk
#: and the report's figures come from one formula (docs/competitor-model.md).
ACCOUNT_VALUE_SQL = (
    "SELECT account_id, sum(amount) FILTER (NOT coalesce(is_closed, false) OR coalesce(is_won, false))"
    " AS value FROM opportunities GROUP BY account_id"
)
SCORE_SQL = "round(100 * visibility * match_probability * buying_role_weight * value_weight * novelty, 3)"


def buying_role_weight_sql(alias: str) -> str:
    """1.0 for a decision maker or economic buyer, 0.7 for another buying role, else 0.2."""
    return (f"CAST(CASE WHEN {alias}.buying_roles LIKE '%decision_maker%' OR {alias}.buying_roles "
            f"LIKE '%economic_buyer%' THEN 1.0 WHEN {alias}.is_buying_role THEN 0.7 ELSE 0.2 END AS DOUBLE)")


def value_weight_sql(value: str, vmax: str) -> str:
    """0.1 + 0.9 ln(1 + v) / ln(1 + v_max): the account's open and won value, log-scaled."""
    return f"(0.1 + 0.9 * ln(1 + coalesce({value}, 0)) / ln(1 + {vmax}))"


def tie_scores_sql() -> str:
    """Per sighted tie into an account: the documented exposure score (0-100).

    score = 100 * visibility * match_probability * buying_role_weight * value_weight * novelty
    """
    return f"""
    WITH l AS (SELECT * FROM competitor_leads
               WHERE scenario = $scenario AND account_id IS NOT NULL),
    av AS ({ACCOUNT_VALUE_SQL}),
    mx AS (SELECT greatest(max(value), 1) AS vmax FROM av),
    polls AS (SELECT account_id, seen_on, count(*) AS n FROM l GROUP BY ALL),
    ranks AS (SELECT account_id, seen_on,
                     1 + sum(n) OVER (PARTITION BY account_id ORDER BY seen_on) - n AS rank
              FROM polls)
    SELECT l.tie_id, l.employee_id, l.account_id, l.seen_on, l.channel,
           CAST(1.0 AS DOUBLE) AS visibility,
           CAST(coalesce(l.match_probability, 0) AS DOUBLE) AS match_probability,
           {buying_role_weight_sql("l")} AS buying_role_weight,
           {value_weight_sql("av.value", "mx.vmax")} AS value_weight,
           1.0 / r.rank AS novelty
    FROM l LEFT JOIN av USING (account_id) CROSS JOIN mx
    JOIN ranks r ON r.account_id = l.account_id AND r.seen_on = l.seen_on
    """


def _tie_exposure_select() -> str:
    return f"""
    SELECT tie_id, employee_id, account_id, seen_on, channel,
           {SCORE_SQL} AS score,
           visibility, match_probability, buying_role_weight, value_weight, novelty
    FROM ({tie_scores_sql()})
    """


def _accounts_sql(scores: str) -> str:
    return f"""
    WITH ts AS (SELECT account_id, score FROM {scores}),
    l AS (SELECT account_id, count(*) AS ties_visible, count(*) FILTER (is_lead) AS leads,
                 min(seen_on) FILTER (is_lead) AS first_seen_on
          FROM competitor_leads WHERE scenario = $scenario AND account_id IS NOT NULL GROUP BY account_id),
    o AS (SELECT account_id, count(*) FILTER (exposed) AS exposed_opportunities,
                 coalesce(sum(amount) FILTER (exposed), 0) AS exposed_value,
                 count(*) AS opportunities, coalesce(sum(amount), 0) AS opportunities_value
          FROM exposure_opportunities WHERE scenario = $scenario AND in_window GROUP BY account_id),
    sc AS (SELECT account_id, 100 * (1 - exp(sum(ln(greatest(1 - score / 100.0, 1e-9))))) AS score
           FROM ts GROUP BY account_id)
    SELECT $scenario AS scenario, a.account_id, a.name AS account_name, a.country,
           coalesce(l.ties_visible, 0) AS ties_visible, coalesce(l.leads, 0) AS leads, l.first_seen_on,
           coalesce(o.exposed_opportunities, 0) AS exposed_opportunities,
           coalesce(o.exposed_value, 0) AS exposed_value,
           coalesce(o.opportunities, 0) AS opportunities,
           coalesce(o.opportunities_value, 0) AS opportunities_value,
           round(coalesce(sc.score, 0), 3) AS score
    FROM accounts a LEFT JOIN l USING (account_id) LEFT JOIN o USING (account_id)
    LEFT JOIN sc USING (account_id)
    WHERE l.account_id IS NOT NULL OR o.account_id IS NOT NULL
    """


def _monthly_sql() -> str:
    return """
    WITH l AS (SELECT date_trunc('month', seen_on) AS month, count(*) AS leads,
                      count(*) FILTER (is_first_tie_into_account) AS new_accounts_revealed
               FROM competitor_leads WHERE scenario = $scenario AND is_lead GROUP BY 1),
    o AS (SELECT date_trunc('month', close_date) AS month, count(*) AS opportunities,
                 count(*) FILTER (exposed) AS exposed_opportunities,
                 coalesce(sum(amount), 0) AS opportunities_value,
                 coalesce(sum(amount) FILTER (exposed), 0) AS exposed_value
          FROM exposure_opportunities WHERE scenario = $scenario AND is_closed AND close_date IS NOT NULL
          GROUP BY 1)
    SELECT $scenario AS scenario, CAST(coalesce(l.month, o.month) AS DATE) AS month,
           coalesce(l.leads, 0) AS leads, coalesce(l.new_accounts_revealed, 0) AS new_accounts_revealed,
           coalesce(o.opportunities, 0) AS opportunities,
           coalesce(o.exposed_opportunities, 0) AS exposed_opportunities,
           coalesce(o.opportunities_value, 0) AS opportunities_value,
           coalesce(o.exposed_value, 0) AS exposed_value
    FROM l FULL OUTER JOIN o USING (month)
    """


def _teams_sql() -> str:
    return """
    WITH l AS (SELECT c.*, coalesce(e.team, '(no team)') AS team FROM competitor_leads c
               LEFT JOIN employees e USING (employee_id) WHERE c.scenario = $scenario AND c.is_lead),
    eo AS (SELECT DISTINCT l.team, o.opportunity_id, o.amount
           FROM l JOIN exposure_opportunities o ON o.account_id = l.account_id AND o.scenario = $scenario
           WHERE o.in_window AND ((o.is_closed AND l.seen_on < o.close_date)
                                  OR (NOT o.is_closed AND l.seen_on <= $watch_end))),
    emp AS (SELECT coalesce(team, '(no team)') AS team, count(*) AS employees FROM employees GROUP BY 1),
    lt AS (SELECT team, count(*) AS leads FROM l GROUP BY team),
    ot AS (SELECT team, count(*) AS exposed_opportunities, coalesce(sum(amount), 0) AS exposed_value
           FROM eo GROUP BY team)
    SELECT $scenario AS scenario, emp.team, emp.employees, coalesce(lt.leads, 0) AS leads,
           coalesce(ot.exposed_opportunities, 0) AS exposed_opportunities,
           coalesce(ot.exposed_value, 0) AS exposed_value
    FROM emp LEFT JOIN lt USING (team) LEFT JOIN ot USING (team)
    """


def _countries_sql() -> str:
    return """
    WITH o AS (SELECT coalesce(a.country, '??') AS country, count(*) AS opportunities,
                      count(*) FILTER (exposed) AS exposed_opportunities,
                      coalesce(sum(o.amount), 0) AS opportunities_value,
                      coalesce(sum(o.amount) FILTER (exposed), 0) AS exposed_value
               FROM exposure_opportunities o LEFT JOIN accounts a USING (account_id)
               WHERE o.scenario = $scenario AND o.in_window GROUP BY 1),
    l AS (SELECT coalesce(a.country, '??') AS country, count(*) AS leads
          FROM competitor_leads c LEFT JOIN accounts a USING (account_id)
          WHERE c.scenario = $scenario AND c.is_lead GROUP BY 1)
    SELECT $scenario AS scenario, country, coalesce(o.opportunities, 0) AS opportunities,
           coalesce(o.exposed_opportunities, 0) AS exposed_opportunities,
           coalesce(o.opportunities_value, 0) AS opportunities_value,
           coalesce(o.exposed_value, 0) AS exposed_value, coalesce(l.leads, 0) AS leads
    FROM o FULL OUTER JOIN l USING (country)
    """


def _headline_values(engine: Engine, scenario: str) -> dict[str, float]:
    o = engine.fetchone(
        "SELECT count(*), coalesce(sum(amount), 0), count(*) FILTER (exposed), "
        "coalesce(sum(amount) FILTER (exposed), 0), "
        "count(*) FILTER (is_won), count(*) FILTER (is_won AND exposed), "
        "coalesce(sum(amount) FILTER (is_won AND exposed), 0), "
        "median(head_start_days) FILTER (exposed), "
        "quantile_cont(head_start_days, 0.25) FILTER (exposed), "
        "quantile_cont(head_start_days, 0.75) FILTER (exposed), "
        "count(*) FILTER (exposed_in_deal), median(deal_head_start_days) FILTER (exposed_in_deal) "
        "FROM exposure_opportunities WHERE scenario = ? AND in_window",
        [scenario],
    ) or (0,) * 12
    n, value, exp_n, exp_v, won, won_exp, won_exp_v, hs_med, hs25, hs75, deal_n, deal_hs = o
    lrow = engine.fetchone(
        "SELECT count(*) FILTER (is_lead), "
        "count(*) FILTER (is_lead AND (is_pipeline OR is_customer_contact)), "
        "count(DISTINCT account_id) FILTER (is_lead), count(*) "
        "FROM competitor_leads WHERE scenario = ?",
        [scenario],
    ) or (0, 0, 0, 0)
    leads, true_leads, revealed, sightings = lrow
    return {
        "pipeline_exposure": (exp_n / n) if n else 0.0,
        "pipeline_exposure_value": float(exp_v),
        "pipeline_exposure_value_share": (float(exp_v) / float(value)) if value else 0.0,
        "opportunities": float(n),
        "opportunities_value": float(value),
        "exposed_opportunities": float(exp_n),
        "won_exposure": (won_exp / won) if won else 0.0,
        "won_exposure_value": float(won_exp_v),
        "head_start_days_median": float(hs_med) if hs_med is not None else 0.0,
        "head_start_days_p25": float(hs25) if hs25 is not None else 0.0,
        "head_start_days_p75": float(hs75) if hs75 is not None else 0.0,
        "deal_exposure": (deal_n / n) if n else 0.0,
        "deal_head_start_days_median": float(deal_hs) if deal_hs is not None else 0.0,
        "lead_precision": (true_leads / leads) if leads else 0.0,
        "leads": float(leads),
        "true_leads": float(true_leads),
        "accounts_revealed": float(revealed),
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
    """One plain sentence for the headline."""
    vantage = {"first_degree": "as a 1st-degree connection", "shared": "through shared connections",
               "stranger": "as a stranger"}[settings.watch.vantage]
    if not h["opportunities"]:
        return "No opportunities in the headline window; load the CRM export to measure exposure."
    return (
        f"A competitor looking every {settings.watch.cadence_days} days {vantage} would have seen "
        f"{h['pipeline_exposure']:.0%} of the {h['opportunities']:,} opportunities of the last "
        f"{settings.exposure.lookback_days} days and open ones (value {h['pipeline_exposure_value']:,.0f}) "
        f"a median {h['head_start_days_median']:.0f} days before they closed; "
        f"{h['lead_precision']:.0%} of its {h['leads']:,} leads were real pipeline or customer contacts."
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
        "bucket_order": list(range(len(HEAD_START_BUCKETS))),
        "bucket_label": [b[0] for b in HEAD_START_BUCKETS],
        "bucket_lo": [b[1] for b in HEAD_START_BUCKETS],
        "bucket_hi": [b[2] for b in HEAD_START_BUCKETS],
    }
    steps: list[tuple[str, str]] = [
        ("exposure_opportunities", _opportunities_sql()),
        ("exposure_head_start", _head_start_sql()),
        ("exposure_accounts", _accounts_sql("_tg_tie_scores")),
        ("exposure_monthly", _monthly_sql()),
        ("exposure_teams", _teams_sql()),
        ("exposure_countries", _countries_sql()),
    ]
    total = len(steps) + 2
    scores_sql = _tie_exposure_select()
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

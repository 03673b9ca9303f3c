"""The competitor model: what a competitor watching our staff's profiles sees, and when.

A competitor looks at the public profiles of the watched employees every
``cadence_days`` days from ``start`` (the poll grid). A tie made on day *t* is
seen at the first poll ``p >= t`` at which it is visible and not yet removed:

* **list channel**: the employee's connection list is visible at ``p`` (the
  privacy step function says ``connections`` at ``p``) and the viewer is a
  1st-degree connection of the employee (``vantage = first_degree``). Strangers
  never see connection lists on LinkedIn.
* **employment**: an employee's profile leaks only while they work here: a tie is seen at
  the earliest at the first poll on or after ``hired_on`` and never at or after ``left_on``
  (ties made before joining appear at the first poll after the hire date).
* **shared channel**: the competitor's rep is also connected to the person
  ("shared connection"); LinkedIn shows shared connections to a 1st-degree
  viewer whatever the setting (``vantage`` ``first_degree`` or ``shared``).

``Connected On`` is never visible: what the competitor knows is ``seen_on``.
Everything is one set-based SQL statement per output table; see
``docs/competitor-model.md`` for the rules and their sources.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .engine import Engine, ReadEngine
from .organisation import OWN_NAMES_SQL
from .settings import Settings

__all__ = [
    "Sources", "WatchWindow", "watch_window", "watch_params", "sightings_sql", "leads_sql", "run", "write_scenario_table", "bind", "SALES_ROLES",
]

log = logging.getLogger(__name__)

Progress = Any  # Callable[[str, int, int], None] | None

SALES_ROLES = ("inside_sales", "field_sales", "sales_management", "sales", "account_management")
_FAR_PAST = "DATE '1900-01-01'"
_FAR_FUTURE = "DATE '9999-12-31'"
#: Salts of the deterministic draws (SQL string constants).
_SALT_ACCOUNT, _SALT_SHARED, _SALT_CUSTOMER = "':acct'", "':shared'", "':competitor_customer'"
#: Constant SQL fragments holding string literals.
_MATCHED = ("(SELECT person_key, contact_id, account_id, match_probability FROM tie_matches "
            "WHERE status = 'matched')")
_VISIBLE = "'connections'"
_CHANNEL = ("CASE WHEN arg_min(ch, date_diff('day', DATE '1900-01-01', seen_on) * 2 + ch) = 0 "
            "THEN 'list' ELSE 'shared' END")
_IS_CUSTOMER = "lower(account_type) = 'customer'"
_NOT_OWN_OR_COMPETITOR = "coalesce(b.company_class NOT IN ('own', 'competitor'), true)"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def bind(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The named parameters (``$name``) ``sql`` uses, taken from ``values``.

    The driver refuses parameters a statement does not use, so each statement gets
    exactly its own; a name missing from ``values`` is a programming error (KeyError).
    """
    return {name: values[name] for name in dict.fromkeys(_PARAM.findall(sql))}


@dataclass(frozen=True)
class Sources:
    """Relation names the competitor model reads; a what-if swaps in transformed copies."""

    ties: str = "ties"
    privacy_settings: str = "privacy_settings"
    profiles: str = "profiles"
    #: relation of the employee_ids whose inputs a what-if changed (its adopters); every
    #: other employee's rows are the canonical ones. None: unknown (all may differ).
    changed: str | None = None
    people: str = "tie_people"
    roles: str = "person_roles"
    matches: str = "tie_matches"

    def matched(self) -> str:
        """The matched people's CRM contact and account (a subquery)."""
        return (f"(SELECT person_key, contact_id, account_id, match_probability FROM {self.matches}"
                " WHERE status = 'matched')")


@dataclass(frozen=True)
class WatchWindow:
    """The poll grid: first poll, last poll and cadence (shared by every scenario).

    SQL refers to them as the parameters ``$watch_start``, ``$watch_end`` and
    ``$cadence`` (see :meth:`params`).
    """

    start: dt.date
    end: dt.date
    cadence_days: int

    @staticmethod
    def first_poll_sql(expr: str) -> str:
        """SQL for the first poll on or after the date ``expr``."""
        diff = f"greatest(date_diff('day', $watch_start, {expr}), 0)"
        return f"($watch_start + CAST((({diff} + $cadence - 1) // $cadence) * $cadence AS INTEGER))"

    end_sql = "$watch_end"

    def params(self) -> dict[str, Any]:
        return {"watch_start": self.start, "watch_end": self.end, "cadence": self.cadence_days}


def _parse_date(value: str | None, option: str) -> dt.date | None:
    from .errors import ConfigError

    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(
            f"The setting watch.{option} = {value!r} is not an ISO date. Write it as YYYY-MM-DD."
        ) from exc


def watch_window(engine: ReadEngine, settings: Settings) -> WatchWindow:
    """The poll grid from settings, defaulting to the canonical timeline (never a scenario's)."""
    cfg = settings.watch
    row = engine.fetchone(
        "SELECT min(connected_on), max(connected_on) FROM ties WHERE connected_on IS NOT NULL"
    )
    first_tie, last_tie = (row or (None, None))
    last_close = engine.scalar(
        "SELECT max(close_date) FROM opportunities WHERE coalesce(is_closed, false)"
    )
    today = dt.date.today()
    start = _parse_date(cfg.start, "start") or first_tie or today
    end = _parse_date(cfg.end, "end")
    if end is None:
        candidates = [d for d in (last_tie, last_close) if d is not None]
        end = min(today, max(candidates)) if candidates else today
        end = max(end, start)
    return WatchWindow(start=start, end=end, cadence_days=cfg.cadence_days)


def write_scenario_table(engine: Engine, table: str, select_sql: str,
                         values: Mapping[str, Any], scenario: str) -> int:
    """Replace one scenario's rows of ``table`` with a query's (other scenarios stay)."""
    return engine.replace(table, select_sql, bind(select_sql, values),
                          where="scenario = ?", where_params=[scenario])


def _uniform(expr: str, salt: str) -> str:
    """Deterministic pseudo-random number in [0, 1) from ``expr``; ``salt`` is SQL text."""
    return f"((hash(CAST({expr} AS VARCHAR) || {salt}) % 1000003) / 1000003.0)"


def is_sales_sql(job_role: str) -> str:
    """Boolean SQL: is ``job_role`` (an SQL expression) a sales role (uses ``$sales_roles``)."""
    return f"(list_contains($sales_roles, lower({job_role})) OR lower({job_role}) LIKE '%sales%')"


def _watched_sql(settings: Settings, src: Sources) -> str:
    """Employees (per network) the competitor watches."""
    who = settings.watch.watched
    base = f"SELECT DISTINCT employee_id, network FROM {src.ties}"
    if who == "all":
        return base
    if who == "sales":
        return (
            f"SELECT w.* FROM ({base}) w JOIN employees e USING (employee_id) "
            f"WHERE {is_sales_sql('e.job_role')}"
        )
    # company_named: a missing profile row counts as naming the company (LinkedIn default).
    return (
        f"SELECT w.* FROM ({base}) w LEFT JOIN {src.profiles} p USING (employee_id, network) "
        "WHERE coalesce(p.shows_company, true)"
    )


def _shared_sql() -> str:
    """Boolean SQL over alias ``t`` (with ``account_id``): is the person a shared connection.

    The people in ``competitor_connections`` when it holds any; otherwise a deterministic
    share (``$shared_fraction``) of people, varying by account.
    """
    per_account = f"least(1.0, 2 * $shared_fraction * {_uniform('t.account_id', _SALT_ACCOUNT)})"
    rate = f"(CASE WHEN t.account_id IS NULL THEN $shared_fraction ELSE {per_account} END)"
    drawn = f"({_uniform('t.person_key', _SALT_SHARED)} < {rate})"
    return (
        "(CASE WHEN (SELECT count(*) FROM competitor_connections) > 0 "
        "THEN t.person_key IN (SELECT person_key FROM competitor_connections) "
        f"ELSE {drawn} END)"
    )


def watch_params(settings: Settings, window: WatchWindow, scenario: str) -> dict[str, Any]:
    """Every value the watch SQL binds."""
    cfg = settings.watch
    return {
        **window.params(), "scenario": scenario, "sales_roles": list(SALES_ROLES),
        "shared_fraction": float(cfg.shared_fraction),
        "exclude_cc": float(cfg.exclude_competitor_customers),
        "own_company": settings.own_company.strip().lower(),
    }


def _of_changed(column: str, src: Sources | None) -> str:
    """SQL condition: ``column`` is an employee of ``src.changed`` (TRUE without one)."""
    if src is None or src.changed is None:
        return "TRUE"
    return f"coalesce({column} IN (SELECT employee_id FROM {src.changed}), false)"


def sightings_sql(settings: Settings, src: Sources, only_changed: bool = False) -> str:
    """SELECT of ``competitor_sightings`` for one scenario (parameters: :func:`watch_params`);
    ``only_changed``: only the ties of ``src.changed``'s employees."""
    vantage = settings.watch.vantage
    poll_list = WatchWindow.first_poll_sql("greatest(t.visible_from, v.valid_from)")
    poll_shared = WatchWindow.first_poll_sql("t.visible_from")
    end = WatchWindow.end_sql
    list_on = "FALSE" if vantage != "first_degree" else "TRUE"
    shared_on = "FALSE" if vantage == "stranger" else _shared_sql()
    return f"""
    WITH watched AS ({_watched_sql(settings, src)}),
    t AS (
        SELECT t.tie_id, t.employee_id, t.network, t.person_key, t.connected_on,
               greatest(t.connected_on, coalesce(e.hired_on, t.connected_on)) AS visible_from,
               least(coalesce(t.removed_on, {_FAR_FUTURE}), coalesce(e.left_on, {_FAR_FUTURE}))
                   AS removed_on,
               m.account_id
        FROM {src.ties} t
        JOIN watched w USING (employee_id, network)
        LEFT JOIN employees e USING (employee_id)
        LEFT JOIN {src.matched()} m USING (person_key)
        WHERE NOT coalesce(t.is_hidden_member, false) AND t.person_key IS NOT NULL
          AND t.connected_on IS NOT NULL AND t.connected_on <= {end}
          AND {_of_changed('t.employee_id', src if only_changed else None)}
    ),
    ps AS (
        SELECT employee_id, network, valid_from, connections_visibility FROM {src.privacy_settings}
        UNION ALL
        SELECT DISTINCT w.employee_id, w.network, {_FAR_PAST}, {_VISIBLE} FROM watched w
        WHERE NOT EXISTS (SELECT 1 FROM {src.privacy_settings} p
                          WHERE p.employee_id = w.employee_id AND p.network = w.network
                            AND p.valid_from <= {_FAR_PAST})
    ),
    v AS (
        SELECT * FROM (
            SELECT employee_id, network, valid_from, connections_visibility,
                   coalesce(lead(valid_from) OVER (PARTITION BY employee_id, network
                                                   ORDER BY valid_from), {_FAR_FUTURE}) AS valid_to
            FROM ps)
        WHERE connections_visibility = {_VISIBLE} AND {list_on}
    ),
    cand AS (
        SELECT t.tie_id, t.employee_id, t.person_key, t.connected_on, {poll_list} AS seen_on, 0 AS ch
        FROM t JOIN v ON v.employee_id = t.employee_id AND v.network = t.network
                     AND v.valid_to > t.visible_from
        WHERE {poll_list} < v.valid_to AND {poll_list} <= {end} AND {poll_list} < t.removed_on
        UNION ALL
        SELECT t.tie_id, t.employee_id, t.person_key, t.connected_on, {poll_shared} AS seen_on, 1 AS ch
        FROM t
        WHERE {shared_on} AND {poll_shared} <= {end} AND {poll_shared} < t.removed_on
    )
    SELECT $scenario AS scenario, tie_id, any_value(employee_id) AS employee_id,
           any_value(person_key) AS person_key, any_value(connected_on) AS connected_on,
           min(seen_on) AS seen_on,
           {_CHANNEL} AS channel
    FROM cand GROUP BY tie_id
    """


_OWN_NAMES_SQL = OWN_NAMES_SQL


def _lead_rule_sql(settings: Settings) -> str:
    """Boolean SQL over alias ``b``: is a sighting a competitor lead."""
    intl = (
        "(b.person_country IS NOT NULL AND b.employee_country IS NOT NULL "
        "AND upper(b.person_country) <> upper(b.employee_country))"
        if settings.watch.international_only else "TRUE"
    )
    cc_key = "coalesce(b.account_id, lower(trim(b.company)), b.person_key)"
    not_cc = f"{_uniform(cc_key, _SALT_CUSTOMER)} >= $exclude_cc"
    return f"""({_NOT_OWN_OR_COMPETITOR}
            AND coalesce(lower(trim(b.company)) NOT IN (SELECT name FROM own WHERE name IS NOT NULL), true)
            AND coalesce(lower(trim(b.company)) NOT IN (SELECT name FROM comp WHERE name IS NOT NULL), true)
            AND b.is_buying_role AND {intl} AND {not_cc})"""


def leads_sql(settings: Settings, sightings: str = "competitor_sightings",
              copy_unchanged: Sources | None = None, src: Sources | None = None) -> str:
    """SELECT of ``competitor_leads``: every sighting, the lead rule and the ground truth.

    ``sightings`` names the relation of sightings (a scratch table for a personal simulation).
    ``copy_unchanged``: the leads of employees outside its ``changed`` are the baseline's
    (only whether a tie is the first into its account is decided anew, over all sightings).
    ``src``: the people tables to read (default: the warehouse's; a personal simulation
    passes small copies of its employee's people).
    """
    src = src or Sources()
    changed = _of_changed("s.employee_id", copy_unchanged)
    first_of = "b" if copy_unchanged is None else f"""(SELECT s.tie_id, s.seen_on, m.account_id
        FROM s SEMI JOIN tie_people USING (person_key) LEFT JOIN {_MATCHED} m USING (person_key))"""
    copied = "" if copy_unchanged is None else f"""
    UNION ALL BY NAME
    SELECT l.* REPLACE ($scenario AS scenario,
                        first_tie.tie_id IS NOT NULL AS is_first_tie_into_account)
    FROM competitor_leads l LEFT JOIN first_tie USING (tie_id)
    WHERE l.scenario = 'baseline' AND NOT {_of_changed('l.employee_id', copy_unchanged)}"""
    return f"""
    WITH s AS (SELECT * FROM {sightings} WHERE scenario = $scenario),
    own AS ({_OWN_NAMES_SQL}),
    comp AS (SELECT lower(trim(name)) AS name FROM competitors),
    b AS (
        SELECT s.scenario, s.seen_on, s.tie_id, s.employee_id, s.person_key, s.channel,
               m.account_id, m.contact_id, m.match_probability, p.company, p.position,
               r.seniority, r.function, r.buying_roles, coalesce(r.is_buying_role, false) AS is_buying_role,
               p.company_class, p.country AS person_country, e.country AS employee_country
        FROM s JOIN {src.people} p USING (person_key)
        LEFT JOIN {src.roles} r USING (person_key)
        LEFT JOIN {src.matched()} m USING (person_key)
        LEFT JOIN employees e USING (employee_id)
        WHERE {changed}
    ),
    opp AS (
        SELECT cr.contact_id, o.opportunity_id, o.close_date, coalesce(o.is_closed, false) AS is_closed
        FROM contact_roles cr JOIN opportunities o USING (opportunity_id)
    ),
    pipe AS (
        SELECT b.tie_id, arg_min(opp.opportunity_id, coalesce(opp.close_date, {_FAR_FUTURE})) AS opportunity_id
        FROM b JOIN opp ON opp.contact_id = b.contact_id
                       AND (NOT opp.is_closed OR opp.close_date >= b.seen_on)
        GROUP BY b.tie_id
    ),
    first_day AS (SELECT account_id, min(seen_on) AS seen_on FROM {first_of}
                  WHERE account_id IS NOT NULL GROUP BY account_id),
    first_tie AS (SELECT min(a.tie_id) AS tie_id FROM {first_of} a
                  JOIN first_day f USING (account_id, seen_on) GROUP BY a.account_id),
    cust AS (
        SELECT account_id, min(since) AS since FROM (
            SELECT account_id, {_FAR_PAST} AS since FROM accounts WHERE {_IS_CUSTOMER}
            UNION ALL
            SELECT account_id, close_date FROM opportunities WHERE coalesce(is_won, false))
        GROUP BY account_id
    )
    SELECT b.scenario, b.seen_on, b.tie_id, b.employee_id, b.person_key, b.account_id, b.contact_id,
           b.company, b.position, b.seniority, b.function, b.buying_roles, b.channel,
           b.match_probability, b.is_buying_role,
           {_lead_rule_sql(settings)} AS is_lead,
           pipe.opportunity_id IS NOT NULL AS is_pipeline,
           (b.contact_id IS NOT NULL AND cust.since IS NOT NULL AND cust.since <= b.seen_on)
               AS is_customer_contact,
           pipe.opportunity_id,
           first_tie.tie_id IS NOT NULL AS is_first_tie_into_account
    FROM b LEFT JOIN pipe USING (tie_id) LEFT JOIN cust ON cust.account_id = b.account_id
    LEFT JOIN first_tie ON first_tie.tie_id = b.tie_id{copied}
    """


def run(
    engine: Engine,
    settings: Settings,
    on_progress: Progress = None,
    scenario: str = "baseline",
    sources: Sources | None = None,
    reuse_baseline: bool = False,
) -> dict[str, Any]:
    """Simulate the competitor; write ``competitor_sightings`` and ``competitor_leads``.

    ``reuse_baseline``: only the ties of ``sources.changed``'s employees are simulated; the
    other employees' sightings and leads are the stored baseline's, which must have been
    computed from the same inputs and settings (what-ifs check this first)."""
    src = sources or Sources()
    window = watch_window(engine, settings)
    if on_progress:
        on_progress("watch: sightings", 0, 2)
    values = watch_params(settings, window, scenario)
    seen = sightings_sql(settings, src, only_changed=reuse_baseline)
    if reuse_baseline and src.changed is not None:
        seen = f"""SELECT * FROM ({seen}) UNION ALL BY NAME
            SELECT * REPLACE ($scenario AS scenario) FROM competitor_sightings
            WHERE scenario = 'baseline' AND NOT {_of_changed('employee_id', src)}"""
    write_scenario_table(engine, "competitor_sightings", seen, values, scenario)
    if on_progress:
        on_progress("watch: sightings", 1, 2)
    leads = leads_sql(settings, copy_unchanged=src if reuse_baseline else None)
    write_scenario_table(engine, "competitor_leads", leads, values, scenario)
    if on_progress:
        on_progress("watch: sightings", 2, 2)
    row = engine.fetchone(
        "SELECT count(*), count(*) FILTER (channel = 'shared'), count(*) FILTER (is_lead), "
        "count(*) FILTER (is_lead AND (is_pipeline OR is_customer_contact)) "
        "FROM competitor_leads WHERE scenario = ?",
        [scenario],
    ) or (0, 0, 0, 0)
    summary = {
        "scenario": scenario,
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
        "cadence_days": window.cadence_days,
        "sightings": int(row[0]),
        "shared_sightings": int(row[1]),
        "leads": int(row[2]),
        "true_leads": int(row[3]),
    }
    log.info("watch %s: %s", scenario, summary)
    return summary

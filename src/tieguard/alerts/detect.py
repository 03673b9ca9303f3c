"""Detection: the connections that are new in an employee's newer export, judged.

One set-based statement finds the export pairs (an export and the employee's export
before it) not yet checked, the ties that first appeared in the newer one, and judges
each tie the way the competitor model would (``docs/alerts.md``):

* **visible?** the employee is watched (``watch.watched``), and at the export date the
  connection list is visible to a 1st-degree viewer (privacy step function) or the
  person is a shared connection (the watch stage's rule, reused from :mod:`tieguard.watch`);
* **what it reveals**: an open opportunity at the account, the person's place on an
  open deal's buying committee (``contact_roles``), a prospect account, a target-list
  account;
* **risk** = the exposure score of ``docs/competitor-model.md`` (its SQL parts come from
  :mod:`tieguard.exposure`, so an alert and the report agree);
* **not news** (kept as suppressed rows): colleagues and competitors, an account the
  competitor saw before, a long-standing customer, no visibility, a score below
  ``alerts.min_score``.

People who match no CRM account are never stored here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..engine import Engine
from ..exposure_breakdowns import (
    ACCOUNT_VALUE_SQL,
    SCORE_SQL,
    buying_role_weight_sql,
    value_weight_sql,
)
from ..organisation import OWN_NAMES_SQL
from ..settings import Settings
from ..watch import (
    Sources,
    WatchWindow,
    _shared_sql,
    _watched_sql,
    bind,
    watch_params,
    watch_window,
)

__all__ = ["candidates_sql", "detection_params", "CANDIDATES"]

#: The scratch table holding the judged new ties of one detection run.
CANDIDATES = "_tg_alert_candidates"
#: The scratch table of export pairs checked by one run.
SNAPSHOTS = "_tg_alert_snaps"

_FAR_PAST = "DATE '1900-01-01'"
_FAR_FUTURE = "DATE '9999-12-31'"
# SQL fragments holding string literals (constants, never values), kept out of the f-strings.
_OWN_AND_COMPETITORS = f"""own AS ({OWN_NAMES_SQL}),
    comp AS (SELECT lower(trim(name)) AS name FROM competitors)"""
_MATCHED = "(SELECT * FROM tm WHERE status = 'matched')"
_CRM_ROLES = "string_agg(DISTINCT cr.buying_role, '|')"
_CUSTOMERS = f"""cust AS (
        SELECT account_id, min(since) AS since FROM (
            SELECT account_id, {_FAR_PAST} AS since FROM accounts WHERE lower(account_type) = 'customer'
            UNION ALL
            SELECT account_id, close_date FROM opportunities WHERE coalesce(is_won, false))
        GROUP BY account_id)"""
_IS_PROSPECT = "lower(coalesce(a.account_type, '')) = 'prospect'"
_LIST_SETTING_VISIBLE = "coalesce(ps.visibility, 'connections') = 'connections'"
_COLLEAGUE_OR_COMPETITOR = """(coalesce(t.company_class IN ('own', 'competitor'), false)
                OR coalesce(lower(trim(t.company)) IN (SELECT name FROM own WHERE name IS NOT NULL), false)
                OR coalesce(lower(trim(t.company)) IN (SELECT name FROM comp WHERE name IS NOT NULL), false))"""
_CHANNEL = """CASE WHEN NOT watched THEN 'hidden' WHEN list_visible THEN 'list'
                    WHEN shared_visible THEN 'shared' ELSE 'hidden' END"""
_REASONS = """concat_ws('|', CASE WHEN in_committee THEN 'buying_committee' END,
                         CASE WHEN has_open THEN 'open_opportunity' END,
                         CASE WHEN is_prospect AND NOT has_open THEN 'pipeline_account' END,
                         CASE WHEN is_target THEN 'target_account' END)"""
_REVEALS = "reasons <> ''"
_ALERT_ID = "md5('alert|' || r.tie_id)"
_HEAD_START = "date_diff('day', r.competitor_sees_on, o.close_date)"
_CONTACT_NAME = "trim(concat_ws(' ', ct.first_name, ct.last_name))"
_OPEN_ON = ("(coalesce(o.created_on, {far_past}) <= {d} AND "
            "(NOT coalesce(o.is_closed, false) OR o.close_date > {d}))")

_SNAPSHOTS_SQL = """
WITH s AS (
    SELECT import_id, employee_id, network, exported_on,
           lag(import_id) OVER w AS previous_import_id,
           max(exported_on) OVER (PARTITION BY employee_id, network) AS newest_on
    FROM snapshots WINDOW w AS (PARTITION BY employee_id, network ORDER BY exported_on, import_id)),
checked AS (SELECT employee_id, max(exported_on) AS checked_on FROM alert_snapshots GROUP BY ALL)
SELECT s.import_id, s.employee_id, s.network, s.exported_on, s.previous_import_id
FROM s LEFT JOIN checked c USING (employee_id)
WHERE s.previous_import_id IS NOT NULL
  AND s.import_id NOT IN (SELECT import_id FROM alert_snapshots)
  AND s.exported_on >= coalesce(c.checked_on, s.newest_on)
  AND (CAST($employees AS VARCHAR[]) IS NULL OR list_contains($employees, s.employee_id))
  AND (CAST($since AS DATE) IS NULL OR s.exported_on >= $since)
"""


def snapshots_sql() -> str:
    """Export pairs to check: unchecked newer exports; on the first run only the newest.

    An employee never checked before has only their newest export judged, so that
    turning alerts on does not raise the whole history.
    """
    return _SNAPSHOTS_SQL


def _open(alias_date: str) -> str:
    return _OPEN_ON.format(far_past=_FAR_PAST, d=alias_date)


def candidates_sql(settings: Settings) -> str:
    """SELECT of the judged new ties (parameters: :func:`detection_params`)."""
    vantage = settings.watch.vantage
    list_on = "TRUE" if vantage == "first_degree" else "FALSE"
    shared_on = "FALSE" if vantage == "stranger" else _shared_sql()
    poll_t = WatchWindow.first_poll_sql("t.connected_on")
    poll_j = WatchWindow.first_poll_sql("j.connected_on")
    return f"""
    WITH watched AS ({_watched_sql(settings, Sources())}),
    {_OWN_AND_COMPETITORS},
    n AS (
        SELECT t.tie_id, t.employee_id, t.network, t.person_key, s.import_id, s.previous_import_id,
               s.exported_on AS raised_on, coalesce(t.connected_on, s.exported_on) AS connected_on
        FROM ties t JOIN {SNAPSHOTS} s ON t.first_import_id = s.import_id
        LEFT JOIN employees e ON e.employee_id = t.employee_id
        WHERE NOT t.is_hidden_member AND t.person_key IS NOT NULL
          AND (e.hired_on IS NULL OR coalesce(t.connected_on, s.exported_on) >= e.hired_on)
          AND (e.left_on IS NULL OR s.exported_on < e.left_on)),
    tm AS (SELECT * FROM tie_matches WHERE person_key IN (SELECT person_key FROM n)),
    fresh AS (SELECT * FROM tie_people WHERE person_key IN (SELECT person_key FROM n)
                                         AND person_key NOT IN (SELECT person_key FROM tm)),
    by_id AS (
        SELECT person_key, min(contact_id) AS contact_id, min(account_id) AS account_id FROM (
            SELECT p.person_key, c.contact_id, c.account_id
            FROM fresh p JOIN contacts c ON lower(c.profile_url) = lower(p.profile_url)
            UNION
            SELECT p.person_key, c.contact_id, c.account_id
            FROM fresh p JOIN contacts c ON lower(c.email) = lower(p.email))
        GROUP BY person_key HAVING count(DISTINCT contact_id) = 1),
    by_name AS (
        SELECT p.person_key, min(a.account_id) AS account_id
        FROM fresh p JOIN accounts a ON lower(trim(a.name)) = lower(trim(p.company))
        GROUP BY p.person_key HAVING count(*) = 1),
    t AS (
        SELECT n.*, p.company, p.company_class,
               CASE WHEN tm.person_key IS NOT NULL THEN tm.contact_id ELSE i.contact_id END AS contact_id,
               CASE WHEN tm.person_key IS NOT NULL THEN tm.account_id
                    ELSE coalesce(i.account_id, nm.account_id) END AS account_id,
               CASE WHEN tm.person_key IS NOT NULL THEN tm.match_probability
                    WHEN i.contact_id IS NOT NULL THEN 1.0
                    ELSE $name_match_probability END AS match_probability
        FROM n JOIN tie_people p USING (person_key)
        LEFT JOIN {_MATCHED} tm USING (person_key)
        LEFT JOIN by_id i USING (person_key) LEFT JOIN by_name nm USING (person_key)
        WHERE tm.person_key IS NOT NULL OR i.person_key IS NOT NULL OR nm.person_key IS NOT NULL),
    ps AS (
        SELECT t.tie_id, arg_max(v.connections_visibility, v.valid_from) AS visibility
        FROM t JOIN privacy_settings v ON v.employee_id = t.employee_id AND v.network = t.network
                                      AND v.valid_from <= t.raised_on
        GROUP BY t.tie_id),
    committee AS (
        SELECT t.tie_id, arg_max(o.opportunity_id, coalesce(o.amount, 0)) AS opportunity_id,
               arg_max(cr.role, coalesce(o.amount, 0)) AS contact_role,
               {_CRM_ROLES} AS crm_buying_roles
        FROM t JOIN contact_roles cr ON cr.contact_id = t.contact_id
        JOIN opportunities o ON o.opportunity_id = cr.opportunity_id
        WHERE {_open('t.raised_on')}
        GROUP BY t.tie_id),
    open_opp AS (
        SELECT t.tie_id, arg_max(o.opportunity_id, coalesce(o.amount, 0)) AS opportunity_id
        FROM t JOIN opportunities o ON o.account_id = t.account_id
        WHERE {_open('t.raised_on')}
        GROUP BY t.tie_id),
    seen_before AS (
        SELECT t.tie_id, min(l.seen_on) AS first_seen_on
        FROM t JOIN competitor_leads l ON l.scenario = $scenario AND l.account_id = t.account_id
                                     AND l.tie_id <> t.tie_id
        WHERE l.seen_on < {poll_t}
        GROUP BY t.tie_id),
    {_CUSTOMERS},
    av AS ({ACCOUNT_VALUE_SQL}),
    mx AS (SELECT greatest(max(value), 1) AS vmax FROM av),
    j AS (
        SELECT t.*, a.name AS account_name, a.account_type,
               coalesce(r.buying_roles, c.crm_buying_roles) AS buying_roles,
               coalesce(r.is_buying_role, c.crm_buying_roles IS NOT NULL) AS is_buying_role,
               coalesce(c.opportunity_id, oo.opportunity_id) AS opportunity_id, c.contact_role,
               c.opportunity_id IS NOT NULL AS in_committee, oo.opportunity_id IS NOT NULL AS has_open,
               {_IS_PROSPECT} AS is_prospect,
               t.account_id IN (SELECT account_id FROM alert_targets) AS is_target,
               w.employee_id IS NOT NULL AS watched,
               ({list_on} AND {_LIST_SETTING_VISIBLE}) AS list_visible,
               ({shared_on}) AS shared_visible,
               sb.first_seen_on IS NOT NULL AS account_seen,
               cust.since IS NOT NULL AND cust.since <= t.raised_on - to_years(CAST($customer_years AS INTEGER))
                   AS old_customer,
               {_COLLEAGUE_OR_COMPETITOR} AS colleague_or_competitor,
               {value_weight_sql("av.value", "mx.vmax")} AS value_weight
        FROM t LEFT JOIN accounts a USING (account_id)
        LEFT JOIN person_roles r USING (person_key)
        LEFT JOIN committee c USING (tie_id) LEFT JOIN open_opp oo USING (tie_id)
        LEFT JOIN ps USING (tie_id) LEFT JOIN seen_before sb USING (tie_id)
        LEFT JOIN cust USING (account_id) LEFT JOIN av USING (account_id) CROSS JOIN mx
        LEFT JOIN watched w ON w.employee_id = t.employee_id AND w.network = t.network),
    k AS (
        SELECT j.*,
               {_CHANNEL} AS channel,
               CAST(CASE WHEN watched AND (list_visible OR shared_visible) THEN 1.0 ELSE 0.0 END AS DOUBLE)
                   AS visibility,
               {buying_role_weight_sql("j")} AS buying_role_weight,
               {_REASONS} AS reasons,
               {poll_j} AS competitor_sees_on
        FROM j),
    polls AS (SELECT account_id, competitor_sees_on, count(*) FILTER (visibility > 0) AS n
              FROM k WHERE {_REVEALS} GROUP BY ALL),
    earlier AS (SELECT account_id, competitor_sees_on,
                       sum(n) OVER (PARTITION BY account_id ORDER BY competitor_sees_on) - n AS before
                FROM polls),
    ranked AS (
        SELECT k.*, 1.0 / (1 + e.before) AS novelty
        FROM k JOIN earlier e USING (account_id, competitor_sees_on) WHERE {_REVEALS})
    SELECT {_ALERT_ID} AS alert_id,
           r.* REPLACE (CAST(coalesce(r.match_probability, 0) AS DOUBLE) AS match_probability),
           o.name AS opportunity_name, o.stage AS opportunity_stage, o.amount AS opportunity_amount,
           o.close_date AS expected_close,
           {_HEAD_START} AS head_start_days, {_CONTACT_NAME} AS contact_name
    FROM ranked r LEFT JOIN opportunities o USING (opportunity_id)
    LEFT JOIN contacts ct ON ct.contact_id = r.contact_id
    """


def scored_sql() -> str:
    """The candidates with the exposure score and the reason they are not news, if any."""
    return f"""
    SELECT *, {SCORE_SQL} AS risk_score FROM {CANDIDATES}
    """


def suppression_sql() -> str:
    """SQL over a scored candidate: why it is not news (NULL: raise it)."""
    return """CASE WHEN colleague_or_competitor THEN 'colleague or competitor'
                WHEN visibility = 0 THEN 'not visible to a watcher (list hidden, no shared connection)'
                WHEN account_seen THEN 'account already visible to the competitor'
                WHEN old_customer AND NOT in_committee THEN 'long-standing customer'
                WHEN risk_score < $min_score THEN 'risk score below alerts.min_score'
           END"""


def detection_params(engine: Engine, settings: Settings, *, employees: list[str] | None = None,
                     since: dt.date | None = None) -> dict[str, Any]:
    """Every value the detection SQL binds."""
    window = watch_window(engine, settings)
    return {
        **watch_params(settings, window, "baseline"),
        "employees": employees, "since": since,
        "customer_years": int(settings.alerts.customer_years),
        "min_score": float(settings.alerts.min_score),
        "name_match_probability": float(settings.resolve.match_threshold),
    }


__all__ += ["snapshots_sql", "scored_sql", "suppression_sql", "bind", "SNAPSHOTS"]

"""Buying-committee coverage per account, account value, and coverage over time."""

from __future__ import annotations

from ..engine import Engine
from .common import ROLE_POSITION, CapitalParams, bind, team_labels_sql
from .strength import resolved_ties_sql

__all__ = ["build_coverage", "build_accounts", "build_monthly"]


def _listed_accounts_sql() -> str:
    """Accounts the registry lists: customers, prospects, and any account we reach."""
    return """
        SELECT account_id, name AS account_name, account_type FROM accounts
        WHERE lower(coalesce(account_type, '')) IN ('customer', 'prospect')
           OR account_id IN (SELECT account_id FROM relationship_strength)
    """


def build_coverage(engine: Engine, p: CapitalParams) -> None:
    """``capital_coverage``: one row per listed account and buying role (teams k-anonymous)."""
    sql = f"""
        WITH acc AS ({_listed_accounts_sql()}),
        roles AS (SELECT unnest($buying_roles) AS buying_role),
        held AS (
            SELECT r.*, cr.buying_role, cr.role_source
            FROM relationship_strength r JOIN capital_contact_roles cr USING (contact_id)
        ), team_counts AS (
            SELECT account_id, buying_role, team, count(DISTINCT employee_id) AS n
            FROM held GROUP BY ALL
        ), teams AS ({team_labels_sql('team_counts', 'account_id, buying_role')}),
        reach AS (
            SELECT h.account_id, h.buying_role,
                   count(DISTINCT h.contact_id) AS contacts,
                   count(DISTINCT h.employee_id) AS employees,
                   any_value(t.teams) AS teams,
                   min(h.connected_on) AS since, max(h.strength) AS strength,
                   min(h.role_source) FILTER (WHERE h.role_source = 'crm') IS NOT NULL AS from_crm
            FROM held h LEFT JOIN teams t USING (account_id, buying_role)
            GROUP BY h.account_id, h.buying_role
        )
        SELECT a.account_id, a.account_name, ro.buying_role,
               rc.account_id IS NOT NULL AS reached,
               coalesce(rc.contacts, 0) AS contacts, coalesce(rc.employees, 0) AS employees,
               rc.teams, rc.since, coalesce(rc.strength, 0.0) AS strength,
               coalesce(rc.from_crm, false) AS from_crm
        FROM acc a CROSS JOIN roles ro
        LEFT JOIN reach rc ON rc.account_id = a.account_id AND rc.buying_role = ro.buying_role
    """
    engine.replace("capital_coverage", sql, bind(sql, p))


def build_accounts(engine: Engine, p: CapitalParams) -> None:
    """``capital_accounts``: value, reach and the committee reached per listed account."""
    sql = f"""
        WITH acc AS ({_listed_accounts_sql()}),
        val AS (
            SELECT account_id,
                   sum(amount) FILTER (WHERE NOT coalesce(is_closed, false)) AS pipeline_value,
                   sum(amount) FILTER (WHERE coalesce(is_won, false)
                        AND close_date > $as_of - to_years(CAST($value_years AS INTEGER))
                        AND close_date <= $as_of) AS won_value
            FROM opportunities GROUP BY account_id
        ), held AS (
            SELECT account_id, count(DISTINCT contact_id) AS contacts_reached,
                   count(DISTINCT employee_id) AS employees, min(connected_on) AS since,
                   max(strength) AS strength
            FROM relationship_strength GROUP BY account_id
        ), team_counts AS (
            SELECT account_id, team, count(DISTINCT employee_id) AS n
            FROM relationship_strength GROUP BY ALL
        ), teams AS ({team_labels_sql('team_counts', 'account_id')}
        ), committee AS (
            SELECT account_id,
                   list(buying_role ORDER BY {ROLE_POSITION})
                       FILTER (WHERE reached) AS roles_reached,
                   list(buying_role ORDER BY {ROLE_POSITION})
                       FILTER (WHERE NOT reached) AS roles_missing
            FROM capital_coverage GROUP BY account_id
        )
        SELECT a.account_id, a.account_name, a.account_type,
               coalesce(v.pipeline_value, 0.0) AS pipeline_value,
               coalesce(v.won_value, 0.0) AS won_value,
               coalesce(v.pipeline_value, 0.0) + coalesce(v.won_value, 0.0) AS value,
               coalesce(h.contacts_reached, 0) AS contacts_reached,
               coalesce(h.employees, 0) AS employees, t.teams, h.since,
               coalesce(h.strength, 0.0) AS strength,
               coalesce(c.roles_reached, []) AS roles_reached,
               coalesce(c.roles_missing, $buying_roles) AS roles_missing
        FROM acc a
        LEFT JOIN val v USING (account_id) LEFT JOIN held h USING (account_id)
        LEFT JOIN teams t USING (account_id) LEFT JOIN committee c USING (account_id)
    """
    engine.replace("capital_accounts", sql, bind(sql, p))


def _transitions_sql(spans: str, key: str) -> str:
    """Dates a key becomes covered (+1) or uncovered (-1), from spans with ``key``."""
    return f"""
        WITH ev AS (
            SELECT {key}, start_on AS d, 1 AS delta FROM {spans}
            UNION ALL
            SELECT {key}, end_on, -1 FROM {spans} WHERE end_on IS NOT NULL
        ), run AS (
            SELECT d, delta, sum(delta) OVER (PARTITION BY {key} ORDER BY d, delta DESC
                                                 ROWS UNBOUNDED PRECEDING) AS active
            FROM ev
        )
        SELECT d, CASE WHEN active > 0 THEN 1 ELSE -1 END AS delta FROM run
        WHERE d <= $as_of AND ((delta = 1 AND active = 1) OR (delta = -1 AND active = 0))
    """


def build_monthly(engine: Engine, p: CapitalParams) -> None:
    """``capital_monthly(month, accounts_covered, roles_covered, ties)``.

    Counts at each month's end: accounts with at least one buying-role
    relationship, (account, buying role) pairs covered, and ties to resolved
    contacts held, over the history of ties and departures.
    """
    spans = f"""
        SELECT employee_id, contact_id, account_id, start_on,
               CASE WHEN end_on < start_on THEN start_on ELSE end_on END AS end_on
        FROM ({resolved_ties_sql()}) r WHERE start_on IS NOT NULL
    """
    engine.scratch("_capital_spans", spans, bind(spans, p))
    engine.scratch("_capital_role_spans", """
        SELECT s.*, cr.buying_role FROM _capital_spans s JOIN capital_contact_roles cr USING (contact_id)
        WHERE s.account_id IS NOT NULL
    """)
    sql = f"""
        WITH acc_ev AS ({_transitions_sql('_capital_role_spans', 'account_id')}),
        role_ev AS ({_transitions_sql('_capital_role_spans', "account_id, buying_role")}),
        rel_ev AS (
            SELECT start_on AS d, 1 AS delta FROM _capital_spans WHERE start_on <= $as_of
            UNION ALL
            SELECT end_on, -1 FROM _capital_spans WHERE end_on <= $as_of
        ),
        bounds AS (SELECT date_trunc('month', min(start_on)) AS first_month FROM _capital_spans),
        months AS (
            SELECT CAST(range AS DATE) AS month
            FROM bounds, range(bounds.first_month,
                               date_trunc('month', $as_of) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
        ), acc_m AS (
            SELECT date_trunc('month', d) AS month, sum(delta) AS n FROM acc_ev GROUP BY 1
        ), role_m AS (
            SELECT date_trunc('month', d) AS month, sum(delta) AS n FROM role_ev GROUP BY 1
        ), rel_m AS (
            SELECT date_trunc('month', d) AS month, sum(delta) AS n FROM rel_ev GROUP BY 1
        ), per AS (
            SELECT m.month, coalesce(a.n, 0) AS acc_d, coalesce(r.n, 0) AS role_d,
                   coalesce(l.n, 0) AS rel_d
            FROM months m LEFT JOIN acc_m a USING (month) LEFT JOIN role_m r USING (month)
            LEFT JOIN rel_m l USING (month)
        )
        SELECT month,
               CAST(sum(acc_d) OVER w AS BIGINT) AS accounts_covered,
               CAST(sum(role_d) OVER w AS BIGINT) AS roles_covered,
               CAST(sum(rel_d) OVER w AS BIGINT) AS ties
        FROM per WINDOW w AS (ORDER BY month ROWS UNBOUNDED PRECEDING)
    """
    try:
        engine.replace("capital_monthly", sql, bind(sql, p))
    finally:
        engine.drop_scratch("_capital_role_spans", "_capital_spans")

"""The exposure stage's breakdowns: per-tie scores, accounts, months, teams, countries.

Each function returns a SELECT over one scenario (parameter ``$scenario``) of
``competitor_leads``/``competitor_sightings`` and ``exposure_opportunities``;
:func:`tieguard.exposure.measure` writes them with ``engine.replace``.
"""

from __future__ import annotations

__all__ = ["tie_scores_sql", "tie_exposure_select", "accounts_sql", "monthly_sql", "teams_sql",
           "countries_sql", "ACCOUNT_VALUE_SQL", "SCORE_SQL", "buying_role_weight_sql",
           "value_weight_sql"]


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


def tie_exposure_select() -> str:
    return f"""
    SELECT tie_id, employee_id, account_id, seen_on, channel,
           {SCORE_SQL} AS score,
           visibility, match_probability, buying_role_weight, value_weight, novelty
    FROM ({tie_scores_sql()})
    """


def accounts_sql(scores: str) -> str:
    return f"""
    WITH ts AS (SELECT account_id, score FROM {scores}),
    l AS (SELECT account_id, count(*) AS ties_visible, count(*) FILTER (is_lead) AS leads,
                 min(seen_on) FILTER (is_lead) AS first_seen_on
          FROM competitor_leads WHERE scenario = $scenario AND account_id IS NOT NULL GROUP BY account_id),
    o AS (SELECT account_id, count(*) FILTER (revealed) AS revealed_opportunities,
                 coalesce(sum(amount) FILTER (revealed), 0) AS revealed_value,
                 count(*) AS opportunities, coalesce(sum(amount), 0) AS opportunities_value
          FROM exposure_opportunities WHERE scenario = $scenario AND in_window GROUP BY account_id),
    sc AS (SELECT account_id, 100 * (1 - exp(sum(ln(greatest(1 - score / 100.0, 1e-9))))) AS score
           FROM ts GROUP BY account_id)
    SELECT $scenario AS scenario, a.account_id, a.name AS account_name, a.country,
           coalesce(l.ties_visible, 0) AS ties_visible, coalesce(l.leads, 0) AS leads, l.first_seen_on,
           coalesce(o.revealed_opportunities, 0) AS revealed_opportunities,
           coalesce(o.revealed_value, 0) AS revealed_value,
           coalesce(o.opportunities, 0) AS opportunities,
           coalesce(o.opportunities_value, 0) AS opportunities_value,
           round(coalesce(sc.score, 0), 3) AS score
    FROM accounts a LEFT JOIN l USING (account_id) LEFT JOIN o USING (account_id)
    LEFT JOIN sc USING (account_id)
    WHERE l.account_id IS NOT NULL OR o.account_id IS NOT NULL
    """


def monthly_sql() -> str:
    return """
    WITH l AS (SELECT date_trunc('month', seen_on) AS month, count(*) AS leads,
                      count(*) FILTER (is_first_tie_into_account) AS new_accounts_revealed
               FROM competitor_leads WHERE scenario = $scenario AND is_lead GROUP BY 1),
    o AS (SELECT date_trunc('month', close_date) AS month, count(*) AS opportunities,
                 count(*) FILTER (revealed) AS revealed_opportunities,
                 coalesce(sum(amount), 0) AS opportunities_value,
                 coalesce(sum(amount) FILTER (revealed), 0) AS revealed_value
          FROM exposure_opportunities WHERE scenario = $scenario AND is_closed AND close_date IS NOT NULL
          GROUP BY 1)
    SELECT $scenario AS scenario, CAST(coalesce(l.month, o.month) AS DATE) AS month,
           coalesce(l.leads, 0) AS leads, coalesce(l.new_accounts_revealed, 0) AS new_accounts_revealed,
           coalesce(o.opportunities, 0) AS opportunities,
           coalesce(o.revealed_opportunities, 0) AS revealed_opportunities,
           coalesce(o.opportunities_value, 0) AS opportunities_value,
           coalesce(o.revealed_value, 0) AS revealed_value
    FROM l FULL OUTER JOIN o USING (month)
    """


def teams_sql() -> str:
    return """
    WITH l AS (SELECT c.*, coalesce(e.team, '(no team)') AS team FROM competitor_leads c
               LEFT JOIN employees e USING (employee_id) WHERE c.scenario = $scenario AND c.is_lead),
    eo AS (SELECT DISTINCT l.team, o.opportunity_id, o.amount
           FROM l JOIN competitor_sightings s ON s.scenario = l.scenario AND s.tie_id = l.tie_id
           JOIN exposure_opportunities o ON o.account_id = l.account_id AND o.scenario = $scenario
           WHERE o.in_window AND o.revealed AND l.seen_on = o.revealed_on
             AND s.connected_on >= o.window_from),
    emp AS (SELECT coalesce(team, '(no team)') AS team, count(*) AS employees FROM employees GROUP BY 1),
    lt AS (SELECT team, count(*) AS leads FROM l GROUP BY team),
    ot AS (SELECT team, count(*) AS revealed_opportunities, coalesce(sum(amount), 0) AS revealed_value
           FROM eo GROUP BY team)
    SELECT $scenario AS scenario, emp.team, emp.employees, coalesce(lt.leads, 0) AS leads,
           coalesce(ot.revealed_opportunities, 0) AS revealed_opportunities,
           coalesce(ot.revealed_value, 0) AS revealed_value
    FROM emp LEFT JOIN lt USING (team) LEFT JOIN ot USING (team)
    """


def countries_sql() -> str:
    return """
    WITH o AS (SELECT coalesce(a.country, '??') AS country, count(*) AS opportunities,
                      count(*) FILTER (revealed) AS revealed_opportunities,
                      coalesce(sum(o.amount), 0) AS opportunities_value,
                      coalesce(sum(o.amount) FILTER (revealed), 0) AS revealed_value
               FROM exposure_opportunities o LEFT JOIN accounts a USING (account_id)
               WHERE o.scenario = $scenario AND o.in_window GROUP BY 1),
    l AS (SELECT coalesce(a.country, '??') AS country, count(*) AS leads
          FROM competitor_leads c LEFT JOIN accounts a USING (account_id)
          WHERE c.scenario = $scenario AND c.is_lead GROUP BY 1)
    SELECT $scenario AS scenario, country, coalesce(o.opportunities, 0) AS opportunities,
           coalesce(o.revealed_opportunities, 0) AS revealed_opportunities,
           coalesce(o.opportunities_value, 0) AS opportunities_value,
           coalesce(o.revealed_value, 0) AS revealed_value, coalesce(l.leads, 0) AS leads
    FROM o FULL OUTER JOIN l USING (country)
    """

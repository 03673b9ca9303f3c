"""Key-person risk per account, and what one employee's departure would cost."""

from __future__ import annotations

from typing import Any

from ..engine import Engine
from ..labels import BUYING_ROLES
from .common import ROLE_POSITION, CapitalParams, bind, team_labels_sql

__all__ = ["build_risk", "departure_report"]


def build_risk(engine: Engine, p: CapitalParams) -> None:
    """``capital_risk``: accounts with reached key-role contacts and how many hang on one person.

    ``at_risk`` is true when every key-role contact reached at the account is held
    by the same single employee. ``risk_score`` = value x share of key contacts
    held by exactly one employee (docs/capital.md).
    """
    sql = f"""
        WITH key_contacts AS (
            SELECT DISTINCT contact_id FROM capital_contact_roles
            WHERE list_contains($key_roles, buying_role)
        ), held AS (
            SELECT r.account_id, r.contact_id, r.employee_id, r.team
            FROM relationship_strength r JOIN key_contacts k USING (contact_id)
            WHERE r.account_id IS NOT NULL
        ), per_contact AS (
            SELECT account_id, contact_id, count(DISTINCT employee_id) AS holders
            FROM held GROUP BY ALL
        ), per_account AS (
            SELECT account_id, count(*) AS key_contacts,
                   count(*) FILTER (WHERE holders = 1) AS single_holder_contacts
            FROM per_contact GROUP BY account_id
        ), team_counts AS (
            SELECT account_id, team, count(DISTINCT employee_id) AS n FROM held GROUP BY ALL
        ), labels AS ({team_labels_sql('team_counts', 'account_id')}
        ), holders AS (
            SELECT c.account_id, sum(c.n) AS key_holders, any_value(l.teams) AS holder_team
            FROM team_counts c JOIN labels l USING (account_id) GROUP BY c.account_id
        )
        SELECT a.account_id, a.account_name, a.account_type, a.pipeline_value, a.won_value,
               a.value, pa.key_contacts, pa.single_holder_contacts,
               CAST(h.key_holders AS BIGINT) AS key_holders, h.holder_team,
               h.key_holders = 1 AS at_risk,
               round(a.value * pa.single_holder_contacts / pa.key_contacts, 2) AS risk_score
        FROM per_account pa
        JOIN capital_accounts a USING (account_id)
        JOIN holders h USING (account_id)
    """
    engine.replace("capital_risk", sql, bind(sql, p))


def departure_report(engine: Engine, employee_id: str) -> dict[str, Any]:
    """Accounts (and value) that would lose every tie, or roles, if ``employee_id`` left."""
    lost = engine.fetch_records(
        f"""
        WITH acc AS (
            SELECT account_id, count(DISTINCT employee_id) AS holders,
                   bool_or(employee_id = $employee) AS held_by_x,
                   count(DISTINCT contact_id) FILTER (WHERE employee_id = $employee) AS contacts
            FROM relationship_strength
            WHERE account_id IN (SELECT account_id FROM relationship_strength
                                 WHERE employee_id = $employee)
            GROUP BY account_id
        ), x_roles AS (
            SELECT r.account_id, cr.buying_role,
                   bool_or(r.employee_id <> $employee) AS kept
            FROM relationship_strength r JOIN capital_contact_roles cr USING (contact_id)
            WHERE r.account_id IN (SELECT account_id FROM acc WHERE held_by_x)
            GROUP BY ALL
        ), roles_lost AS (
            SELECT account_id, list(buying_role ORDER BY {ROLE_POSITION})
                   AS roles_lost
            FROM x_roles WHERE NOT kept GROUP BY account_id
        )
        SELECT acc.account_id, a.account_name, a.account_type, a.pipeline_value, a.won_value,
               a.value, acc.contacts AS contacts_held, acc.holders = 1 AS loses_every_tie,
               coalesce(rl.roles_lost, []) AS roles_lost
        FROM acc JOIN capital_accounts a USING (account_id)
        LEFT JOIN roles_lost rl USING (account_id)
        WHERE acc.held_by_x AND (acc.holders = 1 OR rl.roles_lost IS NOT NULL)
        ORDER BY loses_every_tie DESC, a.value DESC, acc.account_id
        """,
        {"employee": employee_id, "buying_roles": list(BUYING_ROLES)},
    )
    cut_off = [r for r in lost if r["loses_every_tie"]]
    weakened = [r for r in lost if not r["loses_every_tie"]]
    for row in lost:
        row.pop("loses_every_tie")
    return {
        "employee_id": employee_id,
        "accounts_lost": len(cut_off),
        "value_lost": round(sum(r["value"] for r in cut_off), 2),
        "pipeline_lost": round(sum(r["pipeline_value"] for r in cut_off), 2),
        "won_value_lost": round(sum(r["won_value"] for r in cut_off), 2),
        "lost": cut_off,
        "accounts_weakened": len(weakened),
        "weakened": weakened,
    }

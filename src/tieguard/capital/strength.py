"""Relationship strength and the buying roles of contacts.

``relationship_strength`` holds one row per (employee, CRM contact) the
organisation reaches through a current tie of a current employee, resolved to
the CRM (``tie_matches.status = 'matched'``) and not marked private. Strength is
a weighted sum of evidence (``STRENGTH_WEIGHTS``), decayed by the time since the
latest evidence with half-life ``capital.half_life_days`` (docs/capital.md).
"""

from __future__ import annotations

from ..engine import Engine
from .common import STRENGTH_WEIGHTS as W
from .common import UNDATED_DECAY, CapitalParams, bind

__all__ = ["build_contact_roles", "build_relationship_strength", "resolved_ties_sql"]


def build_contact_roles(engine: Engine) -> None:
    """``capital_contact_roles(contact_id, buying_role, role_source)``.

    Sources in rank order: CRM opportunity contact roles (``crm``), roles inferred
    from the CRM title (``crm_title``), roles inferred from the profile position
    (``profile_title``). A contact takes its roles from the best source it has.
    """
    sql = """
        WITH crm AS (
            SELECT contact_id, buying_role, 1 AS rank, 'crm' AS role_source
            FROM contact_roles WHERE buying_role IS NOT NULL
        ), title AS (
            SELECT contact_id, trim(unnest(string_split(buying_roles, '|'))) AS buying_role,
                   2 AS rank, 'crm_title' AS role_source
            FROM contact_title_roles t WHERE coalesce(buying_roles, '') <> ''
        ), profile AS (
            SELECT m.contact_id, trim(unnest(string_split(p.buying_roles, '|'))) AS buying_role,
                   3 AS rank, 'profile_title' AS role_source
            FROM person_roles p JOIN tie_matches m USING (person_key)
            WHERE m.status = 'matched' AND m.contact_id IS NOT NULL
              AND coalesce(p.buying_roles, '') <> ''
        ), candidates AS (
            SELECT * FROM crm UNION ALL SELECT * FROM title UNION ALL SELECT * FROM profile
        )
        SELECT DISTINCT contact_id, buying_role, role_source
        FROM candidates
        WHERE list_contains($buying_roles, buying_role)
        QUALIFY rank = min(rank) OVER (PARTITION BY contact_id)
    """
    engine.replace("capital_contact_roles", sql, bind(sql))


def resolved_ties_sql() -> str:
    """Ties to resolved CRM contacts, not marked private, with their validity span.

    Columns: employee_id, team, left_on, person_key, contact_id, account_id,
    match_probability, start_on, end_on (the earlier of tie removal and departure).
    Binds ``$as_of``.
    """
    return """
        SELECT t.employee_id, coalesce(e.team, 'unassigned') AS team, e.left_on,
               t.person_key, m.contact_id,
               coalesce(m.account_id, c.account_id) AS account_id, m.match_probability,
               coalesce(t.connected_on, t.last_seen_on) AS start_on,
               least(t.removed_on, e.left_on) AS end_on
        FROM ties t
        JOIN tie_matches m ON m.person_key = t.person_key
        JOIN employees e ON e.employee_id = t.employee_id
        LEFT JOIN contacts c ON c.contact_id = m.contact_id
        WHERE m.status = 'matched' AND m.contact_id IS NOT NULL
          AND NOT coalesce(t.is_hidden_member, false)
          AND NOT EXISTS (SELECT 1 FROM private_marks pm
                          WHERE pm.employee_id = t.employee_id AND pm.contact_id = m.contact_id)
          AND coalesce(t.connected_on, t.last_seen_on, $as_of) <= $as_of
    """


def _evidence_ctes() -> str:
    return """
        links AS (SELECT * FROM _capital_links), rel AS (
            SELECT employee_id, contact_id, any_value(team) AS team,
                   arg_max(account_id, match_probability) AS account_id,
                   min(start_on) AS connected_on, max(match_probability) AS match_probability,
                   count(*) AS ties
            FROM links GROUP BY employee_id, contact_id
        ), inv AS (
            SELECT employee_id, lower(direction) AS direction, coalesce(has_message, false) AS msg,
                   CAST(sent_at AS DATE) AS sent_on,
                   nullif(rtrim(lower(counterpart_url), '/'), '') AS url,
                   lower(trim(counterpart_name)) AS name
            FROM invitations
        ), tp AS (
            SELECT person_key, nullif(rtrim(lower(profile_url), '/'), '') AS url,
                   lower(trim(concat_ws(' ', first_name, last_name))) AS name
            FROM tie_people
            WHERE person_key IN (SELECT person_key FROM links)
        ), inv_people AS (
            SELECT i.*, tp.person_key FROM inv i JOIN tp ON tp.url = i.url
            UNION ALL
            SELECT i.*, tp.person_key FROM inv i JOIN tp ON tp.name = i.name
            WHERE i.url IS NULL OR tp.url IS NULL
        ), inv_matched AS (
            SELECT l.employee_id, l.contact_id, ip.direction, ip.msg, ip.sent_on
            FROM inv_people ip
            JOIN links l ON l.employee_id = ip.employee_id AND l.person_key = ip.person_key
        ), invites AS (
            SELECT employee_id, contact_id,
                   bool_or(direction = 'outgoing') AS by_employee,
                   bool_or(direction = 'incoming') AS by_contact,
                   bool_or(msg) AS with_message, max(sent_on) AS invited_on
            FROM inv_matched GROUP BY ALL
        ), opp AS (
            SELECT opportunity_id, account_id, owner_employee_id AS employee_id,
                   coalesce(is_won, false) AS won,
                   CASE WHEN coalesce(is_closed, false)
                        THEN least(coalesce(close_date, created_on), $as_of)
                        ELSE $as_of END AS active_on
            FROM opportunities
            WHERE owner_employee_id IS NOT NULL
              AND coalesce(created_on, close_date, $as_of) <= $as_of
        ), owned AS (
            SELECT employee_id, account_id, count(*) AS n_owned, max(active_on) AS owned_on
            FROM opp GROUP BY ALL
        ), with_contact AS (
            SELECT o.employee_id, cr.contact_id, count(DISTINCT o.opportunity_id) AS n_with,
                   count(DISTINCT o.opportunity_id) FILTER (WHERE o.won) AS n_won,
                   max(o.active_on) AS with_on
            FROM opp o JOIN contact_roles cr USING (opportunity_id) GROUP BY ALL
        )"""


def build_relationship_strength(engine: Engine, p: CapitalParams) -> None:
    """Rebuild ``relationship_strength`` (set-based, one statement)."""
    links = f"SELECT * FROM ({resolved_ties_sql()}) r WHERE r.end_on IS NULL OR r.end_on > $as_of"
    engine.scratch("_capital_links", links, bind(links, p))
    sql = f"""
        WITH {_evidence_ctes()},
        facts AS (
            SELECT r.*, coalesce(i.by_employee, false) AS by_employee,
                   coalesce(i.by_contact, false) AND NOT coalesce(i.by_employee, false) AS by_contact,
                   coalesce(i.with_message, false) AS with_message, i.invited_on,
                   coalesce(c.owner_employee_id = r.employee_id, false) AS crm_owner,
                   coalesce(o.n_owned, 0) AS n_owned, coalesce(w.n_with, 0) AS n_with,
                   coalesce(w.n_won, 0) AS n_won,
                   greatest(r.connected_on, i.invited_on, o.owned_on, w.with_on) AS last_evidence_on
            FROM rel r
            LEFT JOIN invites i USING (employee_id, contact_id)
            LEFT JOIN contacts c ON c.contact_id = r.contact_id
            LEFT JOIN owned o ON o.employee_id = r.employee_id AND o.account_id = r.account_id
            LEFT JOIN with_contact w ON w.employee_id = r.employee_id AND w.contact_id = r.contact_id
        ), scored AS (
            SELECT *, CAST(
                {W['connection']}
                + CASE WHEN by_employee THEN {W['initiated_by_employee']}
                       WHEN by_contact THEN {W['initiated_by_contact']} ELSE 0 END
                + CASE WHEN with_message THEN {W['invitation_message']} ELSE 0 END
                + CASE WHEN crm_owner THEN {W['crm_owner']} ELSE 0 END
                + CASE WHEN n_owned > 0 THEN {W['owns_account_opportunity']} ELSE 0 END
                + CASE WHEN n_with > 0 THEN {W['opportunity_with_contact']} ELSE 0 END
                + CASE WHEN n_won > 0 THEN {W['won_with_contact']} ELSE 0 END AS DOUBLE)
                AS raw_strength,
                CASE WHEN last_evidence_on IS NULL THEN {UNDATED_DECAY}
                     ELSE pow(0.5, greatest(date_diff('day', last_evidence_on, $as_of), 0)
                                   / $half_life_days) END AS decay
            FROM facts
        )
        SELECT employee_id, team, contact_id, account_id, connected_on, last_evidence_on,
               round(raw_strength, 4) AS raw_strength, round(decay, 4) AS decay,
               round(raw_strength * decay, 4) AS strength,
               to_json({{
                   'connected_on': connected_on,
                   'age_days': date_diff('day', connected_on, $as_of),
                   'initiated_by': CASE WHEN by_employee THEN 'employee'
                                        WHEN by_contact THEN 'contact' ELSE 'unknown' END,
                   'invitation_message': with_message,
                   'crm_owner': crm_owner,
                   'opportunities_owned_at_account': n_owned,
                   'opportunities_with_contact': n_with,
                   'won_with_contact': n_won,
                   'last_evidence_on': last_evidence_on,
                   'days_since_evidence': date_diff('day', last_evidence_on, $as_of),
                   'raw_strength': round(raw_strength, 4),
                   'decay': round(decay, 4),
                   'ties': ties,
                   'match_probability': match_probability
               }})::VARCHAR AS evidence
        FROM scored
    """
    try:
        engine.replace("relationship_strength", sql, bind(sql, p))
    finally:
        engine.drop_scratch("_capital_links")

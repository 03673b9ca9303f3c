"""Policies as transformations of the timeline, in SQL, into scratch (temporary) tables.

Canonical tables are never modified: each step reads the current
:class:`~tieguard.watch.Sources` and writes a transformed copy into a temporary
table, returning the new Sources. Every transformation only hides, delays or
removes; none can make a tie visible earlier, so no policy can increase exposure.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from typing import Any

from ..engine import ReadEngine
from ..watch import SALES_ROLES, Sources, bind, is_sales_sql
from .model import (
    ActOnAlerts,
    BlockSocialAtWork,
    CompanyOffProfile,
    ConnectAfterClose,
    Group,
    HideLists,
    Training,
)

__all__ = ["apply_policy", "adopters_sql", "policy_params", "drop_scratch"]

_FAR_PAST = "DATE '1900-01-01'"
_FAR_FUTURE = "DATE '9999-12-31'"
_counter = itertools.count()


def _group_sql(group: Group) -> str:
    conds = ["TRUE"]
    if group.sales:
        conds.append(is_sales_sql("e.job_role"))
    if group.teams:
        conds.append("list_contains($group_teams, lower(e.team))")
    if group.job_roles:
        conds.append("list_contains($group_job_roles, lower(e.job_role))")
    if group.countries:
        conds.append("list_contains($group_countries, lower(e.country))")
    if group.employees:
        conds.append("list_contains($group_employees, w.employee_id)")
    return " AND ".join(conds)


def policy_params(policy: Any) -> dict[str, Any]:
    """Every value a policy's SQL binds (named parameters)."""
    group: Group = policy.group
    values: dict[str, Any] = {
        "salt": ":" + policy.name, "adoption": float(policy.adoption),
        "sales_roles": list(SALES_ROLES),
        "group_teams": [v.lower() for v in group.teams],
        "group_job_roles": [v.lower() for v in group.job_roles],
        "group_countries": [v.lower() for v in group.countries],
        "group_employees": list(group.employees),
        "from_date": policy.from_date or dt.date(1900, 1, 1),
    }
    if isinstance(policy, ConnectAfterClose) and policy.after_stage:
        values["after_stage"] = policy.after_stage.lower()
    if isinstance(policy, ActOnAlerts):
        values["within_days"] = int(policy.within_days)
    if isinstance(policy, BlockSocialAtWork):
        values |= {"at_work_share": 1 - policy.fraction_elsewhere,
                   "abandoned_share": float(policy.abandoned_share),
                   "delay_days": int(policy.delay_days)}
    return values


def adopters_sql(policy: Any, src: Sources) -> str:
    """SELECT employee_id of the deterministic adopting subset (hash of id vs adoption rate)."""
    uniform = "((hash(w.employee_id || $salt) % 1000003) / 1000003.0)"
    return (
        f"SELECT w.employee_id FROM (SELECT DISTINCT employee_id FROM {src.ties}) w "
        f"LEFT JOIN employees e USING (employee_id) "
        f"WHERE {_group_sql(policy.group)} AND {uniform} < $adoption"
    )


def _scratch(engine: ReadEngine, select_sql: str, policy: Any) -> str:
    name = f"_tg_whatif_{next(_counter)}"
    return engine.scratch(name, select_sql, bind(select_sql, policy_params(policy)))


def hide_lists(engine: ReadEngine, policy: Any, src: Sources, adopters: str) -> Sources:
    """Adopters' privacy step function becomes ``only_me`` from ``from_date`` on."""
    start = "$from_date"
    sql = f"""
    SELECT employee_id, network, valid_from, connections_visibility FROM {src.privacy_settings}
    WHERE NOT (employee_id IN (SELECT employee_id FROM {adopters}) AND valid_from >= {start})
    UNION ALL
    SELECT DISTINCT employee_id, network, {start} AS valid_from, 'only_me' AS connections_visibility
    FROM {src.ties} WHERE employee_id IN (SELECT employee_id FROM {adopters})
    """
    return replace(src, privacy_settings=_scratch(engine, sql, policy))


def _release_sql(policy: Any) -> str:
    """Per opportunity: the date from which adopters connect with its people."""
    closed = "coalesce(o.is_closed, false)"
    if policy.kind == "connect_after_close" and policy.after_stage:
        stage = """(SELECT min(changed_on) FROM opportunity_stages s
                     WHERE s.opportunity_id = o.opportunity_id
                       AND lower(s.stage) = $after_stage)"""
        return f"coalesce({stage}, CASE WHEN {closed} THEN o.close_date ELSE {_FAR_FUTURE} END)"
    return f"CASE WHEN {closed} THEN coalesce(o.close_date, {_FAR_FUTURE}) ELSE {_FAR_FUTURE} END"


def connect_after_close(engine: ReadEngine, policy: Any, src: Sources, adopters: str) -> Sources:
    """Adopters' ties into an account with a deal open at ``connected_on`` move to its release date.

    A tie whose new date falls on or after its removal (or that waits for a deal still
    open) is never made: it drops out of the scenario's timeline.
    """
    contact_filter = (
        "AND EXISTS (SELECT 1 FROM contact_roles cr WHERE cr.opportunity_id = o.opportunity_id "
        "AND cr.contact_id = m.contact_id)" if policy.scope == "contacts" else ""
    )
    sql = f"""
    WITH m AS {src.matched()},
    hit AS (
        SELECT t.tie_id, max({_release_sql(policy)}) AS release_on
        FROM {src.ties} t JOIN m USING (person_key) JOIN opportunities o ON o.account_id = m.account_id
        WHERE t.employee_id IN (SELECT employee_id FROM {adopters}) AND t.connected_on >= $from_date
          AND coalesce(o.created_on, {_FAR_PAST}) <= t.connected_on
          AND (NOT coalesce(o.is_closed, false) OR o.close_date > t.connected_on) {contact_filter}
        GROUP BY t.tie_id)
    SELECT t.* REPLACE (greatest(t.connected_on, coalesce(hit.release_on, t.connected_on)) AS connected_on)
    FROM {src.ties} t LEFT JOIN hit USING (tie_id)
    WHERE hit.release_on IS NULL OR hit.release_on < coalesce(t.removed_on, {_FAR_FUTURE})
    """
    return replace(src, ties=_scratch(engine, sql, policy))


def company_off_profile(engine: ReadEngine, policy: Any, src: Sources, adopters: str) -> Sources:
    """Adopters' public profiles no longer name our company."""
    sql = f"""
    SELECT employee_id, network, profile_url,
           CASE WHEN employee_id IN (SELECT employee_id FROM {adopters}) THEN false
                ELSE shows_company END AS shows_company
    FROM {src.profiles}
    UNION ALL
    SELECT DISTINCT t.employee_id, t.network, NULL AS profile_url, false AS shows_company
    FROM {src.ties} t
    WHERE t.employee_id IN (SELECT employee_id FROM {adopters})
      AND NOT EXISTS (SELECT 1 FROM {src.profiles} p
                      WHERE p.employee_id = t.employee_id AND p.network = t.network)
    """
    return replace(src, profiles=_scratch(engine, sql, policy))


def block_social_at_work(engine: ReadEngine, policy: Any, src: Sources, adopters: str) -> Sources:
    """A share (1 - fraction_elsewhere) of adopters' new ties moves ``delay_days`` later; some are never made."""
    at_work = "((hash(t.tie_id || ':work') % 1000003) / 1000003.0) < $at_work_share"
    abandon = "((hash(t.tie_id || ':abandon') % 1000003) / 1000003.0) < $abandoned_share"
    affected = (
        f"(t.employee_id IN (SELECT employee_id FROM {adopters}) "
        f"AND t.connected_on >= $from_date AND {at_work})"
    )
    sql = f"""
    SELECT t.* REPLACE (CASE WHEN {affected} THEN t.connected_on + CAST($delay_days AS INTEGER)
                             ELSE t.connected_on END AS connected_on)
    FROM {src.ties} t
    WHERE NOT ({affected} AND t.connected_on IS NOT NULL AND (
        {abandon} OR t.connected_on + CAST($delay_days AS INTEGER) >= coalesce(t.removed_on, {_FAR_FUTURE})))
    """
    return replace(src, ties=_scratch(engine, sql, policy))


_ONLY_ME = "'only_me'"


def act_on_alerts(engine: ReadEngine, policy: Any, src: Sources, adopters: str) -> Sources:
    """Adopters hide their list ``within_days`` after their first alerted connection.

    An alerted connection is one into an account with a deal open on the day it was
    made (what ``tieguard alerts`` raises as an open opportunity or buying committee).
    """
    sql = f"""
    WITH m AS {src.matched()},
    alerted AS (
        SELECT t.employee_id, t.network,
               min(t.connected_on) + CAST($within_days AS INTEGER) AS hide_from
        FROM {src.ties} t JOIN m USING (person_key) JOIN opportunities o ON o.account_id = m.account_id
        WHERE t.employee_id IN (SELECT employee_id FROM {adopters}) AND t.connected_on >= $from_date
          AND coalesce(o.created_on, {_FAR_PAST}) <= t.connected_on
          AND (NOT coalesce(o.is_closed, false) OR o.close_date > t.connected_on)
        GROUP BY ALL)
    SELECT p.employee_id, p.network, p.valid_from, p.connections_visibility
    FROM {src.privacy_settings} p
    WHERE NOT EXISTS (SELECT 1 FROM alerted a WHERE a.employee_id = p.employee_id
                        AND a.network = p.network AND p.valid_from >= a.hide_from)
    UNION ALL
    SELECT employee_id, network, hide_from AS valid_from, {_ONLY_ME} AS connections_visibility
    FROM alerted
    """
    return replace(src, privacy_settings=_scratch(engine, sql, policy))


_BEHAVIOURS = {
    "hide_lists": hide_lists,
    "connect_after_close": connect_after_close,
    "company_off_profile": company_off_profile,
}


def apply_policy(engine: ReadEngine, policy: Any, src: Sources | None = None) -> tuple[Sources, int]:
    """Build the scenario inputs of ``policy``; return them (with its adopters as
    ``changed``) and the number of adopters."""
    src = src or Sources()
    adopters = _scratch(engine, adopters_sql(policy, src), policy)
    n_adopters = int(engine.scalar(f"SELECT count(*) FROM {adopters}") or 0)
    if isinstance(policy, HideLists):
        out = hide_lists(engine, policy, src, adopters)
    elif isinstance(policy, ConnectAfterClose):
        out = connect_after_close(engine, policy, src, adopters)
    elif isinstance(policy, CompanyOffProfile):
        out = company_off_profile(engine, policy, src, adopters)
    elif isinstance(policy, BlockSocialAtWork):
        out = block_social_at_work(engine, policy, src, adopters)
    elif isinstance(policy, ActOnAlerts):
        out = act_on_alerts(engine, policy, src, adopters)
    elif isinstance(policy, Training):
        out = src
        for behaviour in policy.behaviours:
            out = _BEHAVIOURS[behaviour](engine, policy, out, adopters)
    else:  # pragma: no cover - the model's union is exhaustive
        raise TypeError(f"unknown policy kind {policy!r}")
    # every transformation above changes only the adopters' rows: the other employees'
    # sightings are the baseline's (tests/watch/test_whatif_reuse.py checks it per kind)
    return replace(out, changed=adopters), n_adopters


def drop_scratch(engine: ReadEngine, src: Sources) -> None:
    """Drop the scratch tables of a scenario (its inputs and its adopters)."""
    for name in (src.ties, src.privacy_settings, src.profiles, src.changed or ""):
        if name.startswith("_tg_whatif_"):
            engine.drop_scratch(name)

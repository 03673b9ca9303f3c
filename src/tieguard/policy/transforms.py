"""Policies as transformations of the timeline, in SQL, into scratch (temporary) tables.

Canonical tables are never modified: each step reads the current
:class:`~tieguard.watch.Sources` and writes a transformed copy into a temporary
table, returning the new Sources. Every transformation only hides, delays or
removes; none can make a tie visible earlier, so no policy can increase exposure.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from ..engine import Engine
from ..watch import SALES_ROLES, Sources
from .model import (
    BlockSocialAtWork,
    CompanyOffProfile,
    ConnectAfterClose,
    Group,
    HideLists,
    Training,
)

__all__ = ["apply_policy", "adopters_sql", "drop_scratch"]

_FAR_PAST = "DATE '1900-01-01'"
_FAR_FUTURE = "DATE '9999-12-31'"
_counter = itertools.count()


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in_list(expr: str, values: list[str]) -> str:
    return f"lower({expr}) IN ({', '.join(_lit(v.lower()) for v in values)})"


def _group_sql(group: Group) -> str:
    conds = ["TRUE"]
    if group.sales:
        roles = ", ".join(_lit(r) for r in SALES_ROLES)
        conds.append(f"(lower(e.job_role) IN ({roles}) OR lower(e.job_role) LIKE '%sales%')")
    if group.teams:
        conds.append(_in_list("e.team", group.teams))
    if group.job_roles:
        conds.append(_in_list("e.job_role", group.job_roles))
    if group.countries:
        conds.append(_in_list("e.country", group.countries))
    if group.employees:
        conds.append(f"w.employee_id IN ({', '.join(_lit(x) for x in group.employees)})")
    return " AND ".join(conds)


def adopters_sql(policy: Any, src: Sources) -> str:
    """SELECT employee_id of the deterministic adopting subset (hash of id vs adoption rate)."""
    salt = _lit(":" + policy.name)
    uniform = f"((hash(w.employee_id || {salt}) % 1000003) / 1000003.0)"
    return (
        f"SELECT w.employee_id FROM (SELECT DISTINCT employee_id FROM {src.ties}) w "
        f"LEFT JOIN employees e USING (employee_id) "
        f"WHERE {_group_sql(policy.group)} AND {uniform} < {float(policy.adoption)}"
    )


def _from(policy: Any) -> str:
    return f"DATE '{policy.from_date.isoformat()}'" if policy.from_date else _FAR_PAST


def _scratch(engine: Engine, select_sql: str) -> str:
    name = f"_tg_whatif_{next(_counter)}"
    engine.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select_sql}")
    return name


def hide_lists(engine: Engine, policy: Any, src: Sources, adopters: str) -> Sources:
    """Adopters' privacy step function becomes ``only_me`` from ``from_date`` on."""
    start = _from(policy)
    sql = f"""
    SELECT employee_id, network, valid_from, connections_visibility FROM {src.privacy_settings}
    WHERE NOT (employee_id IN (SELECT employee_id FROM {adopters}) AND valid_from >= {start})
    UNION ALL
    SELECT DISTINCT employee_id, network, {start} AS valid_from, 'only_me' AS connections_visibility
    FROM {src.ties} WHERE employee_id IN (SELECT employee_id FROM {adopters})
    """
    return replace(src, privacy_settings=_scratch(engine, sql))


def _release_sql(policy: Any) -> str:
    """Per opportunity: the date from which adopters connect with its people."""
    closed = "coalesce(o.is_closed, false)"
    if policy.kind == "connect_after_close" and policy.after_stage:
        stage = f"""(SELECT min(changed_on) FROM opportunity_stages s
                     WHERE s.opportunity_id = o.opportunity_id
                       AND lower(s.stage) = {_lit(policy.after_stage.lower())})"""
        return f"coalesce({stage}, CASE WHEN {closed} THEN o.close_date ELSE {_FAR_FUTURE} END)"
    return f"CASE WHEN {closed} THEN coalesce(o.close_date, {_FAR_FUTURE}) ELSE {_FAR_FUTURE} END"


def connect_after_close(engine: Engine, policy: Any, src: Sources, adopters: str) -> Sources:
    """Adopters' ties into an account with a deal open at ``connected_on`` move to its release date.

    A tie whose new date falls on or after its removal (or that waits for a deal still
    open) is never made: it drops out of the scenario's timeline.
    """
    contact_filter = (
        "AND EXISTS (SELECT 1 FROM contact_roles cr WHERE cr.opportunity_id = o.opportunity_id "
        "AND cr.contact_id = m.contact_id)" if policy.scope == "contacts" else ""
    )
    sql = f"""
    WITH m AS (SELECT person_key, contact_id, account_id FROM tie_matches WHERE status = 'matched'),
    hit AS (
        SELECT t.tie_id, max({_release_sql(policy)}) AS release_on
        FROM {src.ties} t JOIN m USING (person_key) JOIN opportunities o ON o.account_id = m.account_id
        WHERE t.employee_id IN (SELECT employee_id FROM {adopters}) AND t.connected_on >= {_from(policy)}
          AND coalesce(o.created_on, {_FAR_PAST}) <= t.connected_on
          AND (NOT coalesce(o.is_closed, false) OR o.close_date > t.connected_on) {contact_filter}
        GROUP BY t.tie_id)
    SELECT t.* REPLACE (greatest(t.connected_on, coalesce(hit.release_on, t.connected_on)) AS connected_on)
    FROM {src.ties} t LEFT JOIN hit USING (tie_id)
    WHERE hit.release_on IS NULL OR hit.release_on < coalesce(t.removed_on, {_FAR_FUTURE})
    """
    return replace(src, ties=_scratch(engine, sql))


def company_off_profile(engine: Engine, policy: Any, src: Sources, adopters: str) -> Sources:
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
    return replace(src, profiles=_scratch(engine, sql))


def block_social_at_work(engine: Engine, policy: Any, src: Sources, adopters: str) -> Sources:
    """A share (1 - fraction_elsewhere) of adopters' new ties moves ``delay_days`` later; some are never made."""
    at_work = f"((hash(t.tie_id || ':work') % 1000003) / 1000003.0) < {1 - policy.fraction_elsewhere}"
    abandon = f"((hash(t.tie_id || ':abandon') % 1000003) / 1000003.0) < {policy.abandoned_share}"
    affected = (
        f"(t.employee_id IN (SELECT employee_id FROM {adopters}) "
        f"AND t.connected_on >= {_from(policy)} AND {at_work})"
    )
    sql = f"""
    SELECT t.* REPLACE (CASE WHEN {affected} THEN t.connected_on + {int(policy.delay_days)}
                             ELSE t.connected_on END AS connected_on)
    FROM {src.ties} t
    WHERE NOT ({affected} AND t.connected_on IS NOT NULL AND (
        {abandon} OR t.connected_on + {int(policy.delay_days)} >= coalesce(t.removed_on, {_FAR_FUTURE})))
    """
    return replace(src, ties=_scratch(engine, sql))


_BEHAVIOURS = {
    "hide_lists": hide_lists,
    "connect_after_close": connect_after_close,
    "company_off_profile": company_off_profile,
}


def apply_policy(engine: Engine, policy: Any, src: Sources | None = None) -> tuple[Sources, int]:
    """Build the scenario inputs of ``policy``; return them and the number of adopters."""
    src = src or Sources()
    adopters = _scratch(engine, adopters_sql(policy, src))
    n_adopters = int(engine.scalar(f"SELECT count(*) FROM {adopters}") or 0)
    if isinstance(policy, HideLists):
        out = hide_lists(engine, policy, src, adopters)
    elif isinstance(policy, ConnectAfterClose):
        out = connect_after_close(engine, policy, src, adopters)
    elif isinstance(policy, CompanyOffProfile):
        out = company_off_profile(engine, policy, src, adopters)
    elif isinstance(policy, BlockSocialAtWork):
        out = block_social_at_work(engine, policy, src, adopters)
    elif isinstance(policy, Training):
        out = src
        for behaviour in policy.behaviours:
            out = _BEHAVIOURS[behaviour](engine, policy, out, adopters)
    else:  # pragma: no cover - the model's union is exhaustive
        raise TypeError(f"unknown policy kind {policy!r}")
    engine.execute(f"DROP TABLE IF EXISTS {adopters}")
    return out, n_adopters


def drop_scratch(engine: Engine, src: Sources) -> None:
    """Drop the scratch tables of a scenario."""
    for name in (src.ties, src.privacy_settings, src.profiles):
        if name.startswith("_tg_whatif_"):
            engine.execute(f"DROP TABLE IF EXISTS {name}")

"""The capital stage: the organisation's own relationship registry.

Which business relationships the organisation holds through its staff's resolved
ties, how strong they are, which buying committees they cover, which accounts
hang on one person, what a departure would cost, and the best warm
introductions. Formulas: docs/capital.md. Tables: docs/stage-outputs.md.

Privacy: only ties resolved to a CRM contact (``tie_matches.status = 'matched'``)
enter the registry; pairs in ``private_marks`` are left out of every view; the
shared views (accounts, risk, monthly) show holder counts and teams, never a
ranking of employees. ``departure`` is per employee by design: it is meant for
that employee and their manager.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from ..employees import find_employee
from ..engine import Engine
from ..settings import Settings
from ..warehouse import require_stage
from .common import params_from
from .coverage import build_accounts, build_coverage, build_monthly
from .intro import find_target, intro_paths
from .risk import build_risk, departure_report
from .strength import build_contact_roles, build_relationship_strength

__all__ = ["run", "accounts", "risk", "monthly", "departure", "intro", "REGISTRY_TABLES"]

log = logging.getLogger(__name__)

REGISTRY_TABLES = (
    "capital_contact_roles", "relationship_strength", "capital_coverage", "capital_accounts",
    "capital_risk", "capital_monthly",
)


def run(
    engine: Engine,
    settings: Settings,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Rebuild the registry tables and return a JSON-able summary."""
    p = params_from(settings)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("contact buying roles", lambda: build_contact_roles(engine)),
        ("relationship strength", lambda: build_relationship_strength(engine, p)),
        ("buying-committee coverage", lambda: build_coverage(engine, p)),
        ("account value and reach", lambda: build_accounts(engine, p)),
        ("key-person risk", lambda: build_risk(engine, p)),
        ("coverage over time", lambda: build_monthly(engine, p)),
    ]
    timings: dict[str, float] = {}
    for done, (name, step) in enumerate(steps):
        if on_progress:
            on_progress("capital registry", done, len(steps))
        started = time.perf_counter()
        step()
        timings[name] = round(time.perf_counter() - started, 3)
        log.info("capital: %s in %.2f s", name, timings[name])
    if on_progress:
        on_progress("capital registry", len(steps), len(steps))
    summary = _summary(engine)
    summary["as_of"] = p.as_of.isoformat()
    summary["seconds"] = timings
    return summary


def _summary(engine: Engine) -> dict[str, Any]:
    row = engine.fetch_records("""
        SELECT (SELECT count(*) FROM relationship_strength) AS relationships,
               (SELECT count(DISTINCT employee_id) FROM relationship_strength) AS holders,
               (SELECT count(*) FROM capital_accounts) AS accounts_listed,
               (SELECT count(*) FROM capital_accounts WHERE contacts_reached > 0)
                   AS accounts_reached,
               (SELECT count(*) FROM capital_accounts WHERE len(roles_reached) > 0)
                   AS accounts_covered,
               (SELECT count(*) FROM capital_coverage WHERE reached) AS roles_covered,
               (SELECT count(*) FROM capital_risk WHERE at_risk) AS accounts_at_key_person_risk,
               (SELECT coalesce(sum(value), 0) FROM capital_risk WHERE at_risk)
                   AS value_at_key_person_risk,
               (SELECT count(*) FROM capital_risk WHERE single_holder_contacts > 0)
                   AS accounts_with_single_holder_contacts,
               (SELECT round(coalesce(median(strength), 0), 4) FROM relationship_strength)
                   AS median_strength
    """)[0]
    row["value_at_key_person_risk"] = round(float(row["value_at_key_person_risk"]), 2)
    return row


def accounts(engine: Engine) -> list[dict[str, Any]]:
    """Per account: value, committee reached, roles missing, holder counts by team."""
    require_stage(engine, "capital", "tieguard capital accounts")
    rows = engine.fetch_records("""
        SELECT account_id, account_name, account_type, pipeline_value, won_value, value,
               contacts_reached, employees, teams, CAST(since AS VARCHAR) AS since, strength,
               roles_reached, roles_missing
        FROM capital_accounts ORDER BY value DESC, contacts_reached DESC, account_id
    """)
    committee = engine.fetch_records("""
        SELECT account_id, buying_role, contacts, employees, teams,
               CAST(since AS VARCHAR) AS since, strength, from_crm
        FROM capital_coverage WHERE reached
    """)
    by_account: dict[str, dict[str, Any]] = {}
    for c in committee:
        by_account.setdefault(c.pop("account_id"), {})[c.pop("buying_role")] = c
    for r in rows:
        r["committee"] = by_account.get(r["account_id"], {})
    return rows


def risk(engine: Engine) -> list[dict[str, Any]]:
    """Accounts with key-role contacts held by exactly one employee, riskiest first."""
    require_stage(engine, "capital", "tieguard capital risk")
    return engine.fetch_records("""
        SELECT * FROM capital_risk WHERE single_holder_contacts > 0
        ORDER BY at_risk DESC, risk_score DESC, value DESC, account_id
    """)


def monthly(engine: Engine) -> list[dict[str, Any]]:
    """Coverage at each month's end."""
    require_stage(engine, "capital", "tieguard capital monthly")
    rows = engine.fetch_records("SELECT * FROM capital_monthly ORDER BY month")
    for r in rows:
        r["month"] = r["month"].isoformat()[:7]
    return rows


def departure(engine: Engine, employee_id: str) -> dict[str, Any]:
    """What the organisation would lose if this employee left (for them and their manager)."""
    require_stage(engine, "capital", "tieguard capital departure")
    employee = find_employee(engine, employee_id)
    report = departure_report(engine, employee.employee_id)
    report["employee_name"] = employee.full_name
    report["team"] = employee.team
    report["already_left_on"] = (
        employee.left_on.isoformat() if employee.left_on is not None else None
    )
    return report


def intro(engine: Engine, target: str, limit: int = 5) -> dict[str, Any]:
    """Best warm-introduction paths to an account or contact (id or name)."""
    require_stage(engine, "capital", "tieguard capital intro")
    return intro_paths(engine, find_target(engine, target), limit)

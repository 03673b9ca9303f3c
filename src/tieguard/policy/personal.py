"""Personal actions: what would cut one employee's exposure most, measured on their own ties.

For an employee's personal report, each candidate action is a policy applied to that
employee alone (adoption 1); the competitor model is re-run on their ties only, into
scratch tables, and the leads the competitor would still have seen are counted. Nothing is
written to the warehouse's tables. The baseline of the same simulation equals the stored
lead log of the employee (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine import ReadEngine
from ..i18n import N_, _, ngettext
from ..i18n.formats import count
from ..settings import Settings
from ..watch import Sources, bind, leads_sql, sightings_sql, watch_params, watch_window
from .model import parse_policies
from .transforms import apply_policy, drop_scratch

__all__ = ["Exposure", "Action", "simulate_employee", "employee_actions", "CANDIDATES"]

_SCENARIO = "personal"

#: (what to do, policy fields) — each applied to the one employee, adoption 1.
CANDIDATES: tuple[tuple[str, dict[str, Any]], ...] = (
    (N_("Set \u201cWho can see your connections\u201d to \u201cOnly you\u201d on LinkedIn"),
     {"kind": "hide_lists"}),
    (N_("Connect with a deal's buyers only after the deal has closed"),
     {"kind": "connect_after_close", "scope": "contacts"}),
    (N_("Wait with any new connection at an account with an open deal until the deal closes"),
     {"kind": "connect_after_close", "scope": "account"}),
    (N_("Leave our company name off your public profile"),
     {"kind": "company_off_profile"}),
)


@dataclass(frozen=True)
class Exposure:
    """What the competitor saw on one employee's profile."""

    sightings: int
    leads: int
    pipeline_leads: int
    accounts: int


@dataclass(frozen=True)
class Action:
    """A concrete action and its measured effect on the employee's exposure."""

    text: str
    before: Exposure
    after: Exposure

    @property
    def leads_cut(self) -> int:
        return self.before.leads - self.after.leads

    @property
    def pipeline_cut(self) -> int:
        return self.before.pipeline_leads - self.after.pipeline_leads

    def effect(self) -> str:
        """The measured effect as a sentence in the current language."""
        if not self.leads_cut and not self.pipeline_cut:
            return _("would not have changed what the competitor saw on your profile.")
        if not self.leads_cut:
            return ngettext(
                "the competitor would have seen %(n)s fewer person in our live pipeline while "
                "their deal was open.",
                "the competitor would have seen %(n)s fewer people in our live pipeline while "
                "their deal was open.", self.pipeline_cut, n=count(self.pipeline_cut))
        leads = ngettext(
            "the competitor would have seen %(cut)s fewer of your %(n)s lead (%(left)s left)",
            "the competitor would have seen %(cut)s fewer of your %(n)s leads (%(left)s left)",
            self.before.leads, cut=count(self.leads_cut), n=count(self.before.leads),
            left=count(self.after.leads))
        if not self.pipeline_cut:
            return _("%(leads)s.", leads=leads)
        return ngettext(
            "%(leads)s; %(n)s fewer of them would have been people in our live pipeline while "
            "their deal was open.",
            "%(leads)s; %(n)s fewer of them would have been people in our live pipeline while "
            "their deal was open.", self.pipeline_cut, leads=leads, n=count(self.pipeline_cut))


def simulate_employee(engine: ReadEngine, settings: Settings, src: Sources) -> Exposure:
    """Run the competitor model on ``src`` (one employee's ties) into scratch tables."""
    values = watch_params(settings, watch_window(engine, settings), _SCENARIO)
    seen = sightings_sql(settings, src)
    engine.scratch("_tg_personal_sightings", seen, bind(seen, values))
    leads = leads_sql(settings, "_tg_personal_sightings", src=src)
    engine.scratch("_tg_personal_leads", leads, bind(leads, values))
    row = engine.fetchone(
        "SELECT count(*), count(*) FILTER (is_lead), count(*) FILTER (is_lead AND is_pipeline), "
        "count(DISTINCT account_id) FILTER (is_lead) FROM _tg_personal_leads"
    ) or (0, 0, 0, 0)
    engine.drop_scratch("_tg_personal_sightings", "_tg_personal_leads")
    return Exposure(*(int(v or 0) for v in row))


#: Scratch copies of one employee's ties and of the rows about the people in them.
_OWN_TABLES = ("_tg_personal_ties", "_tg_personal_people", "_tg_personal_roles",
               "_tg_personal_matches")


def _own_sources(engine: ReadEngine, employee_id: str) -> Sources:
    """The employee's ties, and the people, roles and matches of the people in them."""
    ties, people, roles, matches = _OWN_TABLES
    engine.scratch(ties, "SELECT * FROM ties WHERE employee_id = ?", [employee_id])
    for name, table in ((people, "tie_people"), (roles, "person_roles"),
                        (matches, "tie_matches")):
        engine.scratch(name, f"SELECT * FROM {table} WHERE person_key IN "
                       f"(SELECT person_key FROM {ties})")
    return Sources(ties=ties, people=people, roles=roles, matches=matches)


def employee_actions(engine: ReadEngine, settings: Settings, employee_id: str,
                     limit: int = 3) -> list[Action]:
    """The ``limit`` candidate actions that cut the employee's leads most, best first."""
    base = _own_sources(engine, employee_id)
    try:
        before = simulate_employee(engine, settings, base)
        actions = []
        for i, (text, fields) in enumerate(CANDIDATES):
            (policy,) = parse_policies(
                {"name": f"personal_{i}", "adoption": 1.0, "group": {"employees": [employee_id]},
                 **fields}, "personal actions", f"personal_{i}")
            src, _ = apply_policy(engine, policy, base)
            try:
                actions.append(Action(text, before, simulate_employee(engine, settings, src)))
            finally:
                drop_scratch(engine, src)
    finally:
        engine.drop_scratch(*_OWN_TABLES)
    ranked = sorted(enumerate(actions), key=lambda ia: (-ia[1].pipeline_cut, -ia[1].leads_cut, ia[0]))
    return [a for _, a in ranked[:limit]]

"""An employee's personal report: what a competitor learns from *their* profile.

Only this employee's rows are read (``competitor_leads``/``competitor_sightings``
filtered by ``employee_id``); nothing about colleagues appears. The page is
self-contained and carries no charts library, so it stays small.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..employees import get_employee
from ..engine import Engine, ReadEngine
from ..i18n import N_, _, choose_language, ngettext, use
from ..settings import Settings
from ..warehouse import require_stage
from . import fmt
from .data import BASELINE, records
from .headline import cadence_phrase
from .model import Column, Table
from .names import buying_roles_text
from .render import render_template

__all__ = [
    "employee_context", "personal_actions", "only_you_outcomes", "data_status", "write_employee_page",
    "render_employee_page", "employee_language",
]

MAX_LEAD_ROWS = 200
MAX_ONLY_YOU_DATES = 4
VISIBILITY = {"connections": N_("Your connections"), "only_me": N_("Only you")}
NOT_IN_CRM = N_("A company not in our CRM")

LEADS_SQL = """
    SELECT l.seen_on, l.tie_id, l.account_id, coalesce(a.name, l.company) AS company_shown,
           l.company, l.position, l.seniority, l.function, l.buying_roles, l.is_pipeline,
           l.is_customer_contact, l.opportunity_id, l.is_first_tie_into_account,
           coalesce(s.channel, 'list') AS channel, s.connected_on
    FROM competitor_leads l
    LEFT JOIN competitor_sightings s
           ON s.scenario = l.scenario AND s.tie_id = l.tie_id AND s.employee_id = l.employee_id
    LEFT JOIN accounts a ON a.account_id = l.account_id
    WHERE l.scenario = ? AND l.employee_id = ? AND l.is_lead
    ORDER BY l.seen_on, company_shown, l.tie_id
"""


def _employee(engine: ReadEngine, employee_id: str) -> dict[str, Any]:
    found = get_employee(engine, employee_id)
    return {"employee_id": found.employee_id, "full_name": found.full_name, "team": found.team,
            "country": found.country, "hired_on": fmt.date(found.hired_on) if found.hired_on else None,
            "left_on": fmt.date(found.left_on) if found.left_on else None,
            "language": found.language}


def _iso(value: Any) -> str:
    """An ISO date string for comparing and sorting (display uses ``fmt.date``)."""
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def only_you_outcomes(leads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For a few start dates: how many leads 'Only you' from that date would have hidden.

    A lead seen through the connection list at or after the date disappears; a lead
    seen through a shared connection stays visible to a 1st-degree viewer.
    """
    if not leads:
        return []
    seen = sorted(_iso(r["seen_on"]) for r in leads)
    first, last = seen[0], seen[-1]
    candidates = [first] + [
        f"{year}-01-01" for year in range(int(first[:4]) + 1, int(last[:4]) + 1)
    ]
    if len(candidates) > MAX_ONLY_YOU_DATES:  # the first date and the latest years
        candidates = [candidates[0]] + candidates[-(MAX_ONLY_YOU_DATES - 1):]
    outcomes = []
    for start in candidates:
        hidden = sum(1 for r in leads if r["channel"] == "list" and _iso(r["seen_on"]) >= start)
        outcomes.append({"from": start, "hidden": hidden, "total": len(leads)})
    return outcomes


def _by_account(leads: list[dict[str, Any]]) -> Table:
    groups: dict[str, dict[str, Any]] = {}
    for r in leads:
        name = str(r["company_shown"] or _(NOT_IN_CRM))
        g = groups.setdefault(name, {"n": 0, "first": None, "list": 0, "shared": 0, "pipe": 0})
        g["n"] += 1
        g["first"] = min(filter(None, [g["first"], _iso(r["seen_on"])]))
        g["list" if r["channel"] == "list" else "shared"] += 1
        g["pipe"] += 1 if r["is_pipeline"] else 0
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1]["n"], kv[0]))
    return Table(
        [Column(_("Account or company")), Column(_("Leads"), True), Column(_("First seen")),
         Column(_("Via your list"), True), Column(_("Via shared connections"), True),
         Column(_("In our pipeline"), True)],
        [[name, fmt.count(g["n"]), fmt.date(g["first"]), fmt.count(g["list"]),
          fmt.count(g["shared"]), fmt.count(g["pipe"])] for name, g in ordered],
        caption=_("By account"),
    )


def _lead_table(leads: list[dict[str, Any]]) -> Table:
    rows = [[
        fmt.date(r["seen_on"]), str(r["company_shown"] or _(NOT_IN_CRM)),
        str(r["position"] or "–"), buying_roles_text(r["buying_roles"]),
        _("your list") if r["channel"] == "list" else _("shared connection"),
        fmt.number(bool(r["is_pipeline"])),
    ] for r in leads[:MAX_LEAD_ROWS]]
    note = (_("Showing the first %(shown)s of %(total)s leads.", shown=fmt.count(MAX_LEAD_ROWS),
              total=fmt.count(len(leads))) if len(leads) > MAX_LEAD_ROWS else "")
    return Table(
        [Column(_("Seen on")), Column(_("Account or company")), Column(_("Position shown")),
         Column(_("Buying role")), Column(_("Seen through")), Column(_("Real pipeline"))],
        rows, caption=_("Every lead, in the order the competitor saw them"), note=note,
    )


def _privacy_timeline(engine: ReadEngine, employee_id: str) -> list[dict[str, str]]:
    rows = records(
        engine,
        "SELECT network, valid_from, connections_visibility FROM privacy_settings "
        "WHERE employee_id = ? ORDER BY network, valid_from",
        [employee_id],
    )
    return [{"network": str(r["network"]), "from": fmt.date(r["valid_from"]),
             "visibility": _(VISIBILITY[str(r["connections_visibility"])])
             if str(r["connections_visibility"]) in VISIBILITY
             else str(r["connections_visibility"])} for r in rows]


def _advice(leads: list[dict[str, Any]]) -> list[str]:
    total = len(leads)
    shared = sum(1 for r in leads if r["channel"] != "list")
    advice = [
        ngettext("With 'Only you' from %(date)s, %(hidden)s of these %(n)s lead would not have "
                 "been visible.",
                 "With 'Only you' from %(date)s, %(hidden)s of these %(n)s leads would not have "
                 "been visible.", o["total"], date=fmt.date(o["from"]),
                 hidden=fmt.count(o["hidden"]), n=fmt.count(o["total"]))
        for o in only_you_outcomes(leads)
    ]
    advice.append(ngettext(
        "Shared connections remain visible to a competitor you are connected with, whatever "
        "the setting: %(shared)s of your %(n)s lead came that way.",
        "Shared connections remain visible to a competitor you are connected with, whatever "
        "the setting: %(shared)s of your %(n)s leads came that way.", total,
        shared=fmt.count(shared), n=fmt.count(total)))
    return advice


def _summary(sightings: int, leads: list[dict[str, Any]], when: str | None = None) -> str:
    """The personal report's lead sentence (``when``: the watcher's cadence phrase)."""
    when = when or cadence_phrase(7)
    seen = ngettext("%(n)s new connection", "%(n)s new connections", sightings,
                    n=fmt.count(sightings))
    if not leads:
        return _("A competitor looking at your profile %(when)s saw %(seen)s, and none of them "
                 "was a lead: nothing on your profile pointed it to a buyer.", when=when, seen=seen)
    companies = len({r["company_shown"] for r in leads if r["company_shown"]})
    unknown = sum(1 for r in leads if not r["company_shown"])
    pipeline = sum(1 for r in leads if r["is_pipeline"])
    return _(
        "A competitor looking at your profile %(when)s saw %(seen)s; %(leads)s (buyers at "
        "%(companies)s%(outside)s), the first on %(first)s. %(pipeline)s",
        when=when, seen=seen,
        leads=ngettext("%(n)s of them was a lead", "%(n)s of them were leads", len(leads),
                       n=fmt.count(len(leads))),
        companies=ngettext("%(n)s company", "%(n)s companies", companies, n=fmt.count(companies)),
        outside=ngettext(" and %(n)s buyer whose company is not in our CRM",
                         " and %(n)s buyers whose company is not in our CRM", unknown,
                         n=fmt.count(unknown)) if unknown else "",
        first=fmt.date(leads[0]["seen_on"]),
        pipeline=ngettext("%(n)s was a person in our live pipeline.",
                          "%(n)s were people in our live pipeline.", pipeline,
                          n=fmt.count(pipeline)),
    )


def _employment(person: dict[str, Any]) -> str:
    start, end = person["hired_on"], person["left_on"]
    if start and end:
        return _("Only the time you worked here counts: from %(start)s until %(end)s. Connections "
                 "you brought with you appear from your first day.", start=start, end=end)
    if start:
        return _("Only the time you worked here counts: from %(start)s. Connections you brought "
                 "with you appear from your first day.", start=start)
    if end:
        return _("Only the time you worked here counts: until %(end)s. Connections you brought "
                 "with you appear from your first day.", end=end)
    return ""


def data_status(engine: ReadEngine, employee_id: str) -> str | None:
    """Why there is nothing to report about this employee's network, or None.

    An erased network says so (with the date); an employee whose export was never
    imported is told that, rather than "nothing pointed to a buyer".
    """
    ties = engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]) or 0
    erased = engine.scalar(
        "SELECT max(erased_at) FROM erasures WHERE employee_id = ?", [employee_id])
    if erased is not None and not ties:  # a newer upload after the erasure is reported again
        return _("Your network data was erased on %(date)s at your request; tieguard holds "
                 "nothing of it any more, so there is nothing to report.", date=fmt.date(erased))
    imported = engine.scalar(
        "SELECT count(*) FROM imports WHERE employee_id = ?", [employee_id]) or 0
    if not imported and not ties:
        return _("No LinkedIn export of yours has been imported, so tieguard cannot say what a "
                 "competitor sees on your profile. Download your export (README: 'Your LinkedIn "
                 "export') and hand it to your tieguard administrator.")
    return None


def personal_actions(engine: ReadEngine, settings: Settings,
                     employee_id: str) -> list[dict[str, str]]:
    """The actions that would cut this employee's exposure most, each with its measured effect
    (re-runs the competitor model on their ties: seconds on a large warehouse)."""
    from ..policy.personal import employee_actions

    return [{"action": _(a.text), "effect": a.effect()}
            for a in employee_actions(engine, settings, employee_id)]


def employee_context(engine: ReadEngine, settings: Settings, employee_id: str, *,
                     with_actions: bool = True) -> dict[str, Any]:
    """Everything the personal report shows, for one employee only (``with_actions=False``:
    without the simulated actions, which the web app loads separately)."""
    person = _employee(engine, employee_id)
    require_stage(engine, "watch", "tieguard report employee")
    status = data_status(engine, employee_id)
    leads = [] if status else records(engine, LEADS_SQL, [BASELINE, employee_id])
    sightings = 0 if status else int(engine.scalar(
        "SELECT count(*) FROM competitor_sightings WHERE scenario = ? AND employee_id = ?",
        [BASELINE, employee_id],
    ) or 0)
    when = cadence_phrase(settings.watch.cadence_days)
    sentence = _summary(sightings, leads, when)
    pipeline_leads = sum(1 for r in leads if r["is_pipeline"])
    accounts = len({r["company_shown"] for r in leads if r["company_shown"]})
    return {
        "person": person,
        "status": status,
        "sightings": sightings,
        "leads": len(leads),
        "leads_text": fmt.count(len(leads)),
        "pipeline_leads": pipeline_leads,
        "pipeline_text": fmt.count(pipeline_leads),
        "accounts_text": fmt.count(accounts),
        "employment": _employment(person),
        "sentence": sentence,
        # the sentence without its opening, for pages that write their own (web app, English)
        "summary": sentence.removeprefix(f"A competitor looking at your profile {when} "),
        "accounts": accounts,
        "first_seen": fmt.date(leads[0]["seen_on"]) if leads else None,
        "privacy": _privacy_timeline(engine, employee_id),
        "advice": _advice(leads) if leads else [],
        "actions": personal_actions(engine, settings, employee_id)
        if leads and with_actions else [],
        "tables": [_by_account(leads), _lead_table(leads)] if leads else [],
        "cadence": cadence_phrase(settings.watch.cadence_days),
        "vantage": settings.watch.vantage,
        "generated_on": fmt.date(dt.date.today()),
    }


def employee_language(engine: Engine, settings: Settings, employee_id: str,
                      lang: str | None = None) -> str:
    """``lang`` if given, else the employee's roster language, else the organisation's."""
    return choose_language(lang, get_employee(engine, employee_id).language, settings.language)


def render_employee_page(engine: Engine, settings: Settings, employee_id: str,
                         lang: str | None = None) -> str:
    """The personal report's HTML in the employee's language (or ``lang``)."""
    with use(employee_language(engine, settings, employee_id, lang)):
        return render_template("employee.html.j2",
                               **employee_context(engine, settings, employee_id))


def write_employee_page(
    engine: Engine, settings: Settings, employee_id: str, out_dir: Path, *, lang: str | None = None
) -> Path:
    """Write ``out_dir/employees/<id>.html`` and return its path."""
    html = render_employee_page(engine, settings, employee_id, lang)
    target = out_dir / "employees"
    target.mkdir(parents=True, exist_ok=True)
    safe_id = "".join(c if c.isalnum() or c in "-_." else "_" for c in employee_id)
    path = target / f"{safe_id}.html"
    path.write_text(html, encoding="utf-8")
    return path

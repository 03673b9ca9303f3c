"""The personal report in the web app: the page shows the report at once and loads the
measured actions as a fragment; both are kept until a job finishes, per employee and
language; concurrent requests for different employees never mix their figures."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor

from tieguard.report.employee import employee_context, personal_actions

from .conftest import Web


def _actions_in(fragment: str) -> list[tuple[str, str]]:
    items = re.findall(r"<li><strong>(.*?)</strong>: (.*?)</li>", fragment)
    return [(html.unescape(a), html.unescape(e)) for a, e in items]


def test_page_loads_the_measured_actions_as_a_fragment(web: Web) -> None:
    warehouse, employee = web.state.warehouse, web.employees[0]
    page = web.client.get("/me", headers=web.page("employee"))
    assert page.status_code == 200 and 'hx-get="/me/actions"' in page.text
    expected = personal_actions(warehouse.engine, warehouse.settings, employee)
    fragment = web.client.get("/me/actions", headers=web.page("employee"))
    assert fragment.status_code == 200 and fragment.text.startswith('<section id="actions">')
    assert expected and _actions_in(fragment.text) == [(a["action"], a["effect"])
                                                       for a in expected]
    api = web.client.get("/api/v1/me/report", headers=web.api("employee")).json()
    assert api["actions"] == expected
    own = {(e["actor"], e["action"]) for e in
           web.client.get("/api/v1/audit", headers=web.api("auditor")).json()["items"]}
    assert ("employee", "view-own-actions") in own


def test_staff_see_an_employees_actions_and_it_is_audited(web: Web) -> None:
    warehouse, other = web.state.warehouse, web.employees[1]
    page = web.client.get(f"/employees/{other}", headers=web.page("analyst"))
    assert f'hx-get="/employees/{other}/actions"' in page.text
    fragment = web.client.get(f"/employees/{other}/actions", headers=web.page("analyst")).text
    expected = personal_actions(warehouse.engine, warehouse.settings, other)
    assert _actions_in(fragment) == [(a["action"], a["effect"]) for a in expected]
    events = web.client.get("/api/v1/audit", headers=web.api("auditor")).json()["items"]
    assert {"actor": "analyst", "action": "view-employee-actions", "target": other} in [
        {k: e[k] for k in ("actor", "action", "target")} for e in events]


def test_reports_are_kept_until_a_job_finishes(web: Web) -> None:
    state, employee = web.state, web.employees[0]
    first = state.personal.report(state.warehouse, employee)
    assert state.personal.report(state.warehouse, employee) is first
    assert first == employee_context(state.warehouse.engine, state.warehouse.settings, employee,
                                     with_actions=False) | {"scan_ran": True, "holds_data": True,
                                                            "generated_on": first["generated_on"]}
    actions = state.personal.actions(state.warehouse, employee)
    assert state.personal.actions(state.warehouse, employee) is actions
    state.jobs.submit(1, "noop", lambda session, progress: "nothing")
    state.jobs.wait_idle()
    assert state.personal.report(state.warehouse, employee) is not first
    assert state.personal.actions(state.warehouse, employee) is not actions


def test_concurrent_employees_get_their_own_actions(web: Web) -> None:
    """The actions use scratch tables of fixed names: each build on a read view of its own."""
    state = web.state
    engine, settings = state.warehouse.engine, state.warehouse.settings
    employees = web.employees + [web.employees[0], web.employees[1]]
    expected = {e: personal_actions(engine, settings, e) for e in web.employees}
    assert expected[web.employees[0]] != expected[web.employees[1]]
    state.personal.invalidate()
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda e: state.personal.actions(state.warehouse, e), employees))
    assert got == [expected[e] for e in employees]


def test_dashboard_and_report_are_kept_per_language(web: Web) -> None:
    german = {**web.page("manager"), "Accept-Language": "de"}
    de = web.client.get("/dashboard", headers=german).text
    en = web.client.get("/dashboard", headers=web.page("manager")).text
    lead = r'<p id="headline" class="lead">([^<]*)</p>'
    de_lead, en_lead = re.search(lead, de), re.search(lead, en)
    assert de_lead and en_lead and de_lead.group(1) != en_lead.group(1)
    assert "A competitor" in html.unescape(en_lead.group(1))
    me_de = web.client.get("/me/actions", headers={**web.page("employee"), "Accept-Language": "de"})
    me_en = web.client.get("/me/actions", headers=web.page("employee"))
    assert "Three things you can do" in me_en.text and "Three things" not in me_de.text

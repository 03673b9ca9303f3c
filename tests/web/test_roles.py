"""Every route x every role: allowed, or 403; and no employee sees another's data."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from tieguard.web.app import ROUTERS
from tieguard.web.deps import Guard

from .conftest import ROLES, Web

PUBLIC = {"/login", "/setup", "/healthz", "/openapi.json", "/language",  # /language: i18n
          "/login/oidc", "/login/oidc/callback"}


def _guard(route: APIRoute) -> Guard | None:
    for dep in route.dependant.dependencies:
        if isinstance(dep.call, Guard):
            return dep.call
    return None


def _routes(web: Web) -> list[tuple[str, str, Guard]]:
    out = []
    for route in [r for router in ROUTERS for r in router.routes]:  # every router of the app
        if not isinstance(route, APIRoute):
            continue
        guard = _guard(route)
        if guard is None:
            assert route.path in PUBLIC, f"{route.path} has no role guard"
            continue
        for method in sorted(route.methods):
            out.append((method, route.path, guard))
    return sorted(out, key=lambda r: r[1] == "/logout")  # signing out ends the session: last


def _fill(path: str, web: Web) -> str:
    values = {"employee_id": web.employees[1], "job_id": "1", "token_id": "999999",
              "alert_id": "0" * 32}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


@pytest.fixture()
def quiet_jobs(web: Web, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record submitted jobs instead of running them: this test is about access only."""
    submitted: list[str] = []
    monkeypatch.setattr(web.state.jobs, "submit",
                        lambda user_id, kind, work, cleanup=None: submitted.append(kind) or 1)
    return submitted


def test_every_route_allows_exactly_its_roles(web: Web, quiet_jobs: list[str]) -> None:
    routes = _routes(web)
    assert len(routes) > 30
    for method, path, guard in routes:
        url = _fill(path, web)
        for role in ROLES:
            headers = web.api(role) if path.startswith("/api/") else web.page(role)
            res = web.client.request(method, url, headers=headers)
            if role in guard.roles:
                assert res.status_code not in (401, 403), (method, url, role, res.text[:200])
            else:
                assert res.status_code == 403, (method, url, role, res.status_code)


def test_every_api_route_answers_401_without_authentication(web: Web) -> None:
    for method, path, _ in _routes(web):
        if path.startswith("/api/v1"):
            res = web.client.request(method, _fill(path, web))
            assert res.status_code == 401, (method, path)
            assert res.headers["www-authenticate"] == "Bearer"
    assert web.client.get("/healthz").json()["status"] == "ok"
    assert "/api/v1/me/report" in web.client.get("/openapi.json").json()["paths"]


def test_pages_redirect_to_sign_in_without_a_session(web: Web) -> None:
    for path in ("/", "/me", "/dashboard", "/admin", "/audit", "/account"):
        res = web.client.get(path)
        assert res.status_code == 303 and res.headers["location"] == "/login"


def test_a_manager_cannot_open_an_employee_page(web: Web) -> None:
    url = f"/employees/{web.employees[0]}"
    assert web.client.get(url, headers=web.page("manager")).status_code == 403
    assert web.client.get(f"/api/v1{url}/report", headers=web.api("manager")).status_code == 403
    assert web.client.get(url, headers=web.page("analyst")).status_code == 200


def _names(web: Web, employee_id: str) -> list[str]:
    row = web.state.warehouse.engine.fetchone(
        "SELECT employee_id, full_name, email FROM employees WHERE employee_id = ?", [employee_id])
    assert row is not None
    return [str(v) for v in row if v]


def _companies(web: Web, employee_id: str, other: str) -> list[str]:
    """Companies shown in ``employee_id``'s competitor leads and in none of ``other``'s."""
    sql = ("SELECT DISTINCT coalesce(a.name, l.company) FROM competitor_leads l "
           "LEFT JOIN accounts a USING (account_id) WHERE l.scenario = 'baseline' AND l.is_lead "
           "AND l.employee_id = ? AND length(coalesce(a.name, l.company)) > 5")
    mine = {r[0] for r in web.state.warehouse.engine.fetchall(sql, [employee_id])}
    theirs = {r[0] for r in web.state.warehouse.engine.fetchall(sql, [other])}
    return sorted(str(c) for c in mine - theirs)


def test_no_response_to_one_employee_contains_another_employee_s_data(web: Web) -> None:
    mine, theirs = web.employees
    foreign = _names(web, theirs) + _companies(web, theirs, mine)
    own_contacts = _companies(web, mine, theirs)
    assert own_contacts and len(foreign) > 3
    seen_own = False
    for method, path, guard in _routes(web):
        if method != "GET" or "employee" not in guard.roles:
            continue
        headers = web.api("employee") if path.startswith("/api/") else web.page("employee")
        res = web.client.get(_fill(path, web), headers=headers)
        assert res.status_code in (200, 303, 404), (path, res.status_code)
        for value in foreign:
            assert value not in res.text, (path, "leaks", value)
        seen_own = seen_own or any(v in res.text for v in own_contacts)
    assert seen_own, "the employee's own report should show their own leads"

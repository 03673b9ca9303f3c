"""A web app over a copy of the small demo warehouse, with one signed-in user per role.

The application state runs on SQLite and, where a server can be reached, on PostgreSQL
(``TIEGUARD_TEST_PG_URL``, set by .ci/run after it starts Debian's postgresql).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tieguard.web import WebConfig, WebState, create_app
from tieguard.web.accounts import create_token, create_user, sign_in
from tieguard.web.auth import SESSION_COOKIE, Principal

PASSWORD = "correct horse battery"
ROLES = ("employee", "manager", "analyst", "admin", "auditor")


@dataclass
class Web:
    client: TestClient
    state: WebState
    tokens: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    employees: list[str] = field(default_factory=list)

    def api(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def page(self, user: str) -> dict[str, str]:
        return {"Cookie": f"{SESSION_COOKIE}={self.cookies[user]}",
                "X-CSRF-Token": self.csrf[user]}

    def finished(self, user: str, started: int | httpx.Response, *, status: str = "done",
                 timeout: float = 300) -> dict[str, Any]:
        """The job ``started`` (its id, or the response that started it: a redirect to
        ``?job=ID`` or ``{"job": ID}``) once the queue is idle, as ``user`` sees it in the API;
        asserts that it ended with ``status``."""
        if isinstance(started, httpx.Response):
            location = started.headers.get("location", "")
            started = int(location.split("job=")[1] if "job=" in location else started.json()["job"])
        self.state.jobs.wait_idle(timeout=timeout)
        res = self.client.get(f"/api/v1/jobs/{started}", headers=self.api(user))
        assert res.status_code == 200, res.text
        job: dict[str, Any] = res.json()
        assert job["status"] == status, job
        return job


def _postgres_url() -> str:
    url = os.environ.get("TIEGUARD_TEST_PG_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: TIEGUARD_TEST_PG_URL is not set (.ci/run starts "
                    "Debian's postgresql and sets it).")
    import psycopg

    name = "tg_test_" + secrets.token_hex(4)
    try:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL not tested: cannot reach {url} ({exc}).")
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    url = _postgres_url()
    yield url
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    with psycopg.connect(os.environ["TIEGUARD_TEST_PG_URL"], autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def demo_employees(state: WebState, n: int) -> list[str]:
    """The ``n`` employees with the most connections (so their reports hold data)."""
    rows = state.warehouse.engine.fetchall(
        "SELECT employee_id FROM ties GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?", [n])
    return [str(r[0]) for r in rows]


def make_web(db: Path, app_db: str | None) -> Web:
    state = WebState(WebConfig(db=db, app_db=app_db, login_limit=5))
    client = TestClient(create_app(state.config, state), follow_redirects=False)
    web = Web(client, state, employees=demo_employees(state, 2))
    users = {role: role for role in ROLES} | {"employee2": "employee"}
    for name, role in users.items():
        employee = {"employee": web.employees[0], "employee2": web.employees[1]}.get(name)
        add_user(web, name, role, employee)
    return web


def add_user(web: Web, name: str, role: str, employee: str | None = None) -> None:
    """A signed-in user ``name`` with an API token, a session cookie and its CSRF token."""
    state = web.state
    user_id = create_user(state, None, username=name, password=PASSWORD, role=role,
                          employee_id=employee)
    who = Principal(user_id, name, role, employee, None)
    web.tokens[name] = create_token(state, who, "tests")
    cookie, _ = sign_in(state, name, PASSWORD, "", "testclient")
    assert cookie
    web.cookies[name] = cookie
    with state.app_db() as db_session:
        from tieguard.web.auth import lookup_session

        found = lookup_session(db_session, cookie)
        assert found and found.csrf_token
        web.csrf[name] = found.csrf_token


@pytest.fixture()
def web(demo_run: tuple[Path, dict], tmp_path: Path, app_db_url: str | None) -> Iterator[Web]:
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    built = make_web(db, app_db_url)
    with built.client:
        yield built

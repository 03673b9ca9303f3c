"""The web app in a real browser (Playwright driving Debian's chromium; no browser download).

An administrator uploads the CRM and roster, runs a scan and sees the dashboard fill with the
headline, its figures and charts, accepts a pair of the review queue and runs a what-if; an employee signs in, sees their personal report, erases
their data, uploads their LinkedIn export zip again and sees the report recomputed; a manager
cannot open an employee's page. Screenshots (dashboard, administration, personal report) go to docs/img/ when
TIEGUARD_SCREENSHOTS=1.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser import (
    BROWSER_MARKS,
    chromium,
    free_port,
    playwright_api,
    screenshot,
    serving,
    sign_in,
)
from tieguard.report import fmt
from tieguard.report.data import as_share
from tieguard.report.headline import headline_data
from tieguard.session import open_session
from tieguard.sources import import_directory
from tieguard.web import WebConfig, WebState, create_app
from tieguard.web.accounts import create_user
from tieguard.web.store import Job

from .conftest import PASSWORD

pytestmark = BROWSER_MARKS


@pytest.fixture()
def server(demo_run: tuple[Path, dict],
           tmp_path: Path) -> Iterator[tuple[str, Path, str, WebState]]:
    """A server over a warehouse holding the employees' exports but no CRM and no scan."""
    data = tmp_path / "data"
    shutil.copytree(demo_run[0] / "data", data, ignore=shutil.ignore_patterns("crm", "truth"))
    db = tmp_path / "w.duckdb"
    with open_session(db, create=True) as session:
        import_directory(session.engine, data, basis="consent")
        employee = str(session.engine.scalar(
            "SELECT employee_id FROM ties GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))
    port = free_port()
    state = WebState(WebConfig(db=db, base_url=f"http://127.0.0.1:{port}"))
    for name, role in (("ada", "admin"), ("mia", "manager")):
        create_user(state, None, username=name, password=PASSWORD, role=role)
    create_user(state, None, username="eve", password=PASSWORD, role="employee",
                employee_id=employee)
    with serving(create_app(state.config, state), port) as base:
        yield base, demo_run[0] / "data", employee, state


def _sign_in(page: object, base: str, user: str) -> None:
    sign_in(page, base, user, PASSWORD)


def _run_job(page: object, button: str, timeout_ms: int = 240_000) -> None:
    """Click ``button``, whose form starts a job and redirects to ``?job=ID``, and wait for
    that job to finish. The navigation is awaited from before the click: the page may already
    be at the ``?job=`` of the previous job, which a URL match would take for this one."""
    with page.expect_navigation(url="**job=*", timeout=timeout_ms):  # type: ignore[attr-defined]
        page.click(f"button:has-text('{button}')")  # type: ignore[attr-defined]
    job = page.url.split("job=")[1]  # type: ignore[attr-defined]
    try:
        page.wait_for_selector(f"#job-{job}.done, #job-{job}.failed", timeout=timeout_ms)  # type: ignore[attr-defined]
    except playwright_api.TimeoutError as exc:  # say where the job stood
        raise AssertionError(f"job {job} did not finish: {page.content()[-3000:]}") from exc  # type: ignore[attr-defined]
    assert not page.query_selector(f"#job-{job}.failed"), page.inner_text(f"#job-{job}")  # type: ignore[attr-defined]


def _review_and_whatif(admin: object, base: str, state: WebState) -> None:
    """The administrator accepts the first pair of the review queue (htmx: the row shows the
    job until the decision is stored) and compares one countermeasure in a what-if."""
    admin.goto(f"{base}/review")  # type: ignore[attr-defined]
    row = admin.query_selector("#review tbody tr")  # type: ignore[attr-defined]
    person, candidate = row.get_attribute("data-person"), row.get_attribute("data-candidate")
    row.query_selector("button[value=match]").click()
    admin.wait_for_selector("#decision-1 .job.done", timeout=120_000)  # type: ignore[attr-defined]
    assert state.warehouse.engine.fetchall(
        "SELECT person_key, candidate_id, decision, decided_by FROM review_decisions"
    ) == [(person, candidate, "match", "ada")]
    admin.goto(f"{base}/whatif")  # type: ignore[attr-defined]
    for box in admin.query_selector_all("input[name=policy]"):  # type: ignore[attr-defined]
        if box.get_attribute("value") != "training":
            box.uncheck()
    admin.fill("input[name='adoption.training']", "60")  # type: ignore[attr-defined]
    _run_job(admin, "Run the what-if")
    admin.goto(f"{base}/whatif")  # type: ignore[attr-defined]
    assert admin.query_selector_all("#whatif tbody tr") and admin.query_selector(  # type: ignore[attr-defined]
        "#whatif tr[data-policy=training_60]")
    admin.goto(f"{base}/admin/settings")  # type: ignore[attr-defined]
    assert admin.query_selector("input[name='watch.cadence_days']")  # type: ignore[attr-defined]


def test_admin_employee_and_manager_in_a_browser(server: tuple[str, Path, str]) -> None:
    base, data, employee, state = server
    with chromium() as browser:
        admin = browser.new_page(viewport={"width": 1100, "height": 900})
        _sign_in(admin, base, "ada")
        admin.wait_for_url(f"{base}/admin")
        crm = sorted(str(p) for p in (data / "crm" / "salesforce").glob("*.csv"))
        admin.set_input_files("input[name=files]", crm)
        _run_job(admin, "Upload CRM")
        admin.set_input_files("input[name=roster]", str(data / "roster.csv"))
        _run_job(admin, "Upload roster")
        with state.app_db() as db:  # the wait was for the roster's job, not the CRM's
            assert [(j.kind, j.status) for j in db.scalars(select(Job).order_by(Job.id))] == \
                [("import-crm", "done"), ("import-roster", "done")]
        admin.goto(f"{base}/dashboard")
        assert "No scan has run yet" in admin.inner_text("#headline")
        admin.goto(f"{base}/admin")
        _run_job(admin, "Run a scan")
        screenshot(admin, "web-admin")
        admin.goto(f"{base}/dashboard")
        expected = headline_data(state.warehouse.engine, state.warehouse.settings)
        assert admin.inner_text("#headline") == expected["sentence"]
        tiles = admin.inner_text("#section-headline .tiles")
        visible = fmt.share(as_share(expected["metrics"]["account_visibility"]))
        assert f"{visible}\nof deals at an account the competitor could see" in tiles
        assert "median head start from the reveal" in tiles
        admin.wait_for_selector("#figure-exposure-over-time .main-svg")  # plotly drew the chart, offline
        assert admin.query_selector("#section-teams table")
        screenshot(admin, "web-dashboard")
        _review_and_whatif(admin, base, state)

        emp = browser.new_page(viewport={"width": 1100, "height": 900})
        _sign_in(emp, base, "eve")
        emp.wait_for_url(f"{base}/me")
        assert emp.inner_text("#holds") == "yes"
        assert "saw" in emp.inner_text("#summary")  # the report of the administrator's scan
        emp.wait_for_selector("#actions ol li")  # the measured actions, loaded by htmx
        emp.fill("input[name=confirm]", "erase")
        _run_job(emp, "Erase my data")
        emp.goto(f"{base}/me")
        assert emp.inner_text("#holds") == "none"
        assert "erased" in emp.inner_text("#summary")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.write(data / "linkedin" / employee / "Connections.csv", "Connections.csv")
        emp.set_input_files("input[name=export]", {"name": "export.zip",
                                                   "mimeType": "application/zip",
                                                   "buffer": buffer.getvalue()})
        emp.check("input[name=consent]")
        _run_job(emp, "Upload")  # the import, then the scan that recomputes the figures
        emp.goto(f"{base}/me")
        assert emp.inner_text("#holds") == "yes"
        assert "saw" in emp.inner_text("#summary")
        emp.wait_for_selector("#actions ol li")  # the actions of the new figures, then the shot
        screenshot(emp, "web-employee")

        mgr = browser.new_page()
        _sign_in(mgr, base, "mia")
        mgr.wait_for_url(f"{base}/dashboard")
        response = mgr.goto(f"{base}/employees/{employee}")
        assert response is not None and response.status == 403
        assert "may not open" in mgr.inner_text("main")

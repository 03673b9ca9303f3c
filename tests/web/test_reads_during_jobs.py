"""Pages keep working while a job writes: they read the last committed snapshot through read
views of their own (``Engine.reading``), never the writer's connection or its lock.

A real scan job is stopped inside a stage's transaction after it has written rows no one else
may see yet; pages and API reads asked for meanwhile must answer (a bounded wait, so that a
read blocked behind the scan fails the test instead of hanging it) and show the data as it was
committed before the scan; once the scan commits and the job ends, the new data shows.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

import tieguard.exposure
from tieguard.engine import Engine

from .conftest import Web, add_user, demo_employees, make_web

WAIT = 300  # seconds: generous, so that a slow machine passes and only a hang fails
NEW_NAME = "Uncommitted Until The Scan Ends"
NO_SCAN = "No scan has run yet"  # what the dashboard says without a headline


@pytest.fixture()
def web(demo_run: tuple[Path, dict], tmp_path: Path) -> Iterator[Web]:
    """The app over a copy of the small demo (application state on SQLite: the warehouse is
    the subject here)."""
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    built = make_web(db, None)
    with built.client:
        yield built


def _stop_exposure_stage(monkeypatch: pytest.MonkeyPatch, web: Web) -> tuple[threading.Event,
                                                                          threading.Event]:
    """The exposure stage, after its own work, writes rows every page below would show (the
    first employee's ties gone, the second renamed, the headline emptied), signals ``written``
    and waits for ``release`` before its transaction commits."""
    written, release = threading.Event(), threading.Event()
    me, other = web.employees
    real_run = tieguard.exposure.run

    def run(engine: Engine, settings: Any, on_progress: Any = None) -> Any:
        figures = real_run(engine, settings, on_progress)
        engine.execute("DELETE FROM ties WHERE employee_id = ?", [me])
        engine.execute("UPDATE employees SET full_name = ? WHERE employee_id = ?",
                       [NEW_NAME, other])
        engine.execute("DELETE FROM exposure_headline")
        written.set()
        assert release.wait(WAIT), "the test never released the scan"
        return figures

    monkeypatch.setattr(tieguard.exposure, "run", run)
    return written, release


def _reads(web: Web) -> dict[str, Callable[[], httpx.Response]]:
    client = web.client
    return {
        "dashboard": lambda: client.get("/dashboard", headers=web.page("manager")),
        "me": lambda: client.get("/me", headers=web.page("employee")),
        "report": lambda: client.get("/api/v1/me/report", headers=web.api("employee")),
        "employees": lambda: client.get("/api/v1/employees?limit=500",
                                        headers=web.api("analyst")),
        "teams": lambda: client.get("/api/v1/teams", headers=web.api("manager")),
    }


def _answers(web: Web) -> dict[str, httpx.Response]:
    """Every read, all at once from other threads; none may wait for the scan."""
    reads = _reads(web)
    with ThreadPoolExecutor(len(reads)) as pool:
        futures = {name: pool.submit(read) for name, read in reads.items()}
        answers = {name: future.result(WAIT) for name, future in futures.items()}
    for name, res in answers.items():
        assert res.status_code == 200, (name, res.status_code, res.text[-400:])
    return answers


def _name_of(answer: httpx.Response, employee: str) -> str:
    return next(str(e["full_name"]) for e in answer.json()["items"]
                if e["employee_id"] == employee)


def test_pages_answer_from_the_committed_data_while_a_scan_holds_its_stage_open(
        web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    me, other = web.employees
    before = _answers(web)
    old_name = _name_of(before["employees"], other)
    written, release = _stop_exposure_stage(monkeypatch, web)
    web.state.warehouse_changed()  # every page cold: built while the scan holds its stage
    job = web.client.post("/api/v1/scans", headers=web.api("admin")).json()["job"]
    try:
        assert written.wait(WAIT), "the scan never reached its exposure stage"
        during = _answers(web)
    finally:
        release.set()
    assert NO_SCAN not in during["dashboard"].text
    assert during["dashboard"].text == before["dashboard"].text
    assert 'id="holds">yes' in during["me"].text
    assert during["report"].json()["person"]["employee_id"] == me
    assert during["report"].json() == before["report"].json()
    assert _name_of(during["employees"], other) == old_name != NEW_NAME
    assert during["teams"].json() == before["teams"].json()

    web.state.jobs.wait_idle(WAIT)
    status = web.client.get(f"/api/v1/jobs/{job}", headers=web.api("admin")).json()
    assert status["status"] == "done", status
    after = _answers(web)  # the job's end invalidated the kept pages: the commit shows
    assert NO_SCAN in after["dashboard"].text
    assert 'id="holds">none' in after["me"].text
    assert _name_of(after["employees"], other) == NEW_NAME


def test_concurrent_cold_reports_of_different_employees_never_mix(web: Web) -> None:
    """Each employee's report and actions are built at once on read views of their own (their
    scratch tables share names); each gets exactly what a build on its own gives."""
    state = web.state
    employees = demo_employees(state, 8)
    for i, employee in enumerate(employees):
        add_user(web, f"worker{i}", "employee", employee)
    names = [f"worker{i}" for i in range(len(employees))] * 2

    def report(user: str) -> dict[str, Any]:
        res = web.client.get("/api/v1/me/report", headers=web.api(user))
        assert res.status_code == 200, res.text
        return dict(res.json())

    state.warehouse_changed()
    with ThreadPoolExecutor(len(employees)) as pool:
        together = list(pool.map(report, names, timeout=WAIT))
    alone = {}
    for user in names[:len(employees)]:
        state.warehouse_changed()
        alone[user] = report(user)
    for user, got in zip(names, together, strict=True):
        employee = employees[int(user.removeprefix("worker"))]
        assert got["person"]["employee_id"] == employee
        assert got == alone[user]
    assert len({str(r["actions"]) for r in alone.values()}) > 1

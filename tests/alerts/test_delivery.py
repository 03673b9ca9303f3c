"""Delivery: e-mail over STARTTLS, signed webhooks, retries, digests, opt-out, no duplicates."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from pathlib import Path

from tieguard.alerts import dismiss, list_alerts, raise_alerts, send_pending, set_preferences
from tieguard.alerts.channels import signature
from tieguard.settings import Settings

from .org import EXPECTED_ALERTS, SECRET_NAMES, alert_settings, build
from .servers import http_server, smtp_server

TODAY = dt.date(2024, 6, 3)


def _org(**alerts: object) -> tuple[object, Settings]:
    t, _ = build()
    s = alert_settings(**alerts)
    raise_alerts(t.engine, s, today=TODAY)
    return t, s


def _no_sleep(waits: list[float]):  # type: ignore[no-untyped-def]
    return waits.append


def test_email_over_starttls_once_per_digest_and_never_twice(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (port, cert, box):
        t, s = _org(smtp_host="localhost", smtp_port=port, smtp_ca_file=str(cert),
                    smtp_username="alerts", smtp_password="s3cret", digest="daily")
        result = send_pending(t.engine, s, today=TODAY)  # type: ignore[attr-defined]
        assert (result.sent, result.failed) == (2, 0)  # E1's two alerts in one daily digest, E2's one
        assert box.logins == ["alerts", "alerts"]
        again = send_pending(t.engine, s, today=TODAY)  # type: ignore[attr-defined]
        assert (again.sent, again.queued.messages) == (0, 0)
    assert sorted(m.rcpt_tos[0] for m in box.messages) == ["e1@ourco.example", "e2@ourco.example"]
    texts = [email.message_from_bytes(m.content, policy=email.policy.default) for m in box.messages]
    assert all(msg["Message-ID"].endswith("@tieguard>") for msg in texts)
    bodies = " ".join(msg.get_content() for msg in texts)
    assert "Pumps for Plant 2" in bodies and "A new connection at Account A4" in bodies
    for name in SECRET_NAMES:
        assert name not in bodies


def test_email_refused_without_starttls_is_kept_and_reported(tmp_path: Path) -> None:
    with smtp_server(tmp_path, tls=False) as (port, _, box):
        t, s = _org(smtp_host="localhost", smtp_port=port, retries=1, backoff_seconds=0)
        waits: list[float] = []
        result = send_pending(t.engine, s, today=TODAY, sleep=_no_sleep(waits))  # type: ignore[attr-defined]
    assert result.sent == 0 and result.failed == 2 and box.messages == []
    assert "STARTTLS" in result.failures[0]["error"]
    pending = t.engine.scalar("SELECT count(*) FROM alert_outbox")  # type: ignore[attr-defined]
    assert pending == 2


def test_webhook_retries_with_backoff_signs_and_never_duplicates() -> None:
    with http_server(fail_first=2) as (url, hook):
        t, s = _org(webhook_url=url, webhook_secret="k3y", digest="immediate", retries=3,
                    backoff_seconds=0.5)
        waits: list[float] = []
        result = send_pending(t.engine, s, today=TODAY, sleep=_no_sleep(waits))  # type: ignore[attr-defined]
        assert (result.sent, result.failed) == (3, 0)
        assert waits == [0.5, 1.0]  # two failures, back-off doubling
        again = send_pending(t.engine, s, today=TODAY)  # type: ignore[attr-defined]
        assert again.sent == 0
    assert len(hook.requests) == 3 and hook.calls == 5
    sent_alerts = set()
    for req in hook.requests:
        assert req["headers"]["X-Tieguard-Signature"] == signature("k3y", req["body"])
        sent_alerts |= {a["alert_id"] for a in req["json"]["alerts"]}
    ids = {r[0] for r in t.engine.fetchall(  # type: ignore[attr-defined]
        "SELECT alert_id FROM alerts WHERE suppressed_because IS NULL")}
    assert sent_alerts == ids and len(ids) == len(EXPECTED_ALERTS)
    outcomes = t.engine.fetchall(  # type: ignore[attr-defined]
        "SELECT outcome, count(*) FROM alert_deliveries GROUP BY ALL ORDER BY 1")
    assert outcomes == [("failed", 2), ("sent", 3)]
    assert {a.status for a in list_alerts(t.engine, today=TODAY)} == {"sent"}  # type: ignore[attr-defined]


def test_failed_webhook_is_not_lost_and_goes_out_once_the_receiver_is_back() -> None:
    t, s = _org(webhook_url="http://127.0.0.1:9/unreachable", retries=0, timeout_seconds=2)
    down = send_pending(t.engine, s, today=TODAY)  # type: ignore[attr-defined]
    assert down.failed == 2 and down.sent == 0
    with http_server() as (url, hook):
        # the receiver is back (at the URL now in the settings): pending messages go there
        back = send_pending(t.engine, alert_settings(webhook_url=url), today=TODAY)  # type: ignore[attr-defined]
    assert back.sent == 2 and back.queued.messages == 0 and len(hook.requests) == 2
    attempts = t.engine.fetchall(  # type: ignore[attr-defined]
        "SELECT max(attempt) FROM alert_deliveries GROUP BY message_id")
    assert sorted(a[0] for a in attempts) == [2, 2]


def test_slack_body_opt_out_and_dismissed_alerts() -> None:
    with http_server() as (url, hook):
        t, s = _org(webhook_url=url, webhook_format="slack", smtp_host="", digest="weekly")
        first = list_alerts(t.engine, employee_id="E2", today=TODAY)[0]  # type: ignore[attr-defined]
        dismiss(t.engine, first.alert_id)  # type: ignore[attr-defined]
        set_preferences(t.engine, "E1", email_opt_out=True)  # type: ignore[attr-defined]
        result = send_pending(t.engine, s, today=TODAY)  # type: ignore[attr-defined]
    assert result.sent == 1  # E2's only alert was dismissed; E1's two go in one weekly message
    body = hook.requests[0]["json"]
    assert body["text"].startswith("*tieguard: 2 new connections")
    assert body["tieguard"]["period"] == "week 2024-W23"


def test_dry_run_sends_and_stores_nothing() -> None:
    with http_server() as (url, hook):
        t, s = _org(webhook_url=url)
        result = send_pending(t.engine, s, dry_run=True, today=TODAY)  # type: ignore[attr-defined]
        assert len(result.would_send) == 2 and hook.requests == []
        assert t.engine.scalar("SELECT count(*) FROM alert_outbox") == 0  # type: ignore[attr-defined]
        assert json.dumps(result.as_json())

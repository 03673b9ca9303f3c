"""Alerts in the web app: an employee sees and handles only their own alerts; an
administrator sees the alert settings and the delivery state, failures included."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

from tieguard import alerts
from tieguard.settings import with_overrides

from .conftest import Web, add_user


def _alerted(web: Web) -> tuple[str, list[alerts.Alert]]:
    """A user for the employee with the most alerts (not one of the fixture's employees)."""
    owner = str(web.state.warehouse.engine.scalar(
        "SELECT employee_id FROM alerts WHERE suppressed_because IS NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))
    assert owner not in web.employees
    add_user(web, "alerted", "employee", owner)
    found = alerts.list_alerts(web.state.warehouse.engine, employee_id=owner)
    assert len(found) >= 3
    return owner, found


def _form(web: Web, user: str, url: str, **data: str) -> Any:
    return web.client.post(url, data=data | {"csrf_token": web.csrf[user]},
                           headers={"Cookie": web.page(user)["Cookie"]})


def test_an_employee_sees_and_handles_only_their_own_alerts(web: Web) -> None:
    owner, found = _alerted(web)
    ids = [a.alert_id for a in found]
    page = web.client.get("/me/alerts", headers=web.page("alerted"))
    assert page.status_code == 200 and all(f'id="alert-{i[:12]}"' in page.text for i in ids)
    dutch = web.client.get("/me/alerts", headers=web.page("alerted") | {"Accept-Language": "nl"})
    assert "<h1>Je meldingen</h1>" in dutch.text and ">Negeren</button>" in dutch.text
    mine = web.client.get("/api/v1/me/alerts?limit=2", headers=web.api("alerted")).json()
    assert mine["total"] == len(ids) and [a["alert_id"] for a in mine["items"]] == ids[:2]

    for other in ("employee", "employee2"):  # no alerts of their own, and none of the owner's
        text = web.client.get("/me/alerts", headers=web.page(other)).text
        assert 'id="alerts-empty"' in text and not any(i[:12] in text for i in ids)
        assert web.client.get("/api/v1/me/alerts", headers=web.api(other)).json()["total"] == 0
        res = web.client.post(f"/api/v1/me/alerts/{ids[0]}", json={"action": "dismiss"},
                              headers=web.api(other))
        assert res.status_code == 404
        assert _form(web, other, f"/me/alerts/{ids[0]}", action="dismiss").status_code == 404
    engine = web.state.warehouse.engine
    assert engine.scalar("SELECT count(*) FROM alert_actions") == 0

    res = _form(web, "alerted", f"/me/alerts/{ids[0]}", action="dismiss")
    assert res.status_code == 303
    web.finished("alerted", res)
    until = dt.date.today() + dt.timedelta(days=9)
    web.finished("alerted", web.client.post(f"/api/v1/me/alerts/{ids[1]}", json={
        "action": "snooze", "until": until.isoformat()}, headers=web.api("alerted")))
    past = web.client.post(f"/api/v1/me/alerts/{ids[2]}", json={"action": "snooze",
                           "until": "2020-01-01"}, headers=web.api("alerted"))
    assert past.status_code == 400 and "after today" in past.json()["detail"]
    status = {a.alert_id: (a.status, a.snoozed_until) for a in
              alerts.list_alerts(engine, employee_id=owner)}
    assert status[ids[0]] == ("dismissed", None) and status[ids[1]] == ("snoozed", until)
    assert {str(r[0]) for r in engine.fetchall("SELECT acted_by FROM alert_actions")} == {"alerted"}

    web.finished("alerted", web.client.put("/api/v1/me/alert-preferences", json={
        "email_opt_out": True, "digest": "weekly"}, headers=web.api("alerted")))
    assert alerts.get_preferences(engine, owner) == alerts.Preferences(owner, True, "weekly")
    web.finished("alerted", _form(web, "alerted", "/me/alert-preferences", email="on", digest=""))
    assert alerts.get_preferences(engine, owner).email_opt_out is False


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_admin_sees_alert_settings_and_a_failed_delivery(web: Web) -> None:
    raised = len(alerts.list_alerts(web.state.warehouse.engine))
    page = web.client.get("/admin/alerts", headers=web.page("admin"))
    assert page.status_code == 200 and "not set up (no SMTP host)" in page.text
    before = web.client.get("/api/v1/alerts/delivery", headers=web.api("admin")).json()
    assert sum(before["state"]["alerts_by_status"].values()) == raised
    assert before["channels"] == {"email": False, "webhook": False}

    hook = f"http://127.0.0.1:{_closed_port()}/hook"  # nothing listens: every attempt fails
    web.state.use_settings(with_overrides(web.state.warehouse.settings, {
        "alerts.webhook_url": hook, "alerts.retries": 0, "alerts.timeout_seconds": 2}))
    job = web.finished("admin", web.client.post("/admin/alerts/send", headers=web.page("admin")))
    after = web.client.get("/api/v1/alerts/delivery", headers=web.api("admin")).json()
    webhook = after["state"]["messages"]["webhook"]
    assert webhook["queued"] > 0 and webhook["sent"] == 0 and webhook["pending"] == webhook["queued"]
    assert f"{webhook['queued']} failed" in job["summary"]
    failure = after["state"]["failures"][0]
    assert failure["channel"] == "webhook" and "could not be reached" in failure["error"]
    page = web.client.get("/admin/alerts", headers=web.page("admin")).text
    assert "could not be reached" in page and 'id="channel-webhook">set up (json)' in page

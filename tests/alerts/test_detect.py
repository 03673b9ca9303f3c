"""Detection on a hand-built timeline: the right alerts, and no others (see org.py)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from tieguard.alerts import dismiss, list_alerts, raise_alerts, reopen, snooze

from .org import EXPECTED_ALERTS, SECRET_NAMES, add_export, build

TODAY = dt.date(2024, 6, 3)


def _judged(t) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {r[0]: r[1] for r in t.engine.fetchall("SELECT tie_id, suppressed_because FROM alerts")}


def test_right_alerts_fire_and_no_others() -> None:
    t, s = build()
    result = raise_alerts(t.engine, s, today=TODAY)
    judged = _judged(t)
    raised = {k for k, v in judged.items() if v is None}
    assert raised == EXPECTED_ALERTS
    assert result.alerts == len(EXPECTED_ALERTS)
    assert judged["t_customer"] == "long-standing customer"
    assert judged["t_colleague"] == "colleague or competitor"
    assert judged["t_seen"] == "account already visible to the competitor"
    assert judged["t_hidden"].startswith("not visible")
    # before hire, after leaving, not new, no CRM record: not even judged
    assert not {"t_before_hire", "t_left", "t_old", "t_nocrm"} & judged.keys()


def test_each_export_is_checked_once_and_a_rerun_changes_nothing() -> None:
    t, s = build()
    raise_alerts(t.engine, s, today=TODAY)
    before = t.engine.fetchall("SELECT * EXCLUDE (created_at) FROM alerts ORDER BY alert_id")
    again = raise_alerts(t.engine, s, today=TODAY)
    assert again.exports_checked == 0 and again.alerts == 0
    assert t.engine.fetchall("SELECT * EXCLUDE (created_at) FROM alerts ORDER BY alert_id") == before


def test_risk_score_is_the_reports_tie_exposure_score() -> None:
    t, s = build()
    raise_alerts(t.engine, s, today=TODAY)
    rows = t.engine.fetchall(
        "SELECT a.tie_id, a.risk_score, e.score FROM alerts a JOIN tie_exposure e USING (tie_id) "
        "WHERE a.suppressed_because IS NULL")
    assert {r[0] for r in rows} == EXPECTED_ALERTS  # the baseline saw every raised one
    for tie_id, risk, score in rows:
        assert risk == pytest.approx(score), tie_id


def test_alert_says_why_what_to_do_and_head_start() -> None:
    t, s = build()
    raise_alerts(t.engine, s, today=TODAY)
    by_tie = {r[0]: r[1] for r in t.engine.fetchall("SELECT tie_id, alert_id FROM alerts")}
    alerts = {a.alert_id: a for a in list_alerts(t.engine, today=TODAY)}
    committee = alerts[by_tie["t_committee"]]
    assert committee.opportunity_id == "O1" and committee.contact_role == "Decision Maker"
    assert committee.value_band == "50k-250k" and committee.channel == "list"
    assert committee.competitor_sees_on == dt.date(2024, 5, 20)
    assert committee.head_start_days == (dt.date(2024, 9, 30) - dt.date(2024, 5, 20)).days
    assert committee.advice is not None
    assert "Negotiation" in committee.advice and "Hide your connection list" in committee.advice
    assert f"{committee.head_start_days} days of head start" in committee.advice
    shared = alerts[by_tie["t_shared"]]
    assert shared.channel == "shared" and "does not remove" in (shared.advice or "")


def test_visibility_changes_over_time() -> None:
    """E2's list is hidden from May; shown again from 2024-07-01, a newer export's tie alerts."""
    t, s = build()
    raise_alerts(t.engine, s, today=TODAY)
    t.privacy("E2", "2024-07-01", "connections")
    add_export(t, "E2", "S3_E2", "2024-07-08")
    t.person("p_a5_july", account_id="A5", contact_id="C5b")
    t.tie("t_july", "E2", "p_a5_july", "2024-07-03")
    t.engine.execute("UPDATE ties SET first_import_id = 'S3_E2' WHERE tie_id = 't_july'")
    result = raise_alerts(t.engine, s, today=dt.date(2024, 7, 8))
    assert result.exports_checked == 1
    judged = _judged(t)
    assert judged["t_july"] is None  # the list is visible again: this one leaks
    assert str(judged["t_hidden"]).startswith("not visible")  # judged at its own export's date


def test_first_run_judges_only_the_newest_export() -> None:
    t, s = build(run_scan=False)
    add_export(t, "E1", "S0_E1", "2024-01-15")  # an older pair S0 -> S1 exists too
    t.person("p_jan", account_id="A6", contact_id="C6x")
    t.tie("t_jan", "E1", "p_jan", "2024-02-01")
    t.engine.execute("UPDATE ties SET first_import_id = 'S1_E1' WHERE tie_id = 't_jan'")
    raise_alerts(t.engine, s, today=TODAY)
    assert "t_jan" not in _judged(t)
    checked = {r[0] for r in t.engine.fetchall("SELECT import_id FROM alert_snapshots")}
    assert checked == {"S2_E1", "S2_E2", "S2_E3", "S2_E4"}


def test_no_plaintext_of_unmatched_people_in_alerts_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    t, s = build()
    with caplog.at_level(logging.DEBUG):
        raise_alerts(t.engine, s, today=TODAY)
    text = " ".join(str(v) for row in t.engine.fetchall("SELECT * FROM alerts") for v in row)
    text += caplog.text
    for name in SECRET_NAMES:
        assert name not in text
    assert "zed-secretname" not in text
    by_tie = {r[0]: r[1] for r in t.engine.fetchall("SELECT tie_id, advice FROM alerts")}
    assert str(by_tie["t_target"]).startswith("A new connection at Account A4")


def test_dismiss_snooze_reopen() -> None:
    t, s = build()
    raise_alerts(t.engine, s, today=TODAY)
    first, second, _ = list_alerts(t.engine, today=TODAY)
    assert dismiss(t.engine, first.alert_id).status == "dismissed"
    until = dt.date.today() + dt.timedelta(days=3)
    assert snooze(t.engine, second.alert_id, until).snoozed_until == until
    assert {a.status for a in list_alerts(t.engine)} == {"dismissed", "snoozed", "open"}
    assert len(list_alerts(t.engine, status="open")) == 1
    assert reopen(t.engine, first.alert_id).status == "open"
    assert [a.employee_id for a in list_alerts(t.engine, employee_id="E2")] == ["E2"]
    assert list_alerts(t.engine, since=dt.date(2024, 6, 4)) == []


def test_a_person_resolve_has_not_seen_yet_matches_by_profile_url() -> None:
    t, s = build()
    t.engine.execute("INSERT INTO contacts (contact_id, account_id, profile_url) "
                     "VALUES ('C9', 'A6', 'https://www.linkedin.com/in/new-buyer')")
    t.engine.execute("INSERT INTO contact_roles VALUES ('O6', 'C9', 'Economic Buyer', 'economic_buyer', false)")
    t.person("p_url")  # no tie_matches row: the import came after the last scan
    t.engine.execute("UPDATE tie_people SET profile_url = 'https://www.LinkedIn.com/in/new-buyer' "
                     "WHERE person_key = 'p_url'")
    t.engine.execute("DELETE FROM person_roles WHERE person_key = 'p_url'")  # roles have not run either
    t.tie("t_url", "E1", "p_url", "2024-05-20")
    t.engine.execute("UPDATE ties SET first_import_id = 'S2_E1' WHERE tie_id = 't_url'")
    raise_alerts(t.engine, s, today=TODAY)
    row = t.engine.fetchone("SELECT contact_id, match_probability, buying_role_weight, reasons, "
                            "suppressed_because FROM alerts WHERE tie_id = 't_url'")
    assert row == ("C9", 1.0, 1.0, "buying_committee|open_opportunity", None)

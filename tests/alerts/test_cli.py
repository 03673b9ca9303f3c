"""End to end through the CLI on the generated demo organisation."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse

runner = CliRunner()


def _copy(demo_run: tuple[Path, dict], tmp_path: Path) -> Path:
    out, _ = demo_run
    db = tmp_path / "w.duckdb"
    shutil.copy(out / "tieguard.duckdb", db)
    return db


def test_demo_shows_the_alerts_of_its_last_exports(demo_run: tuple[Path, dict], tmp_path: Path) -> None:
    _, head = demo_run
    db = _copy(demo_run, tmp_path)
    result = runner.invoke(app, ["alerts", "list", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["alerts"]
    assert len(listed) == head["alerts"]["alerts"] > 0
    for alert in listed:
        assert alert["status"] == "open" and alert["advice"] and alert["reasons"]
        if alert["contact_id"] is None:  # an unmatched person: the account, nothing else
            assert alert["advice"].startswith("A new connection at ") and alert["contact_name"] is None
    one = listed[0]
    mine = runner.invoke(app, ["alerts", "list", "--db", str(db), "--json", "--employee", one["employee_id"]])
    assert {a["employee_id"] for a in json.loads(mine.stdout)["alerts"]} == {one["employee_id"]}
    table = runner.invoke(app, ["alerts", "list", "--db", str(db)])
    assert table.exit_code == 0 and one["alert_id"][:10] in table.stdout
    dismissed = runner.invoke(app, ["alerts", "dismiss", one["alert_id"][:12], "--db", str(db)])
    assert "dismissed" in dismissed.stdout
    dry = runner.invoke(app, ["alerts", "send", "--dry-run", "--db", str(db), "--json"])
    assert dry.exit_code == 0 and json.loads(dry.stdout)["would_send"] == []  # no channel configured


def test_import_of_a_newer_export_raises_its_alert(demo_run: tuple[Path, dict], tmp_path: Path) -> None:
    db = _copy(demo_run, tmp_path)
    engine = open_warehouse(db)
    try:
        last = engine.scalar("SELECT max(exported_on) FROM snapshots")
        employee = engine.scalar(
            "SELECT e.employee_id FROM employees e JOIN snapshots s USING (employee_id) "
            "LEFT JOIN profiles p ON p.employee_id = e.employee_id AND p.network = 'linkedin' "
            "WHERE coalesce(p.shows_company, true) AND e.left_on IS NULL AND coalesce((SELECT "
            "arg_max(connections_visibility, valid_from) FROM privacy_settings v WHERE "
            "v.employee_id = e.employee_id), 'connections') = 'connections' ORDER BY 1 LIMIT 1")
        day = last + dt.timedelta(days=3)
        account = engine.fetchone(  # an account the competitor has not seen, not a customer
            "SELECT a.account_id, a.name FROM accounts a "
            "WHERE lower(coalesce(a.account_type, '')) <> 'customer' "
            "AND a.account_id NOT IN (SELECT account_id FROM competitor_leads WHERE account_id IS NOT NULL) "
            "AND a.account_id NOT IN (SELECT account_id FROM opportunities WHERE is_won) "
            "AND (SELECT count(*) FROM accounts b WHERE lower(b.name) = lower(a.name)) = 1 "
            "ORDER BY 1 LIMIT 1")
    finally:
        engine.close()
    assert employee and account
    (tmp_path / "targets.csv").write_text(f"account_id\n{account[0]}\n", encoding="utf-8")
    loaded = runner.invoke(app, ["alerts", "targets", str(tmp_path / "targets.csv"), "--db", str(db)])
    assert "1 target accounts loaded" in loaded.stdout, loaded.output
    # a target account without deals scores low: accept every score in this warehouse's settings
    (tmp_path / "tieguard.toml").write_text("[alerts]\nmin_score = 0.5\n", encoding="utf-8")
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   f"Quirin,Hiddenname,https://www.linkedin.com/in/quirin-hiddenname-1a2b3c,,"
                   f"{account[1]},Head of Purchasing,{day:%d %b %Y}\n", encoding="utf-8")
    # a one-row "export" removes the employee's other ties: the removal guard needs consent
    result = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(csv), "--employee", employee,
                                 "--exported-on", day.isoformat(), "--db", str(db),
                                 "--accept-removals"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(app, ["alerts", "list", "--db", str(db), "--json",
                                            "--since", day.isoformat()]).stdout)["alerts"]
    assert [a["employee_id"] for a in listed] == [employee]
    assert listed[0]["account_id"] == account[0] and "target_account" in listed[0]["reasons"]
    assert listed[0]["advice"].startswith("A new connection at ")
    text = json.dumps(listed)
    assert "Quirin" not in text and "Hiddenname" not in text and "quirin" not in text

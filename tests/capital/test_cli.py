"""``tieguard capital`` commands through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.engine import Engine
from tieguard.warehouse import open_warehouse

from .conftest import AS_OF

runner = CliRunner()


@pytest.fixture()
def db(org: Engine, tmp_path: Path) -> Path:
    org.close()
    path = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["capital", "build", "--db", str(path),
                                 "--as-of", AS_OF.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["accounts_at_key_person_risk"] == 2
    return path


def test_accounts_and_risk_json(db: Path) -> None:
    accounts = json.loads(runner.invoke(app, ["capital", "accounts", "--db", str(db),
                                              "--json"]).stdout)["accounts"]
    assert accounts[0]["account_id"] == "A1"  # highest value first
    risk = json.loads(runner.invoke(app, ["capital", "risk", "--db", str(db), "--json"]).stdout)
    assert risk["at_risk"] == 2 and risk["value_at_risk"] == 120_000.0


def test_tables_print_without_json(db: Path) -> None:
    for args in (["accounts"], ["risk"], ["departure", "E1"], ["intro", "Beta Werke"]):
        result = runner.invoke(app, ["capital", *args, "--db", str(db)])
        assert result.exit_code == 0, result.output
    assert "Acme" in runner.invoke(app, ["capital", "risk", "--db", str(db)]).stdout


def test_departure_and_intro_json(db: Path) -> None:
    report = json.loads(runner.invoke(app, ["capital", "departure", "E1", "--db", str(db),
                                            "--json"]).stdout)
    assert report["value_lost"] == 100_000.0
    result = json.loads(runner.invoke(app, ["capital", "intro", "A2", "--db", str(db),
                                            "--json", "--limit", "1"]).stdout)
    assert [p["employee_id"] for p in result["paths"]] == ["E2"]


def test_unknown_target_is_a_clear_error(db: Path) -> None:
    result = runner.invoke(app, ["capital", "intro", "Omega Corp", "--db", str(db)])
    assert result.exit_code == 6
    message = " ".join(result.output.split())
    assert "Close candidates" in message and "Acme Industrial (account A1)" in message
    assert "Traceback" not in message


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["capital", "risk", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 4 and "does not exist" in " ".join(result.output.split())


@pytest.mark.parametrize("command", ["build", "accounts", "risk", "departure", "intro"])
def test_help_ends_with_example(command: str) -> None:
    result = runner.invoke(app, ["capital", command, "--help"])
    assert result.exit_code == 0
    assert "Example: tieguard capital" in result.stdout


@pytest.mark.parametrize("command", [["risk"], ["accounts"], ["departure", "E1"], ["intro", "A1"]])
def test_views_before_the_capital_stage_ran_say_so(org: Engine, tmp_path: Path,
                                                   command: list[str]) -> None:
    org.close()  # the warehouse holds a roster and ties, but no scan has run
    result = runner.invoke(app, ["capital", *command, "--db", str(tmp_path / "w.duckdb")])
    message = " ".join(result.output.split())
    assert result.exit_code == 4, message
    assert "capital stage, which has not run" in message and "tieguard scan" in message
    assert "Traceback" not in message


def test_build_reads_the_settings_file_beside_the_warehouse(org: Engine, tmp_path: Path) -> None:
    org.close()
    (tmp_path / "tieguard.toml").write_text(
        f'[capital]\nas_of = "{AS_OF.isoformat()}"\nhalf_life_days = 30\n', encoding="utf-8")
    result = runner.invoke(app, ["capital", "build", "--db", str(tmp_path / "w.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == AS_OF.isoformat()
    engine = open_warehouse(tmp_path / "w.duckdb")
    try:  # E2-C3's last evidence (a win) is 486 days old: 0.5^(486/30), not 0.5^(486/730)
        assert engine.scalar("SELECT min(decay) FROM relationship_strength") < 0.01
    finally:
        engine.close()

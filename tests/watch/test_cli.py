"""``tieguard scan`` and ``tieguard whatif`` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse, record_stage_run

from .timeline import Timeline

runner = CliRunner()


def _warehouse(tmp_path: Path, ran: bool = True) -> tuple[Path, Path]:
    db = tmp_path / "w.duckdb"
    tl = Timeline(str(db)).employee("S1").employee("X1", job_role="engineering")
    tl.account("A1").person("P1", account_id="A1", contact_id="C1").person("P2", account_id="A1")
    tl.opportunity("O1", "A1", amount=1000.0, created_on="2024-01-01", close_date="2024-09-01",
                   is_closed=True, is_won=True, contacts=["C1"])
    tl.tie("T1", "S1", "P1", "2024-02-01").tie("T2", "X1", "P2", "2024-03-01")
    if ran:
        tl.ran("roles", "resolve")
    tl.engine.close()
    cfg = tmp_path / "tieguard.toml"
    cfg.write_text('[watch]\nwatched = "all"\nstart = "2024-01-01"\nend = "2024-12-30"\n'
                   "shared_fraction = 0.0\n")
    return db, cfg


@pytest.fixture()
def warehouse(tmp_path: Path) -> tuple[Path, Path]:
    return _warehouse(tmp_path)


def test_scan_json_prints_headline(warehouse: tuple[Path, Path]) -> None:
    db, cfg = warehouse
    res = runner.invoke(app, ["scan", "--db", str(db), "--config", str(cfg),
                                 "--stage", "watch", "--stage", "exposure", "--json"])
    assert res.exit_code == 0, res.output
    head = json.loads(res.stdout)
    for key in ("deals_revealed", "deals_revealed_value", "head_start_days_median",
                "lead_precision", "leads"):
        assert key in head
    assert head["deals_revealed"] == 1.0 and head["deals_revealed_value"] == 1000.0


def test_scan_table_output(warehouse: tuple[Path, Path]) -> None:
    db, cfg = warehouse
    res = runner.invoke(app, ["scan", "--db", str(db), "--config", str(cfg),
                                 "--stage", "watch", "--stage", "exposure"])
    assert res.exit_code == 0, res.output
    assert "Deals revealed" in res.stdout and "100.0%" in res.stdout


def test_whatif_side_by_side(warehouse: tuple[Path, Path]) -> None:
    db, cfg = warehouse
    res = runner.invoke(app, ["whatif", "--db", str(db), "--config", str(cfg), "--json",
                              "-p", "hide_lists_sales", "-p", "connect_after_close"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [p["policy"] for p in data["policies"]] == ["hide_lists_sales", "connect_after_close"]
    cac = data["policies"][1]
    assert cac["after"]["deals_revealed"] == 0.0 and cac["cost"]["ties_delayed"] == 2
    res = runner.invoke(app, ["whatif", "--db", str(db), "--config", str(cfg),
                              "-p", "block_social_at_work"])
    assert res.exit_code == 0, res.output
    assert "block_social_at_work" in res.stdout and "pts" in res.stdout and "adopt" in res.stdout


def test_whatif_bad_policy_is_a_clear_error(warehouse: tuple[Path, Path], tmp_path: Path) -> None:
    db, cfg = warehouse
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: hide_lists\nadoption: 2\n")
    res = runner.invoke(app, ["whatif", "--db", str(db), "--config", str(cfg), "-p", str(bad)])
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and "adoption" in res.output
    assert "Traceback" not in res.output


def _error(res: object) -> str:
    return " ".join(str(getattr(res, "output", "")).split())


def test_commands_before_the_scan_name_the_missing_stage(tmp_path: Path) -> None:
    db, cfg = _warehouse(tmp_path, ran=False)
    res = runner.invoke(app, ["whatif", "--db", str(db), "--config", str(cfg), "-p", "training"])
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert "needs the output of the roles stage" in _error(res) and "tieguard scan" in _error(res)
    res = runner.invoke(app, ["scan", "--db", str(db), "--config", str(cfg), "--stage", "exposure"])
    assert res.exit_code != 0 and "needs the output of the watch stage" in _error(res)
    res = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert res.exit_code != 0
    assert "needs the output of the watch and exposure stages" in _error(res)
    res = runner.invoke(app, ["report", "employee", "S1", "--db", str(db), "--out", str(tmp_path / "r")])
    assert res.exit_code != 0 and "watch stage" in _error(res)
    assert not (tmp_path / "r" / "index.html").exists()
    # once the earlier stages ran, the same commands work
    engine = open_warehouse(db)
    record_stage_run(engine, "roles", 0.0, {})
    record_stage_run(engine, "resolve", 0.0, {})
    engine.close()
    res = runner.invoke(app, ["scan", "--db", str(db), "--config", str(cfg), "--stage", "watch",
                              "--stage", "exposure"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output

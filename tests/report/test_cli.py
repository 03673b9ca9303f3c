"""``tieguard report`` and ``tieguard report employee``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse

from .conftest import populate

runner = CliRunner()


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    engine = open_warehouse(db)
    populate(engine)
    engine.close()
    return db


def test_report_json(tmp_path: Path) -> None:
    db = _db(tmp_path)
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "r"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert Path(summary["report"]).is_file()
    assert "58%" in summary["sentence"]
    assert all(Path(p).is_file() for p in summary["exports"])


def test_report_employee(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "r"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out), "employee", "E7"])
    assert result.exit_code == 0, result.output
    assert (out / "employees" / "E7.html").is_file()
    result = runner.invoke(app, ["report", "employee", "E7", "--db", str(db), "--out", str(out),
                                 "--json"])
    assert json.loads(result.stdout)["report"].endswith("E7.html")


def test_report_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(tmp_path / "absent.duckdb")])
    assert result.exit_code == 4
    text = " ".join(result.output.split())
    assert "does not exist" in text and "Traceback" not in text
    db = _db(tmp_path)
    result = runner.invoke(app, ["report", "employee", "NOPE", "--db", str(db)])
    assert result.exit_code == 6
    assert "No employee with id 'NOPE'" in " ".join(result.output.split())


def test_help_ends_with_an_example() -> None:
    for args in (["report", "--help"], ["report", "employee", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert "Example: tieguard report" in result.output

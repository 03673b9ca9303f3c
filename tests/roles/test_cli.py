"""tieguard roles classify: arguments, CSV in/out, JSON, errors without tracebacks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app

runner = CliRunner()


def test_classify_arguments_as_json() -> None:
    result = runner.invoke(app, ["roles", "classify", "--json", "Einkaufsleiter", "🚀"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["results"][0]["seniority"] == "head"
    assert data["results"][1]["function"] == "unknown"


def test_classify_csv_in_csv_out_keeps_input_columns(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("First Name;Position\nAnna;Leiter Einkauf (m/w/d)\nBob;\n", encoding="utf-8")
    dest = tmp_path / "out.csv"
    result = runner.invoke(app, ["roles", "classify", "--in", str(src), "--out", str(dest)])
    assert result.exit_code == 0, result.output
    with dest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["First Name", "Position", "seniority", "function", "buying_roles", "language", "confidence"]
    assert rows[0]["seniority"] == "head" and "procurement" in rows[0]["buying_roles"].split("|")
    assert rows[1]["function"] == "unknown"


def test_unknown_column_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["roles", "classify", "--in", str(src), "--column", "Title"])
    assert result.exit_code == 2
    assert "--column" in result.output and "Traceback" not in result.output


def test_no_input_is_a_clear_error() -> None:
    result = runner.invoke(app, ["roles", "classify"])
    assert result.exit_code == 2

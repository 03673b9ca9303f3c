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


def test_roles_settings_of_the_config_file_are_honoured(tmp_path: Path) -> None:
    config = tmp_path / "tieguard.toml"
    table = tmp_path / "buying.yaml"
    table.write_text(
        "rules:\n  - function: sales\n    seniority: '*'\n    roles: {decision_maker: 0.9}\n", encoding="utf-8"
    )
    config.write_text(f'[roles]\nfuzzy = false\nbuying_table = "{table}"\n', encoding="utf-8")
    title = "Kalkzandsteenmetselaar"
    default = json.loads(runner.invoke(app, ["roles", "classify", "--json", title, "Sales Manager"]).stdout)
    configured = json.loads(
        runner.invoke(app, ["roles", "classify", "--json", "--config", str(config), title, "Sales Manager"]).stdout
    )
    assert default["results"][0]["function"] == "production"
    assert configured["results"][0]["function"] == "unknown"  # fuzzy = false: no learned guess
    assert default["results"][1]["buying_roles"] == {}
    assert configured["results"][1]["buying_roles"] == {"decision_maker": 0.9}


def test_explain_adds_the_evidence_only_when_asked(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("title\nEinkaufsleiter\n", encoding="utf-8")
    plain = runner.invoke(app, ["roles", "classify", "--in", str(src), "--json"])
    explained = runner.invoke(app, ["roles", "classify", "--in", str(src), "--json", "--explain"])
    assert "evidence" not in json.loads(plain.stdout)["results"][0]
    assert "compound:einkaufsleiter" in json.loads(explained.stdout)["results"][0]["evidence"]


def test_csv_with_quotes_bom_and_cp1252_is_read_by_header_name(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes("\ufeffName,Title\r\n\"Doe, J.\",\"Leiter \"\"Einkauf\"\"\"\r\n".encode() + "X,Gesch\xe4ftsf\xfchrer\r\n".encode("cp1252"))
    result = runner.invoke(app, ["roles", "classify", "--in", str(src), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert rows[0]["Name"] == "Doe, J." and rows[0]["seniority"] == "head"
    assert rows[1]["Title"] == "Geschäftsführer" and rows[1]["seniority"] == "c_level"


def test_import_of_the_roles_package_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tieguard.roles; from tieguard.roles import rules, normalise; "
        "print('pyarrow.compute' in sys.modules, 'tieguard.roles.classifier' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]

"""End-to-end through the CLI (typer CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse, table_counts

runner = CliRunner()


def test_dry_run_json_stores_nothing(fixtures: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(fixtures / "current.csv"),
                                 "--employee", "E1", "--dry-run", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["format"], data["rows"], data["ties"], data["hidden_members"]) == \
        ("linkedin_current", 7, 5, 2)
    assert not db.exists()


def test_import_then_reimport_and_problems(fixtures: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    args = ["import", "linkedin", str(fixtures / "impossible_dates.csv"), "--employee", "E1",
            "--db", str(db), "--supplied-by", "dpo", "--basis", "legitimate_interest", "--create"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0 and "impossible_dates.csv:2:Connected On" in first.stdout
    second = runner.invoke(app, [*args, "--json"])
    assert json.loads(second.stdout)["already_imported"] is True
    engine = open_warehouse(db)
    assert engine.fetchall("SELECT supplied_by, basis FROM imports") == \
        [("dpo", "legitimate_interest")]
    assert table_counts(engine)["quarantine"] == 3
    engine.close()


def test_refusal_is_a_message_not_a_traceback(fixtures: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(fixtures / "binary.csv"),
                                 "--employee", "E1", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 3 and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_other_commands(fixtures: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    calls = [
        ["roster", str(fixtures / "roster.csv"), str(fixtures / "privacy.csv")],
        ["org", str(fixtures / "organisation.toml")],
        ["crm", str(fixtures / "hubspot"), "--format", "hubspot"],
        ["invitations", str(fixtures / "Invitations.csv"), "--employee", "E1", "--basis",
         "consent"],
    ]
    for call in calls:
        result = runner.invoke(app, ["import", *call, "--db", db, "--json", "--create"])
        assert result.exit_code == 0, (call, result.output)
        assert "import_id" in json.loads(result.stdout) or "imports" in result.stdout
    vcf = tmp_path / "c.vcf"
    vcf.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nN:Lee;Ann;;;\nEND:VCARD\n")
    result = runner.invoke(app, ["import", "vcard", "--basis", "consent", str(vcf), "--employee", "E1", "--db", db])
    assert result.exit_code == 0, result.output


def test_import_dir_json(fixtures: Path, tmp_path: Path) -> None:
    import shutil

    for name in ("roster.csv", "current.csv"):
        shutil.copy(fixtures / name, tmp_path / name)
    (tmp_path / "manifest.json").write_text(json.dumps({
        "roster": ["roster.csv"],
        "linkedin": [{"employee": "E1", "path": "current.csv", "exported_on": "2026-02-01"}]}))
    db = str(tmp_path / "w.duckdb")
    result = runner.invoke(app, ["import", "dir", "--basis", "consent", str(tmp_path), "--db", db, "--json", "--create"])
    assert result.exit_code == 0, result.output
    kinds = [r["kind"] for r in json.loads(result.stdout)["imports"]]
    assert kinds == ["roster", "linkedin_connections"]
    human = runner.invoke(app, ["import", "dir", "--basis", "consent", str(tmp_path), "--db", db])
    assert human.exit_code == 0 and "already" in human.stdout and "roster" in human.stdout

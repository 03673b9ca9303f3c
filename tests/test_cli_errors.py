"""User mistakes at the CLI edge give a sentence and an exit code, never a traceback."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app


def _cases(tmp: Path) -> list[tuple[list[str], str]]:
    missing_db = str(tmp / "absent.duckdb")
    binary = tmp / "Connections.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    bad_toml = tmp / "bad.toml"
    bad_toml.write_text("[watch]\ncadence_days = -3\n", encoding="utf-8")
    not_export = tmp / "people.csv"
    not_export.write_text("name,age\nAnna,41\n", encoding="utf-8")
    return [
        (["scan", "--db", missing_db], "does not exist"),
        (["report", "--db", missing_db, "--out", str(tmp / "r")], "does not exist"),
        (["capital", "risk", "--db", missing_db], "does not exist"),
        (["settings", "--config", str(bad_toml)], "cadence_days"),
        (["import", "linkedin", "--basis", "consent", str(tmp / "nope.csv"), "--employee", "E1", "--db",
          str(tmp / "w.duckdb"), "--create"], "nope.csv"),
        (["import", "linkedin", "--basis", "consent", str(binary), "--employee", "E1", "--db", str(tmp / "w.duckdb"),
          "--create"],
         "Connections.csv"),
        (["import", "linkedin", "--basis", "consent", str(not_export), "--employee", "E1", "--db", str(tmp / "w.duckdb"),
          "--create"],
         "First Name"),
        (["whatif", "--policy", "no_such_policy", "--db", missing_db], "no_such_policy"),
    ]


@pytest.mark.parametrize("index", range(8))
def test_bad_input_gives_a_message_not_a_traceback(tmp_path: Path, index: int) -> None:
    args, fragment = _cases(tmp_path)[index]
    result = CliRunner().invoke(app, args)
    text = result.output
    assert result.exit_code not in (0, None), text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text
    assert fragment in text.replace("\n", ""), text

"""SQL injection through settings values and CLI string options executes nothing.

Every free-text setting and the string options/arguments of the commands that reach SQL
get a payload that would create a table if it were pasted into SQL; afterwards the
warehouse must hold exactly its declared tables and no traceback may have escaped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard import schema
from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse

PAYLOAD = "x'); CREATE TABLE pwned AS SELECT 1; --"
runner = CliRunner()


@pytest.fixture()
def warehouse(demo_run: tuple[Path, dict], tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    return db


def _assert_nothing_executed(db: Path) -> None:
    engine = open_warehouse(db)
    try:
        tables = set(engine.user_tables())
    finally:
        engine.close()
    assert "pwned" not in tables
    assert tables <= {t.name for t in schema.TABLES}


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_free_text_settings_are_never_sql(warehouse: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "tieguard.toml"
    cfg.write_text(f"own_company = {_toml(PAYLOAD)}\n", encoding="utf-8")
    res = runner.invoke(app, ["scan", "--db", str(warehouse), "--config", str(cfg), "--json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    _assert_nothing_executed(warehouse)


@pytest.mark.parametrize("setting", [
    "[warehouse]\nmemory_limit = {v}", "[watch]\nstart = {v}", "[watch]\nend = {v}",
    "[capital]\nas_of = {v}",
])
def test_validated_settings_refuse_a_payload_with_a_sentence(
    warehouse: Path, tmp_path: Path, setting: str
) -> None:
    cfg = tmp_path / "tieguard.toml"
    cfg.write_text(setting.format(v=_toml(PAYLOAD)) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["scan", "--db", str(warehouse), "--config", str(cfg),
                              "--stage", "watch", "--stage", "capital"])
    assert res.exit_code not in (0, 1) or "Error" in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    _assert_nothing_executed(warehouse)


@pytest.mark.parametrize("args", [
    ["privacy", "show", PAYLOAD],
    ["report", "employee", PAYLOAD],
    ["capital", "intro", PAYLOAD],
    ["capital", "departure", PAYLOAD],
    ["whatif", "--policy", PAYLOAD],
    ["scan", "--stage", PAYLOAD],
])
def test_cli_string_options_are_never_sql(warehouse: Path, args: list[str]) -> None:
    res = runner.invoke(app, [*args, "--db", str(warehouse)])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    _assert_nothing_executed(warehouse)


def test_import_options_are_never_sql(warehouse: Path, tmp_path: Path) -> None:
    export = tmp_path / "Connections.csv"
    export.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                      f"Ann,{PAYLOAD},,,Acme,Buyer,05 Jan 2026\n", encoding="utf-8")
    res = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(export), "--employee", PAYLOAD,
                              "--supplied-by", PAYLOAD, "--db", str(warehouse)])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    _assert_nothing_executed(warehouse)

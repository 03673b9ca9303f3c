"""The person model trains inside the scan's transaction (every stage runs in one).

Splink probes for tables by catching catalog errors; inside a transaction such a failed
statement aborted it, so the default demo failed in ``resolve`` with "Current transaction is
aborted" (the engine's Splink API now looks names up in the catalog instead).
"""

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.engine import Engine
from tieguard.resolve import model as person_model
from tieguard.resolve import run
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse


def test_person_model_trains_inside_a_transaction(
    untrained_demo: Engine, caplog: pytest.LogCaptureFixture,
) -> None:
    engine = untrained_demo
    with engine.transaction():
        summary = run(engine, Settings())
    assert summary["person_model"] == "trained"
    assert "could not be trained" not in caplog.text
    assert int(engine.scalar("SELECT count(*) FROM tie_matches") or 0) > 0


def test_splink_api_probes_and_drops_without_aborting_the_transaction(tmp_path: Path) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    try:
        with engine.transaction():
            api = engine.splink_api()
            assert not api.table_exists_in_database("__splink__missing")
            api._con.register("__splink__registered", pa.table({"a": [1, 2]}))
            engine.execute("CREATE TEMP TABLE _tg_probe AS SELECT 1 AS a")
            assert api.table_exists_in_database("__splink__registered")
            assert api.table_exists_in_database("_tg_probe")
            api.delete_table_from_database("__splink__registered")
            api.delete_table_from_database("_tg_probe")
            assert not api.table_exists_in_database("__splink__registered")
            assert engine.scalar("SELECT 41 + 1") == 42  # the transaction is still alive
    finally:
        engine.close()


def test_scan_through_the_cli_trains_the_person_model(
    demo_run: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What `make demo` does at the default size (where EM runs), on the small demo."""
    out = tmp_path / "demo"
    shutil.copytree(demo_run[0], out, ignore=shutil.ignore_patterns("report", "data"))
    engine = open_warehouse(out / "tieguard.duckdb")
    engine.execute("DELETE FROM resolve_model_cache")
    engine.close()
    monkeypatch.setattr(person_model, "MIN_TRAIN_PEOPLE", 100)
    monkeypatch.setattr(person_model, "MIN_TRAIN_CONTACTS", 100)
    monkeypatch.chdir(out)
    result = CliRunner().invoke(app, ["scan", "--db", str(out / "tieguard.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["opportunities"] > 0
    assert "could not be trained" not in caplog.text

"""Shared fixtures: one small demo run per test session, reused read-only (copy before writing)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--size", "small", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)



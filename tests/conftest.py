"""Shared fixtures: one small demo run per test session, reused read-only (copy before writing)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.demo import demo_secret


@pytest.fixture(scope="session", autouse=True)
def installation_secret(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One pseudonym secret for the test session, never the developer's own (~/.config):
    the small demo's (seed 3), so that copies of the demo warehouse open under it."""
    path = tmp_path_factory.mktemp("secret") / "secret"
    path.write_text(demo_secret(3) + "\n", encoding="ascii")
    path.chmod(0o600)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIEGUARD_SECRET_FILE", str(path))
        yield path


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--size", "small", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)



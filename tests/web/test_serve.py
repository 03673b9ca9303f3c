"""``tieguard serve``: a missing warehouse needs --create; the [web] settings and their
command-line overrides decide where it listens and which stores it uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.errors import ConfigError
from tieguard.settings import load_settings


@pytest.fixture()
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run recorded instead of serving (and the app's state closed again)."""
    import uvicorn

    calls: list[dict[str, Any]] = []

    def run(application: Any, **kwargs: Any) -> None:
        calls.append(kwargs)
        application.state.tg.close()
    monkeypatch.setattr(uvicorn, "run", run)
    return calls


def test_serve_refuses_a_missing_warehouse_without_create(tmp_path: Path,
                                                          started: list[dict[str, Any]]) -> None:
    db = tmp_path / "typo.duckdb"
    result = CliRunner().invoke(app, ["serve", "--db", str(db)])
    assert result.exit_code != 0 and not started
    message = " ".join(result.output.split())
    assert str(db.resolve()) in message and "--create" in message and "did not start" in message
    assert not db.exists() and not list(tmp_path.iterdir())


def test_serve_creates_it_with_create_and_prints_the_set_up_link(
        tmp_path: Path, started: list[dict[str, Any]]) -> None:
    db = tmp_path / "new.duckdb"
    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--create"])
    assert result.exit_code == 0, result.output
    assert db.exists() and "Created a new, empty warehouse" in result.output
    assert "http://127.0.0.1:8000/setup?token=" in result.output
    assert started == [{"host": "127.0.0.1", "port": 8000, "log_level": "warning"}]


def test_web_settings_file_and_options_override_it(tmp_path: Path,
                                                   started: list[dict[str, Any]]) -> None:
    db = tmp_path / "w.duckdb"
    (tmp_path / "tieguard.toml").write_text(
        '[web]\nport = 8123\nhost = "0.0.0.0"\nbase_url = "https://tg.example.com"\n')
    first = CliRunner().invoke(app, ["serve", "--db", str(db), "--create"])
    assert first.exit_code == 0, first.output
    assert "https://tg.example.com/setup?token=" in first.output
    second = CliRunner().invoke(app, ["serve", "--db", str(db), "--port", "8200"])
    assert second.exit_code == 0, second.output
    assert [c["port"] for c in started] == [8123, 8200] and started[1]["host"] == "0.0.0.0"


@pytest.mark.parametrize("bad", [
    {"web.port": 0}, {"web.base_url": "tg.example.com"}, {"web.oidc_scopes": "email"},
    {"web.oidc_discovery_url": "http://idp.example.com/.well-known/openid-configuration",
     "web.oidc_client_id": "x"},
    {"web.oidc_discovery_url": "https://idp.example.com/.well-known/openid-configuration"},
    {"web.oidc_default_role": "admin"},
])
def test_invalid_web_settings_are_refused_naming_the_setting(bad: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(None, bad)
    assert "web." in str(error.value) or next(iter(bad)).split(".")[1] in str(error.value)

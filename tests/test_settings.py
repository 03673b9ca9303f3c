from pathlib import Path

import pytest

from tieguard import ConfigError, load_settings
from tieguard.settings import Settings, settings_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_settings_doc_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is stale: run tieguard settings --markdown > docs/settings.md"
    )


def test_toml_overrides_defaults(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text("[watch]\ncadence_days = 30\nvantage = 'stranger'\n", encoding="utf-8")
    s = load_settings(cfg)
    assert s.watch.cadence_days == 30
    assert s.watch.vantage == "stranger"
    assert s.resolve.match_threshold == Settings().resolve.match_threshold


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("[watch]\ncadence_days = 0\n", "watch.cadence_days"),
        ("[watch]\nvantage = 'spy'\n", "watch.vantage"),
        ("[nonsense]\nx = 1\n", "nonsense"),
        ("not toml = = =", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_field(tmp_path: Path, body: str, fragment: str) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg)
    assert fragment in str(exc.value)
    assert str(cfg) in str(exc.value)


def test_missing_settings_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "absent.toml")

"""The roster's optional language column and the organisation default in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tieguard.employees import get_employee
from tieguard.errors import ConfigError
from tieguard.settings import load_settings
from tieguard.sources import import_roster
from tieguard.warehouse import open_warehouse

ROSTER = """employee_id,name,team,country,language
E1,Anna de Vries,Sales NL,NL,nl
E2,Jonas Weber,Sales DE,DE,de-DE
E3,Claire Martin,Sales FR,FR,FR
E4,Sam Smith,Sales UK,GB,
E5,Zoë Kim,Sales KR,KR,klingon
E6,Piet Bos,Sales NL,NL,es
"""


def test_roster_language_is_kept_normalised_and_bad_values_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    engine = open_warehouse(":memory:")
    try:
        report = import_roster(engine, path)
        langs = dict(engine.fetchall("SELECT employee_id, language FROM employees"))
        assert langs == {"E1": "nl", "E2": "de", "E3": "fr", "E4": None}
        bad = sorted((p.line, p.column) for p in report.problems)
        assert bad == [(6, "language"), (7, "language")]  # both problems reported at once
        message = next(p.message for p in report.problems if p.line == 6)
        assert "'klingon'" in message and "nl (Nederlands)" in message and "quarantined" in message
        quarantined = engine.fetchall("SELECT line, column_name FROM quarantine ORDER BY line")
        assert quarantined == [(6, "language"), (7, "language")]
        assert get_employee(engine, "E2").language == "de"
        import_roster(engine, path)  # idempotent re-import
        assert engine.scalar("SELECT count(*) FROM employees") == 4
    finally:
        engine.close()


def test_roster_without_language_column_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("employee_id,name\nE1,Anna\n", encoding="utf-8")
    engine = open_warehouse(":memory:")
    try:
        assert not import_roster(engine, path).problems
        assert get_employee(engine, "E1").language is None
    finally:
        engine.close()


def test_organisation_default_language_in_the_settings(tmp_path: Path) -> None:
    assert load_settings().language == "en"
    toml = tmp_path / "tieguard.toml"
    toml.write_text('language = "de"\n', encoding="utf-8")
    assert load_settings(toml).language == "de"
    toml.write_text('language = "xx"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="language"):
        load_settings(toml)

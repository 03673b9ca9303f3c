"""The HTML report, the personal report and the CLI in each language, on the demo warehouse.

The untranslated-English check: for every catalogue entry whose translation differs from
the English, no English sentence piece (the text between placeholders, 12+ characters) may
appear in the rendered page of that language.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse

from .helpers import english_left_over, visible_text

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_copy(demo_run: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = demo_run
    target = tmp_path_factory.mktemp("i18n-demo")
    for name in ("tieguard.duckdb", "tieguard.toml"):
        shutil.copy(out / name, target / name)
    return target / "tieguard.duckdb"


@pytest.fixture(scope="module")
def reports(demo_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    written = {}
    for lang in ("en", "nl", "de", "fr"):
        out = tmp_path_factory.mktemp(f"report-{lang}")
        result = runner.invoke(app, ["report", "--db", str(demo_copy), "--out", str(out),
                                     "--lang", lang])
        assert result.exit_code == 0, result.output
        written[lang] = out
    return written


def test_english_pieces_are_found_in_the_english_report(reports: dict[str, Path]) -> None:
    """The check can fail: the English report is full of the pieces it looks for."""
    text = visible_text((reports["en"] / "index.html").read_text(encoding="utf-8"))
    assert len(english_left_over("de", text)) > 30


@pytest.mark.parametrize("lang", ["nl", "de", "fr"])
def test_report_has_no_untranslated_english_sentence(reports: dict[str, Path], lang: str) -> None:
    page = (reports[lang] / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert english_left_over(lang, visible_text(page)) == []


@pytest.mark.parametrize(("lang", "title", "window"), [
    ("nl", "Wat onze openbare netwerken prijsgeven", "van het afgelopen jaar"),
    ("de", "Was unsere öffentlichen Netzwerke verraten", "des vergangenen Jahres"),
    ("fr", "Ce que nos réseaux publics dévoilent", "de l'année écoulée"),
])
def test_report_speaks_the_language(reports: dict[str, Path], lang: str, title: str,
                                    window: str) -> None:
    text = visible_text((reports[lang] / "index.html").read_text(encoding="utf-8"))
    assert title in text and window in text
    assert "What it means" not in text and "Headline figures" not in text


def test_numbers_follow_the_language(reports: dict[str, Path]) -> None:
    de = visible_text((reports["de"] / "index.html").read_text(encoding="utf-8"))
    en = visible_text((reports["en"] / "index.html").read_text(encoding="utf-8"))
    assert re.search(r"\d Tage\b", de) and re.search(r"\d,\d\u00a0%", de)
    assert re.search(r"\d{1,3}(\.\d{3})+\u00a0€", de)  # 3.851.900 €
    assert re.search(r"€\d{1,3}(,\d{3})+", en) and not re.search(r"\d Tage\b", en)


def test_exports_and_headline_json_stay_english(reports: dict[str, Path]) -> None:
    for name in ("headline.json",):
        en = json.loads((reports["en"] / "exports" / name).read_text(encoding="utf-8"))
        de = json.loads((reports["de"] / "exports" / name).read_text(encoding="utf-8"))
        assert en["sentence"] == de["sentence"] and en["sentence"].startswith("A competitor")
    en_csv = sorted(p.name for p in (reports["en"] / "exports").iterdir())
    assert en_csv == sorted(p.name for p in (reports["de"] / "exports").iterdir())
    first = next(p for p in (reports["de"] / "exports").iterdir() if p.suffix == ".csv")
    assert first.read_text(encoding="utf-8").splitlines()[0] == (
        reports["en"] / "exports" / first.name).read_text(encoding="utf-8").splitlines()[0]


def test_report_json_summary_is_the_same_in_every_language(demo_copy: Path, tmp_path: Path) -> None:
    summaries = []
    for lang in ("en", "nl"):
        result = runner.invoke(app, ["report", "--db", str(demo_copy), "--out",
                                     str(tmp_path / lang), "--lang", lang, "--json"])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        summaries.append({k: v for k, v in summary.items() if k not in ("report", "exports")})
    assert summaries[0] == summaries[1]


def test_cli_summary_is_in_the_language(demo_copy: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(demo_copy), "--out", str(tmp_path),
                                 "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert "Rapport:" in result.stdout and "exportbestanden" in result.stdout
    assert "die met onze mensen verbonden is" in result.stdout


def test_unknown_language_is_refused_with_the_supported_ones(demo_copy: Path,
                                                             tmp_path: Path) -> None:
    for args in (["report", "--lang", "xx"], ["report", "--lang", "xx", "employee", "E00002"],
                 ["report", "employee", "E00002", "--lang", "klingon"]):
        result = runner.invoke(app, [*args[:1], "--db", str(demo_copy), "--out", str(tmp_path),
                                     *args[1:]])
        assert result.exit_code == 2, result.output
        message = " ".join(result.output.split())
        assert "is not supported" in message and "nl (Nederlands)" in message
        assert "de (Deutsch)" in message and "fr (français)" in message
        assert "Traceback" not in result.output
    assert not (tmp_path / "index.html").exists()


def _employee_with_leads(db: Path) -> str:
    engine = open_warehouse(db)
    try:
        return str(engine.scalar(
            "SELECT employee_id FROM competitor_leads WHERE scenario = 'baseline' AND is_lead "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))
    finally:
        engine.close()


def _set_language(db: Path, employee: str, lang: str | None) -> None:
    engine = open_warehouse(db)
    try:
        engine.execute("UPDATE employees SET language = ? WHERE employee_id = ?", [lang, employee])
    finally:
        engine.close()


def test_personal_report_follows_the_roster_language(demo_copy: Path, tmp_path: Path) -> None:
    employee = _employee_with_leads(demo_copy)
    _set_language(demo_copy, employee, "de")
    try:
        result = runner.invoke(app, ["report", "employee", employee, "--db", str(demo_copy),
                                     "--out", str(tmp_path / "roster")])
        assert result.exit_code == 0, result.output
        assert "Persönlicher Bericht" in result.stdout
        page = next((tmp_path / "roster" / "employees").iterdir()).read_text(encoding="utf-8")
        assert '<html lang="de">' in page
        assert "Was ein Wettbewerber in Ihrem Profil sieht" in page
        assert english_left_over("de", visible_text(page)) == []
        # --lang wins over the roster
        result = runner.invoke(app, ["report", "employee", employee, "--db", str(demo_copy),
                                     "--out", str(tmp_path / "forced"), "--lang", "fr"])
        assert result.exit_code == 0, result.output
        page = next((tmp_path / "forced" / "employees").iterdir()).read_text(encoding="utf-8")
        assert '<html lang="fr">' in page and english_left_over("fr", visible_text(page)) == []
    finally:
        _set_language(demo_copy, employee, None)
    result = runner.invoke(app, ["report", "employee", employee, "--db", str(demo_copy),
                                 "--out", str(tmp_path / "default")])
    page = next((tmp_path / "default" / "employees").iterdir()).read_text(encoding="utf-8")
    assert '<html lang="en">' in page  # no roster language, organisation default: English


def test_organisation_default_language_applies_to_the_report(demo_copy: Path,
                                                             tmp_path: Path) -> None:
    config = tmp_path / "org.toml"
    toml = (demo_copy.parent / "tieguard.toml").read_text(encoding="utf-8")
    config.write_text('language = "nl"\n' + toml, encoding="utf-8")
    result = runner.invoke(app, ["report", "--db", str(demo_copy), "--config", str(config),
                                 "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert '<html lang="nl">' in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")


def test_global_language_option_and_environment(demo_copy: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "de", "report", "--db", str(demo_copy), "--out",
                                 str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert "Bericht:" in result.stdout
    assert '<html lang="de">' in (tmp_path / "g" / "index.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", "--db", str(demo_copy), "--out", str(tmp_path / "e")],
                           env={"TIEGUARD_LANG": "fr"})
    assert result.exit_code == 0, result.output
    assert "Rapport :" in result.stdout
    # the language does not leak into the next invocation
    result = runner.invoke(app, ["report", "--db", str(demo_copy), "--out", str(tmp_path / "n")])
    assert "Report:" in result.stdout
    refused = runner.invoke(app, ["--lang", "xx", "version"])
    assert refused.exit_code == 2 and "fr (français)" in " ".join(refused.output.split())

"""The Dutch and German report in a real browser (Playwright driving Debian's chromium; no
browser download): the page declares its language, every chart is drawn with translated
axis titles, and no English sentence of the catalogue is left on screen.

Screenshots of both go to docs/img/report-nl.png and report-de.png when
TIEGUARD_SCREENSHOTS=1 (TIEGUARD_SCREENSHOT_DB may name a larger warehouse, e.g. the
default demo's, for nicer figures).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.browser import BROWSER_MARKS, chromium, screenshot
from tieguard.cli.main import app

from .helpers import english_left_over

pytestmark = BROWSER_MARKS
AXIS_TITLE = {"nl": "Maand", "de": "Monat"}
HEADING = {"nl": "Wat een concurrent ziet", "de": "Was ein Wettbewerber sieht"}


@pytest.fixture(scope="module")
def warehouse(demo_run: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = Path(os.environ.get("TIEGUARD_SCREENSHOT_DB") or demo_run[0] / "tieguard.duckdb")
    target = tmp_path_factory.mktemp("browser-i18n")
    shutil.copy(source, target / "tieguard.duckdb")
    shutil.copy(source.parent / "tieguard.toml", target / "tieguard.toml")
    return target / "tieguard.duckdb"


@pytest.mark.parametrize("lang", ["nl", "de"])
def test_report_in_a_real_browser(warehouse: Path, tmp_path: Path, lang: str) -> None:
    result = CliRunner().invoke(app, ["report", "--db", str(warehouse), "--out", str(tmp_path),
                                      "--lang", lang])
    assert result.exit_code == 0, result.output
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.route("http*://**", lambda route: route.abort())  # offline: nothing fetched
        page.goto((tmp_path / "index.html").as_uri())
        page.wait_for_selector(".main-svg")
        assert page.get_attribute("html", "lang") == lang
        charts = page.locator("[id^=chart-]").count()
        assert charts >= 4
        page.wait_for_function(
            f"document.querySelectorAll('.main-svg').length >= {charts}")
        text = page.inner_text("body")
        assert HEADING[lang] in text
        assert AXIS_TITLE[lang] in page.inner_text("#chart-exposure-over-time")
        assert english_left_over(lang, " ".join(text.split())) == []
        screenshot(page, f"report-{lang}", full_page=False)

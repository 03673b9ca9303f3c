"""The report in a real browser: headless Chromium opens the file:// report offline and
plotly draws every chart (plotly creates ``.main-svg`` elements)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.report import write_employee_report, write_report
from tieguard.settings import Settings

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and
                 Path(p).exists()), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not installed (/usr/bin/chromium; Debian packages chromium and "
    "chromium-driver; .ci/run installs them)",
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def test_charts_render_in_a_real_browser(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    path = write_report(warehouse, settings, tmp_path / "out")
    # every network request goes to a dead proxy: the page must draw from the file alone
    result = _chromium(tmp_path, "--proxy-server=http://127.0.0.1:9", "--dump-dom", path.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    charts = re.findall(r'id="(chart-[a-z-]+)"', path.read_text(encoding="utf-8"))
    assert len(charts) >= 4
    drawn = dom.count('class="main-svg"')
    assert drawn >= len(charts), f"{drawn} plotly SVG layers for {len(charts)} charts"
    for chart in charts:  # each chart div holds a drawn plot
        start = dom.index(f'id="{chart}"')
        assert "main-svg" in dom[start:start + 5000], chart
    assert "Kesselbau Rhein GmbH" in dom


def test_screenshot_of_report_and_personal_page(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    report = write_report(warehouse, settings, tmp_path / "out")
    personal = write_employee_report(warehouse, settings, "E7", tmp_path / "out")
    for page, shot in ((report, tmp_path / "report.png"), (personal, tmp_path / "me.png")):
        result = _chromium(tmp_path, "--hide-scrollbars", "--window-size=1200,1600",
                           f"--screenshot={shot}", page.as_uri())
        assert result.returncode == 0, result.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000  # a rendered page, not a blank one

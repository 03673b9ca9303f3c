"""What every Playwright test shares: Debian's chromium (``.ci/run`` installs it; no browser
download), the test module skipped with the reason where it or playwright is missing and
marked slow, and screenshots into docs/img/ when TIEGUARD_SCREENSHOTS=1.

A browser test module starts with::

    from tests.browser import BROWSER_MARKS, chromium, screenshot
    pytestmark = BROWSER_MARKS
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.serving import free_port, serving  # noqa: F401 (shared by the browser tests)

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "img"
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
#: ``pytestmark`` of a browser test module.
BROWSER_MARKS = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian's chromium is not installed (.ci/run installs it)"),
    pytest.mark.slow,
]


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless chromium through Playwright, closed afterwards."""
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    """``docs/img/<name>.png`` of ``page`` when TIEGUARD_SCREENSHOTS is set."""
    if os.environ.get("TIEGUARD_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def sign_in(page: Any, base: str, user: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")

"""The administrator's pages over the scanned demo warehouse in a real browser: organisation
settings, alerts (the administrator's delivery view and an employee's own alerts), the review
queue and the what-if comparison, each checked for what it must show.

With TIEGUARD_SCREENSHOTS=1 they are the README's screenshots (docs/img/web-settings.png,
web-alerts-admin.png, web-alerts.png, web-review.png, web-whatif.png), regenerated with
``TIEGUARD_SCREENSHOTS=1 .venv/bin/python -m pytest tests/web/test_screenshots.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import BROWSER_MARKS, chromium, free_port, screenshot, serving, sign_in
from tieguard import alerts
from tieguard.web import WebConfig, WebState, create_app
from tieguard.web.accounts import create_user

from .conftest import PASSWORD

pytestmark = BROWSER_MARKS
VIEWPORT = {"width": 1100, "height": 900}


@pytest.fixture()
def demo_server(demo_run: tuple[Path, dict],
                tmp_path: Path) -> Iterator[tuple[str, list[alerts.Alert]]]:
    """A server over a copy of the scanned demo warehouse; ``ada`` (admin) and the employee
    with the most alerts (``emil``)."""
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    port = free_port()
    state = WebState(WebConfig(db=db, base_url=f"http://127.0.0.1:{port}"))
    owner = str(state.warehouse.engine.scalar(
        "SELECT employee_id FROM alerts WHERE suppressed_because IS NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))
    create_user(state, None, username="ada", password=PASSWORD, role="admin")
    create_user(state, None, username="emil", password=PASSWORD, role="employee",
                employee_id=owner)
    own = alerts.list_alerts(state.warehouse.engine, employee_id=owner)
    with serving(create_app(state.config, state), port) as base:
        yield base, own
    state.close()


def _open(browser: Any, base: str, user: str) -> Any:
    page = browser.new_page(viewport=VIEWPORT)
    sign_in(page, base, user, PASSWORD)
    page.wait_for_load_state()
    return page


def _settings_and_alerts(admin: Any, base: str) -> None:
    admin.goto(f"{base}/admin/settings")
    assert admin.input_value("input[name='watch.cadence_days']") == "7"
    assert "Days between the competitor's looks." in admin.inner_text("#section-watch")
    assert "[[competitors]]" in admin.input_value("textarea[name=toml]")
    admin.evaluate("document.getElementById('section-watch').scrollIntoView()")
    screenshot(admin, "web-settings", full_page=False)  # a section of settings, described
    admin.goto(f"{base}/admin/alerts")
    counts = admin.inner_text("#alert-status")
    assert "open" in counts and admin.inner_text("#channel-email") == "not set up (no SMTP host)"
    screenshot(admin, "web-alerts-admin")


def _review_and_whatif(admin: Any, base: str) -> None:
    admin.goto(f"{base}/review")
    rows = admin.query_selector_all("#review tbody tr")
    assert len(rows) >= 3
    evidence = admin.inner_text("#review tbody")
    assert "last name: the same" in evidence and "Exact match on" not in evidence
    screenshot(admin, "web-review", full_page=False)
    admin.goto(f"{base}/whatif")
    policies = {r.get_attribute("data-policy") for r in admin.query_selector_all("#whatif tbody tr")}
    assert {"hide_lists_sales", "training"} <= policies
    screenshot(admin, "web-whatif")


def test_admin_pages_and_an_employees_alerts_in_a_browser(
        demo_server: tuple[str, list[alerts.Alert]]) -> None:
    base, own = demo_server
    with chromium() as browser:
        admin = _open(browser, base, "ada")
        _settings_and_alerts(admin, base)
        _review_and_whatif(admin, base)
        employee = _open(browser, base, "emil")
        employee.goto(f"{base}/me/alerts")
        shown = [a.get_attribute("id") for a in employee.query_selector_all("article[id^=alert-]")]
        assert len(own) >= 3 and shown == [f"alert-{a.alert_id[:12]}" for a in own][:50]
        screenshot(employee, "web-alerts", full_page=False)

"""The leadership dashboard shows the report's headline (deals revealed by a new connection,
head start from the reveal, account visibility second), its charts offline, k-anonymous
teams, and is rebuilt after every job."""

from __future__ import annotations

import html
import re

from tieguard.report import fmt
from tieguard.report.data import as_share
from tieguard.report.headline import headline_data
from tieguard.web.dashboard import PLOTLY_URL

from .conftest import Web


def test_dashboard_shows_the_headline_of_the_warehouse(web: Web) -> None:
    expected = headline_data(web.state.warehouse.engine, web.state.warehouse.settings)
    page = web.client.get("/dashboard", headers=web.page("manager"))
    assert page.status_code == 200
    lead = re.search(r'<p id="headline" class="lead">([^<]*)</p>', page.text)
    assert lead and html.unescape(lead.group(1)) == expected["sentence"]
    revealed = fmt.share(as_share(expected["metrics"]["deals_revealed"]))
    assert f"learned of {revealed} of our" in expected["sentence"]
    visible = fmt.share(as_share(expected["metrics"]["account_visibility"]))
    assert (f'<div class="value">{visible}</div><div class="label">of deals at an account the '
            "competitor could see at all") in page.text
    assert "median head start from the reveal to the close" in page.text
    data = web.client.get("/api/v1/dashboard", headers=web.api("manager")).json()
    assert data["scan_ran"] and data["sentence"] == expected["sentence"]
    assert {"deals_revealed", "head_start_days_median", "account_visibility"} <= set(
        data["metrics"])


def test_dashboard_charts_load_offline_from_the_app(web: Web) -> None:
    page = web.client.get("/dashboard", headers=web.page("analyst")).text
    assert f'<script src="{PLOTLY_URL}"></script>' in page
    assert 'id="chart-exposure-over-time"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from elsewhere
    js = web.client.get(PLOTLY_URL)
    assert js.status_code == 200 and "plotly" in js.text[:2000].lower()
    assert "immutable" in js.headers["cache-control"]


def test_dashboard_teams_are_k_anonymous(web: Web) -> None:
    k = web.state.warehouse.settings.privacy.k_anonymity
    teams = web.client.get("/api/v1/teams", headers=web.api("manager")).json()["items"]
    assert teams and all(t["employees"] >= k for t in teams)
    small = web.state.warehouse.engine.scalar(
        "SELECT count(*) FROM exposure_teams WHERE scenario = 'baseline' AND employees < ?", [k])
    named = {t["team"] for t in teams}
    rows = web.state.warehouse.engine.fetchall(
        "SELECT team FROM exposure_teams WHERE scenario = 'baseline' AND employees < ?", [k])
    assert small == len(rows) and not named & {r[0] for r in rows}


def test_dashboard_is_cached_until_a_job_finishes(web: Web) -> None:
    cache, warehouse = web.state.dashboard, web.state.warehouse
    first = cache.get(warehouse)
    assert cache.get(warehouse) is first
    web.state.jobs.submit(1, "noop", lambda session, progress: "nothing")
    web.state.jobs.wait_idle()
    rebuilt = cache.get(warehouse)
    assert rebuilt is not first and rebuilt.headline == first.headline

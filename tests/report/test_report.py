"""The shared report: real numbers from the tables, offline, sections skipped, privacy."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from tieguard.engine import Engine
from tieguard.report import build_report, write_report
from tieguard.report.data import SHARED_TABLES
from tieguard.report.render import plotly_js
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse

from .conftest import DERIVED, fill, populate
from .helpers import remote_references, without_plotly_bundle


def test_numbers_from_the_tables_appear(warehouse: Engine, settings: Settings, tmp_path: Path) -> None:
    path = write_report(warehouse, settings, tmp_path / "out")
    assert path == tmp_path / "out" / "index.html"
    html = without_plotly_bundle(path.read_text(encoding="utf-8"))
    # exposure_headline: 0.583, 12.4M of 21.3M, 74 days, 412 deals, 1,834 leads
    for text in ("58%", "€12.4M", "€21.3M", "74 days", "412 deals", "1,834", "27%"):
        assert text in html, text
    # exposure_accounts: names and exposed value with thousands separators
    assert "Kesselbau Rhein GmbH" in html and "€570,000" in html
    # what-if: 'after' of each policy, and its cost
    assert "4%" in html and "19%" in html and "2,345" in html and "5,012" in html
    # capital: the single-holder account and its value
    assert "Acme Valves BV" in html and "€777,000" in html
    # settings used
    assert "every 7 days (weekly)" in html and "1st-degree connection" in html


def test_best_countermeasure_in_the_headline_sentence(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    result = build_report(warehouse, settings, tmp_path / "out")
    sentence = result.headline["sentence"]
    assert sentence.startswith("A competitor connected to our staff who looked at their profiles every week")
    assert "58%" in sentence and "€12.4M" in sentence and "74 days" in sentence
    # best first: 'connecting only after close' (4%) before 'hiding ...' (19%)
    assert sentence.index("4%") < sentence.index("19%")
    assert "2,345 connections made a median 88 days later" in result.headline["cost_sentence"]


def test_offline_single_file_with_plotly_embedded_once(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    html = write_report(warehouse, settings, tmp_path / "out").read_text(encoding="utf-8")
    assert remote_references(html) == []
    assert html.count(plotly_js()) == 1
    assert "cdn.plot.ly" not in without_plotly_bundle(html)
    charts = re.findall(r'id="(chart-[a-z-]+)"', html)
    assert {"chart-exposure-over-time", "chart-head-start", "chart-top-accounts",
            "chart-whatif"} <= set(charts)
    assert len(charts) == len(set(charts))


def test_sections_without_their_tables_are_skipped(tmp_path: Path, settings: Settings) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    populate(engine, tables=["exposure_headline"])
    result = build_report(engine, settings, tmp_path / "out")
    assert result.sections == ["headline", "settings"]
    assert "whatif" in result.skipped and "capital" in result.skipped
    html = result.path.read_text(encoding="utf-8")
    assert "58%" in html
    assert plotly_js() not in html  # no figure, no library
    engine.close()


def test_empty_warehouse_renders_a_no_findings_page(tmp_path: Path, settings: Settings) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    result = build_report(engine, settings, tmp_path / "out")
    assert result.sections == ["settings"]
    assert "No findings yet" in result.path.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "out" / "exports" / "headline.json").read_text())["sentence"] == ""
    engine.close()


def test_exports_exist_and_parse(warehouse: Engine, settings: Settings, tmp_path: Path) -> None:
    result = build_report(warehouse, settings, tmp_path / "out")
    exports = tmp_path / "out" / "exports"
    for table in DERIVED:
        if table not in SHARED_TABLES:
            assert not (exports / f"{table}.csv").exists(), f"{table} is per-employee"
            continue
        with (exports / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        records = json.loads((exports / f"{table}.json").read_text(encoding="utf-8"))
        assert len(rows) == len(records)
        if table != "exposure_teams":
            assert len(rows) == warehouse.scalar(f"SELECT count(*) FROM {table}")
            assert set(rows[0]) == {c for c in records[0]}
    headline = json.loads((exports / "headline.json").read_text(encoding="utf-8"))
    assert headline["metrics"]["pipeline_exposure"] == 0.583
    assert headline["sentence"] == result.headline["sentence"]
    assert {w["policy"] for w in headline["whatif"]} == {"hide_sales", "connect_after_close"}


def test_shared_report_never_shows_an_employee(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    build_report(warehouse, settings, tmp_path / "out")
    texts = [without_plotly_bundle((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))]
    texts += [p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "exports").iterdir()]
    for text in texts:
        for name in ("Anna Verkauf", "Bert Geheim", "Colleague Secret Corp"):
            assert name not in text
        assert not re.search(r"\bE[78]\b", text)
        # teams of 1 and 2 people are not shown on their own: only merged
        assert "Tiny Team A" not in text and "Tiny Team B" not in text
    assert "Smaller teams (fewer than 3 people, combined)" in texts[0]


def test_small_teams_are_withheld_when_merging_is_not_enough(
    tmp_path: Path, settings: Settings
) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    fill(engine, "exposure_headline")
    fill(engine, "exposure_teams", """SELECT * FROM (VALUES
        ('baseline', 'Big', 9, 100, 5, 1000.0), ('baseline', 'Solo', 1, 77, 2, 4242.0))
        t(scenario, team, employees, leads, exposed_opportunities, exposed_value)""")
    result = build_report(engine, settings, tmp_path / "out")
    html = result.path.read_text(encoding="utf-8")
    assert "Big" in html and "Solo" not in html and "€4,242" not in html
    assert "1 people" not in html and "withheld" in html
    exported = json.loads((tmp_path / "out" / "exports" / "exposure_teams.json").read_text())
    assert [r["team"] for r in exported] == ["Big"]
    engine.close()

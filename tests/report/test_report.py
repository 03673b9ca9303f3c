"""The shared report: real numbers from the tables, offline, sections skipped, privacy."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.errors import StageNotRunError
from tieguard.report import build_report, write_report
from tieguard.report.data import SHARED_TABLES
from tieguard.report.render import plotly_js
from tieguard.settings import Settings
from tieguard.warehouse import open_warehouse, record_stage_run

from .conftest import DERIVED, fill, populate
from .helpers import remote_references, without_plotly_bundle


def test_numbers_from_the_tables_appear(warehouse: Engine, settings: Settings, tmp_path: Path) -> None:
    path = write_report(warehouse, settings, tmp_path / "out")
    assert path == tmp_path / "out" / "index.html"
    html = without_plotly_bundle(path.read_text(encoding="utf-8"))
    # exposure_headline: 0.583, 12.4M of 21.3M, 74 days, 412 deals, 1,834 leads
    for text in ("58%", "€12.4M", "€21,300,000", "74 days", "412 deals", "1,834", "27%"):
        assert text in html, text
    # exposure_accounts: names and revealed value with thousands separators
    assert "Kesselbau Rhein GmbH" in html and "€570,000" in html
    # what-if: 'after' of each policy, and its cost
    assert "4%" in html and "19%" in html and "2,345" in html and "5,012" in html
    # capital: the single-holder account and its value
    assert "Acme Valves BV" in html and "€777,000" in html
    # settings used
    assert "every 7 days (weekly)" in html and "1st-degree connection" in html
    # every headline figure has its definition beside it
    assert "What it means" in html
    assert "how informative our profiles are to it" in html  # lead precision
    assert "old or new" in html  # account visibility, the secondary figure


def test_best_countermeasure_in_the_headline_sentence(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    result = build_report(warehouse, settings, tmp_path / "out")
    sentence = result.headline["sentence"]
    assert sentence.startswith("A competitor connected to our staff who looked at their profiles every week")
    assert "58%" in sentence and "€12.4M" in sentence and "74 days" in sentence
    assert "drop to" not in sentence and ";" not in sentence and len(sentence) < 250  # one short sentence
    countermeasures = result.headline["whatif_sentence"]
    # best first: 'connecting only after close' (4%) before 'hiding ...' (19%)
    assert countermeasures.index("4%") < countermeasures.index("19%")
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


def test_a_warehouse_without_a_scan_says_which_stages_are_missing(
    tmp_path: Path, settings: Settings
) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    with pytest.raises(StageNotRunError, match="watch and exposure stages.*tieguard scan"):
        build_report(engine, settings, tmp_path / "out")
    assert not (tmp_path / "out" / "index.html").exists()
    record_stage_run(engine, "watch", 0.0, {})
    with pytest.raises(StageNotRunError, match="the exposure stage, which has not run"):
        build_report(engine, settings, tmp_path / "out")
    record_stage_run(engine, "exposure", 0.0, {})
    result = build_report(engine, settings, tmp_path / "out")
    assert result.sections == ["settings"]
    assert "No findings yet" in result.path.read_text(encoding="utf-8")
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
    assert headline["metrics"]["deals_revealed"] == 0.583
    assert "buying-role connection" in headline["definitions"]["deals_revealed"]
    assert set(headline["definitions"]) <= set(headline["metrics"])
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
    populate(engine, tables=["exposure_headline"])
    fill(engine, "exposure_teams", """SELECT * FROM (VALUES
        ('baseline', 'Big', 9, 100, 5, 1000.0), ('baseline', 'Solo', 1, 77, 2, 4242.0))
        t(scenario, team, employees, leads, revealed_opportunities, revealed_value)""")
    result = build_report(engine, settings, tmp_path / "out")
    html = result.path.read_text(encoding="utf-8")
    assert "Big" in html and "Solo" not in html and "€4,242" not in html
    assert "1 people" not in html and "withheld" in html
    exported = json.loads((tmp_path / "out" / "exports" / "exposure_teams.json").read_text())
    assert [r["team"] for r in exported] == ["Big"]
    engine.close()

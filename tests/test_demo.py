"""End to end through the CLI: synthetic organisation → readers → every stage → report."""

import json
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse


def test_demo_json_has_the_headline_figures(demo_run: tuple[Path, dict]) -> None:
    _, head = demo_run
    for key in ("deals_revealed", "deals_revealed_value", "head_start_days_median",
                "lead_precision", "leads"):
        assert key in head, key
    assert 0.0 <= head["deals_revealed"] <= head["account_visibility"] <= 1.0
    assert 0.0 <= head["lead_precision"] <= 1.0
    assert head["leads"] > 0
    assert head["deals_revealed_value"] <= head["opportunities_value"]


def test_demo_went_through_the_real_readers(demo_run: tuple[Path, dict]) -> None:
    out, _ = demo_run
    manifest = json.loads((out / "data" / "manifest.json").read_text(encoding="utf-8"))
    engine = open_warehouse(out / "tieguard.duckdb")
    try:
        kinds = {k for (k,) in engine.fetchall("SELECT DISTINCT kind FROM imports")}
        employees_with_ties = engine.scalar("SELECT count(DISTINCT employee_id) FROM ties")
        leads = engine.scalar("SELECT count(*) FROM competitor_leads WHERE scenario = 'baseline' AND is_lead")
        private_names = engine.scalar(
            "SELECT count(*) FROM tie_people p LEFT JOIN tie_matches m USING (person_key) "
            "WHERE coalesce(m.status, 'unmatched') = 'unmatched' AND p.first_name IS NOT NULL"
        )
    finally:
        engine.close()
    assert {"linkedin_connections", "linkedin_invitations", "vcard", "crm", "roster", "organisation"} <= kinds
    assert employees_with_ties == len({e["employee"] for e in manifest["linkedin"]})
    assert leads == demo_run[1]["leads"]
    assert private_names == 0, "names of unresolved (private) contacts must not be stored"


def test_demo_report_shows_the_numbers_of_the_run(demo_run: tuple[Path, dict]) -> None:
    out, head = demo_run
    html = Path(head["report"]).read_text(encoding="utf-8")
    assert f"{head['leads']:,}" in html
    assert "<script src=\"http" not in html
    assert (out / "report" / "exports" / "headline.json").exists()


def test_rescanning_the_demo_warehouse_gives_the_same_headline(demo_run: tuple[Path, dict]) -> None:
    out, head = demo_run
    result = CliRunner().invoke(app, ["scan", "--db", str(out / "tieguard.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout)
    for key in ("deals_revealed", "deals_revealed_value", "lead_precision", "leads"):
        assert again[key] == head[key], key

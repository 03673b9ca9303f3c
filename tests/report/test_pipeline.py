"""End to end: the real watch, exposure, policy and capital stages, then the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tieguard.pipeline import run_stage
from tieguard.policy import builtin_policies, whatif
from tieguard.report import build_report, fmt, write_employee_report
from tieguard.stages import stage
from tieguard.warehouse import open_warehouse

from .helpers import remote_references, without_plotly_bundle
from .org import build_org, org_settings


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipeline")
    engine = open_warehouse(root / "w.duckdb")
    build_org(engine, n_accounts=10, n_ties=120)
    settings = org_settings()
    for name in ("watch", "exposure", "capital"):
        run_stage(engine, settings, stage(name))
    policies = builtin_policies()
    chosen = [policies[n] for n in ("hide_lists_sales", "connect_after_close")]
    whatif(engine, settings, chosen)
    build_report(engine, settings, root / "report")
    write_employee_report(engine, settings, "E001", root / "report")
    engine.close()
    return root / "report"


def test_report_shows_the_figures_of_the_run(report_dir: Path) -> None:
    headline = json.loads((report_dir / "exports" / "headline.json").read_text(encoding="utf-8"))
    metrics = headline["metrics"]
    html = without_plotly_bundle((report_dir / "index.html").read_text(encoding="utf-8"))
    assert fmt.share(metrics["deals_revealed"]) in headline["sentence"]
    assert fmt.share(metrics["deals_revealed"], digits=1) in html
    assert fmt.share(metrics["account_visibility"], digits=1) in html
    assert fmt.money(metrics["deals_revealed_value"]) in html
    assert fmt.count(metrics["leads"]) in html
    assert headline["sentence"].replace("“", "&#8220;")[:60] in html or headline["sentence"][:60] in html
    for section in ("over-time", "accounts", "whatif", "teams", "capital", "settings"):
        assert f'id="{section}"' in html, section
    assert remote_references((report_dir / "index.html").read_text(encoding="utf-8")) == []


def test_exports_match_the_run(report_dir: Path) -> None:
    whatif_rows = json.loads((report_dir / "exports" / "whatif_results.json").read_text())
    assert {r["policy"] for r in whatif_rows} == {"hide_lists_sales", "connect_after_close"}
    for r in whatif_rows:
        if r["metric"] == "account_visibility":
            assert r["after"] <= r["before"] + 1e-9  # no policy increases exposure
    assert (report_dir / "exports" / "capital_risk.csv").is_file()


def test_employee_page_of_the_run(report_dir: Path) -> None:
    html = (report_dir / "employees" / "E001.html").read_text(encoding="utf-8")
    assert "Staff Member E001" in html and "Staff Member E002" not in html

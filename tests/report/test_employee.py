"""The personal report: only this employee's leads, and what 'Only you' would change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.errors import NotFoundError
from tieguard.report import write_employee_report
from tieguard.report.employee import only_you_outcomes
from tieguard.settings import Settings

from .helpers import remote_references


def test_personal_report_shows_own_leads_only(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    path = write_employee_report(warehouse, settings, "E7", tmp_path / "out")
    assert path == tmp_path / "out" / "employees" / "E7.html"
    html = path.read_text(encoding="utf-8")
    assert "Anna Verkauf" in html
    # E7's three leads (T4 is not a lead): Kesselbau (account name from the CRM) and Pumpwerk
    assert "Kesselbau Rhein GmbH" in html and "Pumpwerk Nord" in html
    assert "Some Agency" not in html
    # nothing about the colleague E8
    assert "Bert Geheim" not in html and "Colleague Secret Corp" not in html
    assert not re.search(r"\bE8\b", html)
    assert remote_references(html) == []
    assert "<script" not in html  # no charts library in the personal page


def test_only_you_counts_follow_the_list_channel(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    html = write_employee_report(warehouse, settings, "E7", tmp_path / "out").read_text("utf-8")
    # seen via the list on 2024-03-01 and 2025-01-13; via a shared connection on 2025-04-07
    assert "With &#39;Only you&#39; from 2024-03-01, 2 of these 3 leads" in html
    assert "With &#39;Only you&#39; from 2025-01-01, 1 of these 3 leads" in html
    assert "1 of your 3 leads came that way" in html


def test_only_you_never_hides_shared_connections() -> None:
    leads = [
        {"seen_on": "2024-01-08", "channel": "shared"},
        {"seen_on": "2024-02-05", "channel": "list"},
        {"seen_on": "2025-03-03", "channel": "list"},
    ]
    outcomes = only_you_outcomes(leads)
    assert outcomes[0] == {"from": "2024-01-08", "hidden": 2, "total": 3}
    assert [o["from"] for o in outcomes] == ["2024-01-08", "2025-01-01"]
    assert outcomes[1]["hidden"] == 1
    assert all(o["hidden"] <= 2 for o in outcomes)


def test_unknown_employee_is_a_clear_error(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError, match="No employee with id 'E999'"):
        write_employee_report(warehouse, settings, "E999", tmp_path / "out")


def test_employee_without_a_scan(tmp_path: Path, settings: Settings) -> None:
    from tieguard.warehouse import open_warehouse

    engine = open_warehouse(tmp_path / "w.duckdb")
    engine.execute("INSERT INTO employees (employee_id, full_name) VALUES ('E1', 'Eve')")
    html = write_employee_report(engine, settings, "E1", tmp_path / "out").read_text("utf-8")
    assert "No competitor simulation has run yet" in html
    engine.close()

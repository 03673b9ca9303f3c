"""The personal report: only this employee's leads, and what 'Only you' would change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.errors import NotFoundError, StageNotRunError
from tieguard.pipeline import run_stage
from tieguard.policy.personal import employee_actions
from tieguard.report import write_employee_report
from tieguard.report.employee import _summary, only_you_outcomes
from tieguard.settings import Settings
from tieguard.stages import stage
from tieguard.warehouse import open_warehouse

from .helpers import remote_references
from .org import build_org, org_settings


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


def test_employee_without_a_scan_is_told_to_run_it(tmp_path: Path, settings: Settings) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    engine.execute("INSERT INTO employees (employee_id, full_name) VALUES ('E1', 'Eve')")
    with pytest.raises(StageNotRunError, match="watch stage.*tieguard scan"):
        write_employee_report(engine, settings, "E1", tmp_path / "out")
    engine.close()


def test_never_imported_and_erased_employees_are_told_so(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    warehouse.execute("INSERT INTO employees (employee_id, full_name) VALUES ('E9', 'Nia New')")
    html = write_employee_report(warehouse, settings, "E9", tmp_path / "out").read_text("utf-8")
    assert "No LinkedIn export of yours has been imported" in html
    assert "nothing pointed it to a buyer" not in html
    warehouse.execute("INSERT INTO erasures (employee_id, erased_at) VALUES "
                      "('E9', TIMESTAMP '2025-06-02 10:00:00')")
    html = write_employee_report(warehouse, settings, "E9", tmp_path / "out").read_text("utf-8")
    assert "erased on 2025-06-02" in html and "No LinkedIn export" not in html


def test_buyers_outside_the_crm_are_not_counted_as_a_company() -> None:
    leads = [
        {"company_shown": "Kesselbau", "is_pipeline": True, "seen_on": "2024-03-01"},
        {"company_shown": "Kesselbau", "is_pipeline": False, "seen_on": "2024-04-01"},
        {"company_shown": None, "is_pipeline": False, "seen_on": "2024-05-01"},
        {"company_shown": None, "is_pipeline": False, "seen_on": "2024-06-01"},
    ]
    text = _summary(9, leads)
    assert "buyers at 1 company and 2 buyers whose company is not in our CRM" in text
    assert "1 was a person in our live pipeline" in text


def test_the_personal_report_ends_with_three_measured_actions(tmp_path: Path) -> None:
    engine = open_warehouse(tmp_path / "w.duckdb")
    build_org(engine, n_accounts=8, n_ties=120)
    cfg = org_settings()
    for name in ("watch", "exposure"):
        run_stage(engine, cfg, stage(name))
    stored = engine.fetchone(
        "SELECT count(*), count(*) FILTER (is_lead), count(*) FILTER (is_lead AND is_pipeline) "
        "FROM competitor_leads WHERE scenario = 'baseline' AND employee_id = 'E001'")
    actions = employee_actions(engine, cfg, "E001")
    assert len(actions) == 3
    before = actions[0].before
    # the personal simulation reproduces the stored lead log of this employee
    assert (before.sightings, before.leads, before.pipeline_leads) == stored
    assert before.leads > 0
    cuts = [(a.pipeline_cut, a.leads_cut) for a in actions]
    assert cuts == sorted(cuts, reverse=True) and all(a.after.leads <= before.leads for a in actions)
    hide = next(a for a in actions if "Only you" in a.text)
    assert hide.leads_cut > 0
    html = write_employee_report(engine, cfg, "E001", tmp_path / "out").read_text("utf-8")
    assert html.index('id="actions"') > html.index('id="leads"')  # the report ends with them
    for a in actions:
        assert a.effect().replace("'", "&#39;") in html
    assert "would stop this competitor from finding" not in html  # the old hard-coded claim
    assert engine.scalar("SELECT count(*) FROM competitor_leads WHERE scenario <> 'baseline'") == 0
    engine.close()


def test_action_effects_say_what_was_measured() -> None:
    from tieguard.policy.personal import Action, Exposure

    before = Exposure(sightings=10, leads=8, pipeline_leads=3, accounts=2)
    delayed = Action("wait", before, Exposure(10, 7, 0, 2))  # seen later, after the deal closed
    assert delayed.effect() == ("the competitor would have seen 1 fewer of your 8 leads (7 left); "
                                "3 fewer of them would have been people in our live pipeline "
                                "while their deal was open.")
    assert Action("x", before, before).effect().startswith("would not have changed")
    only_pipeline = Action("y", before, Exposure(10, 8, 1, 2))
    assert only_pipeline.effect() == ("the competitor would have seen 2 fewer people in our live "
                                      "pipeline while their deal was open.")


def test_personal_actions_on_own_copies_equal_the_whole_tables(
    demo_run: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The personal simulation reads small copies of the people, roles and matches of the
    employee's ties; every measured action equals the one read from the whole tables."""
    from tieguard.policy import personal
    from tieguard.session import open_session
    from tieguard.watch import Sources

    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    session = open_session(db)
    engine, settings = session.engine, session.settings
    employees = [str(r[0]) for r in engine.fetchall(
        "SELECT employee_id FROM competitor_leads WHERE is_lead GROUP BY 1 ORDER BY count(*) "
        "DESC, 1 LIMIT 3")]
    assert employees
    on_copies = {e: personal.employee_actions(engine, settings, e, limit=9) for e in employees}

    own_copies = personal._own_sources

    def whole_tables(engine: Engine, employee_id: str) -> Sources:
        return Sources(ties=own_copies(engine, employee_id).ties)

    monkeypatch.setattr(personal, "_own_sources", whole_tables)
    for e in employees:
        assert personal.employee_actions(engine, settings, e, limit=9) == on_copies[e]
    assert any(a.leads_cut for acts in on_copies.values() for a in acts)
    session.close()

"""Capital views on the hand-built graph of conftest.org.

Known answers of that graph (as of 2026-06-30):
- A1 Acme Industrial (customer, open pipeline 100k; a 2020 win is outside the 3-year window):
  E1 alone reaches C1 (CRM role economic_buyer; title says decision_maker) and C2
  (title: technical_evaluator|user).
- A2 Beta Werke (customer, won 50k in 2025): E2 and E3 both reach C3 (decision_maker).
- A3 Gamma BV (prospect, 20k open): E3 reaches C4 (procurement); E4 reached C4 too but left in
  2025; E2 reaches C5 (user) but marked C5 private.
- A4 Delta Ltd: nobody.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tieguard import capital
from tieguard.engine import Engine
from tieguard.errors import NotFoundError

from .conftest import AS_OF, add_tie, build, insert


def _built(engine: Engine) -> Engine:
    build(engine)
    return engine


def _committee(engine: Engine, account_id: str) -> dict[str, dict[str, object]]:
    rows = {r["account_id"]: r for r in capital.accounts(engine)}
    return rows[account_id]["committee"]


def test_coverage_counts_roles_and_holders(org: Engine) -> None:
    summary = build(org)
    assert summary["accounts_covered"] == 3
    assert summary["relationships"] == 5
    rows = {r["account_id"]: r for r in capital.accounts(org)}
    assert set(rows["A1"]["roles_reached"]) == {"economic_buyer", "technical_evaluator", "user"}
    assert "decision_maker" in rows["A1"]["roles_missing"]
    assert rows["A2"]["committee"]["decision_maker"]["employees"] == 2
    # two holders in two teams of one each: no team is named (k-anonymity, k = 3)
    assert rows["A2"]["committee"]["decision_maker"]["teams"] == "smaller teams (2)"
    assert rows["A2"]["committee"]["decision_maker"]["since"] == "2023-05-01"
    assert rows["A3"]["roles_reached"] == ["procurement"]
    assert rows["A4"]["roles_reached"] == [] and len(rows["A4"]["roles_missing"]) == 6
    assert rows["A1"]["won_value"] == 0.0  # the 2020 win is outside the value window
    assert rows["A2"]["won_value"] == 50_000.0


def test_crm_role_outranks_title_role(org: Engine) -> None:
    _built(org)
    sources = dict(org.fetchall(
        "SELECT buying_role, role_source FROM capital_contact_roles WHERE contact_id = 'C1'"))
    assert sources == {"economic_buyer": "crm"}
    committee = _committee(org, "A1")
    assert "decision_maker" not in committee
    assert committee["economic_buyer"]["from_crm"] is True


def test_single_holder_account_flagged_and_two_holder_account_not(org: Engine) -> None:
    _built(org)
    flagged = {r["account_id"]: r for r in capital.risk(org)}
    assert flagged["A1"]["at_risk"] and flagged["A1"]["key_holders"] == 1
    assert flagged["A1"]["value"] == 100_000.0
    assert flagged["A3"]["at_risk"]  # the departed E4 no longer holds C4
    assert "A2" not in flagged
    row = org.fetch_records("SELECT * FROM capital_risk WHERE account_id = 'A2'")[0]
    assert row["key_holders"] == 2 and not row["at_risk"] and row["single_holder_contacts"] == 0
    assert "E1" not in json.dumps(capital.risk(org))  # shared view: teams, not people


def test_departure_of_sole_holder_loses_account_and_value(org: Engine) -> None:
    _built(org)
    report = capital.departure(org, "E1")
    assert [a["account_id"] for a in report["lost"]] == ["A1"]
    assert report["value_lost"] == 100_000.0
    assert report["lost"][0]["roles_lost"] == ["economic_buyer", "technical_evaluator", "user"]


def test_departure_of_one_of_two_holders_loses_nothing(org: Engine) -> None:
    _built(org)
    report = capital.departure(org, "Bert de Vries")  # by name
    assert report["employee_id"] == "E2"
    assert report["accounts_lost"] == 0 and report["value_lost"] == 0
    assert report["weakened"] == []
    report_e3 = capital.departure(org, "E3")
    assert [a["account_id"] for a in report_e3["lost"]] == ["A3"]
    assert report_e3["value_lost"] == 20_000.0


def test_intro_ranks_stronger_path_first(org: Engine) -> None:
    _built(org)
    result = capital.intro(org, "Beta Werke")
    assert result["target"]["id"] == "A2"
    assert [p["employee_id"] for p in result["paths"]] == ["E2", "E3"]
    assert result["paths"][0]["strength"] > result["paths"][1]["strength"]
    assert result["paths"][0]["evidence"]["won_with_contact"] == 1


def test_intro_to_unreached_person_goes_through_colleagues(org: Engine) -> None:
    _built(org)
    result = capital.intro(org, "Carl Five")  # C5: only E2 knows them, privately
    assert not result["reached_directly"]
    assert [(p["kind"], p["contact_id"], p["employee_id"]) for p in result["paths"]] == [
        ("same_account", "C4", "E3")]
    assert result["paths"][0]["score"] < result["paths"][0]["strength"]
    assert capital.intro(org, "C6")["paths"] == []


def test_private_mark_removes_relationship_from_shared_views(org: Engine) -> None:
    _built(org)
    pair = "SELECT count(*) FROM relationship_strength WHERE employee_id='E2' AND contact_id='C5'"
    assert org.scalar(pair) == 0
    assert "user" not in {r["account_id"]: r for r in capital.accounts(org)}["A3"]["roles_reached"]
    org.execute("DELETE FROM private_marks")
    _built(org)
    assert org.scalar(pair) == 1
    assert "user" in {r["account_id"]: r for r in capital.accounts(org)}["A3"]["roles_reached"]


def test_monthly_coverage_follows_ties_and_departures(org: Engine) -> None:
    _built(org)
    months = {m["month"]: m for m in capital.monthly(org)}
    assert months["2023-10"]["accounts_covered"] == 2  # A2 via E2, A3 via E4
    assert months["2024-12"]["accounts_covered"] == 3
    assert months["2025-01"]["accounts_covered"] == 2  # E4 left: A3 uncovered
    assert months["2025-01"]["roles_covered"] == 4
    assert months[AS_OF.isoformat()[:7]]["accounts_covered"] == 3
    assert months[AS_OF.isoformat()[:7]]["ties"] == 5
    assert months["2025-01"]["ties"] == 3


def _two_contacts(engine: Engine) -> None:
    insert(engine, "employees", [{"employee_id": "E1", "full_name": "Anna", "team": "T"}])
    insert(engine, "accounts", [{"account_id": "A1", "name": "One", "account_type": "customer"},
                                {"account_id": "A2", "name": "Two", "account_type": "customer"}])
    insert(engine, "contacts", [{"contact_id": "C1", "account_id": "A1"},
                                {"contact_id": "C2", "account_id": "A2"}])


def _strength(engine: Engine) -> dict[str, float]:
    build(engine)
    return dict(engine.fetchall("SELECT contact_id, strength FROM relationship_strength"))


def test_strength_decays_with_age(engine: Engine) -> None:
    _two_contacts(engine)
    add_tie(engine, "E1", "p1", "C1", "A1", AS_OF - dt.timedelta(days=30))
    add_tie(engine, "E1", "p2", "C2", "A2", AS_OF - dt.timedelta(days=730))
    s = _strength(engine)
    assert s["C1"] > s["C2"]
    assert s["C1"] <= 0.2  # a bare connection is weak
    assert s["C2"] == pytest.approx(0.1, abs=1e-3)  # one half-life old


def test_strength_rises_with_opportunity_involvement(engine: Engine) -> None:
    _two_contacts(engine)
    connected = AS_OF - dt.timedelta(days=400)
    add_tie(engine, "E1", "p1", "C1", "A1", connected)
    add_tie(engine, "E1", "p2", "C2", "A2", connected)
    insert(engine, "opportunities", [{"opportunity_id": "O1", "account_id": "A2",
                                      "amount": 10.0, "is_closed": False,
                                      "owner_employee_id": "E1"}])
    owner_only = _strength(engine)
    assert owner_only["C2"] > owner_only["C1"]
    insert(engine, "contact_roles", [{"opportunity_id": "O1", "contact_id": "C2",
                                      "buying_role": "decision_maker"}])
    with_contact = _strength(engine)
    assert with_contact["C2"] > owner_only["C2"]
    assert with_contact["C1"] == owner_only["C1"]


def test_invitation_sent_by_employee_is_evidence(engine: Engine) -> None:
    _two_contacts(engine)
    connected = AS_OF - dt.timedelta(days=100)
    add_tie(engine, "E1", "p1", "C1", "A1", connected)
    add_tie(engine, "E1", "p2", "C2", "A2", connected)
    insert(engine, "invitations", [{
        "employee_id": "E1", "network": "linkedin", "direction": "OUTGOING",
        "counterpart_name": "P1 Person", "counterpart_url": "https://www.linkedin.com/in/p1/",
        "sent_at": dt.datetime(2026, 3, 1, 9, 0), "has_message": True, "import_id": "i"}])
    s = _strength(engine)
    assert s["C1"] > s["C2"]
    evidence = json.loads(engine.scalar(
        "SELECT evidence FROM relationship_strength WHERE contact_id = 'C1'"))
    assert evidence["initiated_by"] == "employee" and evidence["invitation_message"] is True


def test_runs_without_title_roles_using_profile_roles(org: Engine) -> None:
    org.execute("DELETE FROM contact_title_roles")
    insert(org, "person_roles", [{"person_key": "p2", "buying_roles": "gatekeeper"}])
    _built(org)
    assert set(_committee(org, "A1")) == {"economic_buyer", "gatekeeper"}


def test_target_lookup_is_fuzzy_and_explains_misses(org: Engine) -> None:
    _built(org)
    assert capital.intro(org, "Acme Industral")["target"]["id"] == "A1"
    assert capital.intro(org, "gamma")["target"]["id"] == "A3"
    with pytest.raises(NotFoundError, match="Close candidates"):
        capital.intro(org, "Omega Corp")
    with pytest.raises(NotFoundError, match="employee"):
        capital.departure(org, "Nobody Known")


def _team_labels(engine: Engine) -> list[tuple[str, int]]:
    """Every (team label, people) pair any shared capital table shows."""
    import re

    texts = [r[0] for r in engine.fetchall(
        "SELECT teams FROM capital_accounts UNION ALL SELECT teams FROM capital_coverage "
        "UNION ALL SELECT holder_team FROM capital_risk") if r[0]]
    return [(m.group(1).strip(), int(m.group(2)))
            for t in texts for m in re.finditer(r"\s*([^,(]+?) \((\d+)\)", t)]


@pytest.mark.parametrize("k", [2, 3, 4])
def test_shared_capital_tables_name_no_team_smaller_than_k(engine: Engine, k: int) -> None:
    insert(engine, "accounts", [{"account_id": "A1", "name": "One", "account_type": "customer"}])
    insert(engine, "contacts", [{"contact_id": "C1", "account_id": "A1"}])
    insert(engine, "contact_title_roles", [{"contact_id": "C1", "buying_roles": "decision_maker"}])
    staff = [("N1", "North"), ("N2", "North"), ("N3", "North"), ("S1", "South"), ("S2", "South"),
             ("F1", "Field Sales France")]
    insert(engine, "employees", [{"employee_id": e, "full_name": e, "team": t} for e, t in staff])
    for e, _ in staff:
        add_tie(engine, e, "p1", "C1", "A1", dt.date(2024, 1, 1))
    from tieguard.pipeline import run_stage
    from tieguard.settings import CapitalSettings, PrivacySettings, Settings
    from tieguard.stages import stage

    run_stage(engine, Settings(capital=CapitalSettings(as_of=AS_OF.isoformat()),
                               privacy=PrivacySettings(k_anonymity=k)), stage("capital"))
    labels = _team_labels(engine)
    named = {team for team, _ in labels if team != "smaller teams"}
    assert all(n >= k for team, n in labels if team != "smaller teams"), labels
    assert ("North" in named) == (k <= 3) and ("South" in named) == (k <= 2)
    assert "Field Sales France" not in named  # one person: never named
    total = sum(n for _, n in labels) // 3  # three tables show the same six holders
    assert total == len(staff)

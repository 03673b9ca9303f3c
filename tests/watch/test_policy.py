"""Policies: loader validation and their effect on hand-built timelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tieguard import PolicyError, exposure, watch
from tieguard.policy import (
    apply_policy,
    builtin_policies,
    load_policy_file,
    parse_policies,
    resolve_policies,
    whatif,
)

from .timeline import Timeline, settings


def _org() -> Timeline:
    tl = Timeline()
    tl.employee("S1", job_role="inside_sales").employee("S2", job_role="field_sales")
    tl.employee("X1", job_role="engineering", team="r&d")
    tl.account("A1").account("A2")
    tl.person("P1", account_id="A1", contact_id="C1").person("P2", account_id="A2", contact_id="C2")
    tl.person("P3", account_id="A1").person("P4", account_id="A2")
    tl.opportunity("O1", "A1", amount=100.0, created_on="2024-02-01", close_date="2024-08-01",
                   is_closed=True, is_won=True, contacts=["C1"])
    tl.opportunity("O2", "A2", amount=50.0, created_on="2024-03-01", close_date="2024-10-01",
                   is_closed=True, is_won=False, contacts=["C2"])
    tl.tie("T1", "S1", "P1", "2024-03-01").tie("T2", "S2", "P2", "2024-04-01")
    tl.tie("T3", "X1", "P3", "2024-05-01").tie("T4", "X1", "P4", "2024-05-02")
    return tl


def test_builtins_include_the_seed_reactions() -> None:
    names = set(builtin_policies())
    assert {"hide_lists_sales", "connect_after_close", "company_off_profile", "training",
            "block_social_at_work"} <= names


def test_policy_file_errors_name_file_field_and_fix(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text('kind = "hide_lists"\nadoption = 1.5\n')
    with pytest.raises(PolicyError, match=r"mine\.toml.*'adoption'.*less than or equal to 1"):
        load_policy_file(f)
    f.write_text('kind = "hide_everything"\n')
    with pytest.raises(PolicyError, match="kind to one of: hide_lists"):
        load_policy_file(f)
    y = tmp_path / "p.yaml"
    y.write_text("policies:\n  - {name: a, kind: training, behavours: [hide_lists]}\n")
    with pytest.raises(PolicyError, match="'behavours'.*spelling"):
        load_policy_file(y)
    with pytest.raises(PolicyError, match="No built-in policy or file named 'nope'"):
        resolve_policies(["nope"])


def test_yaml_and_toml_files_load(tmp_path: Path) -> None:
    y = tmp_path / "two.yml"
    y.write_text("policies:\n  - {name: a, kind: hide_lists, adoption: 0.5, group: {teams: [r&d]}}\n"
                 "  - {name: b, kind: company_off_profile, from_date: 2025-01-01}\n")
    a, b = load_policy_file(y)
    assert a.group.teams == ["r&d"] and a.adoption == 0.5 and b.from_date.year == 2025
    t = tmp_path / "one.toml"
    t.write_text('kind = "block_social_at_work"\nfraction_elsewhere = 0.2\n')
    (p,) = resolve_policies([str(t)])
    assert p.name == "one" and p.fraction_elsewhere == 0.2


def test_hide_lists_for_sales_leaves_engineers_visible() -> None:
    tl = _org()
    (pol,) = parse_policies({"name": "h", "kind": "hide_lists", "group": {"sales": True}}, "t", "h")
    src, adopters = apply_policy(tl.engine, pol)
    assert adopters == 2
    watch.run(tl.engine, settings(), scenario="h", sources=src)
    assert set(tl.sightings("h")) == {"T3", "T4"}
    assert tl.engine.scalar("SELECT count(*) FROM privacy_settings") == 0  # canonical untouched


def test_connect_after_close_moves_ties_to_the_close_date() -> None:
    tl = _org()
    (pol,) = parse_policies({"name": "c", "kind": "connect_after_close"}, "t", "c")
    src, _ = apply_policy(tl.engine, pol)
    moved = dict(tl.engine.fetchall(f"SELECT tie_id, CAST(connected_on AS VARCHAR) FROM {src.ties}"))
    assert moved["T1"] == "2024-08-01" and moved["T2"] == "2024-10-01"
    assert moved["T3"] == "2024-08-01"  # scope account: anyone at A1 while O1 is open
    watch.run(tl.engine, settings(), scenario="c", sources=src)
    head = exposure.run(tl.engine, settings(), scenario="c")
    assert head["revealed_opportunities"] == 0 and head["account_visibility"] == 0


def test_company_off_profile_hides_from_a_company_named_watcher_only() -> None:
    tl = _org()
    (pol,) = parse_policies({"name": "o", "kind": "company_off_profile"}, "t", "o")
    src, _ = apply_policy(tl.engine, pol)
    watch.run(tl.engine, settings(watched="company_named"), scenario="o", sources=src)
    assert tl.sightings("o") == {}
    watch.run(tl.engine, settings(watched="all"), scenario="o", sources=src)
    assert len(tl.sightings("o")) == 4


def test_whatif_reports_before_after_difference_and_cost() -> None:
    tl = _org()
    pols = resolve_policies(["hide_lists_sales", "connect_after_close", "block_social_at_work"])
    res = whatif(tl.engine, settings(), pols)
    before = res.before["deals_revealed"]
    assert before == 1.0
    by = {p.policy: p for p in res.policies}
    cac = by["connect_after_close"]
    assert cac.after["deals_revealed"] <= before
    assert cac.difference(res.before)["deals_revealed"] == cac.after["deals_revealed"] - before
    assert cac.cost.ties_delayed >= 1 and cac.cost.median_delay_days > 0
    rows = tl.engine.fetchall("SELECT DISTINCT policy FROM whatif_results ORDER BY 1")
    assert [r[0] for r in rows] == sorted(by)
    assert tl.engine.scalar("SELECT count(*) FROM whatif_costs") == 3
    # canonical timeline untouched, scenario rows kept beside the baseline
    assert tl.engine.scalar("SELECT count(*) FROM ties") == 4
    assert tl.engine.scalar(
        "SELECT count(DISTINCT scenario) FROM exposure_headline") == 4


def test_whatif_reuses_a_current_baseline_and_recomputes_a_stale_one() -> None:
    tl = _org()
    pols = resolve_policies(["hide_lists_sales"])
    first = whatif(tl.engine, settings(), pols)
    assert exposure.baseline_is_current(tl.engine, settings())
    again = whatif(tl.engine, settings(), pols)
    assert again.before["deals_revealed"] == first.before["deals_revealed"]
    assert not exposure.baseline_is_current(tl.engine, settings(cadence_days=30))
    tl.tie("T9", "X1", "P1", "2024-01-02")
    assert not exposure.baseline_is_current(tl.engine, settings())
    whatif(tl.engine, settings(), pols)
    assert "T9" in tl.sightings()

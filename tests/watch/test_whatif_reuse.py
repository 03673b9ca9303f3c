"""What-ifs re-simulate only the adopters' ties and copy everyone else's from the baseline:
every figure and every stored row must be what re-simulating every tie gives."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tieguard.policy import builtin_policies, whatif
from tieguard.session import open_session

#: Tables a scenario writes (each has a ``scenario`` column) and the what-if tables.
_SCENARIO_TABLES = ("competitor_sightings", "competitor_leads", "exposure_opportunities",
                    "exposure_head_start", "exposure_accounts", "exposure_monthly",
                    "exposure_teams", "exposure_countries", "exposure_headline")


def _rows(engine: Any, scenarios: list[str]) -> dict[str, list[str]]:
    out = {}
    for table in _SCENARIO_TABLES:
        rows = engine.fetchall(f"SELECT * FROM {table} WHERE list_contains(?, scenario)",
                               [scenarios])
        out[table] = sorted(map(repr, rows))
    for table in ("whatif_results", "whatif_costs"):
        out[table] = sorted(map(repr, engine.fetchall(f"SELECT * FROM {table}")))
    return out


@pytest.mark.parametrize("overrides", [
    {},
    {"watch.watched": "company_named", "watch.vantage": "shared"},
    {"watch.watched": "sales", "watch.cadence_days": 30},
], ids=["default", "company_named-shared", "sales-monthly"])
def test_reusing_the_baseline_gives_the_full_rerun(demo_run: tuple[Path, dict], tmp_path: Path,
                                                   overrides: dict[str, Any]) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    session = open_session(db, overrides=overrides)
    engine, settings = session.engine, session.settings
    policies = builtin_policies()
    try:
        full = whatif(engine, settings, policies, reuse_unchanged=False)
        full_rows = _rows(engine, list(policies))
        reused = whatif(engine, settings, policies, reuse_unchanged=True)
        reused_rows = _rows(engine, list(policies))
        employees = engine.scalar("SELECT count(DISTINCT employee_id) FROM ties")
    finally:
        engine.close()
    # (the first call may compute the baseline, the second reuses it: only the stored
    # headline's sentence differs between the two)
    assert reused.as_json()["policies"] == full.as_json()["policies"]
    assert reused.before.metrics == full.before.metrics
    for table, rows in full_rows.items():
        assert reused_rows[table] == rows, table
    # the comparison means something: most policies leave employees to the baseline
    # (block_social_at_work is adopted by everyone), and each changes the competitor's view
    assert all(p.cost.adopters > 0 for p in reused.policies)
    assert sum(p.cost.adopters < employees for p in reused.policies) >= 4
    assert all(p.after.figures() != reused.before.figures() for p in reused.policies)
    assert full_rows["competitor_leads"]


def test_cost_of_the_adopters_is_the_cost_over_every_tie(demo_run: tuple[Path, dict],
                                                          tmp_path: Path) -> None:
    """A policy's cost compares only its adopters' ties (and no timeline when the policy
    keeps it): the same figures as comparing every tie and every sighting."""
    from tieguard import watch
    from tieguard.policy.transforms import apply_policy, drop_scratch
    from tieguard.policy.whatif import _cost

    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    session = open_session(db)
    engine, settings = session.engine, session.settings
    costs = []
    try:
        whatif(engine, settings, [])  # the baseline
        for policy in builtin_policies().values():
            src, adopters = apply_policy(engine, policy)
            try:
                watch.run(engine, settings, scenario=policy.name, sources=src)
                ties = engine.fetchone(
                    "SELECT count(s.tie_id) FILTER (s.connected_on > b.connected_on), "
                    "median(date_diff('day', b.connected_on, s.connected_on)) "
                    "FILTER (s.connected_on > b.connected_on), count(*) FILTER (s.tie_id IS NULL) "
                    f"FROM ties b LEFT JOIN {src.ties} s USING (tie_id) "
                    "WHERE b.person_key IS NOT NULL AND NOT coalesce(b.is_hidden_member, false)")
                hidden = engine.scalar(
                    "SELECT count(*) FROM competitor_sightings b WHERE b.scenario = 'baseline' "
                    "AND NOT EXISTS (SELECT 1 FROM competitor_sightings s "
                    "WHERE s.scenario = ? AND s.tie_id = b.tie_id)", [policy.name])
                later = engine.scalar(
                    "SELECT count(*) FROM competitor_sightings b JOIN competitor_sightings s "
                    "USING (tie_id) WHERE b.scenario = 'baseline' AND s.scenario = ? "
                    "AND s.seen_on > b.seen_on", [policy.name])
                cost = _cost(engine, policy.name, src, adopters)
            finally:
                drop_scratch(engine, src)
            assert ties is not None
            expected = (ties[0], float(ties[1]) if ties[1] is not None else 0.0, ties[2],
                        hidden, later)
            got = (cost.ties_delayed, cost.median_delay_days, cost.ties_never_made,
                   cost.ties_hidden, cost.ties_seen_later)
            assert got == expected, policy.name
            costs.append(got)
    finally:
        engine.close()
    # the comparison means something: some policies delay, drop, hide and postpone ties
    assert all(any(c[i] for c in costs) for i in range(5))

"""What-if: re-simulate the competitor under each policy and compare with the baseline."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa

from .. import exposure, watch
from ..engine import Engine
from ..exposure import Headline
from ..settings import Settings
from ..stages import JSONValue
from ..watch import Sources
from .transforms import apply_policy, drop_scratch

__all__ = ["whatif", "COMPARED_METRICS", "WhatIfResult", "PolicyOutcome", "PolicyCost"]

log = logging.getLogger(__name__)

#: Metrics compared before/after, in display order.
COMPARED_METRICS = (
    "deals_revealed", "deals_revealed_value", "account_visibility", "head_start_days_median",
    "lead_precision", "leads", "accounts_revealed",
)


@dataclass(frozen=True)
class PolicyCost:
    """What a countermeasure costs the organisation."""

    adopters: int
    ties_delayed: int
    median_delay_days: float
    ties_never_made: int
    ties_hidden: int
    ties_seen_later: int

    @property
    def notes(self) -> str:
        return (f"{self.adopters} employees adopt; {self.ties_never_made} ties never made; "
                f"{self.ties_seen_later} seen later by the competitor")


@dataclass(frozen=True)
class PolicyOutcome:
    """One countermeasure: its exposure afterwards, the difference and the cost."""

    policy: str
    kind: str
    description: str
    adoption: float
    after: Headline
    cost: PolicyCost

    def difference(self, before: Headline) -> dict[str, float]:
        return {m: float(self.after[m]) - float(before[m]) for m in COMPARED_METRICS}


@dataclass(frozen=True)
class WhatIfResult:
    """The baseline and every countermeasure's outcome."""

    before: Headline
    policies: tuple[PolicyOutcome, ...]
    metrics: tuple[str, ...] = COMPARED_METRICS

    def as_json(self) -> dict[str, JSONValue]:
        return {
            "before": self.before.figures(),
            "policies": [
                {"policy": p.policy, "kind": p.kind, "description": p.description,
                 "adoption": p.adoption, "after": p.after.figures(),
                 "cost": asdict(p.cost) | {"notes": p.cost.notes},
                 "difference": p.difference(self.before)}
                for p in self.policies
            ],
            "metrics": list(self.metrics),
        }


def _cost(engine: Engine, scenario: str, src: Sources, adopters: int) -> PolicyCost:
    """What a policy costs: ties delayed (and by how much), never made, hidden from the
    competitor. Only the ties of employees the policy changed (``src.changed``) can differ
    from the baseline (every transformation changes only its adopters' rows, see
    :func:`~tieguard.policy.transforms.apply_policy`), so only theirs are compared; a
    policy that leaves the timeline itself (``src.ties``) as it is delays and removes none."""
    changed = "TRUE" if src.changed is None else \
        f"b.employee_id IN (SELECT employee_id FROM {src.changed})"
    row: tuple[Any, ...] = (0, None, 0)
    if src.ties != Sources.ties:
        row = engine.fetchone(
            f"""
            SELECT count(s.tie_id) FILTER (s.connected_on > b.connected_on),
                   median(date_diff('day', b.connected_on, s.connected_on))
                       FILTER (s.connected_on > b.connected_on),
                   count(*) FILTER (s.tie_id IS NULL)
            FROM ties b LEFT JOIN {src.ties} s USING (tie_id)
            WHERE b.person_key IS NOT NULL AND NOT coalesce(b.is_hidden_member, false) AND {changed}
            """
        ) or row
    # a scenario holds a tie at most once (sightings are grouped by tie)
    seen = engine.fetchone(
        "SELECT count(*) FILTER (s.tie_id IS NULL), count(*) FILTER (s.seen_on > b.seen_on) "
        "FROM competitor_sightings b LEFT JOIN (SELECT tie_id, seen_on FROM competitor_sightings "
        f"WHERE scenario = ?) s USING (tie_id) WHERE b.scenario = 'baseline' AND {changed}",
        [scenario],
    ) or (0, 0)
    return PolicyCost(
        adopters=adopters,
        ties_delayed=int(row[0] or 0),
        median_delay_days=float(row[1]) if row[1] is not None else 0.0,
        ties_never_made=int(row[2] or 0),
        ties_hidden=int(seen[0] or 0),
        ties_seen_later=int(seen[1] or 0),
    )


def _run_scenario(engine: Engine, settings: Settings, policy: Any,
                  reuse_baseline: bool = True) -> PolicyOutcome:
    """One policy; with ``reuse_baseline`` (the stored baseline is current) only the
    adopters' ties are simulated again, the rest is copied from the baseline."""
    src, adopters = apply_policy(engine, policy)
    try:
        watch.run(engine, settings, scenario=policy.name, sources=src,
                  reuse_baseline=reuse_baseline)
        after = exposure.measure(engine, settings, scenario=policy.name)
        cost = _cost(engine, policy.name, src, adopters)
    finally:
        drop_scratch(engine, src)
    return PolicyOutcome(policy.name, policy.kind, policy.description, policy.adoption, after, cost)


_RESULT_SCHEMA = pa.schema([
    ("policy", pa.string()), ("kind", pa.string()), ("description", pa.string()),
    ("metric", pa.string()), ("before", pa.float64()), ("after", pa.float64()),
    ("difference", pa.float64()),
])
_COST_SCHEMA = pa.schema([
    ("policy", pa.string()), ("kind", pa.string()), ("adoption", pa.float64()),
    ("adopters", pa.int64()), ("ties_delayed", pa.int64()), ("ties_hidden", pa.int64()),
    ("ties_never_made", pa.int64()), ("ties_seen_later", pa.int64()),
    ("median_delay_days", pa.float64()), ("notes", pa.string()),
])


def _write_tables(engine: Engine, result: WhatIfResult) -> None:
    before = result.before
    rows = [
        {"policy": p.policy, "kind": p.kind, "description": p.description, "metric": m,
         "before": float(before[m]), "after": float(p.after[m]),
         "difference": float(p.after[m]) - float(before[m])}
        for p in result.policies for m in COMPARED_METRICS
    ]
    costs = [
        {"policy": p.policy, "kind": p.kind, "adoption": p.adoption, **asdict(p.cost),
         "notes": p.cost.notes}
        for p in result.policies
    ]
    with engine.transaction():
        for table, data, arrow_schema in (("whatif_results", rows, _RESULT_SCHEMA),
                                          ("whatif_costs", costs, _COST_SCHEMA)):
            view = f"_tg_{table}_rows"
            engine.register(view, pa.Table.from_pylist(data, schema=arrow_schema))
            try:
                engine.replace(table, f"SELECT * FROM {view}")
            finally:
                engine.unregister(view)


def whatif(
    engine: Engine,
    settings: Settings,
    policies: Iterable[Any] | Mapping[str, Any],
    on_progress: Any = None,
    reuse_baseline: bool = True,
    reuse_unchanged: bool = False,
) -> WhatIfResult:
    """Baseline plus one scenario per policy; writes ``whatif_results`` and ``whatif_costs``.

    ``policies``: policy objects (see :mod:`tieguard.policy.model`) or a mapping of them by name.
    The stored baseline is reused when it was computed from the same inputs and settings.
    ``reuse_unchanged``: a scenario simulates only its adopters' ties and copies the
    baseline's sightings and leads of everyone else (the same figures, see
    ``tests/watch/test_whatif_reuse.py``). Off by default: on the large demo it saved no
    CPU time (169 vs 159 CPU-s for the six built-in policies), because the copied rows
    are written again and whether a tie is the first into its account is decided over all
    sightings; the gain needs scenarios stored as differences to the baseline.
    """
    policies = list(policies.values() if isinstance(policies, Mapping) else policies)
    total = len(policies) + 1
    if on_progress:
        on_progress("what-if", 0, total)
    if reuse_baseline and exposure.baseline_is_current(engine, settings):
        before = exposure.headline(engine, "baseline")
    else:
        watch.run(engine, settings)
        before = exposure.measure(engine, settings)
    if on_progress:
        on_progress("what-if", 1, total)
    outcomes: list[PolicyOutcome] = []
    for i, policy in enumerate(policies, start=2):
        log.info("what-if %s (%s)", policy.name, policy.kind)
        outcomes.append(_run_scenario(engine, settings, policy, reuse_unchanged))
        if on_progress:
            on_progress("what-if", i, total)
    result = WhatIfResult(before, tuple(outcomes))
    _write_tables(engine, result)
    return result

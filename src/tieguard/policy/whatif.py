"""What-if: re-simulate the competitor under each policy and compare with the baseline."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from .. import exposure, watch
from ..engine import Engine
from ..settings import Settings
from ..watch import Sources
from .transforms import apply_policy, drop_scratch

__all__ = ["whatif", "COMPARED_METRICS"]

log = logging.getLogger(__name__)

#: Metrics compared before/after, in display order.
COMPARED_METRICS = (
    "pipeline_exposure", "pipeline_exposure_value", "won_exposure", "head_start_days_median",
    "lead_precision", "leads", "accounts_revealed",
)


def _cost(engine: Engine, scenario: str, src: Sources) -> dict[str, Any]:
    """What a policy costs: ties delayed (and by how much), never made, hidden from the competitor."""
    row = engine.fetchone(
        f"""
        SELECT count(s.tie_id) FILTER (s.connected_on > b.connected_on),
               median(date_diff('day', b.connected_on, s.connected_on))
                   FILTER (s.connected_on > b.connected_on),
               count(*) FILTER (s.tie_id IS NULL)
        FROM ties b LEFT JOIN {src.ties} s USING (tie_id)
        WHERE b.person_key IS NOT NULL AND NOT coalesce(b.is_hidden_member, false)
        """
    ) or (0, None, 0)
    hidden = engine.scalar(
        "SELECT count(*) FROM competitor_sightings b WHERE b.scenario = 'baseline' AND NOT EXISTS "
        "(SELECT 1 FROM competitor_sightings s WHERE s.scenario = ? AND s.tie_id = b.tie_id)",
        [scenario],
    )
    later = engine.scalar(
        "SELECT count(*) FROM competitor_sightings b JOIN competitor_sightings s USING (tie_id) "
        "WHERE b.scenario = 'baseline' AND s.scenario = ? AND s.seen_on > b.seen_on",
        [scenario],
    )
    return {
        "ties_delayed": int(row[0] or 0),
        "median_delay_days": float(row[1]) if row[1] is not None else 0.0,
        "ties_never_made": int(row[2] or 0),
        "ties_hidden": int(hidden or 0),
        "ties_seen_later": int(later or 0),
    }


def _run_scenario(
    engine: Engine, settings: Settings, policy: Any, on_progress: Any
) -> dict[str, Any]:
    src, adopters = apply_policy(engine, policy)
    try:
        watch.run(engine, settings, scenario=policy.name, sources=src)
        after = exposure.run(engine, settings, scenario=policy.name)
        cost = _cost(engine, policy.name, src)
    finally:
        drop_scratch(engine, src)
    cost["adopters"] = adopters
    cost["notes"] = (
        f"{adopters} employees adopt; {cost['ties_never_made']} ties never made; "
        f"{cost['ties_seen_later']} seen later by the competitor"
    )
    return {"after": after, "cost": cost}


def _write_tables(engine: Engine, results: list[dict[str, Any]], before: dict[str, Any]) -> None:
    rows = [
        {
            "policy": r["policy"], "kind": r["kind"], "description": r["description"],
            "metric": m, "before": float(before[m]), "after": float(r["after"][m]),
            "difference": float(r["after"][m]) - float(before[m]),
        }
        for r in results for m in COMPARED_METRICS
    ]
    costs = [
        {"policy": r["policy"], "kind": r["kind"], "adoption": r["adoption"],
         "adopters": r["cost"]["adopters"], "ties_delayed": r["cost"]["ties_delayed"],
         "ties_hidden": r["cost"]["ties_hidden"], "ties_never_made": r["cost"]["ties_never_made"],
         "ties_seen_later": r["cost"]["ties_seen_later"],
         "median_delay_days": r["cost"]["median_delay_days"], "notes": r["cost"]["notes"]}
        for r in results
    ]
    schemas = {
        "whatif_results": pa.schema([("policy", pa.string()), ("kind", pa.string()),
                                     ("description", pa.string()), ("metric", pa.string()),
                                     ("before", pa.float64()), ("after", pa.float64()),
                                     ("difference", pa.float64())]),
        "whatif_costs": pa.schema([("policy", pa.string()), ("kind", pa.string()),
                                   ("adoption", pa.float64()), ("adopters", pa.int64()),
                                   ("ties_delayed", pa.int64()), ("ties_hidden", pa.int64()),
                                   ("ties_never_made", pa.int64()), ("ties_seen_later", pa.int64()),
                                   ("median_delay_days", pa.float64()), ("notes", pa.string())]),
    }
    for table, data in (("whatif_results", rows), ("whatif_costs", costs)):
        arrow = pa.Table.from_pylist(data, schema=schemas[table])
        view = f"_tg_{table}_rows"
        engine.register(view, arrow)
        try:
            engine.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {view}")
        finally:
            engine.unregister(view)


def whatif(
    engine: Engine,
    settings: Settings,
    policies: Iterable[Any] | Mapping[str, Any],
    on_progress: Any = None,
    reuse_baseline: bool = True,
) -> dict[str, Any]:
    """Baseline plus one scenario per policy; writes ``whatif_results`` and ``whatif_costs``.

    ``policies``: policy objects (see :mod:`tieguard.policy.model`) or a mapping of them by name.
    The stored baseline is reused when it was computed from the same inputs and settings.
    """
    policies = list(policies.values() if isinstance(policies, Mapping) else policies)
    total = len(policies) + 1
    if on_progress:
        on_progress("what-if", 0, total)
    if reuse_baseline and exposure.baseline_is_current(engine, settings):
        before = exposure.headline(engine, "baseline")
    else:
        watch.run(engine, settings)
        before = exposure.run(engine, settings)
    results: list[dict[str, Any]] = []
    for i, policy in enumerate(policies, start=1):
        log.info("what-if %s (%s)", policy.name, policy.kind)
        outcome = _run_scenario(engine, settings, policy, on_progress)
        after = outcome["after"]
        results.append({
            "policy": policy.name, "kind": policy.kind, "description": policy.description,
            "adoption": policy.adoption, "after": after, "cost": outcome["cost"],
            "difference": {m: float(after[m]) - float(before[m]) for m in COMPARED_METRICS},
        })
        if on_progress:
            on_progress("what-if", i, total)
    _write_tables(engine, results, before)
    return {"before": before, "policies": results, "metrics": list(COMPARED_METRICS)}

"""Run the scan stages over what the warehouse holds."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .engine import Engine
from .settings import Settings
from .stages import SCAN_STAGES, JSONValue, ProgressCallback, Stage, StageResult
from .warehouse import record_stage_run

__all__ = ["ScanResult", "run_scan", "run_stage"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanResult:
    """Each stage's result in run order, and the exposure headline."""

    stages: tuple[StageResult, ...]

    @property
    def headline(self) -> Mapping[str, JSONValue]:
        for result in self.stages:
            if result.name == "exposure":
                return result.figures
        return {}

    def by_name(self) -> dict[str, StageResult]:
        return {r.name: r for r in self.stages}


def run_stage(engine: Engine, settings: Settings, stage: Stage,
              on_progress: ProgressCallback | None = None) -> StageResult:
    """Run one stage and record the run in ``stage_runs``, in one transaction: a stage
    stopped half-way (Ctrl-C, an error) leaves its tables as they were."""
    with engine.transaction():
        result = stage.run(engine, settings, on_progress)
        record_stage_run(engine, stage.name, result.seconds, dict(result.figures))
    log.info("stage %s done in %.2fs", stage.name, result.seconds)
    return result


def run_scan(
    engine: Engine,
    settings: Settings,
    on_progress: ProgressCallback | None = None,
    stages: Sequence[Stage] = SCAN_STAGES,
) -> ScanResult:
    """Run ``stages`` in order; return their results."""
    results: list[StageResult] = []
    for i, stage in enumerate(stages):
        if on_progress:
            on_progress("pipeline", i, len(stages))
        results.append(run_stage(engine, settings, stage, on_progress))
    if on_progress:
        on_progress("pipeline", len(stages), len(stages))
    return ScanResult(tuple(results))

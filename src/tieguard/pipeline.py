"""The pipeline: run the stages in order over what the warehouse holds.

``sources`` → ``warehouse`` → ``roles`` → ``resolve`` → ``watch`` → ``exposure`` →
``capital`` / ``policy`` → ``report``. Roles run before resolution so that the
derived features survive the pseudonymisation of unresolved people. Each stage
module exposes ``run(engine, settings, on_progress=None) -> dict``.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from typing import Any

from .engine import Engine
from .settings import Settings

__all__ = ["SCAN_STAGES", "run_scan", "run_stage"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]

#: Stages of ``tieguard scan`` in the order they run.
SCAN_STAGES: tuple[str, ...] = ("roles", "resolve", "watch", "exposure", "capital")


def run_stage(
    name: str,
    engine: Engine,
    settings: Settings,
    on_progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Run one stage by module name and return its summary (with its duration)."""
    module = importlib.import_module(f"tieguard.{name}")
    started = time.perf_counter()
    summary: dict[str, Any] = module.run(engine, settings, on_progress=on_progress) or {}
    summary = dict(summary)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    log.info("stage %s done in %.2fs", name, summary["seconds"])
    return summary


def run_scan(
    engine: Engine,
    settings: Settings,
    on_progress: ProgressCallback | None = None,
    stages: tuple[str, ...] = SCAN_STAGES,
) -> dict[str, dict[str, Any]]:
    """Run ``stages`` in order; return each stage's summary keyed by stage name."""
    results: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(stages):
        if on_progress:
            on_progress("pipeline", i, len(stages))
        results[name] = run_stage(name, engine, settings, on_progress)
    if on_progress:
        on_progress("pipeline", len(stages), len(stages))
    return results

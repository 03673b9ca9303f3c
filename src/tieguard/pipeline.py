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

__all__ = ["SCAN_STAGES", "run_scan", "stage_runner"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]

#: Stages of ``tieguard scan`` in the order they run.
SCAN_STAGES: tuple[str, ...] = ("roles", "resolve", "watch", "exposure", "capital")


def stage_runner(name: str) -> Callable[..., dict[str, Any]] | None:
    """The ``run`` function of stage ``name``, or None if that stage is not installed."""
    try:
        module = importlib.import_module(f"tieguard.{name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(f"tieguard.{name}"):
            return None
        raise
    runner: Callable[..., dict[str, Any]] | None = getattr(module, "run", None)
    return runner


def run_scan(
    engine: Engine,
    settings: Settings,
    on_progress: ProgressCallback | None = None,
    stages: tuple[str, ...] = SCAN_STAGES,
) -> dict[str, Any]:
    """Run ``stages`` in order over the warehouse.

    Returns ``{"stages": {name: summary}, "skipped": [names not installed],
    "headline": exposure summary}``; each summary carries its ``seconds``.
    """
    summaries: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    for i, name in enumerate(stages):
        if on_progress:
            on_progress("pipeline", i, len(stages))
        runner = stage_runner(name)
        if runner is None:
            log.warning("stage %s is not installed; skipped", name)
            skipped.append(name)
            continue
        started = time.perf_counter()
        summary = dict(runner(engine, settings, on_progress=on_progress) or {})
        summary["seconds"] = round(time.perf_counter() - started, 3)
        log.info("stage %s done in %.2fs", name, summary["seconds"])
        summaries[name] = summary
    if on_progress:
        on_progress("pipeline", len(stages), len(stages))
    return {"stages": summaries, "skipped": skipped, "headline": summaries.get("exposure", {})}

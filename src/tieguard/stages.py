"""The pipeline's stages as a plain, typed list.

``sources`` → ``warehouse`` → ``roles`` → ``resolve`` → ``watch`` → ``exposure`` →
``capital`` / ``policy`` → ``report``. ``tieguard scan`` runs :data:`SCAN_STAGES` in
order; the CLI, the report and the docs read the same list. Roles run before
resolution so that derived labels survive the pseudonymisation of unresolved people.

A stage's ``run`` takes the engine, the (frozen) settings and an optional progress
callback ``(step, done, total)`` and returns its figures; :meth:`Stage.run` times it and
wraps the figures in a :class:`StageResult`. The stage modules are imported inside the
runner functions so that ``tieguard --help`` does not load Splink.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import schema

if TYPE_CHECKING:  # the stage list is read by the CLI's --help, which must not load the engine
    from .engine import Engine
    from .settings import Settings

__all__ = ["Stage", "StageResult", "ProgressCallback", "SCAN_STAGES", "stage", "JSONValue"]

ProgressCallback = Callable[[str, int, int], None]
JSONValue = Any  # str | int | float | bool | None | list[JSONValue] | dict[str, JSONValue]
Runner = Callable[["Engine", "Settings", ProgressCallback | None], Mapping[str, JSONValue]]


@dataclass(frozen=True)
class StageResult:
    """What one stage run reports: its figures (JSON-able) and how long it took."""

    name: str
    seconds: float
    figures: Mapping[str, JSONValue] = field(default_factory=dict)

    def as_json(self) -> dict[str, JSONValue]:
        return {**self.figures, "seconds": self.seconds}


@dataclass(frozen=True)
class Stage:
    """A pipeline stage: the tables it reads, the tables it (alone) writes, and how to run it."""

    name: str
    inputs: tuple[str, ...]
    runner: Runner
    doc: str

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(t.name for t in schema.TABLES if t.owner == self.name)

    def run(self, engine: Engine, settings: Settings,
            on_progress: ProgressCallback | None = None) -> StageResult:
        started = time.perf_counter()
        figures = dict(self.runner(engine, settings, on_progress))
        return StageResult(self.name, round(time.perf_counter() - started, 3), figures)


def _roles(engine: Engine, settings: Settings, on_progress: ProgressCallback | None) -> Mapping[str, JSONValue]:
    from .roles.stage import run

    return run(engine, settings, on_progress)


def _resolve(engine: Engine, settings: Settings, on_progress: ProgressCallback | None) -> Mapping[str, JSONValue]:
    from .resolve.stage import run

    return run(engine, settings, on_progress)


def _watch(engine: Engine, settings: Settings, on_progress: ProgressCallback | None) -> Mapping[str, JSONValue]:
    from .watch import run

    return run(engine, settings, on_progress)


def _exposure(engine: Engine, settings: Settings, on_progress: ProgressCallback | None) -> Mapping[str, JSONValue]:
    from .exposure import run

    return run(engine, settings, on_progress)


def _capital(engine: Engine, settings: Settings, on_progress: ProgressCallback | None) -> Mapping[str, JSONValue]:
    from .capital import run

    return run(engine, settings, on_progress)


ROLES = Stage("roles", ("tie_people", "contacts"), _roles,
              "job titles and headlines → seniority, function, buying roles")
RESOLVE = Stage("resolve", ("tie_people", "ties", "contacts", "accounts", "opportunities",
                            "person_roles", "contact_title_roles", "review_decisions"), _resolve,
                "connections ↔ CRM contacts and accounts; pseudonymise the rest")
WATCH = Stage("watch", ("ties", "tie_people", "employees", "profiles", "privacy_settings",
                        "tie_matches", "person_roles", "opportunities"), _watch,
              "the competitor model: what a watcher sees, when")
EXPOSURE = Stage("exposure", ("competitor_sightings", "competitor_leads", "opportunities",
                              "accounts", "employees"), _exposure,
                 "exposure figures per deal, account, team, month")
CAPITAL = Stage("capital", ("ties", "tie_matches", "contacts", "contact_roles", "accounts",
                            "opportunities", "employees", "private_marks"), _capital,
                "the relationship registry: coverage, key-person risk")

#: The stages of ``tieguard scan``, in the order they run.
SCAN_STAGES: tuple[Stage, ...] = (ROLES, RESOLVE, WATCH, EXPOSURE, CAPITAL)


def stage(name: str) -> Stage:
    """The scan stage called ``name``; KeyError if there is none."""
    for s in SCAN_STAGES:
        if s.name == name:
            return s
    raise KeyError(name)

"""Progress bars end at their total; warnings users cannot act on stay quiet."""

from __future__ import annotations

import logging
from pathlib import Path

from tieguard import synth
from tieguard.cli.common import quiet_libraries
from tieguard.policy import resolve_policies, whatif

from .test_policy import _org
from .timeline import settings


class Recorder:
    def __init__(self) -> None:
        self.last: dict[str, tuple[int, int]] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        assert 0 <= done <= total, (step, done, total)
        self.last[step] = (done, total)

    def unfinished(self) -> dict[str, tuple[int, int]]:
        return {s: dt for s, dt in self.last.items() if dt[0] != dt[1]}


def test_whatif_progress_ends_at_its_total() -> None:
    rec = Recorder()
    whatif(_org().engine, settings(), resolve_policies(["hide_lists_sales", "training"]), rec)
    assert rec.last["what-if"] == (3, 3)
    assert rec.unfinished() == {}


def test_synthetic_organisation_progress_ends_at_its_total(tmp_path: Path) -> None:
    rec = Recorder()
    synth.generate(tmp_path / "data", size="small", seed=1, on_progress=rec)
    assert rec.unfinished() == {}
    assert "synthetic organisation" in rec.last


def test_splink_warnings_are_quiet_unless_verbose() -> None:
    def record(name: str, level: int) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, "unable to train m value", None, None)

    assert not quiet_libraries(record("splink.internals.expectation_maximisation", logging.WARNING))
    assert quiet_libraries(record("splink.internals.linker", logging.ERROR))
    assert quiet_libraries(record("tieguard.resolve.stage", logging.WARNING))
    assert quiet_libraries(record("splinkish", logging.WARNING))

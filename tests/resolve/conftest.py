"""Shared fixtures of the resolve tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.resolve import model as person_model
from tieguard.warehouse import open_warehouse


@pytest.fixture
def untrained_demo(demo_run: tuple[Path, dict], tmp_path: Path,  # type: ignore[type-arg]
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A copy of the small demo's warehouse with no cached person model, on which the
    stage trains EM (the training minimums lowered to the demo's size)."""
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    monkeypatch.setattr(person_model, "MIN_TRAIN_PEOPLE", 100)
    monkeypatch.setattr(person_model, "MIN_TRAIN_CONTACTS", 100)
    engine = open_warehouse(db)
    try:
        engine.execute("DELETE FROM resolve_model_cache")
        yield engine
    finally:
        engine.close()

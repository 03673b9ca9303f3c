from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.warehouse import open_warehouse

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = open_warehouse(":memory:")
    yield eng
    eng.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES

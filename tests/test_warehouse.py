from pathlib import Path

import pytest

from tieguard import SchemaVersionError, open_warehouse
from tieguard.schema import LATEST_VERSION
from tieguard.warehouse import migrate, schema_version, table_counts


def test_migrate_creates_all_tables_and_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    eng = open_warehouse(db)
    assert schema_version(eng) == LATEST_VERSION
    counts = table_counts(eng)
    assert set(counts) >= {"ties", "tie_people", "accounts", "contacts", "imports", "quarantine"}
    assert all(v == 0 for v in counts.values())
    assert migrate(eng) == LATEST_VERSION  # second run applies nothing
    assert eng.scalar("SELECT count(*) FROM schema_version") == LATEST_VERSION
    eng.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    eng = open_warehouse(db)
    eng.execute("INSERT INTO schema_version VALUES (999, 'future', now())")
    eng.close()
    with pytest.raises(SchemaVersionError, match="newer than this tieguard"):
        open_warehouse(db)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "w.duckdb")
    with pytest.raises(RuntimeError), eng.transaction():
        eng.execute("INSERT INTO competitors VALUES ('Rival GmbH', 'rival.de')")
        raise RuntimeError("boom")
    assert eng.scalar("SELECT count(*) FROM competitors") == 0

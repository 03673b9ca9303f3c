from pathlib import Path

import pytest

from tieguard import SchemaVersionError, open_warehouse, schema
from tieguard.errors import StageNotRunError, WarehouseMissingTableError
from tieguard.warehouse import (
    migrate,
    record_stage_run,
    require_stage,
    schema_version,
    table_counts,
)


def test_migrate_creates_every_declared_table_and_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    eng = open_warehouse(db)
    assert schema_version(eng) == schema.SCHEMA_VERSION
    assert set(eng.user_tables()) == {t.name for t in schema.TABLES}
    for decl in schema.TABLES:
        assert tuple(n for n, _ in eng.table_columns(decl.name)) == decl.column_names()
    assert all(v == 0 for v in table_counts(eng).values())
    assert migrate(eng) == schema.SCHEMA_VERSION
    assert eng.scalar("SELECT count(*) FROM schema_version") == 1
    eng.close()


def test_a_stage_rebuilt_table_gets_its_declared_shape_back_and_keeps_rows(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    eng = open_warehouse(db)
    # an older tieguard rebuilt person_roles with CREATE OR REPLACE and lost a column
    eng.execute("DROP TABLE person_roles")
    eng.execute("CREATE TABLE person_roles AS SELECT 'p1' AS person_key, 'vp' AS seniority, "
                "'x' AS obsolete")
    eng.execute("ALTER TABLE tie_matches DROP COLUMN job_change")
    eng.execute("UPDATE schema_version SET version = 2")
    eng.close()
    eng = open_warehouse(db)
    assert tuple(n for n, _ in eng.table_columns("person_roles")) == \
        schema.table("person_roles").column_names()
    assert eng.fetchall("SELECT person_key, seniority, function FROM person_roles") == \
        [("p1", "vp", None)]
    assert "job_change" in dict(eng.table_columns("tie_matches"))
    eng.close()


def test_work_tables_left_by_a_crash_are_dropped_on_open(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    eng = open_warehouse(db)
    eng.execute("CREATE TABLE __splink__df_concat AS SELECT 'Jansen' AS surname")
    eng.execute("CREATE TABLE _tg_left_over AS SELECT 1 AS x")
    eng.close()
    eng = open_warehouse(db)
    assert not {"__splink__df_concat", "_tg_left_over"} & set(eng.user_tables())
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


def test_replace_is_delete_and_insert_by_name(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "w.duckdb")
    eng.replace("competitors", "SELECT ? AS name, ? AS domain", ["A", "a.com"])
    eng.replace("competitors", "SELECT ? AS domain, ? AS name", ["b.com", "B"])
    assert eng.fetchall("SELECT name, domain FROM competitors") == [("B", "b.com")]
    n = eng.replace("competitors", "SELECT 'C' AS name", where="name = ?", where_params=["X"])
    assert n == 1
    assert eng.fetchall("SELECT name, domain FROM competitors ORDER BY name") == \
        [("B", "b.com"), ("C", None)]
    with pytest.raises(KeyError):
        eng.replace("not_declared", "SELECT 1 AS x")
    eng.close()


def test_ident_accepts_only_declared_or_scratch_names(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "w.duckdb")
    assert eng.ident("ties") == '"ties"'
    assert eng.ident("_tg_work") == '"_tg_work"'
    for bad in ('ties"; DROP TABLE ties; --', "Robert'); --", "_tg_X", ""):
        with pytest.raises(ValueError):
            eng.ident(bad)
    eng.close()


def test_missing_table_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "w.duckdb")
    eng.execute("ALTER TABLE ties RENAME TO ties_old")
    with pytest.raises(WarehouseMissingTableError, match="run `tieguard scan`"):
        eng.scalar("SELECT count(*) FROM ties")
    eng.close()


def test_require_stage_names_the_stage_and_the_fix(tmp_path: Path) -> None:
    eng = open_warehouse(tmp_path / "w.duckdb")
    with pytest.raises(StageNotRunError, match="capital stage.*tieguard scan"):
        require_stage(eng, "capital", "tieguard capital risk")
    record_stage_run(eng, "capital", 0.5, {"accounts": 3})
    record_stage_run(eng, "capital", 0.7, {"accounts": 4})
    require_stage(eng, "capital", "tieguard capital risk")
    assert eng.fetchall("SELECT seconds FROM stage_runs") == [(0.7,)]
    eng.close()

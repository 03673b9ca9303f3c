"""Every table in a real (demo) warehouse is declared, in its declared shape, with a unique key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tieguard import schema
from tieguard.privacy import erase_employee
from tieguard.warehouse import open_warehouse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def demo_copy(demo_run: tuple[Path, dict], tmp_path: Path) -> Path:
    out, _ = demo_run
    db = tmp_path / "w.duckdb"
    shutil.copy(out / "tieguard.duckdb", db)
    return db


def test_every_table_of_a_demo_warehouse_is_declared_in_its_shape(demo_copy: Path) -> None:
    engine = open_warehouse(demo_copy)
    try:
        tables = set(engine.user_tables())
        undeclared = sorted(t for t in tables if not schema.is_declared(t))
        assert undeclared == [], f"tables created outside tieguard.schema: {undeclared}"
        assert tables == {t.name for t in schema.TABLES}
        for decl in schema.TABLES:
            assert tuple(n for n, _ in engine.table_columns(decl.name)) == decl.column_names(), decl.name
    finally:
        engine.close()


def test_every_declared_key_is_unique_in_the_demo_warehouse(demo_copy: Path) -> None:
    engine = open_warehouse(demo_copy)
    try:
        filled = 0
        for decl in schema.TABLES:
            key = ", ".join(engine.ident(k) for k in decl.key)
            rows, distinct = engine.fetchone(
                f"SELECT count(*), count(DISTINCT ({key})) FROM {engine.ident(decl.name)}"
            ) or (0, 0)
            assert rows == distinct, f"{decl.name}: key ({key}) is not unique"
            filled += bool(rows)
        assert filled >= 30, "the demo should fill most tables; the check above would be empty"
    finally:
        engine.close()


def test_erasure_reaches_every_personal_table(demo_copy: Path) -> None:
    engine = open_warehouse(demo_copy)
    try:
        employee = engine.scalar(
            "SELECT employee_id FROM competitor_leads GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        imports = [r[0] for r in engine.fetchall(
            "SELECT import_id FROM imports WHERE employee_id = ?", [employee])]
        assert imports
        erase_employee(engine, employee, requested_by="test")
        for decl in schema.personal_tables():
            t = engine.ident(decl.name)
            if decl.erasure == "employee":
                left = engine.scalar(f"SELECT count(*) FROM {t} WHERE "
                                     f"{engine.ident(decl.employee_column)} = ?", [employee])
                assert left == 0, f"{decl.name} keeps rows of the erased employee"
            elif decl.erasure == "import":
                left = engine.scalar(f"SELECT count(*) FROM {t} WHERE import_id IN "
                                     "(SELECT unnest(?::VARCHAR[]))", [imports])
                assert left == 0, f"{decl.name} keeps rows of the erased imports"
            elif decl.erasure == "person":
                orphans = engine.scalar(
                    f"SELECT count(*) FROM {t} x WHERE NOT EXISTS "
                    "(SELECT 1 FROM ties WHERE ties.person_key = x.person_key)")
                assert orphans == 0, f"{decl.name} keeps people no longer tied to anyone"
            else:
                assert decl.erasure == "kept", decl.name
    finally:
        engine.close()


def test_stage_outputs_doc_is_generated_from_the_declarations() -> None:
    doc = (ROOT / "docs" / "stage-outputs.md").read_text(encoding="utf-8")
    assert doc == schema.stage_outputs_markdown(), \
        "docs/stage-outputs.md is stale: python -m tieguard.schema > docs/stage-outputs.md"


def test_declarations_reject_inconsistent_contracts() -> None:
    col = schema.Column
    with pytest.raises(ValueError, match="key columns"):
        schema.Table("x", "sources", (col("a", "VARCHAR"),), key=("b",), doc="")
    with pytest.raises(ValueError, match="personal but erasure"):
        schema.Table("x", "sources", (col("a", "VARCHAR"),), key=("a",), doc="", personal=True)
    with pytest.raises(ValueError, match="erasure by employee_id"):
        schema.Table("x", "sources", (col("a", "VARCHAR"),), key=("a",), doc="",
                     personal=True, erasure="employee")

"""An employee sees and erases their own network data; private marks leave shared views."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard import NotFoundError, schema
from tieguard.cli.main import app
from tieguard.privacy import employee_data, erase_employee, mark_private
from tieguard.warehouse import open_warehouse


@pytest.fixture()
def warehouse(demo_run: tuple[Path, dict], tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    return db


def _busiest_employee(db: Path) -> str:
    engine = open_warehouse(db)
    try:
        return str(engine.scalar(
            "SELECT t.employee_id FROM ties t JOIN tie_matches m USING (person_key) "
            "WHERE m.status = 'matched' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))
    finally:
        engine.close()


def test_show_lists_the_employee_s_data_and_its_provenance(warehouse: Path) -> None:
    emp = _busiest_employee(warehouse)
    res = CliRunner().invoke(app, ["privacy", "show", emp, "--db", str(warehouse), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    engine = open_warehouse(warehouse)
    try:
        assert data["ties"] == engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [emp])
    finally:
        engine.close()
    assert data["ties_resolved_to_crm"] > 0
    assert data["imports"] and all(i["supplied_by"] and i["basis"] for i in data["imports"])


def test_erase_removes_the_network_everywhere_but_keeps_others(warehouse: Path) -> None:
    emp = _busiest_employee(warehouse)
    engine = open_warehouse(warehouse)
    try:
        others_before = engine.scalar("SELECT count(*) FROM ties WHERE employee_id <> ?", [emp])
        shared = {r[0] for r in engine.fetchall(
            "SELECT DISTINCT person_key FROM ties WHERE employee_id = ? AND person_key IN "
            "(SELECT person_key FROM ties WHERE employee_id <> ?)", [emp, emp])}
        result = erase_employee(engine, emp, requested_by="test")
        assert result.ties_erased > 0
        erased = [t for t in schema.personal_tables() if t.erasure == "employee"]
        assert {"ties", "invitations", "imports", "competitor_leads"} <= {t.name for t in erased}
        for t in erased:
            left = engine.scalar(f'SELECT count(*) FROM "{t.name}" WHERE "{t.employee_column}" = ?',
                                 [emp])
            assert left == 0, t.name
        assert set(result.tables) >= {t.name for t in erased}
        assert engine.scalar("SELECT count(*) FROM ties WHERE employee_id <> ?", [emp]) == others_before
        orphans = engine.scalar(
            "SELECT count(*) FROM tie_people p WHERE NOT EXISTS "
            "(SELECT 1 FROM ties t WHERE t.person_key = p.person_key)")
        assert orphans == 0
        assert engine.scalar("SELECT count(*) FROM employees WHERE employee_id = ?", [emp]) == 1
        assert engine.scalar("SELECT count(*) FROM erasures WHERE employee_id = ?", [emp]) == 1
        # people also known to colleagues stay
        kept = {r[0] for r in engine.fetchall("SELECT person_key FROM tie_people")}
        assert shared <= kept
        with pytest.raises(NotFoundError):
            employee_data(engine, "NOBODY")
    finally:
        engine.close()


def test_erase_needs_confirmation(warehouse: Path) -> None:
    emp = _busiest_employee(warehouse)
    res = CliRunner().invoke(app, ["privacy", "erase", emp, "--db", str(warehouse)])
    assert res.exit_code == 1
    engine = open_warehouse(warehouse)
    try:
        assert engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [emp]) > 0
    finally:
        engine.close()


def test_private_mark_takes_the_contact_out_of_the_registry(warehouse: Path) -> None:
    from tieguard import capital
    from tieguard.settings import Settings

    engine = open_warehouse(warehouse)
    try:
        emp, contact = engine.fetchone(
            "SELECT employee_id, contact_id FROM relationship_strength ORDER BY strength DESC LIMIT 1")
        mark_private(engine, emp, contact)
        capital.run(engine, Settings())
        left = engine.scalar(
            "SELECT count(*) FROM relationship_strength WHERE employee_id = ? AND contact_id = ?",
            [emp, contact])
        assert left == 0
        with pytest.raises(NotFoundError):
            mark_private(engine, emp, "no-such-contact")
    finally:
        engine.close()

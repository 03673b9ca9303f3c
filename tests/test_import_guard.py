"""Operator guard rails on personal imports: roster, legal basis, erased networks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.privacy import erase_employee
from tieguard.warehouse import open_warehouse

runner = CliRunner()


@pytest.fixture()
def demo(demo_run: tuple[Path, dict], tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    return db, demo_run[0] / "data"


def _message(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


def _connections(data: Path, employee: str, tmp_path: Path) -> Path:
    """A copy of ``employee``'s export with one more line (so it is a new file)."""
    source = data / "linkedin" / employee / "Connections.csv"
    target = tmp_path / f"{employee}.csv"
    text = source.read_text(encoding="utf-8-sig")
    target.write_text(text.rstrip("\n") + "\nNew,Person,,,Acme,Buyer,01 Nov 2026\n",
                      encoding="utf-8")
    return target


def test_an_employee_not_in_the_roster_is_refused(demo: tuple[Path, Path], tmp_path: Path) -> None:
    db, data = demo
    export = _connections(data, "E00001", tmp_path)
    args = ["import", "linkedin", str(export), "--employee", "E99999", "--db", str(db),
            "--basis", "consent"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 3 and "not in the roster" in _message(refused)
    assert "--allow-unknown-employee" in _message(refused)
    allowed = runner.invoke(app, [*args, "--allow-unknown-employee"])
    assert allowed.exit_code == 0, allowed.output


@pytest.mark.parametrize("basis", ["", "because", "Consent"])
def test_the_basis_must_be_a_documented_one(demo: tuple[Path, Path], tmp_path: Path,
                                            basis: str) -> None:
    db, data = demo
    result = runner.invoke(app, ["import", "linkedin", str(_connections(data, "E00001", tmp_path)),
                                 "--employee", "E00001", "--db", str(db), "--basis", basis])
    assert result.exit_code == 2 and "legitimate_interest" in _message(result)


def _imports(db: Path) -> int:
    engine = open_warehouse(db)
    try:
        return int(engine.scalar("SELECT count(*) FROM imports"))
    finally:
        engine.close()


@pytest.mark.parametrize("command", ["linkedin", "invitations", "vcard"])
def test_without_basis_a_personal_import_is_refused(demo: tuple[Path, Path], tmp_path: Path,
                                                    command: str) -> None:
    db, data = demo
    before = _imports(db)
    result = runner.invoke(app, ["import", command, str(_connections(data, "E00002", tmp_path)),
                                 "--employee", "E00002", "--db", str(db)])
    text = _message(result)
    assert result.exit_code == 2 and "needs a legal basis" in text and "--basis" in text
    assert all(b in text for b in ("consent", "contract", "legal_obligation",
                                   "legitimate_interest")) and "import_basis" in text
    assert _imports(db) == before


def test_import_dir_needs_a_basis_too(demo: tuple[Path, Path], tmp_path: Path) -> None:
    _, data = demo
    db = tmp_path / "new.duckdb"
    refused = runner.invoke(app, ["import", "dir", str(data), "--db", str(db), "--create"])
    assert refused.exit_code == 2 and "needs a legal basis" in _message(refused)
    empty = runner.invoke(app, ["import", "dir", str(data), "--db", str(db), "--basis", " "])
    assert empty.exit_code == 2 and "--basis is empty" in _message(empty)
    assert _imports(db) == 0
    # the manifest's organisation file may set it
    copy = tmp_path / "data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("truth"))
    org = copy / "organisation.toml"
    org.write_text(org.read_text(encoding="utf-8").replace(
        "[organisation]\n", '[organisation]\nimport_basis = "legitimate_interest"\n'),
        encoding="utf-8")
    done = runner.invoke(app, ["import", "dir", str(copy), "--db", str(db), "--json"])
    assert done.exit_code == 0, done.output
    engine = open_warehouse(db)
    try:
        bases = dict(engine.fetchall("SELECT kind, any_value(basis) FROM imports GROUP BY kind"))
    finally:
        engine.close()
    assert bases["linkedin_connections"] == "legitimate_interest"
    assert bases["roster"] == "contract"


def test_the_chosen_basis_and_supplier_are_recorded(demo: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    db, data = demo
    result = runner.invoke(app, ["import", "linkedin", str(_connections(data, "E00002", tmp_path)),
                                 "--employee", "E00002", "--db", str(db), "--supplied-by", "dpo",
                                 "--basis", "consent"])
    assert result.exit_code == 0, result.output
    engine = open_warehouse(db)
    try:
        row = engine.fetchone("SELECT basis, supplied_by FROM imports WHERE employee_id = 'E00002' "
                              "ORDER BY imported_at DESC LIMIT 1")
        assert row == ("consent", "dpo")
        engine.execute("INSERT INTO organisation (key, value) VALUES ('own_import_basis', "
                       "'legitimate_interest')")
    finally:
        engine.close()
    export = _connections(data, "E00003", tmp_path)
    again = runner.invoke(app, ["import", "linkedin", str(export), "--employee", "E00003",
                                "--db", str(db)])
    assert again.exit_code == 0 and "Warning" not in _message(again)
    engine = open_warehouse(db)
    try:
        assert engine.scalar("SELECT basis FROM imports WHERE employee_id = 'E00003' "
                             "ORDER BY imported_at DESC LIMIT 1") == "legitimate_interest"
    finally:
        engine.close()


def test_an_erased_network_comes_back_only_with_new_consent(demo: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    db, data = demo
    engine = open_warehouse(db)
    try:
        erase_employee(engine, "E00001", "test", compact=False)
    finally:
        engine.close()
    original = data / "linkedin" / "E00001" / "Connections.csv"
    args = ["import", "linkedin", str(original), "--employee", "E00001", "--db", str(db),
            "--basis", "consent"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 3 and "--reconsent" in _message(refused)
    whole = runner.invoke(app, ["import", "dir", str(data), "--db", str(db), "--basis", "consent"])
    assert whole.exit_code == 3 and "E00001" in _message(whole)
    engine = open_warehouse(db)
    try:
        assert engine.scalar("SELECT count(*) FROM ties WHERE employee_id = 'E00001'") == 0
    finally:
        engine.close()
    back = runner.invoke(app, [*args, "--reconsent"])
    assert back.exit_code == 0, back.output
    engine = open_warehouse(db)
    try:
        assert engine.scalar("SELECT count(*) FROM ties WHERE employee_id = 'E00001'") > 0
        assert engine.scalar("SELECT count(*) FROM erasure_tombstones "
                             "WHERE employee_id = 'E00001' AND lifted_at IS NOT NULL") > 0
    finally:
        engine.close()

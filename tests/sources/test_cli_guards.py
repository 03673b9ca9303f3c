"""Operator guard rails through the CLI: --create, the removal guard, honest hints, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse, table_counts

runner = CliRunner()
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def _export(path: Path, people: range, date: str = "05 Jan 2021") -> Path:
    rows = [f"P{i},Q{i},https://www.linkedin.com/in/p{i},,Acme,Buyer,{date}" for i in people]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_missing_warehouse_needs_create(tmp_path: Path) -> None:
    csv = _export(tmp_path / "c.csv", range(3))
    typo = tmp_path / "tieguard.dukdb"
    refused = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(csv), "--employee", "E1",
                                  "--db", str(typo)])
    assert refused.exit_code == 4 and not typo.exists()
    assert str(typo) in refused.output.replace("\n", "") and "--create" in refused.output
    made = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(csv), "--employee", "E1",
                               "--db", str(typo), "--create"])
    assert made.exit_code == 0 and typo.exists()
    assert "Creating a new warehouse" in made.output
    # an existing warehouse needs nothing; a dry run never creates one
    again = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(csv), "--employee", "E2", "--db",
                                str(typo)])
    assert again.exit_code == 0
    dry = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(csv), "--employee", "E1", "--dry-run",
                              "--db", str(tmp_path / "none.duckdb")])
    assert dry.exit_code == 0 and not (tmp_path / "none.duckdb").exists()


def test_an_export_removing_many_ties_needs_accept_removals(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    full = _export(tmp_path / "full.csv", range(20))
    cut = _export(tmp_path / "cut.csv", range(8), "05 Feb 2021")  # truncated: 12 of 20 gone
    first = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(full), "--employee", "E1", "--db", db,
                                "--create", "--exported-on", "2021-01-10"])
    assert first.exit_code == 0
    engine = open_warehouse(db)
    before = table_counts(engine)
    engine.close()
    args = ["import", "linkedin", "--basis", "consent", str(cut), "--employee", "E1", "--db", db,
            "--exported-on", "2021-02-10"]
    held = runner.invoke(app, args)
    text = held.output.replace("\n", " ")
    assert held.exit_code == 3 and "--accept-removals" in text and "12 of the 20" in text
    engine = open_warehouse(db)
    assert table_counts(engine) == before
    engine.close()
    accepted = runner.invoke(app, [*args, "--accept-removals", "--json"])
    assert accepted.exit_code == 0 and json.loads(accepted.stdout)["removed"] == 12


def test_no_quarantine_hint_when_nothing_was_quarantined(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    clean = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(_export(tmp_path / "c.csv", range(3))),
                                "--employee", "E1", "--db", db, "--create"])
    assert clean.exit_code == 0 and "quarantined" not in clean.output
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nA,B,,,C,D,05 Jan 0000\nE,F,,,G,H,05 Jan 2021\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(bad), "--employee", "E2", "--db", db])
    assert result.exit_code == 0 and "1 row(s) were quarantined" in result.output


def test_ctrl_c_stops_within_a_second_and_keeps_the_warehouse(tmp_path: Path) -> None:
    """A real process gets SIGINT while the engine reads a large export."""
    db = tmp_path / "w.duckdb"
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(900_000):
            out.write(f"P{i},Q{i},https://www.linkedin.com/in/p{i},,Acme {i % 97},Buyer,"
                      f"{1 + i % 28:02d} Jan {1995 + i % 30}\n")
    small = _export(tmp_path / "small.csv", range(5))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    tieguard = [sys.executable, "-c", "from tieguard.cli.main import run; run()"]
    subprocess.run([*tieguard, "import", "linkedin", "--basis", "consent", str(small), "--employee", "E0", "--db",
                    str(db), "--create"], env=env, check=True, capture_output=True)
    engine = open_warehouse(db)
    before = table_counts(engine)
    engine.close()
    proc = subprocess.Popen([*tieguard, "--verbose", "import", "linkedin", "--basis", "consent",
                             str(big), "--employee", "E1", "--db", str(db)],
                            env={**env, "COLUMNS": "200"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # the warehouse is open: the engine starts reading the export
        if "importing into" in line:
            break
    time.sleep(1)  # into the engine's read (the import takes several seconds)
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    stopped = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert stopped <= 1.0, stopped  # the process ends at once after the rollback (cli.main.run)
    assert "Traceback" not in err and "Interrupted" in err
    engine = open_warehouse(db)
    assert table_counts(engine) == before
    engine.close()

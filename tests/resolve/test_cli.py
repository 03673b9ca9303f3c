"""``tieguard resolve`` commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.warehouse import open_warehouse

from .test_stage import _load

runner = CliRunner()


def test_score_pairs_company_and_person(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,company1,company2\n"
        "Sjaak de Vries,Jacques de Vries,Philips,Philips Nederland B.V.\n"
        "Anna Smith,Peter Brown,Shell,BP\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["resolve", "score-pairs", str(pairs), "--kind", "person",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["is_match"] == "True" and rows[1]["is_match"] == "False"
    assert float(rows[0]["match_probability"]) > float(rows[1]["match_probability"])
    result = runner.invoke(app, ["resolve", "score-pairs", str(pairs), "--kind", "company",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["count"] == 2


def test_score_pairs_bad_input_is_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["resolve", "score-pairs", str(bad), "--kind", "company"])
    assert result.exit_code != 0 and "name1" in " ".join(result.output.split())
    result = runner.invoke(app, ["resolve", "score-pairs", str(bad), "--kind", "ship"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_resolve_then_review_and_decide(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    engine = open_warehouse(db)
    _load(engine)
    engine.close()
    result = runner.invoke(app, ["resolve", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matched"] >= 5
    result = runner.invoke(app, ["resolve", "review", "--db", str(db), "--list", "--json"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["resolve", "review", "--db", str(db),
                                 "--decide", "P10", "C7", "no_match"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["resolve", "review", "--db", str(db),
                                 "--decide", "P10", "NOPE", "match"])
    assert result.exit_code != 0 and "contact_id" in " ".join(result.output.split())


def test_missing_warehouse_is_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resolve", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code != 0 and "not exist" in " ".join(result.output.split())

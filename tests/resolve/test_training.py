"""Labels teach the model and calibrate it (issue 10, parts 3 and 4)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.errors import InputError
from tieguard.resolve.learning import read_labels
from tieguard.resolve.training import best_f1_threshold, fit_calibration, fit_m
from tieguard.warehouse import open_warehouse

from .test_stage import _load

runner = CliRunner()


def test_calibration_recovers_a_known_logistic_map() -> None:
    rng = np.random.default_rng(1)
    weights = rng.uniform(-15, 15, 4000)
    truth = 1 / (1 + np.exp(-(0.4 * weights - 1.0)))
    labels = rng.random(4000) < truth
    slope, intercept = fit_calibration(weights.tolist(), labels.tolist())
    assert slope == pytest.approx(0.4, abs=0.05) and intercept == pytest.approx(-1.0, abs=0.25)
    assert fit_calibration([1.0, 2.0], [True, True]) == (1.0, 0.0)  # one class: unchanged


def test_best_f1_threshold() -> None:
    assert best_f1_threshold([0.9, 0.8, 0.3, 0.2], [True, True, False, False]) == 0.8
    assert best_f1_threshold([0.9, 0.1], [True, True]) == 0.5


def test_m_moves_towards_labels_with_shrinkage() -> None:
    model = {"comparisons": [{"output_column_name": "x", "comparison_levels": [
        {"is_null_level": True}, {"m_probability": 0.5}, {"m_probability": 0.5}]}]}
    few = fit_m(json.loads(json.dumps(model)), {"x": np.array([1] * 5)}, strength=20)
    many = fit_m(json.loads(json.dumps(model)), {"x": np.array([1] * 1000)}, strength=20)
    top = lambda m: m["comparisons"][0]["comparison_levels"][1]["m_probability"]  # noqa: E731
    assert 0.5 < top(few) < top(many) and top(many) > 0.98


def test_bad_labels_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("name1,name2,label\na,b,1\nc,d,maybe\ne,f,?\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3.*line 4"):
        read_labels(path)


def test_train_from_reviews_and_labels_then_resolve_uses_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    engine = open_warehouse(db)
    _load(engine)
    engine.close()
    assert runner.invoke(app, ["resolve", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["resolve", "review", "--db", str(db),
                                 "--decide", "P10", "C7", "match"])
    assert result.exit_code == 0, result.output
    labels = tmp_path / "labels.csv"
    rows = ["Jan Jansen,Jan Janssen,1", "Piet de Vries,Pieter de Vries,1", "Anna Bos,Anna Bos,1",
            "Kees Smit,Cornelis Smit,1", "Jan Jansen,Piet Bakker,0", "Anna Bos,Anna Visser,0",
            "Eva Mulder,Eva de Jong,0", "Tom Dekker,Tim Dekker,0", "Sara Vos,Sarah Vos,1",
            "Lars Berg,Lars Bergman,0", "Bram Kok,Bram Kok,1"]
    labels.write_text("name1,name2,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["resolve", "train", "--db", str(db), "--labels", str(labels),
                                 "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["trained"] and summary["labels"] == 12 and summary["from_reviews"] == 1
    result = runner.invoke(app, ["resolve", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["person_model"] == "labelled"


def test_too_few_labels_say_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    engine = open_warehouse(db)
    _load(engine)
    engine.close()
    result = runner.invoke(app, ["resolve", "train", "--db", str(db)])
    assert result.exit_code == 0 and "too few" in " ".join(result.output.split())

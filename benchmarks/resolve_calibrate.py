"""Fit the shipped person levels, the calibration and both default thresholds.

Not on our generator's data: persons on historical_50k ``dev`` pairs (real, corrupted
Wikidata names), companies on ``companies_real_dev.csv``. Writes
``src/tieguard/data/resolve/person_model.json`` and ``calibration.json`` (with --write)
and prints reliability tables on the held-out sets.

    .venv/bin/python benchmarks/resolve_calibrate.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import resolve_pairs as rp  # noqa: E402

from tieguard.resolve.company_match import compare_companies  # noqa: E402
from tieguard.resolve.model import load_person_model, person_settings  # noqa: E402
from tieguard.resolve.scoring import PERSON_COMPARISONS, person_vectors  # noqa: E402
from tieguard.resolve.training import (  # noqa: E402
    best_f1_threshold,
    fit_calibration,
    fit_m,
    fit_u,
)

DATA = ROOT / "src" / "tieguard" / "data" / "resolve"


def fresh_model() -> dict[str, Any]:
    """The stage's comparisons with neutral parameters, plus the shipped company,
    relationship and title levels (no public labelled set has those with persons)."""
    settings = person_settings(tf=True, blocking=[])
    model: dict[str, Any] = settings.get_settings("duckdb").as_dict()
    old = {c["output_column_name"]: c for c in load_person_model()["comparisons"]}
    model["comparisons"] = [old.get(c["output_column_name"], c)
                            if c["output_column_name"] in ("company", "relationship", "title") else c
                            for c in model["comparisons"]]
    return model


def vectors(pairs: pd.DataFrame, model: dict[str, Any]) -> pd.DataFrame:
    rows = [{"name1": a, "name2": b} for a, b in zip(pairs["name1"], pairs["name2"], strict=True)]
    scored = person_vectors(rows, model)
    return scored.assign(match_weight=scored["match_weight"].fillna(-50.0))


def _gamma(scored: pd.DataFrame) -> dict[str, np.ndarray]:
    return {n: scored[f"gamma_{n}"].fillna(-1).to_numpy() for n in PERSON_COMPARISONS
            if f"gamma_{n}" in scored}


def reliability(p: np.ndarray, y: np.ndarray) -> list[tuple[str, int, float, float]]:
    edges = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0001]
    out = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        m = (p >= lo) & (p < hi)
        if m.sum():
            out.append((f"{lo:.2f}-{min(hi, 1):.2f}", int(m.sum()), float(p[m].mean()),
                        float(y[m].mean())))
    return out


def metrics(p: np.ndarray, y: np.ndarray, t: float) -> dict[str, float]:
    pred = p >= t
    tp = float((pred & y).sum())
    prec = tp / max(pred.sum(), 1)
    rec = tp / max(y.sum(), 1)
    f1 = 2 * prec * rec / max(prec + rec, 1e-9)
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y.sum()
    auc = (ranks[y].sum() - pos * (pos + 1) / 2) / max(pos * (len(y) - pos), 1)
    best_t = best_f1_threshold(p.tolist(), y.tolist())
    bp = p >= best_t
    btp = float((bp & y).sum())
    bprec, brec = btp / max(bp.sum(), 1), btp / max(y.sum(), 1)
    return {"precision": prec, "recall": rec, "f1": f1, "auc": float(auc),
            "best_f1": 2 * bprec * brec / max(bprec + brec, 1e-9), "best_threshold": best_t}


def fit_person(model: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    dev = rp.historical("dev")
    model = fit_u(model, _gamma(vectors(rp.random_pairs("dev"), model)), strength=1.0)
    scored = vectors(dev, model)
    model = fit_m(model, _gamma(scored[dev["label"].to_numpy()]), strength=1.0)
    scored = vectors(dev, model)
    y = dev["label"].to_numpy()
    slope, intercept = fit_calibration(scored["match_weight"].tolist(), y.tolist())
    p = 1 / (1 + np.exp(-(slope * scored["match_weight"].to_numpy() + intercept)))
    threshold = best_f1_threshold(p.tolist(), y.tolist())
    return model, {"slope": slope, "intercept": intercept, "threshold": threshold,
                   "labels": int(len(y)), "fitted_on": "historical_50k dev pairs"}


def fit_company() -> dict[str, Any]:
    dev = rp.companies("dev")
    s = np.array([compare_companies(a, b).similarity for a, b in zip(dev.name1, dev.name2, strict=True)])
    y = dev["label"].to_numpy()
    slope, b = fit_calibration(s.tolist(), y.tolist())
    p = 1 / (1 + np.exp(-(slope * s + b)))
    return {"curve": [round(slope, 4), round(-b / slope, 4)],
            "threshold": best_f1_threshold(p.tolist(), y.tolist()),
            "labels": int(len(y)), "fitted_on": "companies_real_dev.csv"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    model, person_cal = fit_person(fresh_model())
    company_cal = fit_company()
    print("person calibration", person_cal)
    print("company calibration", company_cal)
    if args.write:
        (DATA / "person_model.json").write_text(json.dumps(model, indent=1), encoding="utf-8")
        (DATA / "calibration.json").write_text(
            json.dumps({"person": person_cal, "company": company_cal}, indent=1) + "\n",
            encoding="utf-8")


if __name__ == "__main__":
    main()

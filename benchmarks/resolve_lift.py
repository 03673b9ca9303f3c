"""Lift from labels: 50, 200 and 1,000 labelled pairs teach the shipped person model.

A pilot's own data is not what the shipped levels were fitted on (historical_50k). Here the
"pilot" is FEBRL 4a/4b (held out from the shipped fit): its pairs are split in two by a hash of
the first record's name; labels are drawn from the first half (review decisions would be such pairs), the second half is
the test set. For each label count (5 draws each, median) the model is trained with
``learning.fit_labels`` (m shrunk towards the shipped levels, calibration, best-F1 threshold)
and scored on the test half: F1 at the learned threshold, AUC, and the reliability gap
(mean |predicted - observed| over probability bins).

    .venv/bin/python benchmarks/resolve_lift.py [--write]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import resolve_calibrate as rc  # noqa: E402
import resolve_pairs as rp  # noqa: E402

from tieguard.resolve.learning import fit_labels  # noqa: E402
from tieguard.resolve.model import load_person_model  # noqa: E402
from tieguard.resolve.scoring import pair_model, person_calibration, person_vectors  # noqa: E402
from tieguard.resolve.training import Calibration  # noqa: E402

START, END = "<!-- lift:start -->", "<!-- lift:end -->"


def _half(name: str) -> int:
    return int(hashlib.md5(name.encode()).hexdigest(), 16) % 2


def _probabilities(pairs: pd.DataFrame, model: dict, cal: Calibration) -> np.ndarray:  # type: ignore[type-arg]
    rows = [{"name1": a, "name2": b} for a, b in zip(pairs.name1, pairs.name2, strict=True)]
    weights = person_vectors(rows, pair_model(model))["match_weight"].fillna(-50.0)
    return np.array([cal.probability(w) for w in weights])


def _gap(p: np.ndarray, y: np.ndarray) -> float:
    bins = rc.reliability(p, y)
    return float(sum(n * abs(mp - ob) for _, n, mp, ob in bins) / max(sum(n for _, n, _, _ in bins), 1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    pairs = rp.febrl()
    side = pairs.name1.map(_half)
    pool, test = pairs[side == 0].reset_index(drop=True), pairs[side == 1].reset_index(drop=True)
    y = test.label.to_numpy().astype(bool)
    shipped = load_person_model()
    rows = []
    p0 = _probabilities(test, shipped, person_calibration())
    m0 = rc.metrics(p0, y, person_calibration().threshold)
    rows.append(("0 (shipped)", m0["f1"], m0["auc"], _gap(p0, y)))
    for n in (50, 200, 1000):
        scores = []
        for draw in range(5):
            sample = pool.sample(n, random_state=draw)
            labelled = [{"name1": a, "name2": b, "label": "1" if lab else "0"}
                        for a, b, lab in zip(sample.name1, sample.name2, sample.label, strict=True)]
            model, cal = fit_labels(labelled, shipped)
            p = _probabilities(test, model, cal)
            m = rc.metrics(p, y, cal.threshold)
            scores.append((m["f1"], m["auc"], _gap(p, y)))
        f1, auc, gap = (float(np.median([s[i] for s in scores])) for i in range(3))
        rows.append((str(n), f1, auc, gap))
        print(rows[-1], flush=True)
    lines = ["## Lift from labels (FEBRL as the pilot's data)", "",
             "Command: `.venv/bin/python benchmarks/resolve_lift.py --write`. Labels drawn from one "
             f"half of FEBRL 4a/4b's pairs (split by a hash of the first name) ({len(pool):,} pairs), tested on the other half "
             f"({len(test):,} pairs, {y.mean():.0%} matches); median of 5 draws. F1 at the "
             "threshold learned from the labels; calibration gap = mean |predicted - observed| "
             "over probability bins.", "",
             "| labels | F1 | AUC | calibration gap |", "|---|---|---|---|"]
    lines += [f"| {n} | {f1:.3f} | {auc:.3f} | {gap:.3f} |" for n, f1, auc, gap in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        rp.write_block(rp.DOC, START, END, text)


if __name__ == "__main__":
    main()

"""Learning from labels: comparison levels and calibration from labelled pairs.

Labels come from review decisions (``tieguard resolve review --decide``) and from an
optional CSV of labelled pairs (``name1,name2[,company1,company2],label`` with label 1/0,
``match``/``no_match`` or ``true``/``false``). They do two things:

* **levels** (:func:`fit_m`): each comparison level's m-probability (how often true
  matches land on it) is re-estimated from the labelled matches, shrunk towards the
  current value with ``PRIOR_STRENGTH`` pseudo-pairs, so 50 labels move it a little and
  1,000 labels decide it; u (chance agreement) stays from random sampling;
* **calibration** (:func:`fit_calibration`): a logistic map from the model's match weight
  to a probability (Platt scaling, fitted by Newton's method on the labels), so that
  "0.9" means that about nine in ten such pairs are the same person. The decision
  threshold that maximises F1 on the labels is stored with it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

__all__ = [
    "Calibration",
    "PRIOR_STRENGTH",
    "fit_m",
    "fit_u",
    "fit_calibration",
    "best_f1_threshold",
    "parse_label",
    "load_calibration",
]

#: Pseudo-pairs with which the current m-probabilities weigh against new labels.
PRIOR_STRENGTH = 20.0
_LABELS = {"1": True, "match": True, "true": True, "yes": True, "y": True,
           "0": False, "no_match": False, "false": False, "no": False, "n": False}


@cache
def load_calibration() -> dict[str, Any]:
    """The shipped calibration (``data/resolve/calibration.json``): the person Platt map,
    the company curve and both default thresholds, fitted by benchmarks/resolve_calibrate.py."""
    path = resources.files("tieguard").joinpath("data/resolve/calibration.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Calibration:
    """p = 1 / (1 + exp(-(slope * match_weight + intercept))); threshold: best F1."""

    slope: float
    intercept: float
    threshold: float
    labels: int

    def probability(self, match_weight: float) -> float:
        z = self.slope * match_weight + self.intercept
        return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))

    def as_dict(self) -> dict[str, float | int]:
        return {"slope": self.slope, "intercept": self.intercept,
                "threshold": self.threshold, "labels": self.labels}


def parse_label(text: str | None) -> bool | None:
    """A label cell as True/False; None when it is not one of the accepted spellings."""
    return _LABELS.get((text or "").strip().lower())


def _levels(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    return [lv for lv in comparison.get("comparison_levels", []) if not lv.get("is_null_level")]


def _gamma_counts(gammas: np.ndarray, n_levels: int) -> np.ndarray:
    """How many pairs fall on each level; gamma n_levels-1 is the first (best) level."""
    counts = np.zeros(n_levels)
    for g in gammas[gammas >= 0]:
        counts[n_levels - 1 - int(g)] += 1
    return counts


def _update(model: dict[str, Any], vectors: dict[str, np.ndarray], key: str,
            strength: float) -> dict[str, Any]:
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        if name not in vectors:
            continue
        levels = _levels(comparison)
        counts = _gamma_counts(vectors[name], len(levels))
        prior = np.array([float(lv.get(key) or 1.0 / len(levels)) for lv in levels])
        prior = prior / prior.sum()
        posterior = (counts + strength * prior) / (counts.sum() + strength)
        posterior = np.maximum(posterior, 1e-6)
        posterior = posterior / posterior.sum()
        for level, value in zip(levels, posterior, strict=True):
            level[key] = float(value)
    return model


def fit_m(model: dict[str, Any], match_vectors: dict[str, np.ndarray],
          strength: float = PRIOR_STRENGTH) -> dict[str, Any]:
    """Re-estimate m-probabilities from the gamma vectors of labelled matches."""
    return _update(model, match_vectors, "m_probability", strength)


def fit_u(model: dict[str, Any], random_vectors: dict[str, np.ndarray],
          strength: float = 1.0) -> dict[str, Any]:
    """Estimate u-probabilities from the gamma vectors of random (non-matching) pairs."""
    return _update(model, random_vectors, "u_probability", strength)


def fit_calibration(weights: Sequence[float], labels: Sequence[bool],
                    ridge: float = 1e-3) -> tuple[float, float]:
    """Platt scaling: (slope, intercept) of a logistic regression of label on weight."""
    x = np.asarray(weights, dtype=float)
    y = np.asarray(labels, dtype=float)
    if len(x) == 0 or y.min() == y.max():
        return 1.0, 0.0  # one class only: keep Splink's own log2 odds scale
    x = x * math.log(2)  # match weights are log2 Bayes factors
    design = np.column_stack([x, np.ones_like(x)])

    def loss(b: np.ndarray) -> float:
        z = np.clip(design @ b, -50, 50)
        return float(np.sum(np.logaddexp(0, z) - y * z) + ridge * b @ b / 2)

    beta = np.array([1.0, 0.0])
    for _ in range(100):  # Newton's method with a backtracking line search
        p = 1 / (1 + np.exp(-np.clip(design @ beta, -50, 50)))
        grad = design.T @ (p - y) + ridge * beta
        hess = design.T @ (design * (p * (1 - p))[:, None]) + (ridge + 1e-6) * np.eye(2)
        step = np.linalg.solve(hess, grad)
        rate, current = 1.0, loss(beta)
        while rate > 1e-4 and loss(beta - rate * step) > current:
            rate /= 2
        beta = beta - rate * step
        if np.abs(rate * step).max() < 1e-8:
            break
    return float(beta[0] * math.log(2)), float(beta[1])


def best_f1_threshold(probabilities: Sequence[float], labels: Sequence[bool]) -> float:
    """The probability cut with the highest F1 on the labels (0.5 without both classes)."""
    pairs = sorted(zip(probabilities, labels, strict=True), key=lambda x: -x[0])
    positives = sum(1 for _, y in pairs if y)
    if not positives or positives == len(pairs):
        return 0.5
    best, best_t, tp, fp = -1.0, 0.5, 0, 0
    for i, (p, y) in enumerate(pairs):
        tp += int(y)
        fp += int(not y)
        if i + 1 < len(pairs) and pairs[i + 1][0] == p:
            continue
        f1 = 2 * tp / (2 * tp + fp + (positives - tp))
        if f1 > best:
            best, best_t = f1, p
    return round(float(best_t), 4)

"""``tieguard resolve train``: review decisions and labelled pairs teach the person model.

The labels' comparison vectors come from the same features and comparisons as the stage
(:func:`~tieguard.resolve.scoring.person_vectors`); the m-probabilities of the name and
company levels are re-estimated from the labelled matches (shrunk towards the current
values, see :mod:`.training`) and a calibration is fitted on all labels. The result is
stored in ``resolve_labelled_model`` and used by every later run instead of unlabelled EM.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import Engine
from ..errors import InputError
from .model import load_person_model
from .review import reviewed_pairs
from .scoring import PERSON_COMPARISONS, pair_model, person_vectors, read_pairs
from .training import (
    PRIOR_STRENGTH,
    Calibration,
    best_f1_threshold,
    fit_calibration,
    fit_m,
    parse_label,
)

__all__ = ["read_labels", "fit_labels", "train", "labelled_model", "LABELLED_TABLE"]

log = logging.getLogger(__name__)

LABELLED_TABLE = "resolve_labelled_model"
#: Fewer labels than this (or only one class) train nothing: the model stays as it is.
MIN_LABELS = 10


def read_labels(path: Path) -> list[dict[str, str]]:
    """Labelled pairs ``name1,name2[,company1,company2],label``; bad labels all reported."""
    rows = read_pairs(path, ("name1", "name2", "label"), "name1,name2,label "
                      "(optionally company1,company2)")
    bad = [f"line {i + 2}: {r['label']!r}" for i, r in enumerate(rows)
           if parse_label(r.get("label")) is None]
    if bad:
        raise InputError(
            f"The labels file {path} has labels that are not 1/0, match/no_match or "
            f"true/false ({'; '.join(bad[:10])}{' ...' if len(bad) > 10 else ''}); fix them "
            "and run tieguard resolve train again."
        )
    return rows


def _vectors(rows: Sequence[dict[str, str]], model: dict[str, Any]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    scored = person_vectors(rows, model)
    gammas = {n: scored[f"gamma_{n}"].fillna(-1).to_numpy() for n in PERSON_COMPARISONS
              if f"gamma_{n}" in scored}
    return gammas, scored["match_weight"].fillna(-50.0).to_numpy()


def fit_labels(rows: Sequence[dict[str, str]], base: dict[str, Any] | None = None,
               strength: float = PRIOR_STRENGTH) -> tuple[dict[str, Any], Calibration]:
    """The base model with m-probabilities learned from the labels, and its calibration."""
    model = copy.deepcopy(base if base is not None else load_person_model())
    labels = np.array([bool(parse_label(r.get("label"))) for r in rows])
    gammas, _ = _vectors(rows, pair_model(model))
    model = fit_m(model, {k: v[labels] for k, v in gammas.items()}, strength)
    _, weights = _vectors(rows, pair_model(model))
    slope, intercept = fit_calibration(weights.tolist(), labels.tolist())
    cal = Calibration(slope, intercept, 0.5, int(len(labels)))
    probabilities = [cal.probability(w) for w in weights]
    threshold = best_f1_threshold(probabilities, labels.tolist())
    return model, Calibration(slope, intercept, threshold, int(len(labels)))


def labelled_model(engine: Engine) -> tuple[dict[str, Any], Calibration] | None:
    """The model trained from labels on this warehouse, if any."""
    row = engine.fetchone(f"SELECT model, calibration FROM {LABELLED_TABLE} "
                         "ORDER BY trained_at DESC LIMIT 1")
    if row is None:
        return None
    cal = json.loads(row[1])
    return json.loads(row[0]), Calibration(cal["slope"], cal["intercept"], cal["threshold"],
                                           cal["labels"])


def train(engine: Engine, labels_file: Path | None = None) -> dict[str, Any]:
    """Train from the warehouse's review decisions plus ``labels_file``; store the result."""
    rows = reviewed_pairs(engine)
    from_reviews = len(rows)
    if labels_file is not None:
        rows += read_labels(Path(labels_file))
    positives = sum(1 for r in rows if parse_label(r.get("label")))
    summary: dict[str, Any] = {"labels": len(rows), "from_reviews": from_reviews,
                               "matches": positives, "non_matches": len(rows) - positives}
    if len(rows) < MIN_LABELS or positives in (0, len(rows)):
        log.warning(
            "resolve train: %d labels (%d matches) are too few to learn from; at least %d "
            "with both matches and non-matches are needed. Decide more pairs with "
            "tieguard resolve review --decide, or pass --labels FILE.",
            len(rows), positives, MIN_LABELS,
        )
        return summary | {"trained": False}
    model, calibration = fit_labels(rows)  # from the shipped levels: retraining is idempotent
    engine.replace(LABELLED_TABLE, "SELECT now() AS trained_at, ? AS labels, ? AS model, "
                   "? AS calibration",
                   [len(rows), json.dumps(model), json.dumps(calibration.as_dict())])
    return summary | {"trained": True, "threshold": calibration.threshold,
                      "calibration_slope": round(calibration.slope, 4),
                      "calibration_intercept": round(calibration.intercept, 4)}

"""Word → function evidence learned from the lexicon labels (a log-odds vote of words and char 4-grams).

Every lexicon label (ESCO in six languages, O*NET alternate titles) carries a function
through its ISCO group. Counting, per function, how often each word and each char
4-gram of a word occurs in those labels gives, per feature, the lift
P(function | feature) / P(function) (smoothed towards the function's share of all labels);
a title's features vote with the sum of their log-lifts, naive-Bayes style, so the large
class ``other`` does not win by its size: ``docent`` → other, ``inkoop`` →
purchasing, ``…metselaar`` → production; char 4-grams carry the vote to unseen words and
DE/NL compounds. It is the cheap fallback of the rules path for titles that neither an
exact label nor a rule covers, and it sharpens the nearest-neighbour vote of the fuzzy
fallback.

The counts are computed from the shipped lexicon by ``python -m tieguard.roles.build_lexicon``
and shipped as ``data/roles/evidence.npz``; the abstention threshold is calibrated
there on a held-out split of the lexicon labels (not on any evaluation set).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from operator import mul
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..labels import FUNCTIONS
from .lexicon import Entry, singular

__all__ = ["CLASSES", "Evidence", "count_features", "load_evidence", "word_features", "write_evidence"]

log = logging.getLogger(__name__)

#: the functions the model votes for (every label but ``unknown``), in matrix column order
CLASSES: tuple[str, ...] = tuple(f for f in FUNCTIONS if f != "unknown")
NGRAM = 4
NGRAM_WEIGHT = 0.3
ALPHA = 1.0
#: below this posterior the fallback abstains (overwritten by the calibrated value in the file)
DEFAULT_MIN_POSTERIOR = 0.4
_CLASS_INDEX = {c: i for i, c in enumerate(CLASSES)}
FloatArray = npt.NDArray[np.float32]
_MISSING: object = object()
_WORD_CACHE_MAX = 200_000
_FLOOR = 1e-30


def word_features(word: str) -> list[tuple[str, float]]:
    """The weighted features of one folded word: the (singular) word and its char 4-grams."""
    word = singular(word)
    padded = f" {word} "
    grams = [("c:" + padded[i : i + NGRAM], NGRAM_WEIGHT) for i in range(len(padded) - NGRAM + 1)]
    return [("w:" + word, 1.0), *grams]


def count_features(entries: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, list[float]]:
    """Feature → weighted count per class over (key, functions) pairs (a label's weight is split over its functions)."""
    counts: dict[str, list[float]] = {}
    width = len(CLASSES)
    for key, functions in entries:
        share = 1.0 / len(functions)
        columns = [_CLASS_INDEX[f] for f in functions if f in _CLASS_INDEX]
        seen: dict[str, float] = {}
        for word in key.split():
            for feature, weight in word_features(word):
                seen[feature] = max(seen.get(feature, 0.0), weight)
        for feature, weight in seen.items():
            row = counts.get(feature)
            if row is None:
                row = counts[feature] = [0.0] * width
            for column in columns:
                row[column] += weight * share
    return counts


class Evidence:
    """log P(function | feature) per feature; a normalised vote over :data:`CLASSES` for a word list."""

    def __init__(self, counts: Mapping[str, list[float]], min_posterior: float = DEFAULT_MIN_POSTERIOR) -> None:
        matrix = np.asarray(list(counts.values()), dtype=np.float64).reshape(len(counts), len(CLASSES))
        self._setup(list(counts), matrix, min_posterior)

    @classmethod
    def from_matrix(cls, features: list[str], counts: npt.NDArray[Any], min_posterior: float) -> Evidence:
        """A model from a feature list and its (features x classes) count matrix."""
        model = cls.__new__(cls)
        model._setup(features, counts.astype(np.float64), min_posterior)
        return model

    def _setup(self, features: list[str], matrix: npt.NDArray[np.float64], min_posterior: float) -> None:
        self.index = dict(zip(features, range(len(features)), strict=True))
        totals = matrix.sum(axis=0)
        prior = np.maximum(totals / max(float(totals.sum()), 1e-12), 1e-9)
        # log [P(function | feature) / P(function)]: smoothed towards the function's share of all
        # labels and divided by it, so a large class (``other``) does not win by its size alone
        conditional = (matrix + ALPHA * prior) / (matrix.sum(axis=1, keepdims=True) + ALPHA)
        self.logp: FloatArray = np.log(conditional / prior).astype(np.float32)
        self.min_posterior = min_posterior
        self._words: dict[str, tuple[float, ...] | None] = {}

    def word_vector(self, word: str) -> FloatArray | None:
        """Summed weighted log-lifts of a word's known features; None if none is known."""
        rows: list[int] = []
        weights: list[float] = []
        for feature, weight in word_features(word):
            row = self.index.get(feature)
            if row is not None:
                rows.append(row)
                weights.append(weight)
        if not rows:
            return None
        vector: FloatArray = (np.asarray(weights, dtype=np.float32) @ self.logp[rows]).astype(np.float32)
        return vector

    def word_scores(self, word: str) -> tuple[float, ...] | None:
        """exp(:meth:`word_vector`), scaled to a maximum of 1 (floored at 1e-30), as a memoised tuple.

        The fast path multiplies these in plain Python: no log-sum-exp per title.
        """
        found = self._words.get(word, _MISSING)
        if found is _MISSING:
            vector = self.word_vector(word)
            found = None if vector is None else tuple(
                np.maximum(np.exp(vector.astype(np.float64) - float(vector.max())), _FLOOR).tolist()
            )
            if len(self._words) < _WORD_CACHE_MAX:
                self._words[word] = found
        return found  # type: ignore[return-value]

    def posterior(self, words: Iterable[str]) -> FloatArray | None:
        """P(function | words) over :data:`CLASSES`, None when no word has a known feature."""
        known = [v for v in map(self.word_scores, words) if v is not None]
        if not known:
            return None
        total = np.log(np.asarray(known, dtype=np.float64)).sum(axis=0)
        scores: FloatArray = np.exp(total - total.max()).astype(np.float32)
        scores /= scores.sum()
        return scores

    def best(self, words: Iterable[str]) -> tuple[str, float]:
        """The most likely function and its posterior, or (``unknown``, p) below :attr:`min_posterior`."""
        total: Any = None  # a tuple or list of floats
        cache_get: Any = self._words.get
        for word in words:
            scores = cache_get(word, _MISSING)
            if scores is _MISSING:
                scores = self.word_scores(word)
            if scores is not None:
                total = scores if total is None else list(map(mul, total, scores))
        if total is None:
            return "unknown", 0.0
        top = max(total)
        probability = top / sum(total)
        if probability < self.min_posterior:
            return "unknown", probability
        return CLASSES[total.index(top)], probability


def _held_out(key: str) -> bool:
    return zlib.crc32(key.encode()) % 10 == 0


def calibrate(entries: Mapping[str, Entry]) -> float:
    """The lowest posterior from which held-out lexicon labels (1 in 10) are more often right than wrong."""
    model = Evidence(count_features((k, e.functions) for k, e in entries.items() if not _held_out(k)), 0.0)
    bins: dict[int, list[int]] = {}
    for key, entry in entries.items():
        if _held_out(key):
            function, probability = model.best(key.split())
            slot = bins.setdefault(min(int(probability * 10), 9), [0, 0])
            slot[0] += function in entry.functions
            slot[1] += 1
    for b in sorted(bins):
        right, total = bins[b]
        log.info("held-out posterior %.1f-%.1f: %d labels, %.2f right", b / 10, b / 10 + 0.1, total, right / total)
    threshold = next((b / 10 for b in sorted(bins) if bins[b][1] >= 20 and bins[b][0] / bins[b][1] >= 0.5), 0.0)
    return threshold


def write_evidence(entries: Mapping[str, Entry], path: Path) -> Path:
    """Write the feature counts and the calibrated threshold as a compressed ``.npz``."""
    threshold = calibrate(entries)
    counts = count_features((k, e.functions) for k, e in entries.items())
    features = sorted(counts)
    np.savez_compressed(
        path,
        features=np.asarray(features, dtype=np.str_),
        counts=np.asarray([counts[f] for f in features], dtype=np.float32),
        classes=np.asarray(CLASSES, dtype=np.str_),
        min_posterior=np.float32(threshold),
    )
    log.info("wrote %d evidence features to %s (min posterior %.2f)", len(counts), path, threshold)
    return path


@cache
def load_evidence() -> Evidence:
    """Read ``data/roles/evidence.npz`` once per process (~0.2 s)."""
    ref = resources.files("tieguard") / "data" / "roles" / "evidence.npz"
    with ref.open("rb") as fh, np.load(fh) as data:
        if tuple(data["classes"].tolist()) != CLASSES:
            raise ValueError("evidence.npz was built for other function labels; rebuild it with build_lexicon")
        features: list[str] = data["features"].tolist()
        counts = data["counts"]
        threshold = float(data["min_posterior"])
    return Evidence.from_matrix(features, counts, threshold)

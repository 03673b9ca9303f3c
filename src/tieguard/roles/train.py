"""Build-time training of the function model on the shipped label sets (not used at run time).

Each normalised ESCO / O*NET label (``lexicon.tsv.gz``) is one training example whose
gold is its ISCO group's function(s) (``a|b``: either is right). The model is a
multinomial logistic regression over the hashed features of :mod:`tieguard.roles.features`,
fitted with L-BFGS (scipy) on the loss ``-log(sum of the gold classes' probabilities)``
with L2 regularisation and class weights ``(share of the class)^-balance`` so that the
large class ``other`` does not win by its size. One label in ten (by a hash of the key)
is held out to calibrate the abstention threshold: the lowest probability bin in which
held-out labels are right at least half the time. Deterministic: same data, same model.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from scipy import optimize, sparse

from .batch import model_inputs
from .model import CLASSES, Model
from .tokens import drop_doublets, tokenise, vocab_rules

__all__ = ["ALPHA", "BALANCE", "design_matrix", "fit", "train_model"]

log = logging.getLogger(__name__)

ALPHA = 1e-4
BALANCE = 0.5
MAX_ITER = 300
_INDEX = {c: i for i, c in enumerate(CLASSES)}


def design_matrix(keys: Sequence[str]) -> sparse.csr_matrix:
    """Normalised feature rows of the keys, exactly as the classifier computes them."""
    tokens = tokenise(pa.array(list(keys), pa.string()))
    rules = vocab_rules(tokens.vocab, tokens.vocab_array)
    return model_inputs(tokens, rules, ~drop_doublets(tokens, rules)).design()


def _loss(
    params: npt.NDArray[np.float64], x: sparse.csr_matrix, gold: npt.NDArray[np.bool_],
    weight: npt.NDArray[np.float64], alpha: float,
) -> tuple[float, npt.NDArray[np.float64]]:
    d, c = x.shape[1], gold.shape[1]
    w = params[: d * c].reshape(d, c)
    b = params[d * c :]
    z = np.asarray(x @ w) + b
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    in_gold = np.maximum((p * gold).sum(axis=1), 1e-12)
    loss = float(-(weight * np.log(in_gold)).sum() + 0.5 * alpha * (w * w).sum())
    q = np.where(gold, p, 0.0) / in_gold[:, None]
    grad_z = weight[:, None] * (p - q)
    grad_w = np.asarray(x.T @ grad_z) + alpha * w
    return loss, np.concatenate((grad_w.ravel(), grad_z.sum(axis=0)))


def fit(
    x: sparse.csr_matrix, gold: npt.NDArray[np.bool_], alpha: float = ALPHA, balance: float = BALANCE,
    max_iter: int | None = None,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Weights (features × classes) and bias of the regularised, class-weighted softmax."""
    share = gold.sum(axis=0) / gold.sum()
    first = np.argmax(gold, axis=1)
    weight = (np.maximum(share[first], 1e-4) * len(CLASSES)) ** -balance
    weight *= len(weight) / weight.sum()
    d, c = x.shape[1], gold.shape[1]
    result = optimize.minimize(
        _loss, np.zeros(d * c + c), args=(x.astype(np.float64).tocsr(), gold, weight, alpha),
        jac=True, method="L-BFGS-B", options={"maxiter": max_iter or MAX_ITER},
    )
    log.info("fitted in %d iterations, loss %.1f (%s)", result.nit, result.fun, result.message)
    params = result.x
    return params[: d * c].reshape(d, c).astype(np.float32), params[d * c :].astype(np.float32)


def _held_out(key: str) -> bool:
    return zlib.crc32(key.encode()) % 10 == 0


def _calibrate(probabilities: npt.NDArray[np.float32], right: npt.NDArray[np.bool_]) -> float:
    bins = np.minimum((probabilities * 10).astype(int), 9)
    for b in range(10):
        total = int((bins == b).sum())
        share = float(right[bins == b].mean()) if total else 0.0
        log.info("held-out probability %.1f-%.1f: %d labels, %.2f right", b / 10, b / 10 + 0.1, total, share)
        if total >= 20 and share >= 0.5:
            return b / 10
    return 0.0


def train_model(
    entries: dict[str, tuple[str, tuple[str, ...]]], token_langs: dict[str, int],
    alpha: float = ALPHA, balance: float = BALANCE,
) -> Model:
    """Train on 9 in 10 labels, calibrate on the rest.

    ``entries``: key → (language, functions); ``token_langs``: word → language bit mask.
    """
    keys = sorted(entries)
    gold = np.zeros((len(keys), len(CLASSES)), bool)
    for i, key in enumerate(keys):
        for function in entries[key][1]:
            gold[i, _INDEX[function]] = True
    x = design_matrix(keys)
    held = np.array([_held_out(k) for k in keys])
    weights, bias = fit(x[~held], gold[~held], alpha, balance)
    z: Any = np.asarray(x[held] @ weights) + bias
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    right = gold[held][np.arange(int(held.sum())), np.argmax(p, axis=1)]
    threshold = _calibrate(p.max(axis=1).astype(np.float32), right)
    exact_functions = np.full((len(keys), 2), -1, np.int8)
    for i, key in enumerate(keys):
        for j, function in enumerate(entries[key][1][:2]):
            exact_functions[i, j] = _INDEX[function]
    lang_words = sorted(token_langs)
    return Model(
        weights=weights, bias=bias, exact_keys=keys, exact_functions=exact_functions,
        lang_words=lang_words, lang_masks=np.array([token_langs[w] for w in lang_words], np.uint8),
        min_probability=threshold,
    )

"""The shipped function model: hashed-feature weights, the exact-label table, word languages.

``data/roles/model.npz`` is written at build time by ``python -m tieguard.roles.build_lexicon``
(see :mod:`tieguard.roles.train`) from the ESCO and O*NET label sets; attribution in
``data/roles/ATTRIBUTION.md``. Loaded once per process (~0.1 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..labels import FUNCTIONS

__all__ = ["CLASSES", "LANGS", "Model", "load_model", "save_model"]

#: the functions the model votes for (every label but ``unknown``), in column order
CLASSES: tuple[str, ...] = tuple(f for f in FUNCTIONS if f != "unknown")
LANGS: tuple[str, ...] = ("en", "nl", "de", "fr", "es", "it")
_DEFAULT = "model.npz"


@dataclass(frozen=True)
class Model:
    weights: npt.NDArray[np.float32]  #: buckets × classes
    bias: npt.NDArray[np.float32]  #: classes
    #: exact labels: normalised key → first and second function code (-1: none)
    exact_keys: list[str]
    exact_functions: npt.NDArray[np.int8]  #: labels × 2
    #: word → bit mask of the languages (LANGS order) whose labels use it
    lang_words: list[str]
    lang_masks: npt.NDArray[np.uint8]
    #: below this probability a model-only guess abstains (calibrated on held-out labels)
    min_probability: float


def _text(words: list[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)


def _words(data: npt.NDArray[Any]) -> list[str]:
    text = bytes(data).decode("utf-8")
    return text.split("\n") if text else []


def save_model(model: Model, path: Path) -> Path:
    """Weights quantised to int8 per class (the file stays ~3 MB), the rest as is."""
    scale = np.abs(model.weights).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    np.savez_compressed(
        path,
        weights=np.round(model.weights / scale).astype(np.int8),
        scale=scale.astype(np.float32),
        bias=model.bias.astype(np.float32),
        exact_keys=_text(model.exact_keys),
        exact_functions=model.exact_functions.astype(np.int8),
        lang_words=_text(model.lang_words),
        lang_masks=model.lang_masks.astype(np.uint8),
        min_probability=np.float32(model.min_probability),
    )
    return path


def read_model(path: Path) -> Model:
    with np.load(path) as data:
        return Model(
            weights=data["weights"].astype(np.float32) * data["scale"],
            bias=data["bias"],
            exact_keys=_words(data["exact_keys"]),
            exact_functions=data["exact_functions"],
            lang_words=_words(data["lang_words"]),
            lang_masks=data["lang_masks"],
            min_probability=float(data["min_probability"]),
        )


@cache
def load_model() -> Model:
    """The shipped model (cached per process)."""
    with resources.as_file(resources.files("tieguard") / "data" / "roles" / _DEFAULT) as path:
        return read_model(path)

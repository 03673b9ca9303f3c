"""Why a title got its labels: rule words, the exact label, the model's strongest features.

Computed only when asked (``tieguard roles classify --explain``), one title at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from .batch import model_inputs
from .model import CLASSES
from .normalise import normalise_array
from .tokens import drop_doublets, tokenise, vocab_rules, word_rule

if TYPE_CHECKING:
    from .classifier import Classifier

__all__ = ["explain"]

TOP_FEATURES = 3


def explain(classifier: Classifier, text: object) -> tuple[str, ...]:
    """Evidence strings for one title (``seniority:leiter=head``, ``model:einkauf=+2.1``, ...)."""
    if not isinstance(text, str):
        return ()
    result = classifier.classify(text)
    keys = normalise_array(pa.array([text], pa.string()))
    key = str(keys[0].as_py())
    tokens = tokenise(keys)
    rules = vocab_rules(tokens.vocab, tokens.vocab_array)
    keep = ~drop_doublets(tokens, rules)
    evidence: list[str] = []
    for position in np.flatnonzero(keep):
        evidence += word_rule(tokens.vocab[int(tokens.word[position])]).evidence
    model = classifier.model
    if _exact(classifier, key):
        evidence.insert(0, f"lexicon:{key}")
    if result.function in CLASSES and len(tokens.word):
        column = CLASSES.index(result.function)
        inputs = model_inputs(tokens, rules, keep)
        per_word = np.asarray(inputs.words @ model.weights[:, column]).ravel() / inputs.norm[0]
        words = sorted({int(w) for w in tokens.word[keep]}, key=lambda w: -per_word[w])
        for w in words[:TOP_FEATURES]:
            if per_word[w] > 0:
                evidence.append(f"model:{tokens.vocab[w]}={per_word[w]:+.2f}")
    evidence.append(f"path:{result.path}")
    return tuple(evidence)


def _exact(classifier: Classifier, key: str) -> bool:
    import pyarrow.compute as pc

    return bool(pc.is_in(pa.array([key]), value_set=classifier._context.exact_keys)[0].as_py())

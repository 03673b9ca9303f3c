"""Classify many distinct normalised keys at once: rules as array look-ups, the model as one product.

:func:`classify_keys` takes the keys of a batch (see :mod:`tieguard.roles.normalise`)
and returns label codes per key. Nothing here loops over titles in Python:

1. tokens and the vocabulary's rule arrays (:mod:`tieguard.roles.tokens`);
2. per-title aggregates with ``numpy`` ufuncs (``maximum.at``, ``bitwise_or.at``, ``add.at``);
3. exact labels with one Arrow hash look-up (``index_in``) of all keys;
4. the function model as sparse products: token counts × (word features × weights)
   plus word bigrams × weights, scaled per title (:mod:`tieguard.roles.features`);
5. the function: rule words first (a ``Vertriebsleiter`` is sales whatever the ISCO group
   of the ESCO label says), then the exact label, then the model's guess when the title
   has content words and the model is confident; functions of a multi-function ISCO
   group are decided by the title's own words and the model;
6. the seniority from the levels found and the title-level modifier rules
   (:mod:`tieguard.roles.seniority`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from scipy import sparse

from .features import bigram_matrix, word_matrix
from .model import CLASSES, LANGS, Model
from .seniority import TitleFacts, decide_seniority, title_facts
from .tokens import (
    LEVELS,
    Flag,
    Tokens,
    VocabRules,
    drop_doublets,
    has_flag,
    phrase_hits,
    tokenise,
    vocab_rules,
    without_doublets,
)

__all__ = ["PATHS", "RoleCodes", "classify_keys", "model_inputs"]

#: how the function was decided
PATHS: tuple[str, ...] = ("exact", "rules", "model", "none")
#: weight of a rule word's vote and of the exact label's vote next to the model's logits
RULE_WEIGHT = 20.0
OCCUPATION_RULE_WEIGHT = 2.0
SENIOR = LEVELS.index("senior")
EXACT_WEIGHT = 5.0
FIRST_RULE_BONUS = 0.5
#: a label of a multi-function ISCO group (1324 supply chain | purchasing, 1221 sales |
#: marketing, ...) votes this much for each: the title's own words decide
MULTI_SHARE = 0.35
_C = len(CLASSES)
_GM = CLASSES.index("general_management")
_ADMIN = CLASSES.index("admin")
_LANG_HINTS: dict[str, str] = {
    "of": "en", "and": "en", "the": "en", "for": "en", "to": "en", "with": "en",
    "van": "nl", "het": "nl", "voor": "nl", "medewerker": "nl", "medewerkster": "nl",
    "und": "de", "der": "de", "die": "de", "fur": "de", "im": "de",
    "mitarbeiter": "de", "leiter": "de", "leiterin": "de", "des": "fr de",
    "et": "fr", "du": "fr", "le": "fr", "la": "fr es it", "pour": "fr",
    "responsable": "fr es", "charge": "fr", "adjoint": "fr",
    "y": "es", "del": "es it", "los": "es", "las": "es", "para": "es", "jefe": "es", "encargado": "es",
    "e": "it", "di": "it", "della": "it", "delle": "it", "degli": "it", "dei": "it", "per": "it",
    "addetto": "it", "responsabile": "it",
}


@dataclass
class RoleCodes:
    """Codes per key: seniority (index in LEVELS, -1 unknown), function and second function
    (index in CLASSES, -1 unknown/none), confidence, language (index in LANGS, -1), path."""

    seniority: npt.NDArray[np.int8]
    function: npt.NDArray[np.int8]
    function2: npt.NDArray[np.int8]
    confidence: npt.NDArray[np.float32]
    language: npt.NDArray[np.int8]
    path: npt.NDArray[np.int8]


@dataclass
class ModelInputs:
    counts: sparse.csr_matrix  #: titles × vocabulary (model tokens)
    words: sparse.csr_matrix  #: vocabulary × buckets
    bigrams: sparse.csr_matrix  #: titles × buckets
    norm: npt.NDArray[np.float32]  #: per title

    def design(self) -> sparse.csr_matrix:
        """The explicit title × feature matrix (training, explanations)."""
        matrix = (self.counts @ self.words + self.bigrams).tocsr()
        return sparse.diags(1.0 / self.norm) @ matrix

    def logits(self, model: Model) -> npt.NDArray[np.float32]:
        word_scores = self.words @ model.weights
        raw = self.counts @ word_scores + self.bigrams @ model.weights
        return np.asarray(raw, np.float32) / self.norm[:, None] + model.bias


def model_inputs(tokens: Tokens, rules: VocabRules, keep: npt.NDArray[np.bool_]) -> ModelInputs:
    """Sparse inputs of the function model for the kept tokens that feed it."""
    use = keep & has_flag(rules.flags[tokens.word], Flag.MODEL)
    title, word, segment = tokens.title[use], tokens.word[use], tokens.segment[use]
    words, sq, hashes = word_matrix(tokens.vocab, has_flag(rules.flags, Flag.MODEL))
    counts = sparse.csr_matrix(
        (np.ones(len(title), np.float32), (title, word)), shape=(tokens.n_titles, len(tokens.vocab))
    )
    group = title * (int(tokens.segment.max(initial=0)) + 1) + segment
    bigrams, n_bigrams = bigram_matrix(group, title, word, hashes, tokens.n_titles)
    norm = np.sqrt(np.maximum(counts @ sq + n_bigrams, 1e-6)).astype(np.float32)
    return ModelInputs(counts, words, bigrams, norm)


def _exact(keys: pa.Array, model: Model, exact_index: Any) -> npt.NDArray[np.float32]:
    """Votes (titles × classes) of the exact label of the key, else of its first segment."""
    import pyarrow.compute as pc

    idx = np.asarray(pc.fill_null(pc.index_in(keys, value_set=exact_index), -1), dtype=np.int64)
    headline = np.flatnonzero(np.asarray(pc.match_substring(keys, pattern=" | "), dtype=bool) & (idx < 0))
    if len(headline):  # a headline: its first segment may be a label
        first = pc.list_element(pc.split_pattern(keys.take(pa.array(headline)), pattern=" | ", max_splits=1), 0)
        idx[headline] = np.asarray(pc.fill_null(pc.index_in(first, value_set=exact_index), -1), dtype=np.int64)
    votes = np.zeros((len(keys), _C), np.float32)
    hit = np.flatnonzero(idx >= 0)
    pair = model.exact_functions[idx[hit]]
    multi = pair[:, 1] >= 0
    for column, single, shared in ((0, 1.0, MULTI_SHARE), (1, 0.0, MULTI_SHARE * 0.9)):
        ok = pair[:, column] >= 0
        votes[hit[ok], pair[ok, column]] = np.where(multi[ok], shared, single)
    return votes


def _languages(tokens: Tokens, keep: npt.NDArray[np.bool_], lang_masks: npt.NDArray[np.uint8]) -> npt.NDArray[np.int8]:
    """Each word votes for the languages whose labels use it, split evenly (a word of one
    language counts fully, a word of all six a sixth); ties prefer en, de, nl, fr, es, it."""
    masks = lang_masks[tokens.word[keep]]
    bits = ((masks[:, None] >> np.arange(len(LANGS), dtype=np.uint8)) & 1).astype(np.float32)
    share = bits / np.maximum(bits.sum(axis=1, keepdims=True), 1.0)
    title = tokens.title[keep]
    votes = np.stack([np.bincount(title, share[:, i], tokens.n_titles) for i in range(len(LANGS))], axis=1)
    order = [LANGS.index(lang) for lang in ("en", "de", "nl", "fr", "es", "it")]
    best = np.asarray(order)[np.argmax(votes[:, order] + 1e-4 * np.arange(len(order), 0, -1), axis=1)]
    return np.where(votes.sum(axis=1) > 0, best, -1).astype(np.int8)


def vocab_languages(vocab: list[str], model_words: Any, model_masks: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Language mask of each vocabulary word: the lexicon's, narrowed by hint words."""
    import pyarrow.compute as pc

    idx = np.asarray(pc.fill_null(pc.index_in(pa.array(vocab, pa.string()), value_set=model_words), -1), np.int64)
    masks = np.where(idx >= 0, model_masks[np.maximum(idx, 0)], 0).astype(np.uint8)
    for word, langs in _LANG_HINTS.items():
        if word in vocab:  # noqa: SIM102 - vocabulary membership, not per title
            masks[vocab.index(word)] = sum(1 << LANGS.index(x) for x in langs.split())
    return masks


def _decide_function(
    facts: TitleFacts, logits: npt.NDArray[np.float32], exact: npt.NDArray[np.float32],
    min_probability: float, guess: bool,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], npt.NDArray[np.float32], npt.NDArray[np.int8]]:
    """Function, second function, confidence and path per title."""
    n = len(logits)
    shifted = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(shifted)
    prob /= prob.sum(axis=1, keepdims=True)
    rules = facts.rule_votes
    has_rule, has_exact = rules.any(axis=1), exact.any(axis=1)
    # a rule word next to a level word describes a position in an organisation (``Head of X``,
    # ``X-leiter``): it decides; in a bare occupation label it is one more vote
    weight = np.where((facts.ladder >= SENIOR) | facts.has_board, RULE_WEIGHT, OCCUPATION_RULE_WEIGHT)
    combined = logits + weight[:, None] * rules + EXACT_WEIGHT * exact
    decided = np.argmax(combined, axis=1).astype(np.int8)
    rows = np.arange(n)
    chosen_rule = rules[rows, decided] > 0
    chosen_exact = exact[rows, decided] > 0
    confident = prob.max(axis=1) >= min_probability
    function = np.full(n, -1, np.int8)
    path = np.full(n, PATHS.index("none"), np.int8)
    confidence = np.zeros(n, np.float32)
    by_exact = chosen_exact
    by_rules = chosen_rule & ~chosen_exact
    by_model = ~chosen_rule & ~chosen_exact & (has_rule | has_exact | (facts.has_content & confident & guess))
    if not guess:  # no learned guess: exact labels and rule words only (the model still breaks ties)
        by_model &= False
    function[by_rules | by_exact | by_model] = decided[by_rules | by_exact | by_model]
    path[by_rules], path[by_exact], path[by_model] = PATHS.index("rules"), PATHS.index("exact"), PATHS.index("model")
    confidence[by_rules], confidence[by_exact] = 0.8, 0.9
    confidence[by_model] = np.minimum(0.75, prob[rows, decided][by_model])
    top_alone = (function < 0) & facts.top_level & ~facts.has_content
    function[top_alone | facts.ad_executive & (function < 0)] = _GM
    function[facts.assistant_to_executive] = _ADMIN
    confidence[(function >= 0) & (confidence == 0)] = 0.8
    second_votes = np.where(rules > 0, rules, 0.0)
    second_votes[np.arange(n), np.maximum(function, 0)] = 0.0
    function2 = np.where(second_votes.max(axis=1) > 0, np.argmax(second_votes, axis=1), -1).astype(np.int8)
    return function, function2, confidence, path


def classify_keys(keys: pa.Array, model: Model, context: Any, guess: bool = True) -> RoleCodes:
    """Label codes for each key of ``keys`` (distinct normalised titles)."""
    tokens = tokenise(keys)
    rules = vocab_rules(tokens.vocab, tokens.vocab_array)
    doublets = drop_doublets(tokens, rules)
    keep = ~doublets
    level = rules.level[tokens.word].copy()
    function = rules.function[tokens.word].copy()
    level[~keep], function[~keep] = -1, -1
    keep_model = keep & ~phrase_hits(tokens, rules, level, function)
    lang_masks = vocab_languages(tokens.vocab, context.lang_words, model.lang_masks)
    language = _languages(tokens, keep, lang_masks)
    facts = title_facts(tokens, rules, keep, keep_model, level, function, language)
    logits = model_inputs(tokens, rules, keep_model).logits(model)
    exact = _exact(without_doublets(keys, tokens, doublets), model, context.exact_keys)
    func, func2, confidence, path = _decide_function(facts, logits, exact, model.min_probability, guess)
    func[facts.non_role] = -1  # "Open to work", "Retired": no role, whatever the lexicon says
    seniority = decide_seniority(facts, func)
    confidence[func < 0] = np.where(seniority[func < 0] >= 0, 0.4, 0.0)
    path[func < 0] = PATHS.index("none")
    return RoleCodes(seniority, func, func2, confidence, language, path)

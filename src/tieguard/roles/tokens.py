"""Normalised keys → token arrays and the vocabulary's rule arrays, all in bulk.

A batch of distinct keys becomes flat numpy arrays, one entry per token (title index,
word index into the batch vocabulary, segment), plus per-word arrays from
:func:`tieguard.roles.rules.analyse_word`, which runs once per distinct word (cached
across batches). Phrases (``head of``, ``vice president``, ``raad van commissarissen``)
are looked up once per distinct adjacent word pair or triple.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ..labels import SENIORITY
from .model import CLASSES
from .rules import PHRASE_FIRST, PHRASES, Flag, WordRule, analyse_word
from .wordscan import gender_roots, needs_analysis

__all__ = ["LEVELS", "Tokens", "VocabRules", "phrase_hits", "tokenise", "vocab_rules", "word_rule"]

#: seniority codes: index into LEVELS (``unknown`` is -1); owner ranks just above c_level
LEVELS: tuple[str, ...] = tuple(s for s in SENIORITY if s != "unknown")
_LEVEL_CODE = {label: i for i, label in enumerate(LEVELS)}
_FUNCTION_CODE = {label: i for i, label in enumerate(CLASSES)}
_WORD_CACHE: dict[str, WordRule] = {}
_WORD_CACHE_MAX = 500_000
I64 = npt.NDArray[np.int64]


@dataclass
class Tokens:
    n_titles: int
    title: I64  #: title index of each token (ascending)
    word: I64  #: vocabulary index of each token
    segment: I64  #: running segment number (adjacent tokens with equal numbers are in one segment)
    vocab: list[str]
    vocab_array: pa.Array


@dataclass
class VocabRules:
    level: npt.NDArray[np.int8]
    function: npt.NDArray[np.int8]
    flags: npt.NDArray[np.int32]
    root: I64
    phrase_first: npt.NDArray[np.bool_]


def _pc() -> Any:
    import pyarrow.compute as pc

    return pc


def tokenise(keys: pa.Array) -> Tokens:
    """Split every key on spaces; ``|`` tokens become segment breaks; empty tokens go."""
    pc = _pc()
    lists = pc.split_pattern(keys, pattern=" ")
    flat = lists.flatten()
    title = np.asarray(pc.list_parent_indices(lists), dtype=np.int64)
    encoded = flat.dictionary_encode()
    word = np.asarray(encoded.indices, dtype=np.int64)
    vocab: list[str] = encoded.dictionary.to_pylist()
    is_sep = np.zeros(len(vocab), bool)
    drop = np.zeros(len(vocab), bool)
    for special, mask in (("|", is_sep), ("", drop)):
        if special in vocab:
            mask[vocab.index(special)] = True
    segment = np.cumsum(is_sep[word])
    keep = ~(is_sep[word] | drop[word])
    return Tokens(len(keys), title[keep], word[keep], segment[keep], vocab, encoded.dictionary)


def _rule(word: str) -> WordRule:
    found = _WORD_CACHE.get(word)
    if found is None:
        found = analyse_word(word)
        if len(_WORD_CACHE) < _WORD_CACHE_MAX:
            _WORD_CACHE[word] = found
    return found


def word_rule(word: str) -> WordRule:
    """The (cached) rule analysis of one word."""
    return _rule(word)


def vocab_rules(vocab: list[str], vocab_array: pa.Array | None = None) -> VocabRules:
    """Per-word arrays of the rule analysis: Arrow kernels find the few words that need
    :func:`analyse_word`; the others are plain content words."""
    pc = _pc()
    array = vocab_array if vocab_array is not None else pa.array(vocab, pa.string())
    n = len(vocab)
    long = np.asarray(pc.greater(pc.utf8_length(array), 3), dtype=bool)
    flags = np.where(long, Flag.CONTENT | Flag.MODEL, Flag.MODEL).astype(np.int32)
    level = np.full(n, -1, np.int8)
    function = np.full(n, -1, np.int8)
    for i in np.flatnonzero(needs_analysis(array)).tolist():
        rule = _rule(vocab[i])
        level[i] = _LEVEL_CODE.get(rule.level or "", -1)
        function[i] = _FUNCTION_CODE.get(rule.function or "", -1)
        flags[i] = rule.flags
    roots = gender_roots(array).dictionary_encode()
    return VocabRules(
        level=level, function=function, flags=flags,
        root=np.asarray(roots.indices, dtype=np.int64),
        phrase_first=np.asarray(pc.is_in(array, value_set=_phrase_first()), dtype=bool),
    )


@cache
def _phrase_first() -> pa.Array:
    return pa.array(sorted(PHRASE_FIRST), pa.string())


def drop_doublets(tokens: Tokens, rules: VocabRules) -> npt.NDArray[np.bool_]:
    """Tokens repeating the previous token's gendered root (``leiter leiterin`` → ``leiter``)."""
    dup = np.zeros(len(tokens.word), bool)
    if len(dup) > 1:
        root = rules.root[tokens.word]
        dup[1:] = (tokens.title[1:] == tokens.title[:-1]) & (root[1:] == root[:-1])
    return dup


def without_doublets(keys: pa.Array, tokens: Tokens, dup: npt.NDArray[np.bool_]) -> pa.Array:
    """The keys with doublet tokens removed (``leiter leiterin einkauf`` → ``leiter einkauf``)."""
    if not dup.any():
        return keys
    pc = _pc()
    keep = ~dup
    counts = np.bincount(tokens.title[keep], minlength=tokens.n_titles)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    words = pa.array(tokens.vocab, pa.string()).take(pa.array(tokens.word[keep]))
    rebuilt = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), words), " ")
    affected = np.zeros(tokens.n_titles, bool)
    affected[tokens.title[dup]] = True
    mask = pa.array(affected)
    return pc.replace_with_mask(keys, mask, rebuilt.filter(mask))


def collapse_doublets(keys: pa.Array) -> pa.Array:
    """:func:`without_doublets` for keys alone (the lexicon builder)."""
    tokens = tokenise(keys)
    return without_doublets(keys, tokens, drop_doublets(tokens, vocab_rules(tokens.vocab, tokens.vocab_array)))


def _next(tokens: Tokens, step: int) -> tuple[npt.NDArray[np.bool_], I64]:
    """Whether token i+step is in the same title and segment, and its word (or -1)."""
    n = len(tokens.word)
    ok = np.zeros(n, bool)
    nxt = np.full(n, -1, np.int64)
    if n > step:
        ok[:-step] = (tokens.title[step:] == tokens.title[:-step]) & (
            tokens.segment[step:] == tokens.segment[:-step]
        )
        nxt[:-step] = np.where(ok[:-step], tokens.word[step:], -1)
    return ok, nxt


def _lookup(tokens: Tokens, positions: I64, size: int) -> tuple[I64, npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    """Phrase labels of the ``size``-word phrases starting at ``positions`` (hits only)."""
    n_words = len(tokens.vocab)
    codes = tokens.word[positions]
    for k in range(1, size):
        codes = codes * n_words + tokens.word[positions + k]
    unique, inverse = np.unique(codes, return_inverse=True)
    rows = [[(code // n_words ** (size - 1 - k)) % n_words for k in range(size)] for code in unique.tolist()]
    found = [PHRASES.get(" ".join(tokens.vocab[i] for i in row)) for row in rows]
    levels = np.array([_LEVEL_CODE.get((f or (None, None))[0] or "", -1) for f in found], np.int8)
    functions = np.array([_FUNCTION_CODE.get((f or (None, None))[1] or "", -1) for f in found], np.int8)
    hit = np.array([f is not None for f in found], bool)[inverse.ravel()]
    return positions[hit], levels[inverse.ravel()][hit], functions[inverse.ravel()][hit]


def phrase_hits(
    tokens: Tokens, rules: VocabRules, level: npt.NDArray[np.int8], function: npt.NDArray[np.int8]
) -> npt.NDArray[np.bool_]:
    """Apply three- then two-word phrases in place: a phrase's label replaces its words' labels of that kind.

    Returns the tokens inside a phrase that names a level and no function (``board member``,
    ``head of``): they are not content and do not feed the function model.
    """
    first = rules.phrase_first[tokens.word]
    covered = np.zeros(len(tokens.word), bool)
    level_only = np.zeros(len(tokens.word), bool)
    for size in (3, 2):
        ok = first.copy()
        for step in range(1, size):
            ok &= _next(tokens, step)[0]
        for step in range(size):
            ok[: len(ok) - step] &= ~covered[step:]
        positions = np.flatnonzero(ok)
        if not len(positions):
            continue
        positions, levels, functions = _lookup(tokens, positions, size)
        if size == 2 and len(positions) > 1:  # overlapping pairs: the left one wins
            keep = np.ones(len(positions), bool)
            keep[1:] = positions[1:] != positions[:-1] + 1
            positions, levels, functions = positions[keep], levels[keep], functions[keep]
        for step in range(size):
            inner = positions + step
            covered[inner] = True
            level[inner] = np.where(levels >= 0, -1, level[inner])
            function[inner] = np.where(functions >= 0, -1, function[inner])
            level_only[inner] |= (levels >= 0) & (functions < 0)
        level[positions] = np.where(levels >= 0, levels, level[positions])
        function[positions] = np.where(functions >= 0, functions, function[positions])
    return level_only


def has_flag(flags: npt.NDArray[np.int32], flag: int) -> npt.NDArray[np.bool_]:
    found: npt.NDArray[np.bool_] = (flags & flag) != 0
    return found


__all__ += ["Flag", "collapse_doublets", "drop_doublets", "has_flag", "without_doublets"]

"""Which distinct words need the rule analysis at all, and their gendered roots: Arrow kernels.

Most words of a batch (names of trades, places, products) are in no table, are no gendered
or plural form of a table word and are no DE/NL compound with a known ending or modifier.
:func:`needs_analysis` finds the others with a few hash look-ups and RE2 scans over the whole
vocabulary; only those go through :func:`tieguard.roles.rules.analyse_word`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from .rules import _FLAG_WORDS, _FORMS, _ROOTS
from .tables import (
    COMPOUND_HEADS,
    COMPOUND_MODIFIERS,
    CONTEXT_WORDS,
    FUNCTION_WORDS,
    SENIORITY_WORDS,
    STOP,
)

__all__ = ["gender_roots", "needs_analysis"]


def _pc() -> Any:
    import pyarrow.compute as pc

    return pc


@cache
def _known() -> tuple[pa.Array, pa.Array, str, str]:
    words = {*SENIORITY_WORDS, *FUNCTION_WORDS, *STOP, *CONTEXT_WORDS}
    for members, _ in _FLAG_WORDS:
        words |= members
    single = pa.array(sorted(w for w in words if " " not in w), pa.string())
    tables = pa.array(sorted(w for w in {*SENIORITY_WORDS, *FUNCTION_WORDS} if " " not in w), pa.string())
    heads = "|".join(sorted(map(re.escape, COMPOUND_HEADS), key=len, reverse=True))
    mods = "|".join(sorted(map(re.escape, COMPOUND_MODIFIERS), key=len, reverse=True))
    return single, tables, f"(?:{heads})$|^hoofd.{{4}}", f"^(?:{mods}).{{4}}"


def _replace_ending(pc: Any, words: pa.Array, ending: str, replacement: str) -> pa.Array:
    stem = pc.utf8_slice_codeunits(words, 0, -len(ending))
    return pc.binary_join_element_wise(stem, pa.scalar(replacement), "")


def needs_analysis(vocab: pa.Array) -> npt.NDArray[np.bool_]:
    """True for the words :func:`analyse_word` may say something about."""
    pc = _pc()
    single, tables, head_pattern, mod_pattern = _known()
    need = np.asarray(pc.is_in(vocab, value_set=single), dtype=bool)
    long = np.asarray(pc.greater(pc.utf8_length(vocab), 6), dtype=bool)
    need |= long & np.asarray(pc.match_substring_regex(vocab, pattern=head_pattern), dtype=bool)
    need |= long & np.asarray(pc.match_substring_regex(vocab, pattern=mod_pattern), dtype=bool)
    length = np.asarray(pc.utf8_length(vocab), dtype=np.int64)
    for ending, replacement in _FORMS:
        ends = np.asarray(pc.ends_with(vocab, pattern=ending), dtype=bool) & (length - len(ending) >= 4) & (length >= 5)
        if ends.any():
            index = np.flatnonzero(ends)
            forms = _replace_ending(pc, vocab.take(pa.array(index)), ending, replacement)
            need[index[np.asarray(pc.is_in(forms, value_set=tables), dtype=bool)]] = True
    return need


def gender_roots(vocab: pa.Array) -> pa.Array:
    """:func:`tieguard.roles.rules.gender_root` of every word (the first matching ending)."""
    pc = _pc()
    length = np.asarray(pc.utf8_length(vocab), dtype=np.int64)
    roots = vocab
    done = np.zeros(len(vocab), bool)
    for ending, replacement in _ROOTS:
        ends = np.asarray(pc.ends_with(vocab, pattern=ending), dtype=bool) & (length - len(ending) >= 4) & ~done
        if ends.any():
            mask = pa.array(ends)
            roots = pc.replace_with_mask(roots, mask, _replace_ending(pc, vocab.filter(mask), ending, replacement))
            done |= ends
    return roots

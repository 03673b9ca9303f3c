"""The shipped role lexicon: ESCO and O*NET labels, normalised, with ISCO group and function.

Loaded once per process (:func:`load_lexicon` is cached). Besides the exact-label
dictionary it offers a token → languages map for language detection and, built on
first use, the char n-gram index of the fuzzy fallback.
"""

from __future__ import annotations

import gc
import gzip
import logging
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from .fuzzy import NgramIndex

__all__ = ["LANG_BITS", "Entry", "Lexicon", "entries_from_rows", "head_functions", "load_lexicon", "read_rows", "singular", "stem"]

log = logging.getLogger(__name__)

#: n-grams found in more labels than this are skipped at query time (speed; they carry little weight)
FUZZY_MAX_POSTINGS = 10000
LANG_BITS: dict[str, int] = {"en": 1, "nl": 2, "de": 4, "fr": 8, "es": 16, "it": 32}


@dataclass(frozen=True, slots=True)
class Entry:
    """One normalised label: its ISCO group, function(s) (first = preferred) and language."""

    isco: str
    functions: tuple[str, ...]
    lang: str


@dataclass
class Lexicon:
    entries: dict[str, Entry]
    token_langs: dict[str, int]
    #: (language, first word) → function, for first words whose multi-word labels agree
    heads: dict[tuple[str, str], str] = field(default_factory=dict)
    _index: NgramIndex | None = field(default=None, repr=False)
    _keys: list[str] = field(default_factory=list, repr=False)

    def fuzzy_index(self) -> tuple[NgramIndex, list[str]]:
        """The n-gram index over all keys (built on first call, ~1-3 s)."""
        if self._index is None:
            self._keys = list(self.entries)
            log.info("building the fuzzy title index over %d labels", len(self._keys))
            self._index = NgramIndex([stem(k) for k in self._keys], max_postings=FUZZY_MAX_POSTINGS)
        return self._index, self._keys


def singular(word: str) -> str:
    """Rough Romance/Dutch/English plural folding of one word (``directores`` → ``director``)."""
    if len(word) > 4 and word[-1] == "s":
        return word[:-2] if word[-2] == "e" and word[-3] not in "aeiou" else word[:-1]
    return word


def stem(key: str) -> str:
    """Crude plural folding for the fuzzy index: drop a final ``s`` of words over 4 letters."""
    return " ".join(w[:-1] if len(w) > 4 and w[-1] == "s" else w for w in key.split())


def read_rows(path: Path | None = None) -> list[list[str]]:
    ref = path or resources.files("tieguard") / "data" / "roles" / "lexicon.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        next(fh)
        return [line.rstrip("\n").split("\t") for line in fh]


#: a first word is a head when ≥ HEAD_MIN_LABELS multi-word labels start with it and
#: ≥ HEAD_AGREEMENT of them share one function (``docent …`` → other, ``ingeniero …`` → engineering)
HEAD_MIN_LABELS = 10
HEAD_AGREEMENT = 0.85


def head_functions(entries: dict[str, Entry]) -> dict[tuple[str, str], str]:
    """Head-word priors learned from the lexicon, for the head-initial languages (not en)."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for key, entry in entries.items():
        if entry.lang == "en" or " " not in key:
            continue
        slot = counts.setdefault((entry.lang, singular(key.split(" ", 1)[0])), {})
        slot[entry.functions[0]] = slot.get(entry.functions[0], 0) + 1
    heads: dict[tuple[str, str], str] = {}
    for head, by_function in counts.items():
        total = sum(by_function.values())
        function, top = max(by_function.items(), key=lambda kv: kv[1])
        if total >= HEAD_MIN_LABELS and top >= HEAD_AGREEMENT * total:
            heads[head] = function
    return heads


def entries_from_rows(rows: list[list[str]], token_langs: dict[str, int] | None = None) -> dict[str, Entry]:
    """Key → entry (a non-English label wins over an English one), filling ``token_langs``."""
    entries: dict[str, Entry] = {}
    for key, lang, isco, functions in rows:
        if token_langs is not None:
            bit = LANG_BITS[lang]
            for token in key.split():
                token_langs[token] = token_langs.get(token, 0) | bit
        if key not in entries or (lang != "en" and entries[key].lang == "en"):
            entries[key] = Entry(isco, tuple(functions.split("|")), lang)
    return entries


@cache
def load_lexicon() -> Lexicon:
    """Read ``data/roles/lexicon.tsv.gz`` (about 150,000 labels) once per process."""
    token_langs: dict[str, int] = {}
    entries = entries_from_rows(read_rows(), token_langs)
    lexicon = Lexicon(entries, token_langs, head_functions(entries))
    # ~300,000 long-lived objects: keep the cyclic GC from re-scanning them on every
    # collection triggered by the many small result objects classification creates.
    gc.freeze()
    return lexicon

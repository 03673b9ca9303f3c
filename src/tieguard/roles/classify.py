"""``classify(title)``: exact lexicon → rules → fuzzy lexicon neighbours → ``unknown``.

1. :func:`~tieguard.roles.normalise.normalise` the title or headline;
2. an exact hit in the ESCO/O*NET lexicon gives the function (via the label's ISCO group);
3. the rules give the seniority (always) and the function when the lexicon has no hit
   (words, phrases and DE/NL compounds); a business-function word also overrides a
   lexicon label whose ISCO group maps to ``other``;
4. still no function: the nearest lexicon labels by char n-gram TF-IDF vote (the slow
   fallback, off with ``fuzzy=False``); below :data:`FUZZY_MIN_SIMILARITY` we abstain.

:func:`classify_many` classifies each distinct normalised title once.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from .buying import BuyingTable, load_buying_table
from .lexicon import LANG_BITS, Lexicon, load_lexicon, stem
from .normalise import normalise
from .rules import NON_ROLE_WORDS, apply_rules
from .rules import words as _w

__all__ = ["FUZZY_MIN_SIMILARITY", "RoleResult", "Classifier", "classify", "classify_many"]

log = logging.getLogger(__name__)

_TEXT_CACHE_MAX = 1_000_000
FUZZY_MIN_SIMILARITY = 0.25
FUZZY_K = 20
FUZZY_POWER = 6
#: A neighbour this similar overrides the function rules (the title is an occupation label).
FUZZY_OVERRIDE = 0.6
_BUSINESS = frozenset(
    _w("purchasing supply_chain finance engineering production quality it sales marketing hr legal admin")
)
_LETTER = re.compile("[a-z]")
_LANG_HINTS: dict[str, str] = {
    **dict.fromkeys(_w("of and the for to at with"), "en"),
    **dict.fromkeys(_w("van het voor bij en medewerker medewerkster"), "nl"),
    **dict.fromkeys(_w("und der die des fur im bei mitarbeiter leiter leiterin"), "de"),
    **dict.fromkeys(_w("et des du la le chez pour responsable charge adjoint"), "fr"),
    **dict.fromkeys(_w("y del los las para jefe encargado"), "es"),
    **dict.fromkeys(_w("e di della delle degli dei per presso addetto responsabile"), "it"),
}


class RoleResult(NamedTuple):
    """The classification of one title: labels of :mod:`tieguard.labels`, and why.

    Immutable and shared between equal titles (results are cached): do not mutate
    ``buying_roles``.
    """

    seniority: str = "unknown"
    function: str = "unknown"
    functions: tuple[str, ...] = ()
    buying_roles: dict[str, float] = {}  # noqa: RUF012 - read-only by contract
    confidence: float = 0.0
    language: str = "unknown"
    evidence: tuple[str, ...] = ()
    path: str = "none"  # exact | rules | fuzzy | none

    def as_dict(self) -> dict[str, Any]:
        return {
            "seniority": self.seniority, "function": self.function,
            "functions": list(self.functions), "buying_roles": dict(self.buying_roles),
            "confidence": self.confidence, "language": self.language,
            "evidence": list(self.evidence), "path": self.path,
        }


UNKNOWN = RoleResult()


_LANGS = tuple(LANG_BITS)
#: lexicon language mask → (language indices, vote weight)
_MASKS: list[tuple[tuple[int, ...], float]] = [
    (idx, 1.0 / len(idx) if idx else 0.0)
    for idx in (tuple(i for i, lang in enumerate(_LANGS) if mask & LANG_BITS[lang]) for mask in range(64))
]
_HINT_INDEX = {word: _LANGS.index(lang) for word, lang in _LANG_HINTS.items()}


def detect_language(words: list[str], lexicon: Lexicon) -> str:
    """Most likely of en/nl/de/fr/es/it from hint words and lexicon vocabulary, else unknown."""
    scores = [0.0] * len(_LANGS)
    token_langs = lexicon.token_langs
    for word in words:
        hint = _HINT_INDEX.get(word)
        if hint is not None:
            scores[hint] += 2.0
        idx, weight = _MASKS[token_langs.get(word, 0)]
        for i in idx:
            scores[i] += weight
    best = max(scores)
    return _LANGS[scores.index(best)] if best > 0 else "unknown"


class Classifier:
    """Lexicon, rules and buying table bundled, with a cache per normalised title."""

    def __init__(self, buying: BuyingTable | None = None, *, fuzzy: bool = True) -> None:
        self.lexicon = load_lexicon()
        self.buying = buying or load_buying_table()
        self.fuzzy = fuzzy
        self.stats: Counter[str] = Counter()
        self.classify_key = lru_cache(maxsize=500_000)(self._classify_key)
        self._by_text: dict[str, RoleResult] = {}

    def classify(self, text: object) -> RoleResult:
        """Classify one title or headline; any input, never an exception."""
        if not isinstance(text, str) or not text.strip():
            return UNKNOWN
        try:
            key = normalise(text)
        except (ValueError, UnicodeError):  # pragma: no cover - defensive
            return UNKNOWN
        return self.classify_key(key) if key else UNKNOWN

    def _classify_key(self, key: str) -> RoleResult:
        words = key.split()
        if "|" in key:
            words = [w for w in words if w != "|"]
        if not words or _LETTER.search(key) is None:
            return UNKNOWN
        hits = apply_rules(words)
        if not hits.functions and hits.seniority == "unknown" and NON_ROLE_WORDS.intersection(words):
            self.stats["unknown"] += 1
            return RoleResult(language=detect_language(words, self.lexicon), evidence=("rule:no-role",))
        evidence = list(hits.evidence)
        functions = list(hits.functions)
        entry = self.lexicon.entries.get(key.replace(" | ", " ")) or (
            self.lexicon.entries.get(key.split(" | ")[0]) if " | " in key else None
        )
        path, confidence = ("rules", 0.8) if functions else ("none", 0.0)
        if entry is not None and not (entry.functions[0] == "other" and set(functions) & _BUSINESS):
            functions = list(entry.functions[:1]) + [f for f in functions if f != entry.functions[0]]
            evidence.insert(0, f"lexicon:isco {entry.isco}={entry.functions[0]}")
            path, confidence = "exact", 0.9
        elif not functions and hits.seniority in ("c_level", "owner", "board"):
            functions = ["general_management"]
        elif self.fuzzy and (not functions or hits.seniority == "unknown"):
            fuzzy_functions, fuzzy_confidence, top = self._fuzzy(key.replace(" | ", " "), evidence)
            if fuzzy_functions and (not functions or top >= FUZZY_OVERRIDE):
                functions = fuzzy_functions + [f for f in functions if f != fuzzy_functions[0]]
                path, confidence = "fuzzy", fuzzy_confidence
        seniority = hits.seniority
        if seniority == "unknown" and functions:
            seniority = "individual"
        if seniority == "director" and "directeur" in words and not hits.functions:
            seniority, functions = "c_level", ["general_management"]
            evidence.append("rule:directeur-alone=general_management")
        if not functions and seniority in ("c_level", "owner", "board"):
            functions = ["general_management"]
        if not functions and seniority == "unknown":
            self.stats["unknown"] += 1
            return RoleResult(language=detect_language(words, self.lexicon), evidence=tuple(evidence))
        self.stats[path] += 1
        function = functions[0] if functions else "unknown"
        if seniority != "unknown" and function == "unknown":
            confidence = 0.4
        return RoleResult(
            seniority, function, tuple(functions), self.buying.roles(functions, seniority),
            round(confidence, 3), detect_language(words, self.lexicon), tuple(evidence), path,
        )

    def _fuzzy(self, key: str, evidence: list[str]) -> tuple[list[str], float, float]:
        """Vote of the nearest lexicon labels: (functions, confidence, top similarity)."""
        self.stats["fuzzy_queries"] += 1
        index, keys = self.lexicon.fuzzy_index()
        neighbours = index.query(stem(key), FUZZY_K)
        if not neighbours or neighbours[0][1] < FUZZY_MIN_SIMILARITY:
            return [], 0.0, 0.0
        votes: dict[str, float] = {}
        for pos, sim in neighbours:
            entry_functions = self.lexicon.entries[keys[pos]].functions
            for rank, function in enumerate(entry_functions):
                votes[function] = votes.get(function, 0.0) + sim**FUZZY_POWER * (1.0 if rank == 0 else 0.5)
        function, weight = max(votes.items(), key=lambda kv: kv[1])
        share = weight / sum(votes.values())
        best = keys[neighbours[0][0]]
        evidence.append(f"fuzzy:{best!r} sim={neighbours[0][1]:.2f} vote={function}:{share:.2f}")
        return [function], min(0.75, neighbours[0][1] * share), neighbours[0][1]

    def classify_many(self, texts: Iterable[object]) -> list[RoleResult]:
        """Classify a sequence; each distinct text is normalised once, each distinct key classified once."""
        by_text = self._by_text
        results: list[RoleResult] = []
        append = results.append
        for text in texts:
            found = by_text.get(text) if isinstance(text, str) else UNKNOWN
            if found is None:
                found = self.classify(text)
                if len(by_text) < _TEXT_CACHE_MAX:
                    by_text[text] = found  # type: ignore[index]
            append(found)
        return results


_DEFAULT: Classifier | None = None


def default_classifier() -> Classifier:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Classifier()
    return _DEFAULT


def classify(text: object) -> RoleResult:
    """Seniority, function and buying roles of one title or headline (default table)."""
    return default_classifier().classify(text)


def classify_many(texts: Iterable[object]) -> list[RoleResult]:
    """:func:`classify` for many titles, each distinct normalised title once."""
    return default_classifier().classify_many(texts)

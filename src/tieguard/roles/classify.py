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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .buying import BuyingTable, load_buying_table
from .lexicon import LANG_BITS, Lexicon, load_lexicon, stem
from .normalise import normalise
from .rules import NON_ROLE_WORDS, apply_rules

__all__ = ["FUZZY_MIN_SIMILARITY", "RoleResult", "Classifier", "classify", "classify_many"]

log = logging.getLogger(__name__)

FUZZY_MIN_SIMILARITY = 0.25
FUZZY_K = 20
FUZZY_POWER = 6
#: A neighbour this similar overrides the function rules (the title is an occupation label).
FUZZY_OVERRIDE = 0.6
_BUSINESS = frozenset(
    "purchasing supply_chain finance engineering production quality it sales marketing hr legal admin".split()
)
_LANG_HINTS: dict[str, str] = {
    **dict.fromkeys("of and the for to at with".split(), "en"),
    **dict.fromkeys("van het voor bij en medewerker medewerkster".split(), "nl"),
    **dict.fromkeys("und der die des fur im bei mitarbeiter leiter leiterin".split(), "de"),
    **dict.fromkeys("et des du la le chez pour responsable charge adjoint".split(), "fr"),
    **dict.fromkeys("y del los las para jefe encargado".split(), "es"),
    **dict.fromkeys("e di della delle degli dei per presso addetto responsabile".split(), "it"),
}
_BIT_LANG = {bit: lang for lang, bit in LANG_BITS.items()}


@dataclass(frozen=True)
class RoleResult:
    """The classification of one title: labels of :mod:`tieguard.labels`, and why."""

    seniority: str = "unknown"
    function: str = "unknown"
    functions: tuple[str, ...] = ()
    buying_roles: dict[str, float] = field(default_factory=dict)
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


def detect_language(words: list[str], lexicon: Lexicon) -> str:
    """Most likely of en/nl/de/fr/es/it from hint words and lexicon vocabulary, else unknown."""
    scores: Counter[str] = Counter()
    for word in words:
        hint = _LANG_HINTS.get(word)
        if hint:
            scores[hint] += 2.0
        mask = lexicon.token_langs.get(word, 0)
        if mask:
            langs = [lang for bit, lang in _BIT_LANG.items() if mask & bit]
            for lang in langs:
                scores[lang] += 1.0 / len(langs)
    if not scores:
        return "unknown"
    return scores.most_common(1)[0][0]


class Classifier:
    """Lexicon, rules and buying table bundled, with a cache per normalised title."""

    def __init__(self, buying: BuyingTable | None = None, *, fuzzy: bool = True) -> None:
        self.lexicon = load_lexicon()
        self.buying = buying or load_buying_table()
        self.fuzzy = fuzzy
        self.stats: Counter[str] = Counter()
        self.classify_key = lru_cache(maxsize=500_000)(self._classify_key)

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
        words = [w for w in key.split() if w != "|"]
        if not words or not any(c.isalpha() for c in key):
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
            seniority=seniority, function=function, functions=tuple(functions),
            buying_roles=self.buying.roles(functions, seniority), confidence=round(confidence, 3),
            language=detect_language(words, self.lexicon), evidence=tuple(evidence), path=path,
        )

    def _fuzzy(self, key: str, evidence: list[str]) -> tuple[list[str], float, float]:
        """Vote of the nearest lexicon labels: (functions, confidence, top similarity)."""
        self.stats["fuzzy_queries"] += 1
        index, keys = self.lexicon.fuzzy_index()
        neighbours = index.query(stem(key), FUZZY_K)
        if not neighbours or neighbours[0][1] < FUZZY_MIN_SIMILARITY:
            return [], 0.0, 0.0
        votes: Counter[str] = Counter()
        for pos, sim in neighbours:
            entry_functions = self.lexicon.entries[keys[pos]].functions
            for rank, function in enumerate(entry_functions):
                votes[function] += sim**FUZZY_POWER * (1.0 if rank == 0 else 0.5)
        function, weight = votes.most_common(1)[0]
        share = weight / sum(votes.values())
        best = keys[neighbours[0][0]]
        evidence.append(f"fuzzy:{best!r} sim={neighbours[0][1]:.2f} vote={function}:{share:.2f}")
        return [function], min(0.75, neighbours[0][1] * share), neighbours[0][1]

    def classify_many(self, texts: Iterable[object]) -> list[RoleResult]:
        """Classify a sequence; each distinct normalised title is classified once."""
        by_key: dict[str, RoleResult] = {}
        results: list[RoleResult] = []
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                results.append(UNKNOWN)
                continue
            key = normalise(text)
            found = by_key.get(key)
            if found is None:
                found = by_key[key] = self.classify_key(key) if key else UNKNOWN
            results.append(found)
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

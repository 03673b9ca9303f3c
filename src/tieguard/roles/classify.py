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

import gc
import logging
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from .buying import BuyingTable, load_buying_table
from .evidence import CLASSES, Evidence, load_evidence
from .lexicon import LANG_BITS, Lexicon, load_lexicon, singular, stem
from .normalise import normalise
from .rules import NON_ROLE_WORDS, RuleHits, apply_rules
from .rules import words as _w

__all__ = ["detect_language", "FUZZY_MIN_SIMILARITY", "RoleResult", "Classifier", "classify", "classify_many"]

log = logging.getLogger(__name__)

_TEXT_CACHE_MAX = 1_000_000
FUZZY_MIN_SIMILARITY = 0.25
FUZZY_K = 20
FUZZY_POWER = 6
#: A neighbour this similar overrides the function rules (the title is an occupation label).
FUZZY_OVERRIDE = 0.5
#: weight of the word-evidence vote next to the neighbours' vote shares (which sum to 1),
#: scaled by (1 - similarity of the nearest label): near-duplicate labels are trusted
EVIDENCE_WEIGHT = 0.75
_BUSINESS = frozenset(
    _w("purchasing supply_chain finance engineering production quality it sales marketing hr legal admin")
)
_LETTER = re.compile("[a-z]")
#: Function words that narrow the language down (a word may belong to several languages).
_LANG_HINTS: dict[str, str] = {
    "of": "en", "and": "en", "the": "en", "for": "en", "to": "en", "at": "en", "with": "en",
    "van": "nl", "het": "nl", "voor": "nl", "bij": "nl", "medewerker": "nl", "medewerkster": "nl",
    "und": "de", "der": "de", "die": "de", "fur": "de", "im": "de", "bei": "de",
    "mitarbeiter": "de", "leiter": "de", "leiterin": "de", "des": "fr de",
    "et": "fr", "du": "fr", "le": "fr", "la": "fr es it", "chez": "fr", "pour": "fr",
    "responsable": "fr es", "charge": "fr", "adjoint": "fr",
    "y": "es", "del": "es it", "los": "es", "las": "es", "para": "es", "jefe": "es", "encargado": "es",
    "e": "it", "di": "it", "della": "it", "delle": "it", "degli": "it", "dei": "it", "per": "it",
    "presso": "it", "addetto": "it", "responsabile": "it",
}
_LANGS = tuple(LANG_BITS)
_ALL_LANGS = (1 << len(_LANGS)) - 1
_PREFERENCE = ("en", "de", "nl", "fr", "es", "it")
#: language mask → the language reported for it (ties broken by _PREFERENCE)
_MASK_LANG = [
    next((lang for lang in _PREFERENCE if mask & LANG_BITS[lang]), "unknown") for mask in range(_ALL_LANGS + 1)
]


def language_masks(lexicon: Lexicon) -> dict[str, int]:
    """Word → bit mask of the languages it occurs in (lexicon), hint words narrowed."""
    masks = dict(lexicon.token_langs)
    for word, langs in _LANG_HINTS.items():
        masks[word] = sum(LANG_BITS[lang] for lang in langs.split())
    return masks


def detect_language(words: list[str], masks: dict[str, int]) -> str:
    """Intersect the words' language masks (skipping words that would empty it)."""
    combined = _ALL_LANGS
    for word in words:
        mask = masks.get(word)
        if mask and combined & mask:
            combined &= mask
    return "unknown" if combined == _ALL_LANGS else _MASK_LANG[combined]


_TOP_LEVELS = frozenset(("c_level", "owner", "board"))


def _first(function: str, functions: list[str]) -> list[str]:
    """``function`` first, then the other functions in order."""
    if not functions:
        return [function]
    return [function, *[f for f in functions if f != function]]


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
    path: str = "none"  # exact | rules | evidence | fuzzy | none

    def as_dict(self) -> dict[str, Any]:
        return {
            "seniority": self.seniority, "function": self.function,
            "functions": list(self.functions), "buying_roles": dict(self.buying_roles),
            "confidence": self.confidence, "language": self.language,
            "evidence": list(self.evidence), "path": self.path,
        }


UNKNOWN = RoleResult()


class Classifier:
    """Lexicon, rules and buying table bundled, with a cache per normalised title."""

    def __init__(self, buying: BuyingTable | None = None, *, fuzzy: bool = True, evidence: bool = True) -> None:
        self.lexicon = load_lexicon()
        self.masks = language_masks(self.lexicon)
        self.buying = buying or load_buying_table()
        self.fuzzy = fuzzy
        self.evidence = evidence
        self._entries = self.lexicon.entries
        self._heads = self.lexicon.heads
        self._evidence: Evidence | None = None
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
        if not words:
            return UNKNOWN
        hits = apply_rules(words)
        # language: intersect the words' masks (inlined detect_language: this is the hot path)
        combined = _ALL_LANGS
        masks_get = self.masks.get
        for word in words:
            mask = masks_get(word)
            if mask and combined & mask:
                combined &= mask
        language = _MASK_LANG[combined] if combined != _ALL_LANGS else "unknown"
        seniority = hits.seniority
        evidence = hits.evidence
        if not hits.functions and seniority == "unknown":
            if _LETTER.search(key) is None:
                return UNKNOWN
            if NON_ROLE_WORDS.intersection(words):
                self.stats["unknown"] += 1
                return RoleResult(language=language, evidence=("rule:no-role",))
        functions, path, confidence = self._functions(key, words, language, hits, evidence)
        if seniority == "unknown" and functions:
            seniority = "individual"
        elif seniority == "director" and "directeur" in words and not hits.functions and not hits.unmatched:
            seniority, functions = "c_level", ["general_management"]
            evidence.append("rule:directeur-alone=general_management")
        if not functions:
            if seniority == "unknown":
                self.stats["unknown"] += 1
                return RoleResult(language=language, evidence=tuple(evidence))
            if seniority in _TOP_LEVELS:
                functions = ["general_management"]
        self.stats[path] += 1
        if functions:
            function = functions[0]
        else:
            function, confidence = "unknown", 0.4
        return RoleResult(
            seniority, function, tuple(functions), self.buying.roles(functions, seniority),
            confidence, language, tuple(evidence), path,
        )

    def _functions(
        self, key: str, words: list[str], language: str, hits: RuleHits, evidence: list[str]
    ) -> tuple[list[str], str, float]:
        """Functions (preferred first), path and confidence: exact label, head word, rules, fuzzy vote."""
        functions = hits.functions
        entries = self._entries
        entry = entries.get(key) if " | " not in key else (
            entries.get(key.replace(" | ", " ")) or entries.get(key.split(" | ")[0])
        )
        if entry is not None:
            first = entry.functions[0]
            if not (first == "other" and functions and _BUSINESS.intersection(functions)):
                evidence.insert(0, f"lexicon:isco {entry.isco}={first}")
                return _first(first, functions), "exact", 0.9
        if len(words) > 1:
            first = words[0]
            heads = self._heads
            head = heads.get((language, first)) or (
                heads.get((language, singular(first))) if first[-1] == "s" else None
            )
            if head is not None:
                evidence.insert(0, f"head:{first}={head}")
                return _first(head, functions), "rules", 0.75
        if not functions and hits.seniority in _TOP_LEVELS and not hits.unmatched:
            return ["general_management"], "rules", 0.8
        if self.fuzzy and (not functions or hits.seniority == "unknown"):
            fuzzy_functions, fuzzy_confidence, top = self._fuzzy(key.replace(" | ", " "), words, evidence)
            if fuzzy_functions and (not functions or top >= FUZZY_OVERRIDE):
                return _first(fuzzy_functions[0], functions), "fuzzy", round(fuzzy_confidence, 3)
        elif self.evidence and not functions and hits.seniority not in _TOP_LEVELS:
            # only the words no rule explained vote: level words (``gerente``, ``interim``)
            # carry the occupation bias of the lexicon, not the person's function
            function, probability = self._model().best(hits.unmatched)
            if function != "unknown":
                evidence.append(f"evidence:{function}={probability:.2f}")
                return [function], "evidence", round(min(0.7, 0.7 * probability), 3)
        return functions, ("rules" if functions else "none"), (0.8 if functions else 0.0)

    def _model(self) -> Evidence:
        if self._evidence is None:
            self._evidence = load_evidence()
        return self._evidence

    def _fuzzy(self, key: str, words: list[str], evidence: list[str]) -> tuple[list[str], float, float]:
        """Vote of the nearest lexicon labels plus the word evidence: (functions, confidence, top similarity)."""
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
        total = sum(votes.values())
        posterior = self._model().posterior(words) if self.evidence else None
        top = neighbours[0][1]
        if posterior is not None:
            # neighbour shares + the word-evidence posterior, trusted less the closer the nearest label
            weight = EVIDENCE_WEIGHT * (1.0 - min(top, 1.0))
            votes = {f: v / total for f, v in votes.items()}
            for function, p in zip(CLASSES, posterior.tolist(), strict=True):
                votes[function] = votes.get(function, 0.0) + weight * p
            total = 1.0 + weight
        function, weight = max(votes.items(), key=lambda kv: kv[1])
        share = weight / total
        best = keys[neighbours[0][0]]
        evidence.append(f"fuzzy:{best!r} sim={top:.2f} vote={function}:{share:.2f}")
        return [function], min(0.75, top * share), top

    def classify_many(self, texts: Iterable[object]) -> list[RoleResult]:
        """Classify a sequence; each distinct text is normalised once, each distinct key classified once."""
        by_text = self._by_text
        results: list[RoleResult] = []
        append = results.append
        # Classification creates no reference cycles; pausing the cyclic GC for the batch
        # saves it from re-scanning the growing caches (about 20% of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for text in texts:
                found = by_text.get(text) if isinstance(text, str) else UNKNOWN
                if found is None:
                    found = self.classify(text)
                    if len(by_text) < _TEXT_CACHE_MAX:
                        by_text[text] = found  # type: ignore[index]
                append(found)
        finally:
            if collecting:
                gc.enable()
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

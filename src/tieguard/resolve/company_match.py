"""How similar are two company names, and why (:func:`compare_companies`).

Rules, strongest first; the first that applies decides, and its name is the evidence:

* ``same name``: identical keys after normalisation, or identical once spaces go
  (``Face Book`` = ``Facebook``, ``Three M`` = ``3M``);
* ``acronym``: a one-word name equals an acronym of the other's core or of all its tokens
  (``IBM`` = ``International Business Machines``, ``KPN`` = ``Koninklijke PTT Nederland``);
* ``contained``: every core token of the shorter name is (fuzzily) in the longer one
  (``Philips`` in ``Koninklijke Philips Electronics``); the score grows with the share of
  the longer name's weight that is covered;
* ``token overlap``: cosine of the token sets, each token weighted (rare tokens count most,
  generic words at most 0.1), tokens matching fuzzily (one edit, or Jaro-Winkler >= 0.92
  for long tokens) so that one typo does not drop the name to zero;
* ``similar spelling``: Jaro-Winkler of the whole keys when >= 0.93 (x 0.9).

A location cut off one name (``, Amsterdam``) and a different one on the other lowers the
score by 10%: the same brand in another country is often another account.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .companies import GENERIC_TOKENS, LOCATION_TOKENS, NormalisedCompany, normalise_company
from .training import load_calibration

__all__ = [
    "CompanyComparison",
    "compare_companies",
    "compare_normalised",
    "company_similarity",
    "company_probability",
    "token_weights",
    "weight_of",
    "JW_THRESHOLD",
    "curve",
]

JW_THRESHOLD = 0.93
_LOW_WEIGHT = 0.1
_LOCATION_PENALTY = 0.9

def curve() -> tuple[float, float]:
    """Logistic curve similarity -> probability (slope, midpoint), fitted on the labelled
    real company pairs by benchmarks/resolve_calibrate.py (data/resolve/calibration.json)."""
    slope, midpoint = load_calibration()["company"]["curve"]
    return float(slope), float(midpoint)


@dataclass(frozen=True)
class CompanyComparison:
    similarity: float
    rule: str          # which rule decided (see the module docstring)
    location: str      # 'same', 'different' or '' (not on both names)


def token_weights(document_frequency: Mapping[str, int], documents: int) -> dict[str, float]:
    """Inverse-document-frequency weights in (0, 1]; generic words weigh at most 0.1."""
    top = math.log(1 + documents)
    weights: dict[str, float] = {}
    for token, df in document_frequency.items():
        weight = math.log(1 + documents / max(df, 1)) / top if top > 0 else 1.0
        if token in GENERIC_TOKENS or token in LOCATION_TOKENS:
            weight = min(weight, _LOW_WEIGHT)
        weights[token] = max(weight, 0.01)
    return weights


def weight_of(token: str, weights: Mapping[str, float] | None) -> float:
    if weights is not None and token in weights:
        return weights[token]
    if token in GENERIC_TOKENS or token in LOCATION_TOKENS:
        return _LOW_WEIGHT
    return 1.0


@lru_cache(maxsize=1 << 18)
def token_agreement(a: str, b: str) -> float:
    """1 for equal tokens, 0.9 for one edit or a close long token, else 0."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 5 or a.isdigit() or b.isdigit():
        return 0.0
    if DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1:
        return 0.9
    if min(len(a), len(b)) >= 7 and JaroWinkler.similarity(a, b) >= 0.92:
        return 0.85
    return 0.0


@lru_cache(maxsize=1 << 12)  # one comparison aligns the same token sets up to four times
def _best_pairs(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[tuple[str, str, float], ...]:
    """Greedy one-to-one fuzzy alignment of two token sets."""
    pairs = [(s, a, b) for a in set(left) for b in set(right) if (s := token_agreement(a, b)) > 0]
    if len(pairs) > 1:
        pairs.sort(key=lambda x: (-x[0], min(x[1], x[2]), max(x[1], x[2]), x[1]))
    used_l: set[str] = set()
    used_r: set[str] = set()
    out = []
    for score, a, b in pairs:
        if a not in used_l and b not in used_r:
            used_l.add(a)
            used_r.add(b)
            out.append((a, b, score))
    return tuple(out)


def _overlap(a: tuple[str, ...], b: tuple[str, ...], weights: Mapping[str, float] | None) -> float:
    """Soft cosine of the two weighted token sets."""
    if not a or not b:
        return 0.0
    shared = sum(weight_of(x, weights) * weight_of(y, weights) * s for x, y, s in _best_pairs(a, b))
    norm_a = math.sqrt(sum(weight_of(t, weights) ** 2 for t in set(a)))
    norm_b = math.sqrt(sum(weight_of(t, weights) ** 2 for t in set(b)))
    return min(1.0, shared / (norm_a * norm_b))


def _contained(a: tuple[str, ...], b: tuple[str, ...], weights: Mapping[str, float] | None) -> float:
    """0.85-0.95 when every token of the shorter core is in the longer one, else 0."""
    if len(set(a)) == len(set(b)):
        return max(_contained_in(a, b, weights), _contained_in(b, a, weights))
    return _contained_in(*((a, b) if len(set(a)) < len(set(b)) else (b, a)), weights)


def _contained_any(a: NormalisedCompany, b: NormalisedCompany,
                   weights: Mapping[str, float] | None) -> float:
    """Containment of the cores, or of the cores with glued words split."""
    core = _contained(a.core, b.core, weights)
    parts_a, parts_b = a.parts or a.core, b.parts or b.core
    if parts_a == a.core and parts_b == b.core:
        return core
    return max(core, _contained(parts_a, parts_b, weights))


def _contained_in(
    short: tuple[str, ...], long_: tuple[str, ...], weights: Mapping[str, float] | None
) -> float:
    short = tuple(t for t in short if len(t) > 1) or short
    pairs = _best_pairs(short, long_)
    if len(pairs) < len(set(short)) or all(t in GENERIC_TOKENS for t in short):
        return 0.0
    if max(len(t) for t in short) < 3:
        return 0.0
    covered = sum(weight_of(y, weights) for _, y, _s in pairs)
    total = sum(weight_of(t, weights) for t in set(long_))
    quality = min(s for _, _, s in pairs)
    return round((0.85 + 0.1 * covered / total) * quality, 6) if total else 0.0


def _acronym(a: NormalisedCompany, b: NormalisedCompany) -> bool:
    def one(x: NormalisedCompany) -> str:
        word = "".join(x.core) if len(x.core) == 1 else ""
        return word if 2 <= len(word) <= 6 else ""

    return bool((one(a) and one(a) in b.acronyms) or (one(b) and one(b) in a.acronyms))


def _location(a: NormalisedCompany, b: NormalisedCompany) -> str:
    if not a.location or not b.location:
        return ""
    return "same" if a.location == b.location else "different"


def compare_companies(
    name1: str | None, name2: str | None, weights: Mapping[str, float] | None = None
) -> CompanyComparison:
    """Similarity in [0, 1] of two company names and the rule that decided it."""
    return compare_normalised(normalise_company(name1), normalise_company(name2), weights)


def compare_normalised(
    a: NormalisedCompany, b: NormalisedCompany, weights: Mapping[str, float] | None = None
) -> CompanyComparison:
    """:func:`compare_companies` on names already normalised (the stage scores keys)."""
    if not a.key or not b.key:
        return CompanyComparison(0.0, "missing", "")
    location = _location(a, b)
    factor = _LOCATION_PENALTY if location == "different" else 1.0
    if a.key == b.key or a.key.replace(" ", "") == b.key.replace(" ", ""):
        return CompanyComparison(round(factor, 6), "same name", location)
    if _acronym(a, b):
        return CompanyComparison(round(0.9 * factor, 6), "acronym", location)
    scores = {
        "contained": _contained_any(a, b, weights),
        "token overlap": _overlap(a.core, b.core, weights),
    }
    string = JaroWinkler.similarity(a.key, b.key)
    scores["similar spelling"] = 0.9 * string if string >= JW_THRESHOLD else 0.0
    rule, best = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
    if best <= 0:
        return CompanyComparison(0.0, "nothing shared", location)
    return CompanyComparison(round(best * factor, 6), rule, location)


def company_similarity(
    name1: str | None, name2: str | None, weights: Mapping[str, float] | None = None
) -> float:
    """Similarity of two company names in [0, 1] (1: same core after normalisation)."""
    return compare_companies(name1, name2, weights).similarity


def company_probability(similarity: float) -> float:
    """Match probability of two company names from their similarity (the curve ``CURVE``).

    Identical cores give 0.99; the curve is fitted on labelled pairs that our generator
    did not make (see docs/resolve.md, Calibration).
    """
    if similarity <= 0:
        return 0.0
    if similarity >= 1:
        return 0.99
    slope, midpoint = curve()
    return round(1 / (1 + math.exp(-slope * (similarity - midpoint))), 4)

"""Company-name normalisation and similarity.

* Legal forms in many languages and scripts are removed with the maintained list of
  OpenSanctions' ``rigour`` package (``BV``, ``B.V.``, ``Aktiengesellschaft``,
  ``Società per Azioni``, ``ООО``); ``cleanco`` alone misses several of these.
* Branch and country suffixes (``Nederland``, ``Deutschland``, ``Benelux``, ``(UK)``)
  and generic words (``Holding``, ``Group``, ``International``) stay in the token list
  but weigh little; rare tokens carry the match.
* Acronyms: ``ASML`` agrees with ``Advanced Semiconductor Materials Lithography``.
* Everything is transliterated to ASCII with :mod:`unidecode`.

:func:`company_similarity` scores two names in [0, 1] from token weights; the
stage passes weights learned from token frequencies in the warehouse (inverse
document frequency), the ``score-pairs`` command uses the built-in generic list.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler
from rigour.names.org_types import remove_org_types
from unidecode import unidecode

from .persons import fold_name

__all__ = [
    "NormalisedCompany",
    "normalise_company",
    "company_key",
    "company_similarity",
    "GENERIC_TOKENS",
    "LOCATION_TOKENS",
    "token_weights",
]

GENERIC_TOKENS = frozenset(
    ["holding", "holdings", "group", "groep", "gruppe", "groupe", "gruppo", "grupo", "international", "internationaal", "global", "worldwide", "the", "and", "und", "en", "et", "y", "e", "of", "de", "der", "die", "het", "la", "le", "il", "el", "company", "co", "corporation", "corp", "incorporated", "inc", "companies", "industries", "industrie", "industries", "solutions", "services", "service", "diensten", "dienstleistungen", "systems", "systeme", "technologies", "technology", "tech", "technik", "technologie", "enterprises", "enterprise", "partners", "management", "consulting", "trading", "handel", "manufacturing", "products", "produkte"]
)
LOCATION_TOKENS = frozenset(
    ["nederland", "netherlands", "holland", "deutschland", "germany", "benelux", "belgium", "belgie", "belgique", "france", "italia", "italy", "espana", "spain", "iberia", "europe", "european", "europa", "emea", "uk", "gb", "usa", "us", "america", "americas", "austria", "osterreich", "schweiz", "suisse", "switzerland", "nordic", "scandinavia", "polska", "poland", "asia", "pacific", "apac", "china", "japan", "india", "international", "intl", "branch", "office", "niederlassung", "filiale", "vestiging", "succursale", "sucursal", "division"]
)
#: Legal forms rigour's list misses (checked with rigour 1.x); removed when trailing.
EXTRA_LEGAL_FORMS = frozenset(
    ["sl", "slu", "sll", "slne", "ltda", "limitada", "sociedad", "cia", "as", "aps", "ab", "asa", "ky", "kft", "zrt", "sro", "doo", "sp", "zoo", "spzoo", "sc", "scs", "cvba", "bvba", "vzw", "ev"]
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SLASH_FORM = re.compile(r"\b(\w)/(\w)\b")
_DOTTED_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")
_LOW_WEIGHT = 0.1
JW_THRESHOLD = 0.93


@dataclass(frozen=True)
class NormalisedCompany:
    """A company name ready for comparison."""

    tokens: tuple[str, ...]     # all tokens after legal-form removal
    core: tuple[str, ...]       # tokens without generic and location words
    key: str                    # core joined with spaces ('' when nothing is left)
    acronym: str                # initials of the core tokens (len >= 2), else ''


def _ascii(text: str) -> str:
    if not text.isascii():
        text = unidecode(unicodedata.normalize("NFKC", text)).lower()
    text = text.replace("&", " and ").replace("+", " and ")
    if "." in text:
        text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    if "/" in text:
        text = _SLASH_FORM.sub(r"\1\2", text)
    return text


def _fold(token: str) -> str:
    return fold_name(token) if ("e" in token or "ss" in token) else token


@lru_cache(maxsize=200_000)
def normalise_company(name: str | None) -> NormalisedCompany:
    """Normalise one company name (legal forms out, ASCII, tokens)."""
    if not name or not name.strip():
        return NormalisedCompany((), (), "", "")
    lowered = name.lower() if name.isascii() else unicodedata.normalize("NFKC", name).lower()
    stripped = remove_org_types(lowered, replacement=" ")
    tokens = tuple(_fold(t) for t in _NON_ALNUM.split(_ascii(stripped)) if t)
    if not tokens:  # the name was only a legal form, e.g. "GmbH"
        tokens = tuple(_fold(t) for t in _NON_ALNUM.split(_ascii(lowered)) if t)
    while len(tokens) > 1 and tokens[-1] in EXTRA_LEGAL_FORMS:
        tokens = tokens[:-1]
    core = tuple(t for t in tokens if t not in GENERIC_TOKENS and t not in LOCATION_TOKENS)
    if not core:
        core = tuple(t for t in tokens if t not in LOCATION_TOKENS) or tokens
    acronym = "".join(t[0] for t in core) if len(core) >= 2 else ""
    return NormalisedCompany(tokens, core, " ".join(core), acronym)


def company_key(name: str | None) -> str:
    """The comparison key: core tokens joined by spaces ('' if nothing is left)."""
    return normalise_company(name).key


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


def _weight(token: str, weights: Mapping[str, float] | None) -> float:
    if weights is not None and token in weights:
        return weights[token]
    if token in GENERIC_TOKENS or token in LOCATION_TOKENS:
        return _LOW_WEIGHT
    return 1.0


def _weighted_overlap(
    left: tuple[str, ...], right: tuple[str, ...], weights: Mapping[str, float] | None
) -> float:
    """Cosine of the two token sets, each token weighted (rare tokens count most)."""
    lset, rset = set(left), set(right)
    if not lset or not rset:
        return 0.0
    shared = sum(_weight(t, weights) ** 2 for t in lset & rset)
    norm_l = math.sqrt(sum(_weight(t, weights) ** 2 for t in lset))
    norm_r = math.sqrt(sum(_weight(t, weights) ** 2 for t in rset))
    return min(1.0, shared / (norm_l * norm_r))


def _acronym_match(a: NormalisedCompany, b: NormalisedCompany) -> bool:
    a_one = "".join(a.core) if len(a.core) == 1 else ""
    b_one = "".join(b.core) if len(b.core) == 1 else ""
    return bool(
        (a_one and b.acronym and a_one == b.acronym)
        or (b_one and a.acronym and b_one == a.acronym)
    )


def company_similarity(
    name1: str | None, name2: str | None, weights: Mapping[str, float] | None = None
) -> float:
    """Similarity of two company names in [0, 1] (1: same core after normalisation)."""
    a, b = normalise_company(name1), normalise_company(name2)
    if not a.key or not b.key:
        return 0.0
    if a.key == b.key or a.key.replace(" ", "") == b.key.replace(" ", ""):
        return 1.0
    if _acronym_match(a, b):
        return 0.9
    overlap = _weighted_overlap(a.core, b.core, weights)
    string = JaroWinkler.similarity(a.key, b.key)
    return round(max(overlap, 0.9 * string if string >= JW_THRESHOLD else 0.0), 6)

"""Company-name normalisation.

What a name goes through, in order (:func:`normalise_company`):

1. Glued legal forms are split off (``SiemensAG`` -> ``Siemens AG``, from the case change).
2. A trailing location, ``", Amsterdam"``, ``"(France)"``, ``" - Deutschland"`` or a trailing
   country word, is cut off into :attr:`NormalisedCompany.location`: a separate, weak
   signal rather than part of the name.
3. Dotted and spaced initials are joined (``B. V.``, ``B.V``, ``S. A.``, ``Ges.m.b.H.``),
   then legal forms are removed with the maintained multilingual list of OpenSanctions'
   ``rigour`` (``GmbH & Co. KG``, ``Aktiengesellschaft``, ``ООО``), plus a few it misses;
   a run of short tokens at the end that together spell a legal form (``s a r l``) goes too.
4. ASCII transliteration (:mod:`unidecode`), the German fold (``Müller`` = ``Mueller``),
   number words become digits (``Three`` -> ``3``, in six languages).
5. Generic words (``Holding``, ``Group``, ``Solutions``) leave the comparison key but stay
   in :attr:`tokens`; acronyms are built from the core tokens and from all tokens.

The comparison of two normalised names lives in :mod:`.company_match`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names.org_types import remove_org_types
from unidecode import unidecode

from .persons import fold_name

__all__ = [
    "NormalisedCompany",
    "normalise_company",
    "company_key",
    "GENERIC_TOKENS",
    "LOCATION_TOKENS",
    "NUMBER_WORDS",
]

GENERIC_TOKENS = frozenset(
    ["holding", "holdings", "group", "groep", "gruppe", "groupe", "gruppo", "grupo", "international", "internationaal", "global", "worldwide", "the", "and", "und", "en", "et", "y", "e", "of", "de", "der", "die", "het", "la", "le", "il", "el", "company", "co", "corporation", "corp", "incorporated", "inc", "companies", "industries", "industrie", "solutions", "services", "service", "diensten", "dienstleistungen", "systems", "systeme", "technologies", "technology", "tech", "technik", "technologie", "enterprises", "enterprise", "partners", "management", "consulting", "trading", "handel", "manufacturing", "products", "produkte", "royal", "koninklijke", "koninklijk"]
)
LOCATION_TOKENS = frozenset(
    ["nederland", "netherlands", "holland", "deutschland", "germany", "benelux", "belgium", "belgie", "belgique", "france", "italia", "italy", "espana", "spain", "iberia", "europe", "european", "europa", "emea", "uk", "gb", "usa", "us", "america", "americas", "austria", "osterreich", "schweiz", "suisse", "switzerland", "nordic", "scandinavia", "polska", "poland", "asia", "pacific", "apac", "china", "japan", "india", "international", "intl", "branch", "office", "niederlassung", "filiale", "vestiging", "succursale", "sucursal", "division"]
)
#: Legal forms rigour's list misses (checked with rigour 2.6); removed when trailing.
EXTRA_LEGAL_FORMS = frozenset(
    ["sl", "slu", "sll", "slne", "ltda", "limitada", "sociedad", "cia", "as", "aps", "ab", "asa", "ky", "kft", "zrt", "sro", "doo", "sp", "zoo", "spzoo", "sc", "scs", "cvba", "bvba", "vzw", "ev", "publ", "pty", "pte", "kk", "scrl", "sal", "gmbhcokg", "cokg", "kgaa", "ohg", "mbh", "bhd", "sdn", "tbk", "pt", "llp", "lp"]
)
#: Number words of the six languages (articles such as 'een', 'un', 'ein' left out).
NUMBER_WORDS = {
    **dict.fromkeys(["one"], "1"), **dict.fromkeys(["two", "twee", "zwei", "deux", "dos", "due"], "2"),
    **dict.fromkeys(["three", "drie", "drei", "trois", "tres", "tre"], "3"),
    **dict.fromkeys(["four", "vier", "quatre", "cuatro", "quattro"], "4"),
    **dict.fromkeys(["five", "vijf", "funf", "cinq", "cinco", "cinque"], "5"),
    **dict.fromkeys(["six", "zes", "sechs", "seis", "sei"], "6"),
    **dict.fromkeys(["seven", "zeven", "sieben", "sept", "siete", "sette"], "7"),
    **dict.fromkeys(["eight", "acht", "huit", "ocho", "otto"], "8"),
    **dict.fromkeys(["nine", "negen", "neun", "neuf", "nueve", "nove"], "9"),
    **dict.fromkeys(["ten", "tien", "zehn", "dix", "diez", "dieci"], "10"),
    **dict.fromkeys(["twelve", "twaalf", "zwolf", "douze", "doce", "dodici"], "12"),
    **dict.fromkeys(["hundred", "honderd", "hundert", "cent", "cien", "cento"], "100"),
}
#: Legal forms that real names glue to the brand ('SiemensAG', 'AcmeGmbH'): found by case.
_GLUED = re.compile(
    r"(?<=[a-z0-9])(AG|GmbH|BV|NV|SA|SpA|SRL|Srl|SARL|SAS|Ltd|LTD|Inc|INC|LLC|PLC|Plc|KG|SE|Oy|AB|ApS)\b"
)
_TRAILING_PAREN = re.compile(r"^(.*\S)\s*[\(\[]([^()\[\]]{2,40})[\)\]]\s*$")
_TRAILING_SEP = re.compile(r"^(.*\S)\s*(?:,|\s[-–—|/]\s)\s*([^,]{2,40})$")
_SPACED_INITIALS = re.compile(r"(?<![a-z0-9])(?:[a-z]\s?\.\s?){1,}[a-z](?:\s?\.)?(?![a-z0-9])")
_DOTTED_WORD = re.compile(r"(?<![a-z0-9])[a-z]{1,3}(?:\.[a-z]{1,3})+\.?(?![a-z0-9])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_SLASH_FORM = re.compile(r"\b(\w)/(\w)\b")


@dataclass(frozen=True)
class NormalisedCompany:
    """A company name ready for comparison."""

    tokens: tuple[str, ...]     # all tokens after legal-form and location removal
    core: tuple[str, ...]       # tokens without generic and location words
    key: str                    # core joined with spaces ('' when nothing is left)
    acronym: str                # initials of the core tokens (len >= 2), else ''
    location: str = ""          # a trailing location cut off the name ('amsterdam')
    acronyms: tuple[str, ...] = ()  # every acronym the name may go by (core, all tokens)
    parts: tuple[str, ...] = ()     # core with glued words split ('totalenergies' -> total, energies)


def _ascii_lower(text: str) -> str:
    if not text.isascii():
        text = unidecode(unicodedata.normalize("NFKC", text))
    return text.lower()


def _legal(joined: str) -> bool:
    return bool(joined) and (
        joined in EXTRA_LEGAL_FORMS or not remove_org_types(joined, replacement="").strip()
    )


def _initials(match: re.Match[str]) -> str:
    """Join spaced initials, keeping leading letters apart when only the tail is a legal
    form ('& c. s.p.a.' -> 'c spa'); initials that spell no form just lose their dots."""
    letters = re.sub(r"[\s.]", "", match.group(0))
    for start in range(len(letters) - 1):
        if _legal(letters[start:]):
            return " ".join([*letters[:start], letters[start:]]) + " "
    return letters + " "


def _join_initials(text: str) -> str:
    """'b. v.', 'b.v', 's.a.', 'ges.m.b.h.' -> 'bv', 'sa', 'gesmbh'."""
    if "." not in text:
        return text
    text = _SPACED_INITIALS.sub(_initials, text)
    return _DOTTED_WORD.sub(lambda m: m.group(0).replace(".", "") + " ", text)


def _is_legal_form(text: str) -> bool:
    return _legal(_NON_ALNUM.sub("", _join_initials(_ascii_lower(text))))


def _is_location(text: str) -> bool:
    """A trailing part that reads as a place: letters only, at most three words, and
    not a legal form, a generic word or an '& Partner' style continuation."""
    words = _NON_ALNUM.split(_ascii_lower(text).strip())
    words = [w for w in words if w]
    if not words or len(words) > 3 or any(w.isdigit() for w in words):
        return False
    if _is_legal_form(text) or {"and", "en", "und", "et", "y", "e"} & set(words):
        return False
    return not all(w in GENERIC_TOKENS for w in words)


def _split_location(name: str) -> tuple[str, str]:
    """(name without a trailing location, the location in lowercase ASCII)."""
    for pattern in (_TRAILING_PAREN, _TRAILING_SEP):
        match = pattern.match(name)
        if match and _is_location(match.group(2)):
            head = match.group(1).rstrip(" ,-")
            if _NON_ALNUM.sub("", _ascii_lower(remove_org_types(head.lower(), replacement=" "))):
                return head, " ".join(_NON_ALNUM.split(_ascii_lower(match.group(2)))).strip()
    return name, ""


def _fold(token: str) -> str:
    return fold_name(token) if ("e" in token or "ss" in token) else token


def _tokens(text: str) -> list[str]:
    text = _ascii_lower(text).replace("&", " and ").replace("+", " and ")
    if "/" in text:
        text = _SLASH_FORM.sub(r"\1\2", text)
    return [
        t if t in GENERIC_TOKENS or t in LOCATION_TOKENS else NUMBER_WORDS.get(t, _fold(t))
        for t in _NON_ALNUM.split(text) if t
    ]


def _strip_trailing_forms(tokens: list[str]) -> list[str]:
    """Drop trailing legal forms: single tokens ('sl', 'publ') or runs of short tokens
    that together spell one ('s', 'a', 'r', 'l' -> 'sarl')."""
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in (4, 3, 2, 1):
            tail = tokens[-size:]
            if size >= len(tokens) or (size > 1 and any(len(t) > 3 for t in tail)):
                continue
            if _is_legal_form("".join(tail)):
                tokens, changed = tokens[:-size], True
                break
    return tokens


def _acronyms(tokens: tuple[str, ...], core: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    head = list(tokens)
    while len(head) > 2 and head[-1] in GENERIC_TOKENS:  # 'International Business Machines Corp'
        head.pop()
    stop = {"and", "of", "the", "und", "en", "et", "de"}
    for words in (core, tokens, tuple(head), tuple(t for t in head if t not in stop)):
        if len(words) >= 2 and all(w[0].isalpha() for w in words):
            out.append("".join(w[0] for w in words))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def normalise_company(name: str | None) -> NormalisedCompany:
    """Normalise one company name (see the module docstring)."""
    if not name or not name.strip():
        return NormalisedCompany((), (), "", "")
    text = unicodedata.normalize("NFKC", name).strip()
    text = _GLUED.sub(r" \1", text)
    text, location = _split_location(text)
    lowered = _join_initials(text.lower())
    stripped = remove_org_types(lowered, replacement=" ")
    tokens = _strip_trailing_forms(_tokens(stripped))
    if not tokens:  # the name was only a legal form, e.g. "GmbH"
        tokens = _tokens(lowered)
    while len(tokens) > 1 and tokens[-1] in LOCATION_TOKENS and not location:
        location = tokens.pop()
    core = tuple(t for t in tokens if t not in GENERIC_TOKENS and t not in LOCATION_TOKENS)
    if not core:
        core = tuple(t for t in tokens if t not in LOCATION_TOKENS) or tuple(tokens)
    all_tokens = tuple(tokens)
    acronym = "".join(t[0] for t in core) if len(core) >= 2 else ""
    with_place = all_tokens + ((location,) if location and " " not in location else ())
    acronyms = _acronyms(with_place, core)
    parts = core
    if _CAMEL.search(text):
        split = normalise_company(_CAMEL.sub(" ", text))
        parts = split.core
        acronyms = tuple(dict.fromkeys(acronyms + split.acronyms))
    return NormalisedCompany(
        all_tokens, core, " ".join(core), acronym, location, acronyms, parts
    )


def company_key(name: str | None) -> str:
    """The comparison key: core tokens joined by spaces ('' if nothing is left)."""
    return normalise_company(name).key

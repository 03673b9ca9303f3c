"""Person-name normalisation for record linkage.

What a name goes through, in order:

1. Unicode NFKC (math-bold and full-width letters become plain letters), emoji,
   symbols and pronoun tags such as ``(she/her)`` are dropped.
2. Academic and courtesy titles (``Prof. dr. ir.``, ``Dipl.-Ing.``, ``MBA``) are removed.
3. Transliteration to ASCII with :mod:`unidecode`, then the German convention is
   folded: ``ü`` becomes ``u`` through unidecode and ``ue`` is folded to ``u`` too, so
   ``Müller``, ``Muller`` and ``Mueller`` share one key.
4. Particles (``van der``, ``de``, ``von``, ``di``, ``dos``) are kept in the display
   form but dropped from the comparison key, so ``van der Berg`` and ``Berg`` agree.
5. First names map to nickname canonicals from the shipped multilingual table
   ``data/resolve/nicknames.csv`` (``Sjaak`` and ``Jacques`` to ``jacobus``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from unidecode import unidecode

__all__ = [
    "NormalisedName",
    "clean_name_text",
    "fold_name",
    "normalise_person",
    "nickname_canonicals",
    "first_name_key",
    "load_nicknames",
]

PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "le", "la", "ten", "ter", "te", "zu", "zum", "zur", "vom", "'t", "t", "op", "in", "het", "y", "d'", "l'", "bin", "al", "el", "mac"]
)
TITLES = frozenset(
    ["prof", "professor", "dr", "drs", "dr.", "ir", "ing", "ingeniero", "ir.", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lady", "lord", "herr", "frau", "dipl", "diplom", "dipling", "mag", "magister", "lic", "ba", "bsc", "ma", "msc", "mba", "phd", "dphil", "md", "llm", "llb", "cfa", "cpa", "pmp", "mphil", "ds", "dott", "dottssa", "dottoressa", "avv", "arch", "geom", "rag", "sig", "sra", "sr", "srta", "mme", "mlle", "jr", "jr.", "sr.", "ii", "iii", "iv", "ing.", "bc", "bba", "emba", "eur", "cisa", "cissp", "acca", "fca", "aca"]
)
_PRONOUNS = re.compile(
    r"\(?\b(?:she|he|they|ze|xe|sie|er|hij|zij|elle|il)\s*/\s*\w+(?:\s*/\s*\w+)?\b\)?",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"[\(\[\{].*?[\)\]\}]")
_NON_LETTER = re.compile(r"[^a-z' \-]+")
_SPACES = re.compile(r"\s+")
_GERMAN_FOLD = (("ae", "a"), ("oe", "o"), ("ue", "u"), ("ss", "s"))


@dataclass(frozen=True)
class NormalisedName:
    """A person name ready for comparison; empty strings mean 'nothing usable'."""

    first: str          # ascii, lowercase, titles removed, first given name only
    last: str           # ascii, lowercase, with particles (display/comparison)
    last_key: str       # particles removed, German-folded, no spaces
    first_key: str      # German-folded first name
    first_canon: str    # nickname root used for blocking
    full: str           # "first last" for whole-name comparisons


def clean_name_text(text: str | None) -> str:
    """NFKC, drop emoji/symbols/pronoun tags/bracketed notes; keep letters and spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _PRONOUNS.sub(" ", text)
    text = _BRACKETS.sub(" ", text)
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LM" or ch in " -'.":
            kept.append(ch)
        elif cat[0] in "ZP" or ch in ",;/|":
            kept.append(" ")
    return _SPACES.sub(" ", "".join(kept)).strip()


def _ascii_tokens(text: str) -> list[str]:
    ascii_text = unidecode(text).lower().replace(".", " ").replace("-", " ")
    ascii_text = _NON_LETTER.sub(" ", ascii_text)
    return [t.strip("'") for t in ascii_text.split() if t.strip("'")]


def fold_name(token: str) -> str:
    """German fold, so that ``mueller`` and ``muller`` (from ``müller``) agree."""
    token = token.replace("'", "")
    for src, dst in _GERMAN_FOLD:
        token = token.replace(src, dst)
    return token


def _strip_titles(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in TITLES]
    return kept or tokens[-1:]


def _split_particles(first: list[str], last: list[str]) -> tuple[list[str], list[str]]:
    """Move trailing particles of the first name ('Jan van der') to the last name."""
    while len(first) > 1 and first[-1] in PARTICLES:
        last = [first.pop()] + last
    return first, last


def normalise_person(first_name: str | None, last_name: str | None) -> NormalisedName:
    """Normalise one person's first and last name (see module docstring)."""
    first_tokens = _strip_titles(_ascii_tokens(clean_name_text(first_name)))
    last_tokens = _strip_titles(_ascii_tokens(clean_name_text(last_name)))
    if not last_tokens and len(first_tokens) > 1:  # whole name in the first-name field
        first_tokens, last_tokens = first_tokens[:1], first_tokens[1:]
    first_tokens, last_tokens = _split_particles(first_tokens, last_tokens)
    first = first_tokens[0] if first_tokens else ""
    core = [t for t in last_tokens if t not in PARTICLES] or last_tokens
    last = " ".join(last_tokens)
    last_key = fold_name("".join(core))
    first_key = fold_name(first)
    return NormalisedName(
        first=first,
        last=last,
        last_key=last_key,
        first_key=first_key,
        first_canon=first_name_key(first),
        full=f"{first} {last}".strip(),
    )


@cache
def load_nicknames() -> dict[str, frozenset[str]]:
    """Variant -> its direct canonical names, from the shipped table."""
    parents: dict[str, set[str]] = defaultdict(set)
    path = resources.files("tieguard").joinpath("data/resolve/nicknames.csv")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            variant = unidecode(row["variant"]).lower().strip()
            canonical = unidecode(row["canonical"]).lower().strip()
            if variant and canonical and variant != canonical:
                parents[variant].add(canonical)
    return {k: frozenset(v) for k, v in parents.items()}


@cache
def nickname_canonicals(first: str) -> frozenset[str]:
    """The name itself plus every canonical reachable upwards (Jan -> johannes)."""
    parents = load_nicknames()
    seen = {first}
    todo = [first]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


@cache
def first_name_key(first: str) -> str:
    """One blocking key per first name: the alphabetically first nickname root."""
    if not first:
        return ""
    parents = load_nicknames()
    names = nickname_canonicals(first)
    roots = sorted(n for n in names if n not in parents) or sorted(names)
    return fold_name(roots[0])

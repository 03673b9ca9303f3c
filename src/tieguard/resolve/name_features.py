"""Person names as token sets: the per-field features the person model compares.

A first-name field gives its first given name (``first_key``), that name's nickname
roots (``first_canons``) and *all* its given names (``given_tokens``: middle names,
``Anna Maria``, patronymics such as ``Petrovich``). A last-name field gives its key without
particles (``last_key``: ``van der Berg`` -> ``berg``), its parts (``last_tokens``:
double surnames ``García López``, ``Schmidt-Weber``) and the whole surname glued with its
particles (``last_joined``: ``vanderberg``, so ``Vanderberg`` agrees). The engine joins the
two into ``name_tokens`` (every word of the name), which catches reversed order
(``Smith John``) and one name's words all inside the other's.

Non-Latin scripts are transliterated (``Иванов`` -> ``ivanov``, ``王伟`` -> ``wang wei``)
and German umlauts folded (``Müller`` = ``Mueller`` = ``Muller``) before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .persons import (
    PARTICLES,
    TITLES,
    _ascii_tokens,
    clean_name_text,
    first_name_key,
    fold_name,
    nickname_canonicals,
)

__all__ = ["FirstField", "LastField", "first_field", "last_field", "split_full_name"]


@dataclass(frozen=True)
class FirstField:
    first_key: str = ""
    first_canon: str = ""
    first_canons: tuple[str, ...] = ()
    given_tokens: tuple[str, ...] = ()
    rest_key: str = ""                 # surname typed into the first-name field
    rest_tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class LastField:
    last_key: str = ""
    last_tokens: tuple[str, ...] = ()
    last_joined: str = ""


def _words(text: str | None) -> list[str]:
    return [t for t in _ascii_tokens(clean_name_text(text)) if t not in TITLES]


@lru_cache(maxsize=500_000)
def first_field(text: str | None) -> FirstField:
    """Features of a first-name field (a whole name typed there keeps its rest)."""
    tokens = _words(text)
    while len(tokens) > 1 and tokens[-1] in PARTICLES:  # 'Jan van der' -> particles go
        tokens.pop()
    if not tokens:
        return FirstField()
    first = tokens[0]
    given = tuple(dict.fromkeys(fold_name(t) for t in tokens if t not in PARTICLES))
    rest = [fold_name(t) for t in tokens[1:] if t not in PARTICLES]
    canons = tuple(sorted(fold_name(n) for n in nickname_canonicals(first)))
    return FirstField(fold_name(first), first_name_key(first), canons, given, "".join(rest),
                      tuple(rest))


@lru_cache(maxsize=500_000)
def last_field(text: str | None) -> LastField:
    """Features of a last-name field."""
    tokens = _words(text)
    if not tokens:
        return LastField()
    core = [fold_name(t) for t in tokens if t not in PARTICLES] or [fold_name(t) for t in tokens]
    return LastField("".join(core), tuple(core), fold_name("".join(tokens)))


def split_full_name(name: str | None) -> tuple[str, str]:
    """A one-field name as (first-name field, last-name field): first word, then the rest.

    ``score-pairs`` reads whole names; order is not trusted (the model has levels for
    reversed names), only the split."""
    words = clean_name_text(name).split()
    while len(words) > 1 and all(t in TITLES for t in _ascii_tokens(words[0])):
        words = words[1:]
    if len(words) <= 1:
        return (words[0] if words else ""), ""
    return words[0], " ".join(words[1:])

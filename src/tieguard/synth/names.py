"""Name pools per country, built once with Faker, then sampled with numpy.

Names are stored as one global array per part (first, last) with a slice per
country and gender; people hold indices into these arrays, so millions of
people cost a few int32 columns, and strings are materialised only when files
are written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faker import Faker
from unidecode import unidecode

from .countries import COUNTRIES

POOL_SIZE = 260  # Faker draws per country and part; duplicates removed

#: Formal first name -> nicknames people use on their profile (hard mode).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Johannes": ("Hans", "Jo"), "Willem": ("Wim",), "Pieter": ("Piet",), "Giuseppe": ("Beppe", "Pino"),
    "Francisco": ("Paco", "Curro"), "Wilhelmus": ("Wim",), "Hendrik": ("Henk",), "Jacobus": ("Koos", "Jaap"),
    "Cornelis": ("Kees",), "Gerardus": ("Gerard", "Gert"), "Robert": ("Bob", "Rob"), "William": ("Bill", "Will"),
    "Richard": ("Rick", "Dick"), "Michael": ("Mike",), "Elizabeth": ("Liz", "Beth"), "Katherine": ("Kate",),
    "Margaret": ("Maggie",), "Christopher": ("Chris",), "Alexander": ("Alex",), "Thomas": ("Tom",),
    "Wolfgang": ("Wolf",), "Friedrich": ("Fritz",), "Joseph": ("Joe", "Sepp"), "Josef": ("Sepp",),
    "Antonio": ("Toni",), "José": ("Pepe",), "Francesco": ("Franco", "Cesco"), "Salvatore": ("Totò",),
    "Jean-Baptiste": ("JB",), "Nicolas": ("Nico",), "Stefan": ("Steff",), "Matthias": ("Matze",),
    "Christian": ("Chris",), "Daniel": ("Dan",), "Anthony": ("Tony",), "James": ("Jim", "Jamie"),
    "Maximilian": ("Max",), "Benjamin": ("Ben",), "Andreas": ("Andi",), "Susanne": ("Susi",),
    "Gabriele": ("Gabi",), "Jennifer": ("Jen",), "Jessica": ("Jess",), "Rebecca": ("Becky",),
    "Johanna": ("Hanna",), "Catharina": ("Ineke", "Toos"), "Adrianus": ("Ad", "Arie"), "Petrus": ("Peter",),
}

# Formal forms we make sure are in the pools (so nicknames occur in every size).
_FORMAL_EXTRA: dict[str, tuple[str, ...]] = {
    "NL": ("Johannes", "Willem", "Pieter", "Hendrik", "Cornelis", "Jacobus", "Adrianus", "Catharina"),
    "DE": ("Johannes", "Wolfgang", "Friedrich", "Matthias", "Andreas", "Susanne", "Gabriele"),
    "AT": ("Josef", "Johannes", "Maximilian"), "IT": ("Giuseppe", "Francesco", "Salvatore", "Antonio"),
    "ES": ("Francisco", "José", "Antonio"), "MX": ("Francisco", "José"), "FR": ("Nicolas", "Jean-Baptiste"),
    "GB": ("William", "Robert", "Christopher", "Elizabeth"), "US": ("William", "Robert", "Michael", "James"),
}


@dataclass
class NamePools:
    """Global name arrays and per-country slices (start, stop)."""

    first: np.ndarray  # object array of str
    first_ascii: np.ndarray
    last: np.ndarray
    last_ascii: np.ndarray
    male: np.ndarray  # (n_countries, 2) start/stop into first
    female: np.ndarray
    last_m: np.ndarray  # (n_countries, 2) start/stop into last
    last_f: np.ndarray

    def sample(self, rng: np.random.Generator, country: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Draw (first_idx, last_idx) for each country index, gender 50/50."""
        female = rng.random(country.size) < 0.5
        f_rng = np.where(female[:, None], self.female[country], self.male[country])
        l_rng = np.where(female[:, None], self.last_f[country], self.last_m[country])
        first = f_rng[:, 0] + (rng.random(country.size) * (f_rng[:, 1] - f_rng[:, 0])).astype(np.int64)
        last = l_rng[:, 0] + (rng.random(country.size) * (l_rng[:, 1] - l_rng[:, 0])).astype(np.int64)
        return first.astype(np.int32), last.astype(np.int32)


def _draw(fake: Faker, method: str, n: int) -> list[str]:
    seen: dict[str, None] = {}
    draw = getattr(fake, method)
    for _ in range(n):
        value = str(draw()).strip()
        if value and "." not in value:  # skip titles/prefixes like "Dr."
            seen[value] = None
    return list(seen)


def build_pools(seed: int) -> NamePools:
    """Build the name pools for every country (deterministic from ``seed``)."""
    firsts: list[str] = []
    lasts: list[str] = []
    slices: dict[str, list[tuple[int, int]]] = {"m": [], "f": [], "lm": [], "lf": []}
    for i, country in enumerate(COUNTRIES):
        fake = Faker(country.locale)
        fake.seed_instance(seed * 1000 + i)
        for key, method, target in (
            ("m", "first_name_male", firsts), ("f", "first_name_female", firsts),
            ("lm", "last_name_male", lasts), ("lf", "last_name_female", lasts),
        ):
            values = _draw(fake, method, POOL_SIZE)
            if key in ("m", "f"):
                values += [v for v in _FORMAL_EXTRA.get(country.code, ()) if v not in values]
            start = len(target)
            target.extend(values)
            slices[key].append((start, len(target)))
    first = np.array(firsts, dtype=object)
    last = np.array(lasts, dtype=object)
    return NamePools(
        first=first, first_ascii=_ascii(first), last=last, last_ascii=_ascii(last),
        male=np.array(slices["m"]), female=np.array(slices["f"]),
        last_m=np.array(slices["lm"]), last_f=np.array(slices["lf"]),
    )


def _ascii(values: np.ndarray) -> np.ndarray:
    return np.array([unidecode(v) for v in values], dtype=object)


def slug_part(ascii_name: str) -> str:
    """Lower-case URL slug part of a name: ``van de Ven`` -> ``van-de-ven``."""
    out = "".join(ch if ch.isalnum() else "-" for ch in ascii_name.lower())
    return "-".join(p for p in out.split("-") if p)

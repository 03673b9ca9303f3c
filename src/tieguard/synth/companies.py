"""Company names with local legal forms and the variants CRM and LinkedIn disagree on.

The CRM holds one spelling of an account (often the registered name, sometimes
upper-cased or with the long legal form); LinkedIn shows how the company calls
itself (usually without the legal form, sometimes abbreviated, renamed or
mistyped). Each account gets one ``variant`` recorded in the ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from unidecode import unidecode

from .countries import COUNTRIES, weights
from .names import NamePools, slug_part

INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "nl": ("Machinefabriek", "Metaalbewerking", "Kunststoffen", "Techniek", "Installatietechniek",
           "Aandrijftechniek", "Verpakkingen", "Staalbouw", "Procestechniek"),
    "de": ("Maschinenbau", "Antriebstechnik", "Kunststofftechnik", "Anlagenbau", "Metallbau",
           "Verpackungstechnik", "Stahlbau", "Fördertechnik", "Armaturen"),
    "fr": ("Mécanique", "Industries", "Métallurgie", "Plastiques", "Équipements", "Chaudronnerie",
           "Emballages", "Automatismes"),
    "es": ("Industrias", "Metalúrgica", "Plásticos", "Componentes", "Maquinaria", "Envases",
           "Automatización"),
    "it": ("Meccanica", "Industrie", "Acciai", "Plastica", "Automazione", "Oleodinamica",
           "Imballaggi", "Carpenteria"),
    "en": ("Engineering", "Manufacturing", "Industries", "Components", "Fabrication", "Precision",
           "Packaging", "Process Systems", "Automation"),
    "sv": ("Verkstad", "Industri", "Mekaniska", "Plast", "Stål", "Automation"),
    "pl": ("Metal", "Przemysł", "Automatyka", "Tworzywa", "Konstrukcje", "Maszyny"),
}
NAME_FIRST_LANGS = frozenset({"fr", "es", "it"})  # "Meccanica Rossi", not "Rossi Meccanica"
FANTASY_HEAD = ("Hydro", "Metal", "Techno", "Flex", "Astra", "Nova", "Therm", "Poly", "Fluid",
                "Mecha", "Steel", "Indu", "Omni", "Nord", "Sud", "Alpha", "Terra", "Aqua", "Elektro")
FANTASY_TAIL = ("tec", "plast", "tron", "flow", "form", "line", "mat", "pack", "dyn", "fix",
                "weld", "tex", "lux", "max", "therm", "drive", "tech", "con")
LONG_FORMS: dict[str, str] = {
    "GmbH": "Gesellschaft mit beschränkter Haftung", "AG": "Aktiengesellschaft",
    "S.p.A.": "Società per Azioni", "S.r.l.": "Società a responsabilità limitata",
    "B.V.": "Besloten Vennootschap", "N.V.": "Naamloze Vennootschap", "Ltd": "Limited",
    "S.A.": "Sociedad Anónima", "S.L.": "Sociedad Limitada", "Inc.": "Incorporated",
    "S.A.S.": "Société par actions simplifiée", "AB": "Aktiebolag", "Oy": "Osakeyhtiö",
}
VARIANTS: tuple[str, ...] = ("exact", "no_legal_form", "abbreviated", "long_legal_form", "typo",
                             "renamed", "upper_case", "no_diacritics", "group_suffix")
_W_DEFAULT = (25, 40, 6, 5, 6, 3, 8, 4, 3)
_W_HARD = (10, 30, 15, 5, 15, 10, 5, 6, 4)

# company kinds in the registry
ACCOUNT, OWN, COMPETITOR, SUPPLIER, RECRUITER, OTHER = range(6)


@dataclass
class Companies:
    """Registry of every company: accounts first, then the others."""

    crm_name: list[str]
    linkedin_name: list[str]
    base: list[str]
    legal_form: list[str]
    domain: list[str]
    country: np.ndarray  # index into COUNTRIES
    kind: np.ndarray  # ACCOUNT, OWN, ...
    variant: list[str]

    def indices(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)


def _fantasy(rng: np.random.Generator) -> str:
    return str(FANTASY_HEAD[rng.integers(len(FANTASY_HEAD))]) + str(FANTASY_TAIL[rng.integers(len(FANTASY_TAIL))])


def base_name(rng: np.random.Generator, country: int, names: NamePools) -> str:
    """A plausible local industrial company name without legal form."""
    lang = COUNTRIES[country].lang
    words = INDUSTRY_WORDS[lang]
    _, last = names.sample(rng, np.array([country]))
    surname = str(names.last[last[0]])
    word = str(words[rng.integers(len(words))])
    pattern = int(rng.integers(6))
    if pattern == 0:
        return f"{word} {surname}" if lang in NAME_FIRST_LANGS else f"{surname} {word}"
    if pattern == 1:
        return _fantasy(rng)
    if pattern == 2:
        return f"{_fantasy(rng)} {word}"
    if pattern == 3:
        _, other = names.sample(rng, np.array([country]))
        return f"{surname} & {names.last[other[0]]}"
    if pattern == 4:
        letters = "".join(chr(65 + int(x)) for x in rng.integers(0, 26, 3))
        return f"{letters} {word}"
    return f"{surname} {word}" if lang not in NAME_FIRST_LANGS else f"{word} {surname}"


def _typo(rng: np.random.Generator, text: str) -> str:
    if len(text) < 5:
        return text + text[-1]
    i = int(rng.integers(1, len(text) - 2))
    op = int(rng.integers(3))
    if op == 0:  # swap
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if op == 1:  # drop
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]  # double


def _acronym(base: str) -> str:
    parts = [p for p in base.replace("&", " ").split() if p]
    if len(parts) < 2:
        return base[:4].upper()
    return "".join(p[0].upper() for p in parts)


def account_names(rng: np.random.Generator, base: str, form: str, variant: str,
                  names_rng_country: tuple[NamePools, int]) -> tuple[str, str]:
    """(CRM spelling, LinkedIn spelling) of one account for ``variant``."""
    full = f"{base} {form}"
    if variant == "no_legal_form":
        return full, base
    if variant == "abbreviated":
        return full, _acronym(base) if rng.random() < 0.6 else f"{_acronym(base)} {form}"
    if variant == "long_legal_form":
        return f"{base} {LONG_FORMS.get(form, form)}", full
    if variant == "typo":
        return (_typo(rng, base) + f" {form}", base) if rng.random() < 0.5 else (full, _typo(rng, base))
    if variant == "renamed":
        names, country = names_rng_country
        return full, base_name(rng, country, names)
    if variant == "upper_case":
        return full.upper(), base
    if variant == "no_diacritics":
        return unidecode(full), base
    if variant == "group_suffix":
        return full, f"{base.split()[0]} Group"
    return full, full


def _domain(base: str, tld: str) -> str:
    return f"{slug_part(unidecode(base)).replace('-', '')[:24] or 'firma'}.{tld}"


def _legal_form(rng: np.random.Generator, forms: tuple[str, ...]) -> str:
    p = np.array([2.0 ** -i for i in range(len(forms))])
    return forms[int(rng.choice(len(forms), p=p / p.sum()))]


def build_companies(rng: np.random.Generator, names: NamePools, n_accounts: int,
                    others: dict[int, int], hard: bool, own: tuple[str, str],
                    competitors: list[tuple[str, str]]) -> Companies:
    """Accounts (with CRM/LinkedIn variants), our company, competitors, and ``others`` per kind."""
    acc_country = rng.choice(len(COUNTRIES), size=n_accounts, p=weights())
    # make sure every country has at least one account when there is room
    acc_country[: min(n_accounts, len(COUNTRIES))] = np.arange(min(n_accounts, len(COUNTRIES)))
    w = np.array(_W_HARD if hard else _W_DEFAULT, dtype=float)
    acc_variant = rng.choice(len(VARIANTS), size=n_accounts, p=w / w.sum())
    reg = Companies([], [], [], [], [], np.zeros(0, np.int16), np.zeros(0, np.int8), [])
    countries: list[int] = []
    kinds: list[int] = []
    seen: set[str] = set()
    for c, v in zip(acc_country.tolist(), acc_variant.tolist(), strict=True):
        base = base_name(rng, c, names)
        while base in seen:
            base = f"{base} {INDUSTRY_WORDS['en'][int(rng.integers(9))]}" if rng.random() < 0.5 else base_name(rng, c, names)
        seen.add(base)
        form = _legal_form(rng, COUNTRIES[c].legal_forms)
        crm, linkedin = account_names(rng, base, form, VARIANTS[v], (names, c))
        _append(reg, crm, linkedin, base, form, _domain(base, COUNTRIES[c].tld), VARIANTS[v])
        countries.append(c)
        kinds.append(ACCOUNT)
    own_name, own_domain = own
    _append(reg, own_name, own_name.rsplit(" ", 1)[0], own_name, "B.V.", own_domain, "own")
    countries.append(0)
    kinds.append(OWN)
    for name, domain in competitors:
        _append(reg, name, name.rsplit(" ", 1)[0], name, "", domain, "competitor")
        countries.append(0)
        kinds.append(COMPETITOR)
    for kind, count in others.items():
        for c in rng.choice(len(COUNTRIES), size=count, p=weights()).tolist():
            base = _other_name(rng, kind, c, names)
            form = _legal_form(rng, COUNTRIES[c].legal_forms)
            shown = base if rng.random() < 0.7 else f"{base} {form}"
            _append(reg, f"{base} {form}", shown, base, form, _domain(base, COUNTRIES[c].tld), "other")
            countries.append(c)
            kinds.append(kind)
    reg.country = np.array(countries, dtype=np.int16)
    reg.kind = np.array(kinds, dtype=np.int8)
    return reg


def _append(reg: Companies, crm: str, linkedin: str, base: str, form: str, domain: str, variant: str) -> None:
    reg.crm_name.append(crm)
    reg.linkedin_name.append(linkedin)
    reg.base.append(base)
    reg.legal_form.append(form)
    reg.domain.append(domain)
    reg.variant.append(variant)


_RECRUIT = ("Recruitment", "Executive Search", "Talent", "Personalberatung", "Werving & Selectie",
            "Staffing", "Consulting")
_SUPPLY = ("Logistics", "Steel Trading", "Freight", "Electronics", "Components", "Castings", "Bearings")
_OTHER = INDUSTRY_WORDS["en"] + ("Consulting", "Bank", "Insurance", "Software", "Foods", "Hospital")


def _other_name(rng: np.random.Generator, kind: int, country: int, names: NamePools) -> str:
    words = _RECRUIT if kind == RECRUITER else _SUPPLY if kind == SUPPLIER else _OTHER
    word = str(words[rng.integers(len(words))])
    if rng.random() < 0.5:
        _, last = names.sample(rng, np.array([country]))
        return f"{names.last[last[0]]} {word}"
    if kind == OTHER and rng.random() < 0.4:
        return base_name(rng, country, names)
    return f"{_fantasy(rng)} {word}"

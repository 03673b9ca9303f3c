"""Countries the synthetic organisation sells into: locale, title language, legal forms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """One market: ISO code, English name, Faker locale, title language, legal forms."""

    code: str
    name: str
    locale: str
    lang: str  # language of job titles (nl, de, fr, es, it, en, sv, pl)
    legal_forms: tuple[str, ...]  # most common first
    tld: str
    weight: float  # share of accounts


COUNTRIES: tuple[Country, ...] = (
    Country("NL", "Netherlands", "nl_NL", "nl", ("B.V.", "N.V.", "V.O.F."), "nl", 9.0),
    Country("BE", "Belgium", "nl_BE", "nl", ("NV", "BV", "SA", "SRL"), "be", 4.0),
    Country("DE", "Germany", "de_DE", "de", ("GmbH", "AG", "GmbH & Co. KG", "KG", "SE"), "de", 14.0),
    Country("AT", "Austria", "de_AT", "de", ("GmbH", "AG", "Ges.m.b.H."), "at", 3.0),
    Country("CH", "Switzerland", "de_CH", "de", ("AG", "GmbH", "SA"), "ch", 3.0),
    Country("FR", "France", "fr_FR", "fr", ("S.A.S.", "SARL", "S.A.", "SAS"), "fr", 8.0),
    Country("ES", "Spain", "es_ES", "es", ("S.L.", "S.A.", "S.L.U."), "es", 5.0),
    Country("PT", "Portugal", "pt_PT", "en", ("Lda.", "S.A."), "pt", 1.5),
    Country("IT", "Italy", "it_IT", "it", ("S.r.l.", "S.p.A.", "S.n.c."), "it", 7.0),
    Country("GB", "United Kingdom", "en_GB", "en", ("Ltd", "Limited", "plc"), "co.uk", 7.0),
    Country("IE", "Ireland", "en_IE", "en", ("Ltd", "DAC", "Limited"), "ie", 1.5),
    Country("US", "United States", "en_US", "en", ("Inc.", "LLC", "Corp.", "Corporation"), "com", 8.0),
    Country("CA", "Canada", "en_CA", "en", ("Inc.", "Ltd.", "Corp."), "ca", 1.5),
    Country("MX", "Mexico", "es_MX", "es", ("S.A. de C.V.", "S. de R.L. de C.V."), "com.mx", 1.5),
    Country("BR", "Brazil", "pt_BR", "en", ("Ltda.", "S.A."), "com.br", 1.5),
    Country("SE", "Sweden", "sv_SE", "sv", ("AB", "Aktiebolag"), "se", 3.0),
    Country("DK", "Denmark", "da_DK", "en", ("A/S", "ApS"), "dk", 2.0),
    Country("NO", "Norway", "no_NO", "en", ("AS", "ASA"), "no", 1.5),
    Country("FI", "Finland", "fi_FI", "en", ("Oy", "Oyj"), "fi", 1.5),
    Country("PL", "Poland", "pl_PL", "pl", ("sp. z o.o.", "S.A.", "sp.k."), "pl", 4.0),
    Country("CZ", "Czech Republic", "cs_CZ", "en", ("s.r.o.", "a.s."), "cz", 2.0),
    Country("HU", "Hungary", "hu_HU", "en", ("Kft.", "Zrt.", "Nyrt."), "hu", 1.5),
    Country("RO", "Romania", "ro_RO", "en", ("S.R.L.", "S.A."), "ro", 1.5),
    Country("TR", "Turkey", "tr_TR", "en", ("A.Ş.", "Ltd. Şti."), "com.tr", 1.5),
    Country("AU", "Australia", "en_AU", "en", ("Pty Ltd", "Ltd"), "com.au", 1.0),
)

CODES: tuple[str, ...] = tuple(c.code for c in COUNTRIES)
INDEX: dict[str, int] = {c.code: i for i, c in enumerate(COUNTRIES)}
LANGS: tuple[str, ...] = ("nl", "de", "fr", "es", "it", "en", "sv", "pl")


def weights() -> list[float]:
    """Account share per country, normalised to 1."""
    total = sum(c.weight for c in COUNTRIES)
    return [c.weight / total for c in COUNTRIES]

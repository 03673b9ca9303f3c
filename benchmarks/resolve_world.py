"""An independent test world for the resolve benchmark (issue 10, part 6).

Nothing here is drawn from the resolver's own tables (no nickname table, no legal-form
list the normaliser uses): names come from Faker's per-locale pools, including scripts
the CRM keeps and LinkedIn transliterates (Cyrillic, Greek, Chinese), drawn Zipf-wise
(real populations repeat names a lot); legal forms are spelled the many ways real data
spells them, several outside the normaliser's list; the noise is what people do:

* persons: middle names on one side, two-part surnames shortened, first and last name
  swapped, an initial for the first name, a CRM in Cyrillic/Greek/Chinese and a profile
  in the person's own Latin spelling (a transliteration unlike unidecode's), 1-3 typos,
  accents dropped, particles glued (``Vandenberg``);
* companies: brand words Zipf-distributed (many accounts share a word), legal forms in
  variant spellings or dropped, glued (``BrandAG``), a trailing location (``, Lyon``),
  typos in the brand, a word added or dropped, acronyms of multi-word names, job changers.

Same output shape as ``resolve_data.generate`` (tables plus ``truth`` with kind/condition).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow as pa
from faker import Faker

LOCALES = {"nl_NL": 3, "de_DE": 3, "fr_FR": 2, "es_ES": 2, "it_IT": 2, "en_GB": 3, "pl_PL": 1,
           "tr_TR": 1, "ru_RU": 1, "el_GR": 0.5, "zh_CN": 1, "sv_SE": 0.5}
NON_LATIN = {"ru_RU", "el_GR", "zh_CN"}
LEGAL = ["B. V.", "B.V", "BV", "N.V.", "GmbH", "Ges.m.b.H", "GmbH & Co KG", "AG", "A. G.",
         "S.A.", "S. A.", "SAS", "S.A.S.U.", "S.r.l.", "s.r.l", "SpA", "S.p.A", "S.L.U.",
         "Sp. z o. o.", "Ltd", "Ltd.", "Limited", "PLC", "LLP", "Inc", "Oy Ab", "AB (publ)",
         "A/S", "K.K.", "e.K.", "OHG", "Kft.", "a.s.", "d.o.o.", "Pty. Ltd."]
WORDS = ["Logistik", "Machines", "Pumps", "Valves", "Plastics", "Coatings", "Metaal", "Foods",
         "Chemie", "Packaging", "Electronics", "Hydraulics", "Automation", "Textil", "Papier",
         "Glass", "Keramik", "Lager", "Motoren", "Kabel", "Staal", "Aluminium", "Polymers",
         "Filtration", "Tools", "Sensors", "Robotics", "Pharma", "Dairy", "Transport", "Energie",
         "Water", "Agro", "Timber", "Print", "Optics", "Medical", "Lighting", "Marine", "Rail"]
GENERIC = ["Group", "Holding", "International", "Solutions", "Services", "Nederland",
           "Deutschland", "France", "Europe"]
# A Latin spelling people pick for themselves, unlike unidecode's (ж->zh vs zh, й->j, ...).
OWN_LATIN = str.maketrans({"ж": "zh", "х": "h", "ц": "tz", "й": "j", "я": "ja", "ю": "ju",
                           "ё": "jo", "щ": "shch", "ы": "y", "ъ": "", "ь": "", "Ж": "Zh",
                           "Х": "H", "Ц": "Tz", "Й": "J", "Я": "Ja", "Ю": "Ju",
                           "θ": "th", "χ": "ch", "ψ": "ps", "Θ": "Th", "Χ": "Ch", "Ψ": "Ps"})


def _pool(fake: Faker, method: str, n: int) -> list[str]:
    return list(dict.fromkeys(getattr(fake, method)() for _ in range(n)))


def _pools(seed: int) -> dict[str, dict[str, list[str]]]:
    pools = {}
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        pools[locale] = {"first": _pool(fake, "first_name", 1500),
                         "last": _pool(fake, "last_name", 2500),
                         "city": _pool(fake, "city", 200)}
    return pools


def _zipf(rng: np.random.Generator, n_items: int, size: int, s: float = 1.0) -> np.ndarray:
    weights = 1 / np.arange(1, n_items + 1) ** s
    return rng.choice(n_items, size, p=weights / weights.sum())


def _latin(text: str, locale: str) -> str:
    """The person's own Latin spelling of a non-Latin name."""
    if locale == "zh_CN":
        from unidecode import unidecode
        return unidecode(text).strip().title()
    out = text.translate(OWN_LATIN)
    from unidecode import unidecode
    return unidecode(out)


def _typos(rng: np.random.Generator, s: str, edits: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(edits):
        if len(s) < 3:
            break
        i = int(rng.integers(1, len(s)))
        op = rng.integers(4)
        if op == 0:
            s = s[:i] + s[i + 1:]
        elif op == 1:
            s = s[:i] + letters[rng.integers(26)] + s[i:]
        elif op == 2:
            s = s[:i] + letters[rng.integers(26)] + s[i + 1:]
        elif i < len(s) - 1:
            s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def _no_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _accounts(rng: np.random.Generator, n: int, pools: dict) -> dict[str, list]:  # type: ignore[type-arg]
    locales = list(LOCALES)
    brands = [p for loc in locales for p in pools[loc]["last"][:400]]
    rng.shuffle(brands)
    b_idx = _zipf(rng, len(brands), n, 0.8)
    w_idx = _zipf(rng, len(WORDS), n, 0.7)
    names, cores, langs = [], [], []
    for i in range(n):
        lang = locales[int(rng.integers(len(locales)))]
        brand = _latin(brands[b_idx[i]], lang) if lang in NON_LATIN else brands[b_idx[i]]
        shape = rng.random()
        core = (brand if shape < 0.3 else f"{brand} {WORDS[w_idx[i]]}" if shape < 0.8
                else f"{brand} {WORDS[w_idx[i]]} {WORDS[int(rng.integers(len(WORDS)))]}")
        names.append(f"{core} {LEGAL[int(rng.integers(len(LEGAL)))]}" if rng.random() < 0.85
                     else core)
        cores.append(core)
        langs.append(lang)
    return {"account_id": [f"A{i}" for i in range(n)], "name": names, "core": cores,
            "lang": langs, "domain": [None] * n}


def _company_variant(rng: np.random.Generator, core: str, lang: str, pools: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    r = rng.random()
    words = core.split()
    if r < 0.25:
        return f"{core} {LEGAL[int(rng.integers(len(LEGAL)))]}", "legal_form"
    if r < 0.35:
        return core + LEGAL[int(rng.integers(3))].replace(" ", "").replace(".", ""), "glued"
    if r < 0.45:
        return f"{core}, {pools[lang]['city'][int(rng.integers(20))]}", "location"
    if r < 0.55:
        return " ".join([_typos(rng, words[0], 1), *words[1:]]), "typo"
    if r < 0.65:
        return f"{core} {GENERIC[int(rng.integers(len(GENERIC)))]}", "word_added"
    if r < 0.72 and len(words) > 1:
        return words[0], "word_dropped"
    if r < 0.77 and len(words) > 2:
        return "".join(w[0] for w in words).upper(), "acronym"
    if r < 0.85:
        return core.upper() if rng.random() < 0.5 else _no_accents(core), "case_accents"
    return core, "same"


def _person_variant(rng: np.random.Generator, first: str, last: str, lang: str,
                    middle: str | None) -> tuple[str, str, str]:
    """(tie first name, tie last name, condition) for a CRM contact's own profile."""
    if lang in NON_LATIN:
        first, last = _latin(first, lang), _latin(last, lang)
        if lang == "zh_CN":  # Chinese profiles often give the given name first
            return first, last, "script"
        condition = "script"
    else:
        condition = "same"
    r = rng.random()
    if middle and r < 0.5:  # the profile shows a middle name the CRM does not have
        return f"{first} {middle}", last, "middle_name"
    if r < 0.08:
        return last, first, "swapped"
    if r < 0.13:
        return f"{first[0]}.", last, "initial"
    if r < 0.33:
        edits = int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1]))
        if rng.random() < 0.5:
            return _typos(rng, first, edits), last, f"typo_{edits}"
        return first, _typos(rng, last, edits), f"typo_{edits}"
    if r < 0.43 and " " in last:
        return first, last.split()[0], "short_surname"
    if r < 0.48 and " " in last:
        return first, last.replace(" ", ""), "glued"
    if r < 0.58:
        return _no_accents(first), _no_accents(last), "accents" if condition == "same" else condition
    return first, last, condition


def _names(rng: np.random.Generator, langs: list[str], pools: dict) -> tuple[list, list, list]:  # type: ignore[type-arg]
    firsts, lasts, middles = [], [], []
    for lang in langs:
        p = pools[lang]
        first = p["first"][int(_zipf(rng, len(p["first"]), 1)[0])]
        last = p["last"][int(_zipf(rng, len(p["last"]), 1)[0])]
        if lang == "es_ES" and rng.random() < 0.6:
            last = f"{last} {p['last'][int(_zipf(rng, len(p['last']), 1)[0])]}"
        middle = p["first"][int(rng.integers(len(p["first"])))] if rng.random() < 0.2 else None
        firsts.append(first)
        lasts.append(last)
        middles.append(middle)
    return firsts, lasts, middles


def generate(n_ties: int, n_contacts: int = 200_000, n_accounts: int = 50_000,
             seed: int = 21) -> dict[str, pa.Table]:
    """Tables (accounts, contacts, tie_people, employees, ties) and the truth."""
    rng = np.random.default_rng(seed)
    pools = _pools(seed)
    acc = _accounts(rng, n_accounts, pools)
    c_acc = _zipf(rng, n_accounts, n_contacts, 0.6)
    c_lang = [acc["lang"][a] for a in c_acc]
    c_first, c_last, c_middle = _names(rng, c_lang, pools)
    crm_first = [f"{f} {m}" if m and rng.random() < 0.5 else f for f, m in zip(c_first, c_middle, strict=True)]
    contacts = pa.table({
        "contact_id": [f"C{i}" for i in range(n_contacts)],
        "account_id": [acc["account_id"][a] for a in c_acc],
        "first_name": crm_first, "last_name": c_last,
        "email": [None] * n_contacts,
        "owner_employee_id": [f"E{a % 200}" for a in c_acc]})
    n_contact = min(int(0.4 * n_ties), int(0.75 * n_contacts))
    picked = rng.choice(n_contacts, n_contact, replace=False)
    rows = []
    for c in picked:
        lang, a = c_lang[c], int(c_acc[c])
        first, last, cond = _person_variant(rng, c_first[c], c_last[c], lang,
                                            c_middle[c] if crm_first[c] == c_first[c] else None)
        if crm_first[c] != c_first[c] and cond == "same":  # the CRM has a middle name
            cond = "middle_name"
        if rng.random() < 0.06:
            other = int(rng.integers(n_accounts))
            company, cond = _company_variant(rng, acc["core"][other], lang, pools)[0], "job_change"
        elif rng.random() < 0.05:
            company, cond = None, "no_company"
        else:
            company, ccond = _company_variant(rng, acc["core"][a], lang, pools)
            cond = cond if cond != "same" else f"company_{ccond}"
        rows.append((first, last, company, f"C{c}", acc["account_id"][a], "contact", cond))
    n_other = n_ties - n_contact
    o_lang = [list(LOCALES)[int(i)] for i in rng.integers(len(LOCALES), size=n_other)]
    o_first, o_last, _ = _names(rng, o_lang, pools)
    o_acc = rng.integers(n_accounts, size=n_other)
    for j in range(n_other):
        first, last = (_latin(o_first[j], o_lang[j]), _latin(o_last[j], o_lang[j])) \
            if o_lang[j] in NON_LATIN else (o_first[j], o_last[j])
        if j < n_other // 2:
            company = _company_variant(rng, acc["core"][int(o_acc[j])], o_lang[j], pools)[0]
            rows.append((first, last, company, None, acc["account_id"][int(o_acc[j])],
                         "account", "account"))
        else:
            brand = pools[o_lang[j]]["last"][int(rng.integers(len(pools[o_lang[j]]["last"])))]
            rows.append((first, last, f"{_latin(brand, o_lang[j])} {WORDS[int(rng.integers(len(WORDS)))]}",
                         None, None, "unrelated", "unrelated"))
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    keys = [f"P{i}" for i in range(len(rows))]
    tie_people = pa.table({"person_key": keys, "first_name": [r[0] for r in rows],
                           "last_name": [r[1] for r in rows], "company": [r[2] for r in rows]})
    truth = pa.table({"person_key": keys, "truth_contact_id": [r[3] for r in rows],
                      "truth_account_id": [r[4] for r in rows], "kind": [r[5] for r in rows],
                      "condition": [r[6] for r in rows]})
    owner = {acc["account_id"][a]: f"E{a % 200}" for a in range(n_accounts)}
    ties_emp = [owner[r[4]] if r[5] == "contact" and rng.random() < 0.5 else
                f"E{int(rng.integers(300))}" for r in rows]
    ties = pa.table({"tie_id": [f"T{i}" for i in range(len(rows))], "employee_id": ties_emp,
                     "network": ["linkedin"] * len(rows), "person_key": keys,
                     "first_import_id": ["bench"] * len(rows),
                     "last_seen_import_id": ["bench"] * len(rows)})
    employees = pa.table({"employee_id": [f"E{i}" for i in range(300)]})
    accounts = pa.table({"account_id": acc["account_id"], "name": acc["name"],
                         "domain": acc["domain"],
                         "owner_employee_id": [owner[a] for a in acc["account_id"]]})
    return {"accounts": accounts, "contacts": contacts, "tie_people": tie_people,
            "truth": truth, "employees": employees, "ties": ties}

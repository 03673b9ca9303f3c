"""Hard-mode synthetic tie-people vs a CRM, for benchmarks/resolve.py.

Written independently of ``tieguard.synth`` so the resolve benchmark does not wait
for it. Names come from Faker's nl/de/fr/es/it/en pools; row selection is numpy
vectorised and the noise functions run on the (small) noisy subsets only.

Kinds of tie-people: ``contact`` (is a CRM contact, with noise: nicknames, typos,
dropped diacritics, German ue, married names, titles/emoji/pronouns, abbreviated,
re-formed or renamed companies, job changes), ``account`` (works at a CRM account
but is not a contact) and ``unrelated`` (30%: nobody to us, names drawn from the
same pools so namesakes occur).

Usage: python benchmarks/resolve_data.py 100000 /tmp/w.duckdb
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tieguard.engine import Engine  # noqa: E402
from tieguard.warehouse import open_warehouse  # noqa: E402

LOCALES = {"nl": "nl_NL", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT", "en": "en_GB"}
LEGAL = {
    "nl": ["B.V.", "BV", "N.V.", "", "Holding B.V."],
    "de": ["GmbH", "AG", "Aktiengesellschaft", "GmbH & Co. KG", ""],
    "fr": ["SA", "S.A.", "SARL", "SAS", ""],
    "es": ["S.L.", "S.A.", "SL", "Sociedad Anónima", ""],
    "it": ["S.p.A.", "S.r.l.", "SpA", "Srl", ""],
    "en": ["Ltd", "Limited", "plc", "Ltd.", ""],
}
COUNTRY = {"nl": "Nederland", "de": "Deutschland", "fr": "France", "es": "España",
           "it": "Italia", "en": "UK"}
SECTORS = ["Logistics", "Machinery", "Pumps", "Valves", "Plastics", "Coatings", "Metals", "Foods", "Chemicals", "Packaging", "Electronics", "Hydraulics", "Automation", "Textiles", "Paper", "Glass", "Ceramics", "Bearings", "Motors", "Cables", "Steel", "Aluminium", "Polymers", "Filters", "Tools", "Fasteners", "Sensors", "Robotics", "Pharma", "Dairy", "Bakery", "Transport", "Shipping", "Energy", "Solar", "Wind", "Water", "Agro", "Seeds", "Timber", "Furniture", "Printing", "Labels", "Optics", "Lasers", "Medical", "Dental", "Lighting", "Security", "Marine", "Aviation", "Rail", "Mining", "Cement"]
SYLLABLES = ["ka", "ro", "mi", "ta", "ne", "vo", "lu", "ri", "sa", "de", "xo", "ban", "tek", "vol", "gra", "mar", "sil", "nor", "vik", "tron", "dor", "zen", "lex"]
TITLES = ["Dr.", "Prof. dr. ir.", "Ing.", "Dipl.-Ing.", "Mr.", "Dott.", "ir."]
EMOJI = ["🚀", "✨", "🌍", "💼", "📈"]


def _pools() -> dict[str, dict[str, list[str]]]:
    pools: dict[str, dict[str, list[str]]] = {}
    for lang, loc in LOCALES.items():
        fake = Faker(loc)
        person = next(p for p in fake.providers if "person" in type(p).__module__)
        def names(attr: str, person: object = person) -> list[str]:
            raw = getattr(person, attr)
            return sorted({n for n in (raw.keys() if isinstance(raw, dict) else raw) if n.isalpha()
                           or "'" not in n})
        rng = np.random.default_rng(len(lang))
        pools[lang] = {"female": names("first_names_female"), "male": names("first_names_male"),
                       "last": _widen(rng, names("last_names"), lang, 5_000)}
    return pools


#: Surname morphology per language: Faker's pools hold 400-1,200 surnames per locale
#: where a real country has hundreds of thousands; derived forms widen them.
SURNAME_FORMS = {
    "nl": ["{}", "{}s", "van {}", "{}ink", "de {}", "{}-{}", "{} {}"],
    "de": ["{}", "{}mann", "{}er", "{}s", "{}-{}", "{}hoff", "von {}"],
    "fr": ["{}", "Le {}", "{}et", "{}-{}", "Du {}", "{}ier"],
    "es": ["{} {}", "{} {}", "{}", "{} de {}", "{}-{}"],
    "it": ["{}", "{}i", "Di {}", "De {}", "{}ini", "{} {}"],
    "en": ["{}", "{}son", "{}s", "{}-{}", "Mc{}", "{}ton"],
}


def _widen(rng: np.random.Generator, pool: list[str], lang: str, size: int) -> list[str]:
    forms = SURNAME_FORMS[lang]
    out = set(pool)
    while len(out) < size:
        form = forms[int(rng.integers(len(forms)))]
        parts = [pool[int(i)] for i in rng.integers(0, len(pool), form.count("{}"))]
        out.add(form.format(*parts))
    return sorted(out)


def _nicknames() -> dict[str, list[str]]:
    """Formal name -> variants, both directions, from the shipped table."""
    table: dict[str, list[str]] = defaultdict(list)
    path = ROOT / "src/tieguard/data/resolve/nicknames.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table[row["canonical"]].append(row["variant"])
            table[row["variant"]].append(row["canonical"])
    return table


def _typo(rng: np.random.Generator, s: str) -> str:
    if len(s) < 4:
        return s
    i = int(rng.integers(1, len(s) - 1))
    op = int(rng.integers(0, 4))
    letter = "abcdefghijklmnoprstuvwz"[int(rng.integers(0, 23))]
    if op == 0:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if op == 1:
        return s[:i] + s[i + 1:]
    if op == 2:
        return s[:i] + letter + s[i + 1:]
    return s[:i] + letter + s[i:]


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def _german(s: str) -> str:
    for a, b in (("ü", "ue"), ("ö", "oe"), ("ä", "ae"), ("ß", "ss"), ("Ü", "Ue"), ("Ö", "Oe")):
        s = s.replace(a, b)
    return s


def _brand(rng: np.random.Generator) -> str:
    k = int(rng.integers(2, 4))
    return "".join(SYLLABLES[int(i)] for i in rng.integers(0, len(SYLLABLES), k)).capitalize()


def _accounts(rng: np.random.Generator, n: int, pools: dict) -> dict[str, np.ndarray]:
    langs = np.array(list(LOCALES))[rng.integers(0, len(LOCALES), n * 2)]
    cores, seen, lang_out = [], set(), []
    for lang in langs:
        last = pools[lang]["last"]
        r = rng.random()
        if r < 0.45:
            core = f"{last[int(rng.integers(len(last)))]} {SECTORS[int(rng.integers(len(SECTORS)))]}"
        elif r < 0.7:
            core = f"{last[int(rng.integers(len(last)))]} & {last[int(rng.integers(len(last)))]}"
        else:
            core = f"{_brand(rng)} {SECTORS[int(rng.integers(len(SECTORS)))]}"
        if core.lower() not in seen:
            seen.add(core.lower())
            cores.append(core)
            lang_out.append(lang)
        if len(cores) == n:
            break
    legal = [LEGAL[lg][int(rng.integers(len(LEGAL[lg])))] for lg in lang_out]
    names = [f"{c} {lf}".strip() for c, lf in zip(cores, legal, strict=True)]
    domains = [_strip_accents(c.lower()).replace(" & ", "").replace(" ", "") + ".com" for c in cores]
    return {"account_id": np.array([f"A{i}" for i in range(n)]), "name": np.array(names),
            "core": np.array(cores), "lang": np.array(lang_out), "domain": np.array(domains)}


def _people(rng: np.random.Generator, langs: np.ndarray, pools: dict) -> tuple[list, list, list]:
    female = rng.random(len(langs)) < 0.45
    firsts, lasts = [], []
    for lang, fem in zip(langs, female, strict=True):
        pool = pools[lang]["female" if fem else "male"]
        firsts.append(pool[int(rng.integers(len(pool)))])
        last = pools[lang]["last"]
        lasts.append(last[int(rng.integers(len(last)))])
    return firsts, lasts, list(female)


def _company_variant(rng: np.random.Generator, core: str, lang: str) -> str:
    r = rng.random()
    if r < 0.3:
        return core
    if r < 0.5:
        return f"{core} {LEGAL[lang][int(rng.integers(len(LEGAL[lang])))]}".strip()
    if r < 0.65:
        return f"{core} {COUNTRY[lang]}"
    if r < 0.75:
        return f"{core} Group"
    if r < 0.85:
        return core.upper()
    if r < 0.93:
        return _typo(rng, core)
    if " & " in core:
        return core.replace(" & ", " en ")
    return core.rsplit(" ", 1)[0] if " " in core else core  # "Hoekstra Logistics" -> "Hoekstra"


def _noisy_first(rng: np.random.Generator, name: str, nick: dict[str, list[str]]) -> str:
    r = rng.random()
    low = _strip_accents(name.lower())
    if r < 0.14 and nick.get(low):
        options = nick[low]
        return options[int(rng.integers(len(options)))].capitalize()
    if r < 0.22:
        return _typo(rng, name)
    if r < 0.25:
        return name[0] + "."
    return name


def _noisy_last(rng: np.random.Generator, name: str, female: bool, pool: list[str]) -> str:
    r = rng.random()
    if female and r < 0.05:  # married name: new or double-barrelled
        other = pool[int(rng.integers(len(pool)))]
        return other if rng.random() < 0.5 else f"{name}-{other}"
    if r < 0.14:
        return _typo(rng, name)
    if r < 0.20 and name.lower().startswith(("van ", "de ", "von ", "van der ")):
        return name.split(" ")[-1]
    return name


def _decorate(rng: np.random.Generator, first: str, last: str) -> tuple[str, str]:
    r = rng.random()
    if r < 0.5:
        first, last = _strip_accents(first), _strip_accents(last)
    elif r < 0.65:
        first, last = _german(first), _german(last)
    r = rng.random()
    if r < 0.03:
        first = f"{TITLES[int(rng.integers(len(TITLES)))]} {first}"
    elif r < 0.05:
        last = f"{last} {EMOJI[int(rng.integers(len(EMOJI)))]}"
    elif r < 0.06:
        last = f"{last} (she/her)"
    elif r < 0.08:
        first, last = first.upper(), last.upper()
    return first, last


def generate(n_ties: int, n_contacts: int = 200_000, n_accounts: int = 50_000,
             seed: int = 7) -> dict[str, pa.Table]:
    """Return canonical tables plus ``truth`` (person_key, truth_contact_id, ...)."""
    rng = np.random.default_rng(seed)
    pools, nick = _pools(), _nicknames()
    acc = _accounts(rng, n_accounts, pools)
    n_accounts = len(acc["account_id"])
    weights = 1 / np.arange(1, n_accounts + 1) ** 0.6
    c_acc = rng.choice(n_accounts, n_contacts, p=weights / weights.sum())
    c_first, c_last, c_female = _people(rng, acc["lang"][c_acc], pools)
    c_url = np.array([f"https://www.linkedin.com/in/c{i:07d}" for i in range(n_contacts)])
    contacts = pa.table({
        "contact_id": [f"C{i}" for i in range(n_contacts)],
        "account_id": acc["account_id"][c_acc],
        "first_name": c_first, "last_name": c_last,
        "email": [f"{_strip_accents(f.lower())}.{_strip_accents(ln.lower()).replace(' ', '')}@{acc['domain'][a]}"
                  for f, ln, a in zip(c_first, c_last, c_acc, strict=True)],
        "profile_url": np.where(rng.random(n_contacts) < 0.1, c_url, None),
    })
    n_contact_ties = min(int(0.4 * n_ties), int(0.75 * n_contacts))
    n_unrelated = int(0.3 * n_ties)
    n_account_ties = n_ties - n_contact_ties - n_unrelated
    rows = _contact_ties(rng, n_contact_ties, c_acc, c_first, c_last, c_female, c_url, acc,
                         pools, nick, contacts)
    rows += _other_ties(rng, n_account_ties, n_unrelated, acc, pools)
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    keys = [f"P{i}" for i in range(len(rows))]
    tie_people = pa.table({
        "person_key": keys, "first_name": [r[0] for r in rows], "last_name": [r[1] for r in rows],
        "company": [r[2] for r in rows], "profile_url": [r[3] for r in rows],
        "email": [r[4] for r in rows],
    })
    truth = pa.table({"person_key": keys, "truth_contact_id": [r[5] for r in rows],
                      "truth_account_id": [r[6] for r in rows], "kind": [r[7] for r in rows],
                      "condition": [r[8] for r in rows]})
    own = _ownership(np.random.default_rng(seed + 1), c_acc, n_accounts, keys, rows)
    c_title, positions = _titles(np.random.default_rng(seed + 2), len(c_acc), rows)
    contacts = contacts.append_column("title", pa.array(c_title))
    tie_people = tie_people.append_column("position", pa.array(positions))
    accounts = pa.table({"account_id": acc["account_id"], "name": acc["name"],
                         "domain": acc["domain"], "owner_employee_id": own["account_owner"]})
    contacts = contacts.append_column("owner_employee_id", pa.array(own["contact_owner"]))
    return {"accounts": accounts, "contacts": contacts, "tie_people": tie_people, "truth": truth,
            "employees": own["employees"], "opportunities": own["opportunities"],
            "ties": own["ties"]}


JOB_TITLES = ["Purchasing Manager", "Head of Procurement", "Chief Financial Officer",
              "Plant Manager", "Sales Director", "Managing Director", "Maintenance Engineer",
              "Quality Manager", "Operations Manager", "Logistics Coordinator", "IT Manager",
              "Project Engineer", "Account Manager", "Buyer", "Senior Buyer",
              "Production Manager", "R&D Engineer", "HR Manager", "Controller", "CEO",
              "Supply Chain Manager", "Category Manager", "Process Engineer",
              "Technical Director", "Office Manager", "Marketing Manager", "Service Engineer",
              "Warehouse Manager", "Finance Director", "Energy Manager"]


def _titles(rng: np.random.Generator, n_contacts: int, rows: list[tuple]) -> tuple[list, list]:  # type: ignore[type-arg]
    """Contact titles (Zipf-like over JOB_TITLES) and tie-people positions.

    A CRM contact's LinkedIn position is its CRM title (55%), a variant of it (15%:
    case, 'Senior ', ' | <company>'), another title (15%; 60% after a job change) or
    missing (15%); everybody else has a random title or none (15%)."""
    w = 1 / np.arange(1, len(JOB_TITLES) + 1) ** 0.7
    draw = rng.choice(len(JOB_TITLES), n_contacts + len(rows), p=w / w.sum())
    c_title = [JOB_TITLES[int(i)] for i in draw[:n_contacts]]
    positions: list[str | None] = []
    for j, row in enumerate(rows):
        other = JOB_TITLES[int(draw[n_contacts + j])]
        r = rng.random()
        if row[7] != "contact":
            positions.append(other if r < 0.85 else None)
            continue
        own = c_title[int(row[5][1:])]
        if row[8] == "job_change" and r < 0.6:
            positions.append(other)
        elif r < 0.55:
            positions.append(own)
        elif r < 0.7:
            v = rng.random()
            positions.append(own.lower() if v < 0.33 else f"Senior {own}" if v < 0.66
                             else f"{own} | {row[2] or 'freelance'}")
        elif r < 0.85:
            positions.append(other)
        else:
            positions.append(None)
    return c_title, positions


#: Ownership and ties (a separate random stream, so names and companies do not change).
#: 300 employees, 200 of them in sales who own accounts; a contact is owned by its
#: account's owner (80%) or another rep. A CRM contact's tie-person is connected to
#: the contact's or the account's owner in 55% of cases (job changes too: the
#: relationship survives the move); a non-contact at an account to its owner in 25%;
#: every tie-person also has 0-3 connections to random employees (engineers, managers,
#: other reps), so an owner tie is evidence, never proof.
N_EMPLOYEES, N_SALES = 300, 200
P_OWNER_TIE = {"contact": 0.55, "account": 0.25, "unrelated": 0.0}


def _ownership(rng: np.random.Generator, c_acc: np.ndarray, n_accounts: int, keys: list[str],
               rows: list[tuple]) -> dict[str, pa.Table | list]:  # type: ignore[type-arg]
    emp = [f"E{i:03d}" for i in range(N_EMPLOYEES)]
    acc_owner = rng.integers(0, N_SALES, n_accounts)
    c_owner = np.where(rng.random(len(c_acc)) < 0.8, acc_owner[c_acc],
                       rng.integers(0, N_SALES, len(c_acc)))
    opp_acc = np.flatnonzero(rng.random(n_accounts) < 0.3)
    opp_owner = np.where(rng.random(len(opp_acc)) < 0.7, acc_owner[opp_acc],
                         rng.integers(0, N_SALES, len(opp_acc)))
    tie_emp: list[str] = []
    tie_person: list[str] = []
    extra = rng.integers(0, 4, len(rows))
    draws = rng.random(len(rows))
    for j, (key, row) in enumerate(zip(keys, rows, strict=True)):
        linked: set[int] = set()
        if draws[j] < P_OWNER_TIE[row[7]]:
            linked.add(int(c_owner[int(row[5][1:])]) if row[7] == "contact"
                       else int(acc_owner[int(row[6][1:])]))
        linked.update(int(e) for e in rng.integers(0, N_EMPLOYEES, int(extra[j])))
        if not linked:
            linked.add(int(rng.integers(0, N_EMPLOYEES)))
        for e in linked:
            tie_emp.append(emp[e])
            tie_person.append(key)
    ties = pa.table({
        "tie_id": [f"T{i}" for i in range(len(tie_emp))], "employee_id": tie_emp,
        "network": ["linkedin"] * len(tie_emp), "person_key": tie_person,
        "first_import_id": ["bench"] * len(tie_emp), "last_seen_import_id": ["bench"] * len(tie_emp),
    })
    employees = pa.table({"employee_id": emp, "job_role": ["field_sales"] * N_SALES
                          + ["engineering"] * (N_EMPLOYEES - N_SALES)})
    opportunities = pa.table({"opportunity_id": [f"O{i}" for i in range(len(opp_acc))],
                              "account_id": [f"A{a}" for a in opp_acc],
                              "owner_employee_id": [emp[int(o)] for o in opp_owner]})
    return {"employees": employees, "ties": ties, "opportunities": opportunities,
            "account_owner": [emp[int(o)] for o in acc_owner],
            "contact_owner": [emp[int(o)] for o in c_owner]}


def _contact_ties(rng, n, c_acc, c_first, c_last, c_female, c_url, acc, pools, nick, contacts):  # type: ignore[no-untyped-def]
    chosen = rng.choice(len(c_acc), n, replace=False)
    emails = contacts.column("email").to_pylist()
    rows = []
    for i in chosen:
        a = c_acc[i]
        lang = acc["lang"][a]
        first = _noisy_first(rng, c_first[i], nick)
        last = _noisy_last(rng, c_last[i], c_female[i], pools[lang]["last"])
        first, last = _decorate(rng, first, last)
        r = rng.random()
        condition = "company_variant"
        if r < 0.06:  # job change
            condition = "job_change"
            company = acc["name"][int(rng.integers(len(acc["name"])))] if rng.random() < 0.5 \
                else f"{_brand(rng)} {SECTORS[int(rng.integers(len(SECTORS)))]}"
        elif r < 0.08:  # renamed
            condition = "renamed_company"
            company = f"{_brand(rng)} {acc['core'][a].split(' ')[-1]}"
        elif r < 0.13:
            condition = "no_company"
            company = None
        else:
            company = _company_variant(rng, acc["core"][a], lang)
        url = c_url[i] if rng.random() < 0.95 else None
        email = emails[i] if rng.random() < 0.03 else None
        rows.append((first, last, company, url, email, f"C{i}", acc["account_id"][a], "contact",
                     condition))
    return rows


def _other_ties(rng, n_account, n_unrelated, acc, pools):  # type: ignore[no-untyped-def]
    rows = []
    langs = np.array(list(LOCALES))[rng.integers(0, len(LOCALES), n_account + n_unrelated)]
    firsts, lasts, _ = _people(rng, langs, pools)
    acc_idx = rng.integers(0, len(acc["name"]), n_account)
    for j in range(n_account + n_unrelated):
        first, last = _decorate(rng, firsts[j], lasts[j])
        url = f"https://www.linkedin.com/in/t{j:08d}"
        if j < n_account:
            a = acc_idx[j]
            company = _company_variant(rng, acc["core"][a], acc["lang"][a])
            rows.append((first, last, company, url, None, None, acc["account_id"][a], "account",
                         "account"))
        else:
            company = f"{_brand(rng)}{_brand(rng).lower()} {SECTORS[int(rng.integers(len(SECTORS)))]}"
            rows.append((first, last, company, url, None, None, None, "unrelated", "unrelated"))
    return rows


def load(engine: Engine, tables: dict[str, pa.Table]) -> None:
    for name in ("accounts", "contacts", "tie_people", "employees", "opportunities", "ties"):
        engine.execute(f"DELETE FROM {name}")
        if name in tables:
            engine.insert_arrow(name, tables[name])
    engine.execute("DROP TABLE IF EXISTS bench_truth")
    engine.register("_tg_truth", tables["truth"])
    engine.execute("CREATE TABLE bench_truth AS SELECT * FROM _tg_truth")
    engine.unregister("_tg_truth")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/resolve_bench.duckdb")
    out.unlink(missing_ok=True)
    eng = open_warehouse(out)
    load(eng, generate(n))
    print({t: eng.scalar(f"SELECT count(*) FROM {t}") for t in ("accounts", "contacts", "tie_people")})

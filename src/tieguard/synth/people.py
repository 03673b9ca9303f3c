"""Everyone outside our organisation an employee can be connected to, as int arrays.

Persons 0..C-1 are the CRM contacts, then our employees (as colleagues), then
pools of recruiters, competitor staff, supplier staff, staff of CRM accounts
who are not in the CRM, alumni, industry peers, namesakes and friends.
Strings are only made when files are written (:mod:`.render`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .companies import COMPETITOR, OTHER, OWN, RECRUITER, SUPPLIER, Companies
from .config import Rates
from .countries import COUNTRIES, LANGS
from .names import NICKNAMES, NamePools
from .org import Employees
from .pipeline import Crm
from .titles import COMMITTEE_ROLES, TitleTable, role_index

KINDS: tuple[str, ...] = ("customer_contact", "job_changed", "colleague", "recruiter", "competitor_staff",
                          "supplier", "account_staff", "alumni", "industry_peer", "namesake", "friend",
                          "hidden_member")
K = {k: i for i, k in enumerate(KINDS)}
NAME_MUTATIONS = ("none", "nickname", "no_diacritics", "married_name", "typo")
QUIRKS = ("none", "emoji", "math_bold", "pronouns", "comma_suffix", "quoted_nickname")

_NOISE_ROLES = {
    "recruiter": ("recruiter", "recruiter", "hr_manager"),
    "competitor_staff": ("sales_rep", "key_account_manager", "sales_director", "engineer", "marketing_manager"),
    "supplier": ("sales_rep", "key_account_manager", "engineer", "logistics_manager"),
    "professional": ("engineer", "project_manager", "consultant", "software_developer", "buyer",
                     "production_manager", "sales_rep", "controller", "quality_manager", "hr_manager",
                     "lawyer", "accountant", "marketing_manager"),
    "friend": ("teacher", "nurse", "student", "self_employed", "software_developer", "accountant",
               "consultant", "project_manager"),
}


@dataclass
class People:
    kind: np.ndarray
    first: np.ndarray
    last: np.ndarray
    alt_last: np.ndarray
    name_mut: np.ndarray
    quirk: np.ndarray
    company: np.ndarray
    company_var: np.ndarray
    title: np.ndarray
    country: np.ndarray
    contact: np.ndarray
    account: np.ndarray
    employee: np.ndarray
    email_visible: np.ndarray

    @property
    def n(self) -> int:
        return int(self.kind.size)

    def head(self, n: int) -> People:
        return People(*(getattr(self, f)[:n] for f in self.__dataclass_fields__))

    def extend(self, other: People) -> tuple[int, int]:
        start = self.n
        for name in self.__dataclass_fields__:
            setattr(self, name, np.concatenate([getattr(self, name), getattr(other, name)]))
        return start, self.n


def _blank(n: int) -> People:
    z32 = np.full(n, -1, np.int32)
    return People(np.zeros(n, np.int8), z32.copy(), z32.copy(), z32.copy(), np.zeros(n, np.int8),
                  np.zeros(n, np.int8), z32.copy(), np.zeros(n, bool), z32.copy(), np.zeros(n, np.int16),
                  z32.copy(), z32.copy(), z32.copy(), np.zeros(n, bool))


def _quirks(rng: np.random.Generator, n: int) -> np.ndarray:
    p = np.array([0.984, 0.005, 0.002, 0.003, 0.004, 0.002])
    return rng.choice(len(QUIRKS), size=n, p=p / p.sum()).astype(np.int8)


def contacts_as_people(rng: np.random.Generator, crm: Crm, companies: Companies, names: NamePools,
                       titles: TitleTable, rates: Rates) -> People:
    """CRM contacts as LinkedIn members: name variants, job changes."""
    n = crm.con_account.size
    p = _blank(n)
    p.first, p.last, p.title = crm.con_first.copy(), crm.con_last.copy(), crm.con_title.copy()
    p.contact = np.arange(n, dtype=np.int32)
    p.account = crm.con_account.copy()
    p.company = crm.con_account.copy()
    p.country = companies.country[crm.con_account].astype(np.int16)
    p.quirk = _quirks(rng, n)
    p.email_visible = rng.random(n) < 0.03
    p.company_var = rng.random(n) < rates.person_company_variant
    mut = np.where(rng.random(n) < rates.name_change, rng.integers(1, len(NAME_MUTATIONS), n), 0)
    has_nick = np.array([str(names.first[f]) in NICKNAMES for f in p.first])
    mut = np.where((mut == 1) & ~has_nick, 2, mut)
    # people with a formal name that has a nickname use it in some cases anyway
    mut = np.where((mut == 0) & has_nick & (rng.random(n) < rates.name_change * 3), 1, mut)
    p.name_mut = mut.astype(np.int8)
    _, p.alt_last = names.sample(rng, p.country.astype(np.int64))
    moved = rng.random(n) < rates.job_changed
    p.kind = np.where(moved, K["job_changed"], K["customer_contact"]).astype(np.int8)
    n_moved = int(moved.sum())
    others = np.flatnonzero(companies.kind == OTHER)
    to_account = rng.random(n_moved) < 0.3
    p.company[moved] = np.where(to_account, rng.integers(0, crm.n_accounts, n_moved),
                                others[rng.integers(0, others.size, n_moved)])
    lang = np.array([LANGS.index(COUNTRIES[c].lang) for c in p.country[moved]], dtype=np.int64)
    p.title[moved] = titles.sample(rng, lang, crm.con_role[moved].astype(np.int64))
    return p


def employees_as_people(rng: np.random.Generator, emp: Employees, companies: Companies,
                        titles: TitleTable) -> People:
    p = _blank(emp.n)
    p.kind[:] = K["colleague"]
    p.first, p.last, p.country = emp.first.copy(), emp.last.copy(), emp.country.copy()
    p.employee = np.arange(emp.n, dtype=np.int32)
    own = int(companies.indices(OWN)[0])
    p.company = np.where(emp.names_company, own, -1).astype(np.int32)
    p.company_var = rng.random(emp.n) < 0.3
    lang = np.array([LANGS.index(COUNTRIES[c].lang) for c in emp.country], dtype=np.int64)
    p.title = titles.sample(rng, lang, emp.title_role().astype(np.int64))
    p.quirk = _quirks(rng, emp.n)
    p.email_visible = rng.random(emp.n) < 0.02
    return p


def pool(rng: np.random.Generator, kind: str, n: int, names: NamePools, titles: TitleTable,
         companies: Companies, country: np.ndarray | None = None) -> People:
    """``n`` people of a noise ``kind``, sorted by country so callers can sample locally."""
    p = _blank(n)
    p.kind[:] = K[kind]
    if kind in ("recruiter", "supplier", "competitor_staff"):
        ckind = {"recruiter": RECRUITER, "supplier": SUPPLIER, "competitor_staff": COMPETITOR}[kind]
        firms = companies.indices(ckind)
        p.company = firms[rng.integers(0, firms.size, n)].astype(np.int32)
        p.country = companies.country[p.company] if kind != "competitor_staff" else rng.integers(0, len(COUNTRIES), n)
    elif kind == "account_staff":
        p.account = rng.integers(0, int((companies.kind == 0).sum()), n).astype(np.int32)
        p.company = p.account.copy()
        p.country = companies.country[p.company]
    else:
        p.country = country if country is not None else rng.integers(0, len(COUNTRIES), n)
        others = companies.indices(OTHER)
        p.company = others[rng.integers(0, others.size, n)].astype(np.int32)
        if kind == "friend":
            p.company = np.where(rng.random(n) < 0.35, -1, p.company).astype(np.int32)
    order = np.argsort(p.country, kind="stable")
    p.country = p.country[order].astype(np.int16)
    p.company = p.company[order]
    p.account = p.account[order]
    p.first, p.last = names.sample(rng, p.country.astype(np.int64))
    roles = _NOISE_ROLES.get(kind, _NOISE_ROLES["professional"])
    if kind == "account_staff":
        roles = COMMITTEE_ROLES
    role = np.array([role_index(r) for r in roles], dtype=np.int64)[rng.integers(0, len(roles), n)]
    lang = np.array([LANGS.index(COUNTRIES[c].lang) for c in p.country], dtype=np.int64)
    p.title = titles.sample(rng, lang, role)
    if kind == "friend":
        p.title = np.where(rng.random(n) < 0.2, -1, p.title).astype(np.int32)
    p.quirk = _quirks(rng, n)
    p.email_visible = rng.random(n) < 0.025
    return p


def namesakes(rng: np.random.Generator, contacts: People, n: int, titles: TitleTable,
              companies: Companies) -> People:
    """People who share a CRM contact's name but work elsewhere (hard for resolution)."""
    src = rng.integers(0, contacts.n, n)
    out = _blank(n)
    out.kind[:] = K["namesake"]
    out.first, out.last = contacts.first[src], contacts.last[src]
    out.country = contacts.country[src]
    others = companies.indices(OTHER)
    out.company = others[rng.integers(0, others.size, n)].astype(np.int32)
    role = np.array([role_index(r) for r in _NOISE_ROLES["professional"]])[rng.integers(0, 13, n)]
    lang = np.array([LANGS.index(COUNTRIES[c].lang) for c in out.country], dtype=np.int64)
    out.title = titles.sample(rng, lang, role.astype(np.int64))
    out.email_visible = rng.random(n) < 0.02
    return out

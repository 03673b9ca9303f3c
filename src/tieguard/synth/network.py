"""Connection timelines: ties that follow the pipeline, plus realistic noise.

A rep (the opportunity owner) mostly connects with an opportunity's contacts
after the first meetings, some before the opportunity, some only after the
close; inside sales, engineers, support and sales management connect to key
contacts too. Noise: colleagues, recruiters, competitor and supplier staff,
staff of CRM accounts who are not in the CRM, alumni, industry peers, friends,
namesakes of contacts, and hidden members. Everything is vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .companies import Companies
from .config import EXPORT_DATE, PIPELINE_START, Rates, SizeSpec, day
from .names import NamePools
from .org import SALES_ROLES, Employees
from .people import K, People, namesakes, pool
from .pipeline import Crm
from .titles import ROLE_KEYS, ROLES, TitleTable

PRIMARY_VARIANTS = ("linkedin_current", "spreadsheet_resave", "spreadsheet_semicolon")
OLD_VARIANTS = ("linkedin_2021", "linkedin_2018")
_NOISE_MIX = {"colleague": 0.10, "recruiter": 0.05, "competitor_staff": 0.02, "supplier": 0.06,
              "alumni": 0.20, "industry_peer": 0.30, "friend": 0.22}


@dataclass
class Snapshots:
    """Per employee: the primary export and an optional older one."""

    end: np.ndarray  # primary exported_on (days)
    variant: np.ndarray  # index into PRIMARY_VARIANTS
    old_on: np.ndarray  # older export date, -1 if none
    old_variant: np.ndarray  # index into OLD_VARIANTS


@dataclass
class Ties:
    emp: np.ndarray
    person: np.ndarray  # -1 = hidden member
    date: np.ndarray
    by_employee: np.ndarray  # did the employee send the invitation
    in_primary: np.ndarray
    in_old: np.ndarray

    def take(self, idx: np.ndarray) -> Ties:
        return Ties(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))


def plan_snapshots(rng: np.random.Generator, emp: Employees) -> Snapshots:
    n = emp.n
    export = day(EXPORT_DATE)
    end = np.where(emp.left > 0, emp.left - rng.integers(1, 30, n), export).astype(np.int32)
    variant = rng.choice(3, size=n, p=[0.72, 0.14, 0.14])
    old_variant = rng.integers(0, 2, n)
    has_old = rng.random(n) < 0.12
    # the first employees cover every variant, so even the smallest organisation has them all
    variant[1:4] = [0, 1, 2][: max(0, min(3, n - 1))]
    for i, v in ((min(4, n - 1), 0), (min(5, n - 1), 1)):
        has_old[i], old_variant[i] = True, v
        emp.joined[i] = min(int(emp.joined[i]), day(EXPORT_DATE.replace(year=2012)))
    lo = np.where(old_variant == 0, day(EXPORT_DATE.replace(year=2021, month=2)),
                  day(EXPORT_DATE.replace(year=2018, month=1)))
    old_on = lo + rng.integers(0, 480, n)
    has_old &= (old_on > emp.joined + 200) & (old_on < end - 200)
    old_on = np.where(has_old, old_on, -1).astype(np.int32)
    return Snapshots(end, variant.astype(np.int8), old_on, old_variant.astype(np.int8))


def _function_mask(roles: np.ndarray, function: str) -> np.ndarray:
    lookup = np.array([ROLES[k][1] == function for k in ROLE_KEYS])
    mask: np.ndarray = lookup[roles]
    return mask


def contact_ties(rng: np.random.Generator, crm: Crm, emp: Employees) -> tuple[np.ndarray, ...]:
    """(employee, contact, date) ties driven by opportunities and account ownership."""
    opp, con = crm.ocr_opp, crm.ocr_contact
    n = opp.size
    created, close = crm.opp_created[opp], crm.opp_close[opp]
    role = crm.con_role[con].astype(np.int64)
    key = np.isin(role, [ROLE_KEYS.index(k) for k in ("managing_director", "cfo", "head_purchasing",
                                                      "purchasing_director", "owner", "ceo")])
    connect = rng.random(n) < np.where(key, 0.85, 0.72)
    mode = rng.choice(3, size=n, p=[0.72, 0.12, 0.16])  # after first meetings, before, after close
    after_meet = created + 7 + rng.exponential(35, n).astype(np.int64)
    after_meet = np.minimum(after_meet, np.maximum(close - 1, created + 1))
    before = created - rng.integers(20, 400, n)
    after_close = close + rng.integers(1, 200, n)
    date = np.select([mode == 0, mode == 1], [after_meet, before], after_close)
    parts = [(crm.opp_owner[opp][connect], con[connect], date[connect])]
    account = crm.opp_account[opp]
    extra_date = created + 14 + rng.exponential(60, n).astype(np.int64)
    roles = emp.roles()
    for who, p_base in (("inside", 0.3), ("engineering", 0.12), ("support", 0.1), ("sales_management", 0.06)):
        p = np.full(n, p_base)
        if who == "engineering":
            p = np.where(_function_mask(role, "engineering") | _function_mask(role, "production"), 0.3, 0.03)
        if who == "sales_management":
            p = np.where(key, 0.2, 0.02)
        pick = rng.random(n) < p
        if who == "inside":
            e = crm.acc_inside[account[pick]]
        else:
            pool_ = np.flatnonzero(roles == who)
            if pool_.size == 0:
                continue
            e = pool_[rng.integers(0, pool_.size, int(pick.sum()))]
        d = extra_date[pick] if who != "support" else np.maximum(extra_date[pick], close[pick])
        parts.append((e, con[pick], d))
    # contacts never on a deal: the account owner knows some of them
    lonely = np.setdiff1d(np.arange(crm.con_account.size), con)
    lonely = lonely[rng.random(lonely.size) < 0.35]
    start = day(PIPELINE_START) - 700
    parts.append((crm.acc_owner[crm.con_account[lonely]], lonely,
                  rng.integers(start, day(EXPORT_DATE), lonely.size)))
    e_all = np.concatenate([p[0] for p in parts]).astype(np.int32)
    c_all = np.concatenate([p[1] for p in parts]).astype(np.int32)
    d_all = np.concatenate([p[2] for p in parts]).astype(np.int32)
    employed = (d_all >= emp.hired[e_all] - 30) & ((emp.left[e_all] < 0) | (d_all < emp.left[e_all]))
    return e_all[employed], c_all[employed], d_all[employed]


def _noise_counts(rng: np.random.Generator, emp: Employees, snaps: Snapshots, total: int) -> np.ndarray:
    roles = emp.roles()
    factor = np.where(np.isin(roles, list(SALES_ROLES)), 1.5, np.where(roles == "management", 1.3, 1.0))
    tenure = np.maximum(snaps.end - emp.joined, 100)
    w = rng.lognormal(0, 0.5, emp.n) * factor * tenure / tenure.mean()
    counts: np.ndarray = np.maximum(5, np.round(w / w.sum() * max(total, 5 * emp.n))).astype(np.int64)
    return counts


def _local(rng: np.random.Generator, country_sorted: np.ndarray, offset: int, want: np.ndarray) -> np.ndarray:
    """Sample a person of the same country from a pool sorted by country (fallback: anyone)."""
    lo = np.searchsorted(country_sorted, want, "left")
    hi = np.searchsorted(country_sorted, want, "right")
    empty = hi <= lo
    lo, hi = np.where(empty, 0, lo), np.where(empty, country_sorted.size, hi)
    return offset + lo + (rng.random(want.size) * (hi - lo)).astype(np.int64)


def noise_ties(rng: np.random.Generator, people: People, emp: Employees, snaps: Snapshots,
               names: NamePools, titles: TitleTable, companies: Companies, total: int,
               rates: Rates, n_contacts: int, colleague_offset: int) -> tuple[np.ndarray, ...]:
    """Ties to everyone who is not (yet) a CRM contact; extends ``people`` with the pools."""
    counts = _noise_counts(rng, emp, snaps, total)
    e = np.repeat(np.arange(emp.n), counts).astype(np.int32)
    mix = dict(_NOISE_MIX, account_staff=rates.account_staff, namesake=rates.namesake)
    kinds = list(mix)
    p = np.array([mix[k] for k in kinds])
    kind = rng.choice(len(kinds), size=e.size, p=p / p.sum())
    person = np.full(e.size, -1, np.int64)
    e_country = emp.country[e].astype(np.int64)
    for k_i, k in enumerate(kinds):
        rows = np.flatnonzero(kind == k_i)
        if rows.size == 0:
            continue
        if k == "colleague":
            person[rows] = colleague_offset + _colleagues(rng, emp, e[rows])
            continue
        size = {"recruiter": rows.size // 8, "competitor_staff": rows.size // 5, "supplier": rows.size // 3,
                "account_staff": rows.size // 2, "alumni": rows.size // 2,
                "industry_peer": int(rows.size / 1.5)}.get(k, rows.size)
        size = max(size, 10)
        if k == "namesake":
            start, _ = people.extend(namesakes(rng, people.head(n_contacts), size, titles, companies))
            person[rows] = start + np.arange(rows.size)
            continue
        country = None
        if k in ("alumni", "friend"):
            country = np.where(rng.random(size) < 0.9, np.sort(rng.choice(e_country[rows], size)),
                               rng.integers(0, 25, size))
        new = pool(rng, k, size, names, titles, companies, country)
        start, _ = people.extend(new)
        if k == "friend":
            person[rows] = start + np.argsort(np.argsort(e_country[rows], kind="stable"), kind="stable")
        elif k in ("alumni", "account_staff"):
            person[rows] = _local(rng, new.country, start, e_country[rows])
        else:
            person[rows] = start + rng.integers(0, size, rows.size)
    lo = emp.joined[e].astype(np.int64)
    date = lo + ((snaps.end[e] - lo) * rng.beta(1.6, 1.0, e.size)).astype(np.int64)
    is_col = people.kind[person] == K["colleague"]
    date = np.where(is_col, np.maximum(date, np.maximum(emp.hired[e], emp.hired[people.employee[person]])), date)
    keep = ~(is_col & (people.employee[person] == e))
    return e[keep], person[keep].astype(np.int32), date[keep].astype(np.int32)


def _colleagues(rng: np.random.Generator, emp: Employees, e: np.ndarray) -> np.ndarray:
    order = np.argsort(emp.team, kind="stable")
    sorted_team = emp.team[order]
    team = emp.team[e]
    lo, hi = np.searchsorted(sorted_team, team, "left"), np.searchsorted(sorted_team, team, "right")
    same = order[lo + (rng.random(e.size) * (hi - lo)).astype(np.int64)]
    anyone = rng.integers(0, emp.n, e.size)
    return np.where(rng.random(e.size) < 0.6, same, anyone)


def assemble(rng: np.random.Generator, parts: list[tuple[np.ndarray, ...]], people: People,
             emp: Employees, snaps: Snapshots) -> Ties:
    """Deduplicate, add hidden members, split into snapshots; sorted by employee, newest first."""
    e = np.concatenate([p[0] for p in parts]).astype(np.int64)
    person = np.concatenate([p[1] for p in parts]).astype(np.int64)
    date = np.concatenate([p[2] for p in parts]).astype(np.int64)
    ok = (date <= snaps.end[e]) & (date >= emp.joined[e])
    e, person, date = e[ok], person[ok], date[ok]
    order = np.lexsort((date, person, e))
    e, person, date = e[order], person[order], date[order]
    first = np.ones(e.size, bool)
    first[1:] = (e[1:] != e[:-1]) | (person[1:] != person[:-1])
    e, person, date = e[first], person[first], date[first]
    n_hidden = rng.binomial(np.bincount(e, minlength=emp.n), 0.005)
    he = np.repeat(np.arange(emp.n), n_hidden)
    hd = emp.joined[he] + ((snaps.end[he] - emp.joined[he]) * rng.random(he.size)).astype(np.int64)
    e, person = np.concatenate([e, he]), np.concatenate([person, np.full(he.size, -1)])
    date = np.concatenate([date, hd])
    kind = np.where(person >= 0, people.kind[np.maximum(person, 0)], K["hidden_member"])
    p_emp = np.select([kind <= K["job_changed"], np.isin(kind, [K["recruiter"], K["competitor_staff"], K["supplier"]])],
                      [0.85, 0.25], 0.5)
    by_employee = rng.random(e.size) < p_emp
    old_on = snaps.old_on[e]
    in_old = (old_on >= 0) & (date <= old_on)
    removed = in_old & (rng.random(e.size) < 0.03)
    order = np.lexsort((person, -date, e))
    return Ties(e.astype(np.int32), person.astype(np.int32), date.astype(np.int32), by_employee,
                ~removed, in_old).take(order)


def build_ties(rng: np.random.Generator, spec: SizeSpec, rates: Rates, crm: Crm, emp: Employees,
               people: People, snaps: Snapshots, names: NamePools, titles: TitleTable,
               companies: Companies, colleague_offset: int) -> Ties:
    ce, cp, cd = contact_ties(rng, crm, emp)
    noise = noise_ties(rng, people, emp, snaps, names, titles, companies, int(spec.ties * 1.07) - ce.size,
                       rates, crm.con_account.size, colleague_offset)
    return assemble(rng, [(ce, cp, cd), noise], people, emp, snaps)

"""The CRM: accounts, contacts with buying committees, opportunities with stage histories."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .companies import Companies
from .config import EXPORT_DATE, PIPELINE_START, Rates, SizeSpec, day
from .countries import COUNTRIES, LANGS
from .names import NamePools
from .org import TEAMS, Employees
from .titles import COMMITTEE_ROLES, ROLES, TitleTable, role_index

STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
INDUSTRIES = ("Manufacturing", "Chemicals", "Energy", "Food & Beverage", "Machinery", "Utilities",
              "Transportation", "Construction", "Pharmaceuticals")
PRODUCTS = ("Pump retrofit", "Valve package", "Service contract", "Spare parts framework",
            "Conveyor line", "Dosing system", "Heat exchanger", "Filtration unit", "Control cabinet",
            "Plant upgrade", "Sensor rollout", "Compressor overhaul")
_STAGE_DAYS = ((5, 40), (10, 60), (15, 90), (10, 60))  # days spent in each open stage


@dataclass
class Crm:
    """Accounts (= companies 0..n-1), contacts, opportunities and contact roles."""

    acc_customer: np.ndarray  # bool
    acc_industry: np.ndarray  # index into INDUSTRIES
    acc_owner: np.ndarray  # employee index
    acc_inside: np.ndarray  # inside-sales employee index (or owner)
    con_account: np.ndarray
    con_role: np.ndarray  # index into ROLE_KEYS
    con_title: np.ndarray  # LinkedIn position (title row)
    con_crm_title: np.ndarray  # CRM title row, -1 = empty
    con_first: np.ndarray
    con_last: np.ndarray
    con_has_email: np.ndarray
    opp_account: np.ndarray
    opp_owner: np.ndarray
    opp_created: np.ndarray
    opp_close: np.ndarray
    opp_stage: np.ndarray  # index into STAGES (current)
    opp_amount: np.ndarray
    opp_product: np.ndarray
    stage_opp: np.ndarray  # stage history rows
    stage_idx: np.ndarray
    stage_on: np.ndarray
    ocr_opp: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    ocr_contact: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    ocr_primary: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @property
    def n_accounts(self) -> int:
        return int(self.acc_customer.size)


def _candidates(emp: Employees, role: str) -> dict[int, np.ndarray]:
    """Country index -> employees of ``role`` whose team territory covers it."""
    out: dict[int, list[int]] = {c: [] for c in range(len(COUNTRIES))}
    codes = [c.code for c in COUNTRIES]
    for i in range(emp.n):
        name, team_role, _, territory, _ = TEAMS[int(emp.team[i])]
        if team_role != role:
            continue
        covered = codes if "*" in territory else territory
        for code in covered:
            out[codes.index(code)].append(i)
    sales = np.array([i for i in range(emp.n) if emp.role(i) in ("inside_sales", "field_sales", "sales_management")] or [0])
    return {c: (np.array(v) if v else sales) for c, v in out.items()}


def _owners(rng: np.random.Generator, country: np.ndarray, cands: dict[int, np.ndarray]) -> np.ndarray:
    out = np.empty(country.size, dtype=np.int32)
    for c, pool in cands.items():
        mask = country == c
        out[mask] = pool[rng.integers(0, pool.size, int(mask.sum()))]
    return out


def build_crm(rng: np.random.Generator, names: NamePools, titles: TitleTable, companies: Companies,
              emp: Employees, spec: SizeSpec, rates: Rates) -> Crm:
    """Generate the whole CRM for ``spec.accounts`` accounts."""
    n_acc = spec.accounts
    country = companies.country[:n_acc].astype(np.int64)
    customer = rng.random(n_acc) < 0.6
    owner = _owners(rng, country, _candidates(emp, "field_sales"))
    inside = _owners(rng, country, _candidates(emp, "inside_sales"))
    crm = Crm(customer, rng.integers(0, len(INDUSTRIES), n_acc), owner, inside,
              *_contacts(rng, names, titles, country, spec, customer),
              *_opportunities(rng, n_acc, customer, owner, emp))
    _contact_roles(rng, crm)
    return crm


def _contacts(rng: np.random.Generator, names: NamePools, titles: TitleTable, acc_country: np.ndarray,
              spec: SizeSpec, customer: np.ndarray) -> tuple[np.ndarray, ...]:
    lam = np.where(customer, spec.contacts_per_account * 1.25, spec.contacts_per_account * 0.6)
    counts = np.maximum(1, rng.poisson(lam - 1) + 1)
    account = np.repeat(np.arange(acc_country.size), counts)
    n = account.size
    w = np.array([ROLES[k][3] for k in COMMITTEE_ROLES])
    committee = np.array([role_index(k) for k in COMMITTEE_ROLES], dtype=np.int16)
    role = committee[rng.choice(committee.size, size=n, p=w / w.sum())]
    # the first contact of each account is its buyer or purchasing lead
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    purchasing = np.array([role_index(k) for k in ("head_purchasing", "purchasing_manager", "buyer")], dtype=np.int16)
    role[starts] = purchasing[rng.integers(0, 3, starts.size)]
    c_country = acc_country[account]
    foreign = rng.random(n) < 0.08
    c_country = np.where(foreign, rng.integers(0, len(COUNTRIES), n), c_country)
    first, last = names.sample(rng, c_country)
    lang = np.array([LANGS.index(COUNTRIES[c].lang) for c in acc_country[account]], dtype=np.int64)
    title = titles.sample(rng, lang, role)
    crm_title = np.where(rng.random(n) < 0.7, title, titles.sample(rng, lang, role))
    crm_title = np.where(rng.random(n) < 0.15, -1, crm_title)
    return account.astype(np.int32), role, title, crm_title.astype(np.int32), first, last, rng.random(n) < 0.85


def _opportunities(rng: np.random.Generator, n_acc: int, customer: np.ndarray, owner: np.ndarray,
                   emp: Employees) -> tuple[np.ndarray, ...]:
    counts = rng.poisson(np.where(customer, 2.2, 0.8))
    account = np.repeat(np.arange(n_acc), counts).astype(np.int32)
    n = account.size
    start, export = day(PIPELINE_START), day(EXPORT_DATE)
    created = rng.integers(start, export - 5, n).astype(np.int32)
    durations = np.stack([rng.integers(lo, hi, n) for lo, hi in _STAGE_DAYS], axis=1)
    entered = created[:, None] + np.concatenate([np.zeros((n, 1), np.int64), np.cumsum(durations, axis=1)], axis=1)
    # outcome: won (through all four stages) or lost at the stage it reached
    won = rng.random(n) < np.where(customer[account], 0.5, 0.2)
    lost_at = rng.integers(1, 5, n)  # number of open stages passed before losing
    end_stage = np.where(won, 4, lost_at)
    close = entered[np.arange(n), end_stage].astype(np.int32)
    closed = close <= export
    reached = (entered <= export).sum(axis=1)  # stages entered by the export date (incl. closing)
    current = np.where(closed, np.where(won, 4, 5), np.minimum(reached, end_stage) - 1)
    amount = np.round(np.exp(rng.normal(10.4, 0.9, n)), -2)
    opp_owner = _opp_owners(rng, account, created, owner, emp)
    stage_rows = _stage_history(entered, end_stage, won, export)
    return (account, opp_owner, created, close, current.astype(np.int8), amount,
            rng.integers(0, len(PRODUCTS), n), *stage_rows)


def _opp_owners(rng: np.random.Generator, account: np.ndarray, created: np.ndarray, owner: np.ndarray,
                emp: Employees) -> np.ndarray:
    """The account owner, or a colleague of the same team employed when the deal was created."""
    out: np.ndarray = owner[account].copy()
    employed = (emp.hired[out] <= created) & ((emp.left[out] < 0) | (emp.left[out] > created))
    for i in np.flatnonzero(~employed).tolist():
        team = emp.team[out[i]]
        mates = np.flatnonzero((emp.team == team) & (emp.hired <= created[i])
                               & ((emp.left < 0) | (emp.left > created[i])))
        if mates.size:
            out[i] = mates[rng.integers(mates.size)]
    return out


def _stage_history(entered: np.ndarray, end_stage: np.ndarray, won: np.ndarray, export: int) -> tuple[np.ndarray, ...]:
    n = entered.shape[0]
    opps, stages, dates = [], [], []
    for s in range(5):
        mask = (s <= end_stage) & (entered[:, s] <= export)
        idx = np.flatnonzero(mask)
        stage = np.full(idx.size, s) if s < 4 else np.where(won[idx], 4, 5)
        if s > 0:  # a lost deal's closing row replaces the stage it never reached
            stage = np.where(end_stage[idx] == s, np.where(won[idx], 4, 5), stage)
        opps.append(idx)
        stages.append(stage)
        dates.append(entered[idx, s])
    opp = np.concatenate(opps)
    order = np.lexsort((np.concatenate(dates), opp))
    del n
    return (opp[order].astype(np.int32), np.concatenate(stages)[order].astype(np.int8),
            np.concatenate(dates)[order].astype(np.int32))


def _contact_roles(rng: np.random.Generator, crm: Crm) -> None:
    n_con = np.bincount(crm.con_account, minlength=crm.n_accounts)
    first_con = np.concatenate(([0], np.cumsum(n_con)[:-1]))
    k = np.minimum(rng.integers(1, 5, crm.opp_account.size), n_con[crm.opp_account])
    opp = np.repeat(np.arange(crm.opp_account.size), k)
    acc = crm.opp_account[opp]
    contact = first_con[acc] + (rng.random(opp.size) * n_con[acc]).astype(np.int64)
    # the first role row of every opportunity is the account's purchasing lead
    first_row = np.concatenate(([0], np.cumsum(k)[:-1]))
    contact[first_row] = first_con[crm.opp_account]
    pairs = np.unique(np.stack([opp, contact], axis=1), axis=0)
    crm.ocr_opp = pairs[:, 0].astype(np.int32)
    crm.ocr_contact = pairs[:, 1].astype(np.int32)
    crm.ocr_primary = crm.ocr_contact == first_con[crm.opp_account[crm.ocr_opp]]

"""Sizes, dates and rates of the synthetic organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EPOCH = dt.date(1970, 1, 1)
EXPORT_DATE = dt.date(2026, 11, 1)  # the day the current exports were made
PIPELINE_START = dt.date(2021, 11, 1)  # five years of CRM history


def day(date: dt.date) -> int:
    """Days since 1970-01-01 (how dates are held in the numpy arrays)."""
    return (date - EPOCH).days


def date_of(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


@dataclass(frozen=True)
class SizeSpec:
    """How big the organisation is."""

    employees: int
    accounts: int
    contacts_per_account: float
    ties: int  # target number of ties over all employees
    vcard_employees: int  # employees with XING vCards
    vcards_per_employee: int


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(20, 160, 4.0, 3_000, 2, 3),
    "default": SizeSpec(300, 1_500, 4.0, 60_000, 12, 5),
    "large": SizeSpec(10_000, 50_000, 4.0, 5_000_000, 100, 5),
}


def scaled(size: str, employees: int) -> SizeSpec:
    """``size``'s proportions (accounts, ties per employee) for ``employees`` employees."""
    base = SIZES[size]
    factor = employees / base.employees
    return SizeSpec(employees, max(10, round(base.accounts * factor)), base.contacts_per_account,
                    round(base.ties * factor), max(1, min(base.vcard_employees, employees // 10)),
                    base.vcards_per_employee)


@dataclass(frozen=True)
class Rates:
    """Probabilities that make the organisation easy or hard to resolve."""

    name_change: float  # contacts whose LinkedIn name differs from the CRM (nickname, ascii, married, typo)
    job_changed: float  # contacts who moved to another company
    account_staff: float  # share of noise ties that are staff of CRM accounts but not CRM contacts
    namesake: float  # share of noise ties with the same name as a CRM contact elsewhere
    person_company_variant: float  # people who spell their employer differently from their colleagues


DEFAULT_RATES = Rates(name_change=0.06, job_changed=0.06, account_staff=0.05, namesake=0.002,
                      person_company_variant=0.05)
HARD_RATES = Rates(name_change=0.30, job_changed=0.15, account_staff=0.12, namesake=0.02,
                   person_company_variant=0.15)

OWN_COMPANY = ("Brakel Industrial Solutions B.V.", "brakel-industrial.com")
COMPETITORS: list[tuple[str, str]] = [
    ("Vortex Prozesstechnik GmbH", "vortex-prozesstechnik.de"),
    ("Nordhavn Industrial A/S", "nordhavn-industrial.dk"),
    ("Castellani Automazione S.p.A.", "castellani-automazione.it"),
    ("Meridian Flow Systems Ltd", "meridianflow.co.uk"),
]

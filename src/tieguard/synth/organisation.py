"""The synthetic organisation in memory: employees, companies, CRM, people, ties.

Everything is int arrays (strings only through :class:`~tieguard.synth.render.Renderer`);
the random stream is consumed in a fixed order, so the same seed gives the same
organisation. :func:`tieguard.synth.generate` writes it to files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .companies import OTHER, RECRUITER, SUPPLIER, build_companies
from .config import COMPETITORS, DEFAULT_RATES, HARD_RATES, OWN_COMPANY, SizeSpec
from .names import build_pools
from .network import Snapshots, Ties, build_ties, plan_snapshots
from .org import build_employees
from .people import contacts_as_people, employees_as_people
from .pipeline import build_crm
from .render import Renderer
from .titles import title_table

__all__ = ["Organisation", "build_organisation"]


@dataclass
class Organisation:
    renderer: Renderer  # employees, companies, CRM, people and their strings
    snaps: Snapshots
    ties: Ties
    rng: np.random.Generator  # the stream continues when the files are written


def build_organisation(spec: SizeSpec, seed: int, hard: bool,
                       step: Callable[[str], None] = lambda name: None) -> Organisation:
    """Build an organisation of ``spec``'s size from ``seed``."""
    rates = HARD_RATES if hard else DEFAULT_RATES
    rng = np.random.default_rng([seed, 1 if hard else 0])
    step("build name pools")
    names = build_pools(seed)
    titles = title_table()
    emp = build_employees(rng, names, spec, OWN_COMPANY[1])
    others = {RECRUITER: max(10, spec.employees // 10), SUPPLIER: max(20, spec.employees // 5),
              OTHER: max(100, spec.accounts)}
    companies = build_companies(rng, names, spec.accounts, others, hard, OWN_COMPANY, COMPETITORS)
    step("build CRM")
    crm_data = build_crm(rng, names, titles, companies, emp, spec, rates)
    people = contacts_as_people(rng, crm_data, companies, names, titles, rates)
    colleague_offset, _ = people.extend(employees_as_people(rng, emp, companies, titles))
    step("build connection timelines")
    snaps = plan_snapshots(rng, emp)
    ties = build_ties(rng, spec, rates, crm_data, emp, people, snaps, names, titles, companies, colleague_offset)
    return Organisation(Renderer(names, companies, titles, emp, crm_data, people), snaps, ties, rng)

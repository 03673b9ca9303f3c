"""Our organisation: employees in teams and countries, their profiles and privacy settings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .config import EXPORT_DATE, SizeSpec, date_of, day
from .countries import INDEX
from .names import NamePools, slug_part
from .titles import role_index

ROSTER_ROLES = ("inside_sales", "field_sales", "sales_management", "engineering", "management",
                "support", "marketing", "other")
SALES_ROLES = frozenset({"inside_sales", "field_sales", "sales_management"})
# team, role, residence countries, territory (account countries it owns; "*" = the rest), weight
TEAMS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], float], ...] = (
    ("Inside Sales NL", "inside_sales", ("NL",), ("NL", "BE"), 0.06),
    ("Inside Sales DACH", "inside_sales", ("DE", "AT"), ("DE", "AT", "CH"), 0.07),
    ("Inside Sales International", "inside_sales", ("NL", "GB", "ES"), ("*",), 0.08),
    ("Field Sales Benelux", "field_sales", ("NL", "BE"), ("NL", "BE"), 0.04),
    ("Field Sales DACH", "field_sales", ("DE", "AT", "CH"), ("DE", "AT", "CH"), 0.05),
    ("Field Sales France", "field_sales", ("FR",), ("FR",), 0.03),
    ("Field Sales Iberia", "field_sales", ("ES", "PT"), ("ES", "PT"), 0.025),
    ("Field Sales Italy", "field_sales", ("IT",), ("IT",), 0.025),
    ("Field Sales UK & Ireland", "field_sales", ("GB", "IE"), ("GB", "IE"), 0.025),
    ("Field Sales Nordics", "field_sales", ("SE", "DK"), ("SE", "DK", "NO", "FI"), 0.025),
    ("Field Sales CEE", "field_sales", ("PL", "CZ"), ("PL", "CZ", "HU", "RO", "TR"), 0.025),
    ("Field Sales Americas & APAC", "field_sales", ("US", "CA"), ("US", "CA", "MX", "BR", "AU"), 0.03),
    ("Sales Management", "sales_management", ("NL", "DE", "US"), ("*",), 0.04),
    ("Engineering", "engineering", ("NL", "DE", "PL"), (), 0.2),
    ("Management", "management", ("NL",), (), 0.03),
    ("Support", "support", ("NL", "DE", "GB", "US"), (), 0.15),
    ("Marketing", "marketing", ("NL", "DE"), (), 0.07),
    ("Finance & HR", "other", ("NL",), (), 0.03),
)
_TITLE_ROLE = {"inside_sales": "inside_sales", "field_sales": "field_sales",
               "sales_management": "sales_management", "engineering": "engineer",
               "management": "managing_director", "support": "service_engineer",
               "marketing": "marketing_manager", "other": "accountant"}


@dataclass
class Employees:
    """The roster as arrays (one row per employee)."""

    ids: list[str]
    first: np.ndarray  # index into name pools
    last: np.ndarray
    team: np.ndarray  # index into TEAMS
    country: np.ndarray  # index into COUNTRIES
    hired: np.ndarray  # days
    left: np.ndarray  # days, -1 if still employed
    joined: np.ndarray  # joined LinkedIn (days)
    names_company: np.ndarray  # bool
    manager: list[str]
    emails: list[str]
    slugs: list[str]
    privacy: list[tuple[str, str, str]] = field(default_factory=list)  # (id, valid_from, visibility)

    @property
    def n(self) -> int:
        return len(self.ids)

    def role(self, i: int) -> str:
        return TEAMS[int(self.team[i])][1]

    def roles(self) -> np.ndarray:
        return np.array([TEAMS[int(t)][1] for t in self.team], dtype=object)

    def title_role(self) -> np.ndarray:
        """Role index (titles.ROLE_KEYS) each employee shows as their position."""
        return np.array([role_index(_TITLE_ROLE[TEAMS[int(t)][1]]) for t in self.team], dtype=np.int16)


def _assign_teams(rng: np.random.Generator, n: int) -> np.ndarray:
    w = np.array([t[4] for t in TEAMS])
    teams = rng.choice(len(TEAMS), size=n, p=w / w.sum())
    # every team is staffed when there are enough people; management first (E00001 = CEO)
    order = [14] + [i for i in range(len(TEAMS)) if i != 14]
    teams[: min(n, len(order))] = order[: min(n, len(order))]
    return teams


def build_employees(rng: np.random.Generator, names: NamePools, spec: SizeSpec, domain: str) -> Employees:
    """Employees with teams, countries, employment dates and profile settings."""
    n = spec.employees
    teams = _assign_teams(rng, n)
    country = np.array([INDEX[TEAMS[t][2][rng.integers(len(TEAMS[t][2]))]] for t in teams], dtype=np.int16)
    first, last = names.sample(rng, country)
    export = day(EXPORT_DATE)
    hired = np.where(rng.random(n) < 0.75, rng.integers(day(date_of(0).replace(year=2008)), day(EXPORT_DATE.replace(year=2021)), n),
                     rng.integers(day(EXPORT_DATE.replace(year=2021)), export - 60, n))
    left = np.where(rng.random(n) < 0.06, rng.integers(day(EXPORT_DATE.replace(year=2023)), export - 30, n), -1)
    left = np.where((left > 0) & (left < hired + 200), -1, left)
    left[0] = -1
    joined = np.minimum(hired - rng.integers(0, 3000, n), export - 400)
    joined = np.maximum(joined, day(EXPORT_DATE.replace(year=2005)))
    ids = [f"E{i + 1:05d}" for i in range(n)]
    emails, slugs = _emails_and_slugs(names, first, last, domain)
    manager = _managers(ids, teams)
    emp = Employees(ids, first, last, teams.astype(np.int16), country, hired.astype(np.int32),
                    left.astype(np.int32), joined.astype(np.int32), rng.random(n) < 0.88,
                    manager, emails, slugs)
    emp.names_company[0] = True
    emp.privacy = _privacy(rng, emp)
    return emp


def _emails_and_slugs(names: NamePools, first: np.ndarray, last: np.ndarray, domain: str) -> tuple[list[str], list[str]]:
    emails: list[str] = []
    slugs: list[str] = []
    seen: set[str] = set()
    for i, (f, la) in enumerate(zip(first.tolist(), last.tolist(), strict=True)):
        local = f"{slug_part(names.first_ascii[f])}.{slug_part(names.last_ascii[la]).replace('-', '')}"
        if local in seen:
            local = f"{local}{i}"
        seen.add(local)
        emails.append(f"{local}@{domain}")
        slugs.append(f"{slug_part(names.first_ascii[f])}-{slug_part(names.last_ascii[la])}-b{i:05d}rk")
    return emails, slugs


def _managers(ids: list[str], teams: np.ndarray) -> list[str]:
    lead: dict[int, str] = {}
    out: list[str] = []
    for i, t in enumerate(teams.tolist()):
        if t not in lead:
            lead[t] = ids[i]
            out.append("" if i == 0 else ids[0])
        else:
            out.append(lead[t])
    return out


def _privacy(rng: np.random.Generator, emp: Employees) -> list[tuple[str, str, str]]:
    """Visibility timeline: most start visible; some hide after a 2024 training, a few revert."""
    rows: list[tuple[str, str, str]] = []
    roles = emp.roles()
    for i in range(emp.n):
        start = date_of(int(emp.hired[i])).isoformat()
        vis = "connections" if rng.random() < 0.85 else "only_me"
        rows.append((emp.ids[i], start, vis))
        p_hide = 0.35 if roles[i] in SALES_ROLES else 0.12
        if vis == "connections" and rng.random() < p_hide:
            when = max(day(EXPORT_DATE.replace(year=2024, month=3)) + int(rng.integers(0, 200)), int(emp.hired[i]) + 1)
            rows.append((emp.ids[i], date_of(when).isoformat(), "only_me"))
            if rng.random() < 0.15:
                rows.append((emp.ids[i], date_of(when + int(rng.integers(60, 500))).isoformat(), "connections"))
        elif vis == "only_me" and rng.random() < 0.2:
            when = int(emp.hired[i]) + int(rng.integers(100, 1500))
            rows.append((emp.ids[i], date_of(min(when, day(EXPORT_DATE) - 1)).isoformat(), "connections"))
    return rows

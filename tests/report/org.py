"""A small random organisation written straight into the canonical tables, so that the
real watch, exposure, policy and capital stages can run before the report."""

from __future__ import annotations

import datetime as dt
import random

from tieguard.engine import Engine
from tieguard.settings import Settings

START = dt.date(2023, 1, 1)
END = dt.date(2024, 12, 30)
TEAMS = (("Inside Sales DACH", 6, "inside_sales"), ("Field Sales Benelux", 5, "field_sales"),
         ("Engineering", 4, "engineering"), ("Board office", 2, "management"))
COUNTRIES = ("DE", "NL", "FR", "BE", "PL", "IT")
WORDS = ("Kessel", "Rhein", "Nord", "Pump", "Ventil", "Stahl", "Delta", "Apex", "Lumen", "Orbis")


def _day(rng: random.Random, lo: dt.date = START, hi: dt.date = END) -> dt.date:
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days))


def _employees(engine: Engine) -> list[str]:
    ids: list[str] = []
    for team, size, job_role in TEAMS:
        for _ in range(size):
            eid = f"E{len(ids) + 1:03d}"
            engine.execute(
                "INSERT INTO employees (employee_id, full_name, team, job_role, country) "
                "VALUES (?, ?, ?, ?, 'NL')", [eid, f"Staff Member {eid}", team, job_role])
            engine.execute("INSERT INTO profiles VALUES (?, 'linkedin', NULL, true)", [eid])
            ids.append(eid)
    engine.execute("INSERT INTO privacy_settings VALUES ('E002', 'linkedin', DATE '2024-03-01', "
                   "'only_me')")
    return ids


def _person(engine: Engine, key: str, account: str | None, contact: str | None,
            country: str, buying: bool) -> None:
    engine.execute(
        "INSERT INTO tie_people (person_key, position, company, country, company_class) "
        "VALUES (?, ?, ?, ?, ?)",
        [key, "Head of Purchasing" if buying else "Designer", f"Company of {account or key}",
         country, "account" if account else "other"])
    engine.execute("INSERT INTO person_roles VALUES (?, ?, ?, ?, 0.9, ?)",
                   [key, "head" if buying else "individual", "purchasing" if buying else "other",
                    "decision_maker|procurement" if buying else "", buying])
    if account:
        engine.execute(
            "INSERT INTO tie_matches (person_key, contact_id, account_id, match_probability, "
            "method, status) VALUES (?, ?, ?, 0.97, 'test', 'matched')", [key, contact, account])


def _accounts(engine: Engine, rng: random.Random, n_accounts: int) -> list[tuple[str, str]]:
    persons: list[tuple[str, str]] = []
    for i in range(n_accounts):
        aid, country = f"A{i + 1:03d}", rng.choice(COUNTRIES)
        name = f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {('GmbH', 'BV', 'SA')[i % 3]}"
        engine.execute("INSERT INTO accounts (account_id, name, country, account_type) "
                       "VALUES (?, ?, ?, 'customer')", [aid, name, country])
        for j in range(3):
            cid, key = f"C{i + 1:03d}{j}", f"P{i + 1:03d}{j}"
            engine.execute("INSERT INTO contacts (contact_id, account_id, title) VALUES (?, ?, ?)",
                           [cid, aid, "Head of Purchasing"])
            engine.execute("INSERT INTO contact_title_roles VALUES (?, 'head', 'purchasing', "
                           "'decision_maker|procurement', 0.9, true)", [cid])
            _person(engine, key, aid, cid, country, buying=j < 2)
            persons.append((key, aid))
        for k in range(rng.randint(1, 3)):
            created = _day(rng, dt.date(2023, 6, 1), dt.date(2024, 10, 1))
            close = created + dt.timedelta(days=rng.randint(40, 300))
            closed = close <= END
            engine.execute(
                "INSERT INTO opportunities (opportunity_id, account_id, amount, currency, "
                "created_on, close_date, is_closed, is_won) VALUES (?, ?, ?, 'EUR', ?, ?, ?, ?)",
                [f"O{i + 1:03d}{k}", aid, float(rng.randrange(20, 900) * 1000), created, close,
                 closed, closed and rng.random() < 0.5])
            engine.execute("INSERT INTO contact_roles VALUES (?, ?, 'Decision Maker', "
                           "'decision_maker', true)", [f"O{i + 1:03d}{k}", f"C{i + 1:03d}0"])
    return persons


def build_org(engine: Engine, *, n_accounts: int = 12, n_ties: int = 160, seed: int = 5) -> None:
    """Employees in four teams, accounts with contacts and deals, and random ties."""
    with engine.transaction():
        _build(engine, random.Random(seed), n_accounts, n_ties)


def _build(engine: Engine, rng: random.Random, n_accounts: int, n_ties: int) -> None:
    engine.execute("INSERT INTO organisation VALUES ('own_name', 'Ourco')")
    employees = _employees(engine)
    persons = [key for key, _ in _accounts(engine, rng, n_accounts)]
    for i in range(n_ties // 4):  # people outside the CRM
        key = f"X{i:04d}"
        _person(engine, key, None, None, rng.choice(COUNTRIES), buying=rng.random() < 0.5)
        persons.append(key)
    seen: set[tuple[str, str]] = set()
    while len(seen) < n_ties:
        pair = (rng.choice(employees[:11] * 3 + employees), rng.choice(persons))
        if pair in seen:
            continue
        seen.add(pair)
        engine.execute(
            "INSERT INTO ties (tie_id, employee_id, network, person_key, connected_on, "
            "first_import_id, last_seen_import_id) VALUES (?, ?, 'linkedin', ?, ?, 'i', 'i')",
            [f"T{len(seen):05d}", pair[0], pair[1], _day(rng)])


def org_settings() -> Settings:
    return Settings.model_validate({
        "watch": {"watched": "all", "vantage": "first_degree", "cadence_days": 7,
                  "start": START.isoformat(), "end": END.isoformat()},
        "exposure": {"lookback_days": 365},
        "capital": {"as_of": END.isoformat()},
    })

"""Hand-built timelines: insert canonical rows directly into a fresh warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tieguard import open_warehouse
from tieguard.engine import Engine
from tieguard.settings import Settings
from tieguard.warehouse import record_stage_run

D = dt.date.fromisoformat


class Timeline:
    """A tiny organisation written straight into the canonical tables."""

    def __init__(self, path: str = ":memory:") -> None:
        self.engine: Engine = open_warehouse(path)
        self.engine.execute("INSERT INTO organisation VALUES ('own_name', 'Ourco')")
        self.engine.execute("INSERT INTO competitors VALUES ('Rivalco', 'rival.example')")

    def employee(self, eid: str, *, team: str = "export", job_role: str = "inside_sales",
                 country: str = "NL", shows_company: bool = True, hired_on: str | None = None,
                 left_on: str | None = None) -> Timeline:
        self.engine.execute(
            "INSERT INTO employees (employee_id, full_name, team, job_role, country, hired_on, left_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [eid, eid, team, job_role, country, D(hired_on) if hired_on else None,
             D(left_on) if left_on else None],
        )
        self.engine.execute("INSERT INTO profiles VALUES (?, 'linkedin', NULL, ?)", [eid, shows_company])
        return self

    def privacy(self, eid: str, valid_from: str, visibility: str) -> Timeline:
        self.engine.execute(
            "INSERT INTO privacy_settings VALUES (?, 'linkedin', ?, ?)", [eid, D(valid_from), visibility]
        )
        return self

    def account(self, aid: str, *, country: str = "DE", account_type: str = "prospect") -> Timeline:
        self.engine.execute(
            "INSERT INTO accounts (account_id, name, country, account_type) VALUES (?, ?, ?, ?)",
            [aid, f"Account {aid}", country, account_type],
        )
        return self

    def person(self, key: str, *, company: str = "Acme", country: str = "DE",
               buying: bool = True, account_id: str | None = None,
               contact_id: str | None = None, probability: float = 1.0,
               company_class: str | None = None) -> Timeline:
        cls = company_class or ("account" if account_id else "other")
        self.engine.execute(
            "INSERT INTO tie_people (person_key, position, company, country, company_class) "
            "VALUES (?, ?, ?, ?, ?)",
            [key, "Head of Purchasing" if buying else "Intern", company, country, cls],
        )
        self.engine.execute(
            "INSERT INTO person_roles VALUES (?, ?, ?, ?, 0.9, ?)",
            [key, "head" if buying else "intern", "purchasing" if buying else "other",
             "decision_maker|procurement" if buying else "", buying],
        )
        if account_id:
            if contact_id:
                self.engine.execute(
                    "INSERT INTO contacts (contact_id, account_id) VALUES (?, ?)", [contact_id, account_id]
                )
            self.engine.execute(
                "INSERT INTO tie_matches (person_key, contact_id, account_id, match_probability, method, status) "
                "VALUES (?, ?, ?, ?, 'test', 'matched')",
                [key, contact_id, account_id, probability],
            )
        return self

    def tie(self, tie_id: str, eid: str, key: str, connected_on: str,
            removed_on: str | None = None) -> Timeline:
        self.engine.execute(
            "INSERT INTO ties (tie_id, employee_id, network, person_key, connected_on, removed_on, "
            "first_import_id, last_seen_import_id) VALUES (?, ?, 'linkedin', ?, ?, ?, 'i', 'i')",
            [tie_id, eid, key, D(connected_on), D(removed_on) if removed_on else None],
        )
        return self

    def opportunity(self, oid: str, aid: str, *, amount: float, created_on: str,
                    close_date: str | None, is_closed: bool, is_won: bool = False,
                    contacts: Iterable[str] = ()) -> Timeline:
        self.engine.execute(
            "INSERT INTO opportunities (opportunity_id, account_id, amount, created_on, close_date, "
            "is_closed, is_won) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [oid, aid, amount, D(created_on), D(close_date) if close_date else None, is_closed, is_won],
        )
        for c in contacts:
            self.engine.execute(
                "INSERT INTO contact_roles VALUES (?, ?, 'Decision Maker', 'decision_maker', true)", [oid, c]
            )
        return self

    def shared(self, *person_keys: str) -> Timeline:
        for k in person_keys:
            self.engine.execute("INSERT INTO competitor_connections VALUES (?)", [k])
        return self

    def ran(self, *stages: str) -> Timeline:
        """Record that ``stages`` ran (the hand-built tables stand in for their output)."""
        for stage in stages:
            record_stage_run(self.engine, stage, 0.0, {})
        return self

    def sightings(self, scenario: str = "baseline") -> dict[str, tuple[dt.date, str]]:
        rows = self.engine.fetchall(
            "SELECT tie_id, seen_on, channel FROM competitor_sightings WHERE scenario = ?", [scenario]
        )
        return {r[0]: (r[1], r[2]) for r in rows}


def settings(reveal_days_before: int = 180, **watch: object) -> Settings:
    base: dict[str, object] = {
        "watched": "all", "vantage": "first_degree", "cadence_days": 7,
        "start": "2024-01-01", "end": "2024-12-30", "shared_fraction": 0.0,
    }
    base.update(watch)
    return Settings.model_validate({"watch": base, "exposure": {
        "lookback_days": 365, "reveal_days_before": reveal_days_before}})

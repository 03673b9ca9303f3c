"""A hand-built organisation with two exports per employee, for the alerts tests.

Every employee has an export on 2024-03-01 (S1) and a newer one on 2024-06-03 (S2).
What the S2 ties are, and what each one should (or should not) raise:

| tie | employee | person / account | expected |
|---|---|---|---|
| t_committee | E1 (list visible) | contact C1, decision maker on open deal O1 at A1 | alert (buying committee) |
| t_target | E1 | unmatched person "Zed Secretname" at target account A4 | alert, no name |
| t_customer | E1 | contact at A2 (upsell deal open), customer for years | suppressed: long-standing customer |
| t_colleague | E1 | colleague at Ourco (linked to A1) | suppressed: colleague |
| t_seen | E1 | person at A3, whose account the competitor saw in March | suppressed: already visible |
| t_hidden | E2 (list hidden since May) | contact at A5 with an open deal | suppressed: not visible |
| t_shared | E2 | person at A6 (open deal), also connected to the competitor | alert via shared |
| t_before_hire | E3 (hired 2024-04-01) | A7 person (open deal), connected 2024-03-15 | nothing (before hire) |
| t_left | E4 (left 2024-05-15) | A7 person | nothing (left before the export) |
| t_nocrm | E1 | person matching no CRM record | nothing |
| t_old | E1 | A7 person, in S1 already | nothing (not new) |
"""

from __future__ import annotations

from watch.timeline import D, Timeline, settings

from tieguard import exposure, watch
from tieguard.settings import Settings

__all__ = ["build", "EXPECTED_ALERTS", "SECRET_NAMES", "alert_settings", "add_export"]

EXPECTED_ALERTS = {"t_committee", "t_target", "t_shared"}
SECRET_NAMES = ("Zed", "Secretname", "Nomatch", "Privateperson")


def alert_settings(**alerts: object) -> Settings:
    base = settings().model_dump()
    base["alerts"] = {**base["alerts"], **alerts}
    return Settings.model_validate(base)


def add_export(t: Timeline, eid: str, import_id: str, on: str) -> None:
    t.engine.execute("INSERT INTO snapshots VALUES (?, ?, 'linkedin', ?, 0, 0)", [import_id, eid, D(on)])


def _tie(t: Timeline, tie_id: str, eid: str, key: str, connected_on: str, import_id: str) -> None:
    t.tie(tie_id, eid, key, connected_on)
    t.engine.execute("UPDATE ties SET first_import_id = ?, last_seen_import_id = ? WHERE tie_id = ?",
                     [import_id, import_id, tie_id])


def build(*, run_scan: bool = True) -> tuple[Timeline, Settings]:
    t = Timeline()
    for eid in ("E1", "E2", "E3", "E4"):
        t.employee(eid)
        t.engine.execute("UPDATE employees SET email = ? WHERE employee_id = ?", [f"{eid.lower()}@ourco.example", eid])
    t.engine.execute("UPDATE employees SET hired_on = DATE '2024-04-01' WHERE employee_id = 'E3'")
    t.engine.execute("UPDATE employees SET left_on = DATE '2024-05-15' WHERE employee_id = 'E4'")
    t.privacy("E2", "2024-05-01", "only_me")
    for aid, kind in (("A1", "prospect"), ("A2", "customer"), ("A3", "prospect"), ("A4", "other"),
                      ("A5", "prospect"), ("A6", "prospect"), ("A7", "prospect")):
        t.account(aid, account_type=kind)
    t.engine.execute("INSERT INTO alert_targets VALUES ('A4', 'fair 2024', NULL)")
    t.person("p_c1", account_id="A1", contact_id="C1")
    t.engine.execute("UPDATE contacts SET first_name = 'Ada', last_name = 'Buyer' WHERE contact_id = 'C1'")
    t.person("p_a7_old", account_id="A7", contact_id="C7a")
    t.person("p_a7_e3", account_id="A7", contact_id="C7b")
    t.person("p_a7_e4", account_id="A7", contact_id="C7c")
    t.person("p_target", account_id="A4", company="Account A4")
    t.engine.execute("UPDATE tie_people SET first_name = 'Zed', last_name = 'Secretname', "
                     "profile_url = 'https://linkedin.example/in/zed-secretname' WHERE person_key = 'p_target'")
    t.person("p_customer", account_id="A2", contact_id="C2")
    t.person("p_colleague", account_id="A1", company="Ourco", company_class="own")
    t.person("p_a3_march", account_id="A3", contact_id="C3a")
    t.person("p_a3_new", account_id="A3", contact_id="C3b")
    t.person("p_hidden", account_id="A5", contact_id="C5")
    t.person("p_shared", account_id="A6")
    t.person("p_nocrm", company="Nomatch Privateperson GmbH")
    t.engine.execute("UPDATE tie_people SET first_name = 'Nomatch', last_name = 'Privateperson' "
                     "WHERE person_key = 'p_nocrm'")
    t.shared("p_shared")
    t.opportunity("O1", "A1", amount=120_000, created_on="2024-02-01", close_date="2024-09-30",
                  is_closed=False, contacts=["C1"])
    t.engine.execute("UPDATE opportunities SET name = 'Pumps for Plant 2', stage = 'Negotiation' "
                     "WHERE opportunity_id = 'O1'")
    t.opportunity("O2", "A2", amount=50_000, created_on="2019-01-01", close_date="2019-06-01",
                  is_closed=True, is_won=True)
    t.opportunity("O2b", "A2", amount=40_000, created_on="2024-04-01", close_date="2024-10-01",
                  is_closed=False)
    t.opportunity("O7", "A7", amount=90_000, created_on="2024-01-05", close_date="2024-12-01", is_closed=False)
    t.opportunity("O3", "A3", amount=80_000, created_on="2024-01-10", close_date="2024-11-30", is_closed=False)
    t.opportunity("O5", "A5", amount=30_000, created_on="2024-01-10", close_date="2024-12-15", is_closed=False)
    t.opportunity("O6", "A6", amount=700_000, created_on="2024-03-10", close_date="2024-10-15", is_closed=False)
    for eid in ("E1", "E2", "E3", "E4"):
        add_export(t, eid, f"S1_{eid}", "2024-03-01")
        add_export(t, eid, f"S2_{eid}", "2024-06-03")
    _tie(t, "t_old", "E1", "p_a7_old", "2024-02-10", "S1_E1")
    _tie(t, "t_a3_march", "E2", "p_a3_march", "2024-02-20", "S1_E2")
    for tie_id, eid, key, on in (
        ("t_committee", "E1", "p_c1", "2024-05-20"), ("t_target", "E1", "p_target", "2024-05-21"),
        ("t_customer", "E1", "p_customer", "2024-05-22"), ("t_colleague", "E1", "p_colleague", "2024-05-23"),
        ("t_seen", "E1", "p_a3_new", "2024-05-24"), ("t_hidden", "E2", "p_hidden", "2024-05-20"),
        ("t_shared", "E2", "p_shared", "2024-05-27"), ("t_before_hire", "E3", "p_a7_e3", "2024-03-15"),
        ("t_left", "E4", "p_a7_e4", "2024-05-10"), ("t_nocrm", "E1", "p_nocrm", "2024-05-28"),
    ):
        _tie(t, tie_id, eid, key, on, f"S2_{eid}")
    s = alert_settings()
    if run_scan:
        watch.run(t.engine, s)
        exposure.run(t.engine, s)
    return t, s

"""The competitor model on hand-built timelines whose answers are known."""

from __future__ import annotations

import datetime as dt

from tieguard import exposure, watch

from .timeline import Timeline, settings

D = dt.date.fromisoformat


def _org() -> Timeline:
    tl = Timeline().employee("E1").account("A1")
    tl.person("P1", account_id="A1", contact_id="C1").person("P2", account_id="A1")
    return tl


def test_tie_made_while_hidden_is_never_seen_by_a_stranger() -> None:
    tl = _org().privacy("E1", "2024-01-01", "only_me").privacy("E1", "2024-06-01", "connections")
    tl.tie("T1", "E1", "P1", "2024-02-10").shared("P1")
    watch.run(tl.engine, settings(vantage="stranger"))
    assert tl.sightings() == {}
    # the same tie is seen by a 1st-degree viewer once the list becomes visible (first poll >= Jun 1)
    watch.run(tl.engine, settings(vantage="first_degree"))
    seen_on, channel = tl.sightings()["T1"]
    assert channel == "shared"  # the shared connection shows it at once
    assert seen_on == D("2024-02-12")


def test_tie_made_while_hidden_appears_when_list_becomes_visible() -> None:
    tl = _org().privacy("E1", "2024-01-01", "only_me").privacy("E1", "2024-06-01", "connections")
    tl.tie("T1", "E1", "P1", "2024-02-10")
    watch.run(tl.engine, settings())
    seen_on, channel = tl.sightings()["T1"]
    assert channel == "list"
    assert seen_on == D("2024-06-03")  # first Monday poll on/after Jun 1 (polls from Mon Jan 1)


def test_tie_three_days_before_weekly_poll_is_seen_at_that_poll() -> None:
    tl = _org().tie("T1", "E1", "P1", "2024-01-12")  # Friday; polls every Monday from Jan 1
    watch.run(tl.engine, settings())
    seen_on, channel = tl.sightings()["T1"]
    assert seen_on == D("2024-01-15")
    assert (seen_on - D("2024-01-12")).days == 3
    assert channel == "list"


def test_tie_made_on_a_poll_day_is_seen_that_day_and_removed_tie_is_not_seen() -> None:
    tl = _org().tie("T1", "E1", "P1", "2024-01-15").tie("T2", "E1", "P2", "2024-01-16", "2024-01-20")
    watch.run(tl.engine, settings())
    seen = tl.sightings()
    assert seen["T1"][0] == D("2024-01-15")
    assert "T2" not in seen  # removed before the next poll (Jan 22)


def test_shared_connection_is_seen_by_first_degree_viewer_even_when_hidden() -> None:
    tl = _org().privacy("E1", "2024-01-01", "only_me").shared("P1")
    tl.tie("T1", "E1", "P1", "2024-03-05").tie("T2", "E1", "P2", "2024-03-05")
    watch.run(tl.engine, settings())
    seen = tl.sightings()
    assert seen == {"T1": (D("2024-03-11"), "shared")}
    watch.run(tl.engine, settings(vantage="shared"))
    assert set(tl.sightings()) == {"T1"}


def test_hiding_everything_from_day_zero_leaves_only_the_shared_channel() -> None:
    tl = Timeline()
    for e in ("E1", "E2", "E3"):
        tl.employee(e).privacy(e, "1900-01-01", "only_me")
    tl.account("A1")
    keys = [f"P{i}" for i in range(12)]
    for k in keys:
        tl.person(k, account_id="A1")
    for i, k in enumerate(keys):
        tl.tie(f"T{i}", f"E{1 + i % 3}", k, f"2024-0{1 + i % 9}-1{i % 10}")
    tl.shared(*keys[::3])
    watch.run(tl.engine, settings())
    seen = tl.sightings()
    assert {c for _, c in seen.values()} == {"shared"}
    assert set(seen) == {f"T{i}" for i in range(0, 12, 3)}


def test_connected_on_is_never_exposed_only_seen_on() -> None:
    tl = _org().tie("T1", "E1", "P1", "2024-01-09")
    watch.run(tl.engine, settings(cadence_days=30))
    seen_on, _ = tl.sightings()["T1"]
    assert seen_on == D("2024-01-31")
    lead_cols = {r[0] for r in tl.engine.fetchall("DESCRIBE competitor_leads")}
    assert "connected_on" not in lead_cols  # the lead log holds only what the competitor knows


def test_lead_rule_excludes_own_staff_competitors_and_non_buyers() -> None:
    tl = Timeline().employee("E1", country="NL")
    tl.person("own", company="Ourco", company_class="own")
    tl.person("rival", company="RIVALCO ")
    tl.person("clerk", buying=False)
    tl.person("buyer_de", country="DE").person("buyer_nl", country="NL")
    for k in ("own", "rival", "clerk", "buyer_de", "buyer_nl"):
        tl.tie(f"T_{k}", "E1", k, "2024-02-01")
    watch.run(tl.engine, settings())
    leads = dict(tl.engine.fetchall("SELECT person_key, is_lead FROM competitor_leads"))
    assert leads == {"own": False, "rival": False, "clerk": False, "buyer_de": True, "buyer_nl": True}
    watch.run(tl.engine, settings(international_only=True))
    leads = dict(tl.engine.fetchall("SELECT person_key, is_lead FROM competitor_leads"))
    assert leads["buyer_de"] and not leads["buyer_nl"]


def test_exposure_head_start_and_precision_on_known_timeline() -> None:
    tl = _org().account("A2").person("P3", account_id="A2")
    tl.opportunity("O1", "A1", amount=100.0, created_on="2024-01-01", close_date="2024-06-01",
                   is_closed=True, is_won=True, contacts=["C1"])
    tl.opportunity("O2", "A2", amount=300.0, created_on="2024-01-01", close_date="2024-03-01",
                   is_closed=True, is_won=True)
    tl.tie("T1", "E1", "P1", "2024-02-28")   # seen Mar 4 -> O1 revealed, 89 days head start
    tl.tie("T3", "E1", "P3", "2024-02-28")   # seen Mar 4, after O2 closed -> not revealed
    watch.run(tl.engine, settings())
    head = exposure.run(tl.engine, settings())
    assert head["opportunities"] == 2 and head["revealed_opportunities"] == 1
    assert head["deals_revealed"] == 0.5 and head["account_visibility"] == 0.5
    assert head["deals_revealed_value"] == 100.0
    assert head["head_start_days_median"] == (D("2024-06-01") - D("2024-03-04")).days
    # T1 is a contact of an open opportunity when seen; T3's account is a customer only from Mar 1,
    # but P3 is not a CRM contact, so it is no customer contact
    assert head["leads"] == 2 and head["lead_precision"] == 0.5
    stored = exposure.headline(tl.engine)
    assert stored["deals_revealed"] == 0.5
    first = tl.engine.fetchall(
        "SELECT tie_id FROM competitor_leads WHERE is_first_tie_into_account ORDER BY 1")
    assert [r[0] for r in first] == ["T1", "T3"]


def test_tie_exposure_score_follows_the_documented_formula() -> None:
    tl = _org().person("P3", account_id="A1", buying=False, probability=0.5)
    tl.opportunity("O1", "A1", amount=500.0, created_on="2024-01-01", close_date=None,
                   is_closed=False)
    tl.tie("T1", "E1", "P1", "2024-01-10").tie("T2", "E1", "P2", "2024-01-11")
    tl.tie("T3", "E1", "P3", "2024-02-10")
    watch.run(tl.engine, settings())
    exposure.run(tl.engine, settings())
    rows = {r["tie_id"]: r for r in tl.engine.fetch_records("SELECT * FROM tie_exposure")}
    assert rows["T1"]["novelty"] == rows["T2"]["novelty"] == 1.0  # same first poll
    assert rows["T3"]["novelty"] == 1 / 3
    assert rows["T3"]["buying_role_weight"] == 0.2 and rows["T1"]["buying_role_weight"] == 1.0
    assert abs(rows["T1"]["value_weight"] - 1.0) < 1e-9  # the only (hence largest) account value
    for r in rows.values():
        expected = 100 * r["visibility"] * r["match_probability"] * r["buying_role_weight"] \
            * r["value_weight"] * r["novelty"]
        assert abs(r["score"] - expected) < 1e-3
    assert rows["T3"]["score"] < rows["T1"]["score"]


def _deal(reveal_days_before: int) -> tuple[Timeline, object]:
    tl = _org()
    tl.opportunity("O1", "A1", amount=10.0, created_on="2024-05-01", close_date="2024-08-01",
                   is_closed=True, is_won=True)
    return tl, settings(reveal_days_before=reveal_days_before)


def test_new_tie_in_the_deal_window_reveals_the_deal() -> None:
    tl, cfg = _deal(30)                        # window from 2024-04-01 until the close
    tl.tie("T2", "E1", "P2", "2024-06-10")     # seen Jun 10 (a Monday poll)
    watch.run(tl.engine, cfg)
    head = exposure.run(tl.engine, cfg)
    assert head["deals_revealed"] == 1.0 and head["revealed_opportunities"] == 1
    assert head["head_start_days_median"] == (D("2024-08-01") - D("2024-06-10")).days


def test_an_account_already_visible_through_an_old_tie_is_not_revealed_again() -> None:
    tl, cfg = _deal(30)
    tl.tie("T1", "E1", "P1", "2024-02-01")     # before the window: seen Feb 5
    tl.tie("T2", "E1", "P2", "2024-06-10")     # new, in the window, but the account is known
    watch.run(tl.engine, cfg)
    head = exposure.run(tl.engine, cfg)
    assert head["deals_revealed"] == 0.0 and head["account_visibility"] == 1.0
    assert head["account_head_start_days_median"] == (D("2024-08-01") - D("2024-02-05")).days
    # with a window reaching back to February the old tie is itself the reveal
    cfg = settings(reveal_days_before=180)
    head = exposure.run(tl.engine, cfg)
    assert head["deals_revealed"] == 1.0
    assert head["head_start_days_median"] == (D("2024-08-01") - D("2024-02-05")).days


def test_a_tie_made_before_the_window_but_seen_in_it_does_not_reveal() -> None:
    tl, cfg = _deal(30)
    tl.privacy("E1", "2024-01-01", "only_me").privacy("E1", "2024-06-01", "connections")
    tl.tie("T1", "E1", "P1", "2024-02-01")     # made before the window, first seen Jun 3
    watch.run(tl.engine, cfg)
    head = exposure.run(tl.engine, cfg)
    assert head["account_visibility"] == 1.0 and head["deals_revealed"] == 0.0


def test_a_non_buyer_seen_first_makes_the_account_known() -> None:
    tl, cfg = _deal(30)
    tl.person("P9", account_id="A1", buying=False)
    tl.tie("T9", "E1", "P9", "2024-04-02").tie("T2", "E1", "P2", "2024-06-10")
    watch.run(tl.engine, cfg)
    head = exposure.run(tl.engine, cfg)
    assert head["account_visibility"] == 1.0 and head["deals_revealed"] == 0.0

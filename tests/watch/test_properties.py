"""Invariants of the competitor model on random small timelines (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tieguard import exposure, watch
from tieguard.policy import apply_policy, parse_policies

from .timeline import Timeline, settings

DAY0 = dt.date(2024, 1, 1)
days = st.integers(min_value=0, max_value=330)
PROFILE = hsettings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _iso(offset: int) -> str:
    return (DAY0 + dt.timedelta(days=offset)).isoformat()


@st.composite
def timelines(draw: Any, with_pipeline: bool = True) -> dict[str, Any]:
    n_emp = draw(st.integers(1, 3))
    employees = [
        {"id": f"E{i}", "role": draw(st.sampled_from(["inside_sales", "engineering"])),
         "country": draw(st.sampled_from(["NL", "DE"])), "named": draw(st.booleans()),
         "privacy": draw(st.lists(st.tuples(days, st.sampled_from(["connections", "only_me"])),
                                  max_size=3, unique_by=lambda x: x[0]))}
        for i in range(n_emp)
    ]
    n_acc = draw(st.integers(1, 3))
    people = [
        {"key": f"P{i}", "account": f"A{draw(st.integers(0, n_acc - 1))}",
         "buying": draw(st.booleans()), "country": draw(st.sampled_from(["NL", "DE", "FR"]))}
        for i in range(draw(st.integers(1, 6)))
    ]
    ties = []
    for j in range(draw(st.integers(1, 10))):
        start = draw(days)
        removed = draw(st.one_of(st.none(), st.integers(1, 120)))
        ties.append({"id": f"T{j}", "emp": draw(st.sampled_from(employees))["id"],
                     "person": draw(st.sampled_from(people))["key"], "on": start,
                     "removed": None if removed is None else start + removed})
    opps = []
    for k in range(draw(st.integers(0, 4))):
        created = draw(days)
        closed = draw(st.booleans())
        opps.append({"id": f"O{k}", "account": f"A{draw(st.integers(0, n_acc - 1))}",
                     "amount": float(draw(st.integers(1, 1000))), "created": created,
                     "close": created + draw(st.integers(1, 200)), "closed": closed,
                     "won": closed and draw(st.booleans()) and with_pipeline,
                     "contacts": [p["key"] for p in people if draw(st.booleans())] if with_pipeline else []})
    shared = [p["key"] for p in people if draw(st.booleans())]
    return {"employees": employees, "accounts": n_acc, "people": people, "ties": ties,
            "opps": opps, "shared": shared, "customers": with_pipeline}


def build(data: dict[str, Any]) -> Timeline:
    tl = Timeline()
    for e in data["employees"]:
        tl.employee(e["id"], job_role=e["role"], country=e["country"], shows_company=e["named"])
        for d, vis in e["privacy"]:
            tl.privacy(e["id"], _iso(d), vis)
    for a in range(data["accounts"]):
        tl.account(f"A{a}", account_type="customer" if data["customers"] and a == 0 else "prospect")
    for p in data["people"]:
        tl.person(p["key"], account_id=p["account"], contact_id=f"C{p['key']}",
                  buying=p["buying"], country=p["country"])
    for t in data["ties"]:
        tl.tie(t["id"], t["emp"], t["person"], _iso(t["on"]),
               _iso(t["removed"]) if t["removed"] is not None else None)
    for o in data["opps"]:
        tl.opportunity(o["id"], o["account"], amount=o["amount"], created_on=_iso(o["created"]),
                       close_date=_iso(o["close"]), is_closed=o["closed"], is_won=o["won"],
                       contacts=[f"C{k}" for k in o["contacts"]])
    if data["shared"]:
        tl.shared(*data["shared"])
    return tl


policies = st.one_of(
    st.builds(lambda a, s: {"kind": "hide_lists", "adoption": a, "group": {"sales": s}},
              st.floats(0, 1), st.booleans()),
    st.builds(lambda a, sc: {"kind": "connect_after_close", "adoption": a, "scope": sc},
              st.floats(0, 1), st.sampled_from(["account", "contacts"])),
    st.builds(lambda a: {"kind": "company_off_profile", "adoption": a}, st.floats(0, 1)),
    st.builds(lambda a, b: {"kind": "training", "adoption": a, "behaviours": b}, st.floats(0, 1),
              st.lists(st.sampled_from(["hide_lists", "connect_after_close", "company_off_profile"]),
                       min_size=1, max_size=3, unique=True)),
    st.builds(lambda f, d, x: {"kind": "block_social_at_work", "fraction_elsewhere": f,
                               "delay_days": d, "abandoned_share": x},
              st.floats(0, 1), st.integers(0, 30), st.floats(0, 1)),
)


@PROFILE
@given(data=timelines(), policy=policies,
       watched=st.sampled_from(["all", "sales", "company_named"]),
       vantage=st.sampled_from(["first_degree", "shared", "stranger"]))
def test_no_policy_increases_exposure(data: dict[str, Any], policy: dict[str, Any],
                                      watched: str, vantage: str) -> None:
    tl = build(data)
    cfg = settings(watched=watched, vantage=vantage)
    watch.run(tl.engine, cfg)
    before = exposure.run(tl.engine, cfg)
    (pol,) = parse_policies({"name": "p", **policy}, "test", "p")
    src, _ = apply_policy(tl.engine, pol)
    watch.run(tl.engine, cfg, scenario="p", sources=src)
    after = exposure.run(tl.engine, cfg, scenario="p")
    # deals_revealed is not monotone (hiding an old tie can leave the account unknown, so that
    # a later new tie reveals the deal); what the competitor sees at all is.
    for metric in ("account_visibility", "account_visibility_value", "leads",
                   "accounts_revealed", "sightings"):
        assert after[metric] <= before[metric], metric


@PROFILE
@given(data=timelines(), vantage=st.sampled_from(["first_degree", "shared"]))
def test_daily_cadence_sees_at_least_what_monthly_sees(data: dict[str, Any], vantage: str) -> None:
    tl = build(data)
    watch.run(tl.engine, settings(cadence_days=30, vantage=vantage))
    monthly = tl.sightings()
    exp_monthly = exposure.run(tl.engine, settings(cadence_days=30, vantage=vantage))
    watch.run(tl.engine, settings(cadence_days=1, vantage=vantage))
    daily = tl.sightings()
    exp_daily = exposure.run(tl.engine, settings(cadence_days=1, vantage=vantage))
    assert set(monthly) <= set(daily)
    assert all(daily[t][0] <= monthly[t][0] for t in monthly)
    assert exp_daily["account_visibility"] >= exp_monthly["account_visibility"]


@PROFILE
@given(data=timelines(with_pipeline=False))
def test_lead_precision_is_zero_when_no_tie_is_pipeline(data: dict[str, Any]) -> None:
    tl = build(data)
    watch.run(tl.engine, settings())
    head = exposure.run(tl.engine, settings())
    assert head["lead_precision"] == 0.0

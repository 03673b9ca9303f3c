"""The "act on alerts" what-if policy: hides in time, never increases exposure."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from watch.test_properties import PROFILE, timelines
from watch.test_properties import build as build_random
from watch.timeline import Timeline, settings

from tieguard import exposure, watch
from tieguard.policy import builtin_policies
from tieguard.policy.model import parse_policies
from tieguard.policy.transforms import apply_policy


def _org() -> Timeline:
    t = Timeline().employee("E1").account("A1")
    t.person("p1", account_id="A1", contact_id="C1").person("p2", account_id="A1", contact_id="C2")
    t.opportunity("O1", "A1", amount=100_000, created_on="2024-03-01", close_date="2024-09-30",
                  is_closed=False, contacts=["C1"])
    # polls fall on Mondays from 2024-01-01; the tie is made on Tuesday 2024-05-21
    t.tie("t1", "E1", "p1", "2024-05-21").tie("t2", "E1", "p2", "2024-06-20")
    return t


def _seen(t: Timeline, within_days: int) -> dict[str, Any]:
    cfg = settings()
    (pol,) = parse_policies({"name": "act", "kind": "act_on_alerts", "adoption": 1.0,
                             "within_days": within_days}, "test", "act")
    src, adopters = apply_policy(t.engine, pol)
    assert adopters == 1
    watch.run(t.engine, cfg, scenario="act", sources=src)
    return t.sightings("act")


def test_acting_before_the_next_look_hides_the_connection_and_later_ones() -> None:
    t = _org()
    watch.run(t.engine, settings())
    assert set(t.sightings()) == {"t1", "t2"}
    assert _seen(t, 2) == {}  # hidden from Thursday, before Monday's look


def test_acting_after_the_next_look_is_too_late_for_that_connection() -> None:
    t = _org()
    seen = _seen(t, 7)  # hidden from the Tuesday after: Monday's look saw t1
    assert set(seen) == {"t1"}


def test_builtin_act_on_alerts_is_in_the_what_if_table() -> None:
    pol = builtin_policies()["act_on_alerts"]
    assert pol.kind == "act_on_alerts" and 0 < pol.adoption < 1


@PROFILE
@given(data=timelines(), adoption=st.floats(0, 1), within=st.integers(0, 30))
def test_acting_on_alerts_never_increases_exposure(data: dict[str, Any], adoption: float,
                                                    within: int) -> None:
    tl = build_random(data)
    cfg = settings()
    watch.run(tl.engine, cfg)
    before = exposure.run(tl.engine, cfg)
    (pol,) = parse_policies({"name": "p", "kind": "act_on_alerts", "adoption": adoption,
                             "within_days": within}, "test", "p")
    src, _ = apply_policy(tl.engine, pol)
    watch.run(tl.engine, cfg, scenario="p", sources=src)
    after = exposure.run(tl.engine, cfg, scenario="p")
    for metric in ("account_visibility", "leads", "sightings"):
        assert after[metric] <= before[metric], metric

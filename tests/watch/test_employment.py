"""Employment dates bound the competitor model: nobody leaks before joining or after leaving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tieguard import exposure, watch

from .test_properties import PROFILE, build, timelines
from .timeline import Timeline, settings

D = dt.date.fromisoformat


def _org(**employment: str) -> Timeline:
    tl = Timeline().employee("E1", **employment).account("A1")
    return tl.person("P1", account_id="A1", contact_id="C1").person("P2", account_id="A1")


def test_a_tie_made_before_joining_is_seen_from_the_first_poll_after_the_hire_date() -> None:
    tl = _org(hired_on="2024-03-06")
    tl.tie("T1", "E1", "P1", "2024-01-10")     # brought along: made two months before joining
    watch.run(tl.engine, settings())
    seen_on, _ = tl.sightings()["T1"]
    assert seen_on == D("2024-03-11")           # first Monday poll on/after Mar 6, not Jan 15


def test_nothing_leaks_after_leaving() -> None:
    tl = _org(hired_on="2024-01-01", left_on="2024-05-01")
    tl.privacy("E1", "2024-01-01", "only_me").privacy("E1", "2024-06-01", "connections")
    tl.tie("T1", "E1", "P1", "2024-02-01")     # hidden while employed, list visible after leaving
    tl.tie("T2", "E1", "P2", "2024-07-01")     # made after leaving
    watch.run(tl.engine, settings())
    assert tl.sightings() == {}


def test_a_deal_is_not_revealed_by_someone_who_had_left() -> None:
    tl = _org(left_on="2024-03-01")
    tl.opportunity("O1", "A1", amount=10.0, created_on="2024-04-01", close_date="2024-08-01",
                   is_closed=True)
    tl.tie("T1", "E1", "P1", "2024-04-10")
    watch.run(tl.engine, settings())
    head = exposure.run(tl.engine, settings())
    assert head["deals_revealed"] == 0.0 and head["leads"] == 0


dates = st.integers(min_value=-60, max_value=360)


@PROFILE
@given(data=timelines(), hires=st.lists(st.tuples(dates, st.one_of(st.none(), dates)),
                                        min_size=3, max_size=3))
def test_every_sighting_falls_inside_the_employment(data: dict[str, Any],
                                                    hires: list[tuple[int, int | None]]) -> None:
    tl = build(data)
    start = D("2024-01-01")
    bounds: dict[str, tuple[dt.date, dt.date | None]] = {}
    for e, (hired, left) in zip(data["employees"], hires, strict=False):
        hired_on = start + dt.timedelta(days=hired)
        left_on = None if left is None else hired_on + dt.timedelta(days=abs(left) + 1)
        tl.engine.execute("UPDATE employees SET hired_on = ?, left_on = ? WHERE employee_id = ?",
                          [hired_on, left_on, e["id"]])
        bounds[e["id"]] = (hired_on, left_on)
    for vantage in ("first_degree", "shared"):
        watch.run(tl.engine, settings(vantage=vantage))
        for eid, seen_on in tl.engine.fetchall(
                "SELECT employee_id, seen_on FROM competitor_sightings WHERE scenario = 'baseline'"):
            hired_on, left_on = bounds[eid]
            assert seen_on >= hired_on
            assert left_on is None or seen_on < left_on

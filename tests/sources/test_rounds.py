"""An import batch is split into rounds so an employee's files are imported one after another."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.sources.connections import rounds


@settings(deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["E1", "E2", "E3", "E4"]), max_size=40))
def test_each_round_holds_a_key_once_and_keeps_each_keys_order(keys: list[str]) -> None:
    split = rounds(keys)
    assert sorted(i for r in split for i in r) == list(range(len(keys)))
    for r in split:
        assert len({keys[i] for i in r}) == len(r)
        assert r == sorted(r)
    for key in set(keys):  # the n-th file of an employee is in round n
        positions = [n for n, r in enumerate(split) for i in r if keys[i] == key]
        assert positions == list(range(keys.count(key)))

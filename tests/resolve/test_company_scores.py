"""The set-wise company scorer equals compare_normalised, pair by pair."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.engine import Engine, open_engine
from tieguard.resolve.companies import normalise_company
from tieguard.resolve.company_match import compare_normalised, token_weights
from tieguard.resolve.company_scores import score_candidates

# Near spellings (one edit, close long words), short and generic words, numbers, legal
# forms and glued words: the cases where alignment, containment and weights differ.
WORDS = ["logistik", "logistic", "logistics", "pumpen", "pumps", "metaal", "metal",
         "electronics", "electronic", "elektronik", "automation", "automatisering",
         "hydraulics", "hydraulic", "mueller", "muller", "miller", "van", "oord", "de",
         "a", "b", "ab", "group", "holding", "international", "three", "3", "m",
         "nederland", "gmbh", "b.v.", "ag", "siemensag", "totalenergies", "ibm",
         "international business machines"]
NAME = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    eng = open_engine(":memory:")
    yield eng
    eng.close()


def _keys(engine: Engine, table: str, names: list[str]) -> None:
    rows: dict[str, str] = {}
    for name in sorted(names):
        rows.setdefault(normalise_company(name).key, name)
    rows.pop("", None)
    norm = {k: normalise_company(raw) for k, raw in rows.items()}
    data = pa.table({
        "company_key": list(rows), "raw": list(rows.values()),
        "company_tokens": [list(n.core) for n in norm.values()],
        "company_acronyms": pa.array([list(n.acronyms) for n in norm.values()],
                                     pa.list_(pa.string())),
        "company_simple": [not n.parts or n.parts == n.core for n in norm.values()]})
    engine.register("_rs_keys_view", data)
    engine.scratch(table, "SELECT * FROM _rs_keys_view")
    engine.unregister("_rs_keys_view")


def _expected(a: str, b: str, weights: dict[str, float]) -> tuple[float, str]:
    result = compare_normalised(dataclasses.replace(normalise_company(a), location=""),
                                dataclasses.replace(normalise_company(b), location=""), weights)
    return result.similarity, result.rule


def _score(engine: Engine, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple]:  # type: ignore[type-arg]
    ties, accounts = [a for a, _ in pairs], [b for _, b in pairs]
    _keys(engine, "_rs_tk", ties)
    _keys(engine, "_rs_ak", accounts)
    keyed = [(normalise_company(a).key, normalise_company(b).key) for a, b in pairs]
    keyed = sorted({(a, b) for a, b in keyed if a and b})
    engine.register("_rs_pairs_view", pa.table({"tie_key": pa.array([a for a, _ in keyed], pa.string()),
                                                "account_key": pa.array([b for _, b in keyed], pa.string())}))
    engine.scratch("_rs_company_pairs", "SELECT * FROM _rs_pairs_view")
    engine.unregister("_rs_pairs_view")
    df = Counter(t for b in {normalise_company(x).key: x for x in accounts if normalise_company(x).key}.values()
                 for t in set(normalise_company(b).core))
    weights = token_weights(df, max(len(df), 1))
    score_candidates(engine, "_rs_tk", "_rs_ak", weights, floor=-1.0)
    got = {(a, b): (s, r) for a, b, s, r in engine.fetchall(
        "SELECT tie_key, account_key, similarity, rule FROM _rs_company_scores")}
    raw_t = dict(engine.fetchall("SELECT company_key, raw FROM _rs_tk"))
    raw_a = dict(engine.fetchall("SELECT company_key, raw FROM _rs_ak"))
    return {k: (got[k], _expected(raw_t[k[0]], raw_a[k[1]], weights)) for k in keyed}


@settings(deadline=None, derandomize=True, max_examples=60)
@given(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=25))
def test_sql_scores_equal_compare_normalised(engine: Engine, pairs: list[tuple[str, str]]) -> None:
    for key, ((sim, rule), (exp_sim, exp_rule)) in _score(engine, pairs).items():
        assert sim == pytest.approx(exp_sim, abs=2e-6), key
        assert rule == exp_rule or sim == pytest.approx(0.0), key


def test_known_pairs_keep_their_rules(engine: Engine) -> None:
    pairs = [("Philips", "Koninklijke Philips Electronics N.V."), ("IBM", "International Business "
             "Machines Corp"), ("Mueller Logistik GmbH", "Müller Logistics"),
             ("Van Oord", "Van Oord Dredging B.V."), ("Acme Pumps", "Zenith Valves")]
    scored = _score(engine, pairs)
    rules = {k: got[1] for k, (got, _) in scored.items()}

    def rule(a: str, b: str) -> str:
        return rules[(normalise_company(a).key, normalise_company(b).key)]

    assert rule("Philips", "Koninklijke Philips Electronics N.V.") == "contained"
    assert rule("IBM", "International Business Machines Corp") == "acronym"
    assert rule("Acme Pumps", "Zenith Valves") == "nothing shared"
    assert rule("Mueller Logistik GmbH", "Müller Logistics") == "token overlap"
    for got, expected in scored.values():
        assert got[0] == pytest.approx(expected[0], abs=2e-6)


def test_words_of_the_tie_name_the_account_lacks_are_weighed(engine: Engine) -> None:
    _score(engine, [("Terrafix Hospital", "Terrafix GmbH"), ("Terrafix Holding", "Terrafix GmbH"),
                    ("Terrafix", "Terrafix Hospital GmbH")])
    extra = {(a, b): e for a, b, e in engine.fetchall(
        "SELECT tie_key, account_key, tie_extra FROM _rs_company_scores")}
    assert extra[("terrafix hospital", "terrafix")] == pytest.approx(1.0)  # not an account word
    assert extra[("terrafix", "terrafix")] == pytest.approx(0.0)
    assert extra[("terrafix", "terrafix hospital")] == pytest.approx(0.0)  # the tie is shorter

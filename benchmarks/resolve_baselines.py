"""Baselines and person-set (er/) evaluations for benchmarks/resolve.py.

* ``exact_baseline``: unidecode-lowercased first+last name equal, unique contact.
* ``rapidfuzz_baseline``: rapidfuzz token_set_ratio of names and of rigour-cleaned
  company names (legal forms out) on pairs blocked on surname + first initial (blocks capped at 2,000 like
  tieguard's) or first name + company, best pair per tie at score >= 90.
* ``splink_default_baseline``: Splink with its default comparisons (NameComparison on
  raw names, JaroWinkler on the lowercased company), trained the same way.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rigour.names.org_types import remove_org_types
from unidecode import unidecode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

from tieguard.engine import Engine  # noqa: E402


def _scores(pred: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Contact-level precision/recall/F1; ``pred`` has person_key, contact_id."""
    merged = truth.merge(pred, on="person_key", how="left")
    predicted = merged["contact_id"].notna()
    correct = predicted & (merged["contact_id"] == merged["truth_contact_id"])
    actual = merged["truth_contact_id"].notna()
    p = correct.sum() / max(predicted.sum(), 1)
    r = correct.sum() / max(actual.sum(), 1)
    return {"precision": float(p), "recall": float(r), "f1": float(2 * p * r / max(p + r, 1e-9))}


def _raw_frames(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    people = engine.fetch_arrow(
        "SELECT person_key, first_name, last_name, company FROM tie_people").to_pandas()
    contacts = engine.fetch_arrow(
        "SELECT c.contact_id, c.first_name, c.last_name, a.name AS company FROM contacts c "
        "LEFT JOIN accounts a USING (account_id)").to_pandas()
    return people, contacts


def _norm(series: pd.Series) -> pd.Series:
    return series.fillna("").map(lambda s: unidecode(str(s)).lower().strip())


def exact_baseline(engine: Engine, truth: pd.DataFrame) -> dict[str, Any]:
    started = time.perf_counter()
    people, contacts = _raw_frames(engine)
    people["k"] = _norm(people.first_name) + "|" + _norm(people.last_name)
    contacts["k"] = _norm(contacts.first_name) + "|" + _norm(contacts.last_name)
    unique = contacts.groupby("k").filter(lambda g: len(g) == 1)[["k", "contact_id"]]
    pred = people.merge(unique, on="k")[["person_key", "contact_id"]]
    return _scores(pred, truth) | {"seconds": time.perf_counter() - started}


def _clean_company(series: pd.Series) -> pd.Series:
    return series.fillna("").map(
        lambda s: " ".join(remove_org_types(unidecode(str(s)).lower(), replacement=" ").split()))


def rapidfuzz_baseline(engine: Engine, truth: pd.DataFrame) -> dict[str, Any]:
    started = time.perf_counter()
    people, contacts = _raw_frames(engine)
    for frame in (people, contacts):
        frame["name"] = _norm(frame.first_name) + " " + _norm(frame.last_name)
        frame["last"] = _norm(frame.last_name)
        frame["first"] = _norm(frame.first_name)
        frame["co"] = _clean_company(frame.company)
        frame["initial"] = frame["first"].str[:1]
    # Blocks as generous as the data allows: same surname and first initial, capped like
    # tieguard's (Zipf surnames would otherwise join billions of pairs).
    sizes = contacts.groupby(["last", "initial"]).size()
    small = sizes[sizes <= 2000].index
    contacts_small = contacts.set_index(["last", "initial"]).loc[
        lambda d: d.index.isin(small)].reset_index()
    by_last = people.merge(contacts_small, on=["last", "initial"], suffixes=("_p", "_c"))
    by_first_co = people[people.co != ""].merge(contacts, on=["first", "co"], suffixes=("_p", "_c"))
    pairs = pd.concat([by_last, by_first_co]).drop_duplicates(["person_key", "contact_id"])
    name_score = np.array([fuzz.token_set_ratio(a, b) for a, b in zip(pairs.name_p, pairs.name_c,
                                                                       strict=True)])
    co_p = pairs["co_p"] if "co_p" in pairs else pairs["co"]
    co_c = pairs["co_c"] if "co_c" in pairs else pairs["co"]
    co_score = np.array([fuzz.token_set_ratio(a, b) for a, b in zip(co_p, co_c, strict=True)])
    pairs = pairs.assign(score=(name_score + co_score) / 2)
    best = pairs[pairs.score >= 90].sort_values("score", ascending=False)
    best = best.drop_duplicates("person_key")[["person_key", "contact_id"]]
    return _scores(best, truth) | {"seconds": time.perf_counter() - started}


def splink_default_baseline(engine: Engine, truth: pd.DataFrame) -> dict[str, Any]:
    started = time.perf_counter()
    people, contacts = _raw_frames(engine)
    frames = []
    for frame, key in ((people, "person_key"), (contacts, "contact_id")):
        frames.append(pd.DataFrame({
            "unique_id": frame[key], "first_name": frame.first_name.str.lower(),
            "surname": frame.last_name.str.lower(), "company": frame.company.str.lower()}))
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[cl.NameComparison("first_name"), cl.NameComparison("surname"),
                     cl.JaroWinklerAtThresholds("company")],
        blocking_rules_to_generate_predictions=[block_on("first_name", "surname"),
                                                block_on("surname", "company")],
    )
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(frames[0], dataset_display_name="a_people"),
                     db_api.register(frames[1], dataset_display_name="b_contacts")],
                    settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("surname"), block_on("first_name", "company")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=2e6)
    pred = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    pred = pred.sort_values("match_probability", ascending=False).drop_duplicates("unique_id_l")
    pred = pred.rename(columns={"unique_id_l": "person_key", "unique_id_r": "contact_id"})
    return _scores(pred[["person_key", "contact_id"]], truth) | {
        "seconds": time.perf_counter() - started}

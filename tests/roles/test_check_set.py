"""The hand-labelled seniority sets: shape, labels, and the accuracy floor."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tieguard.labels import SENIORITY, seniority_rank
from tieguard.roles import Classifier

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_check_set_is_large_multilingual_and_uses_the_labels() -> None:
    rows = _rows("seniority_check.tsv")
    assert len(rows) >= 600
    langs = {r["lang"] for r in rows}
    assert langs == {"en", "nl", "de", "fr", "es", "it"}
    assert all(r["seniority"] in SENIORITY for r in rows)
    assert min(sum(r["lang"] == lang for r in rows) for lang in langs) >= 90
    assert len({r["title"] for r in rows}) > 0.95 * len(rows)


@pytest.mark.parametrize("name", ["seniority_check.tsv", "seniority_holdout.tsv", "linkedin_like.tsv"])
def test_seniority_within_one_level_at_least_090(name: str) -> None:
    rows = _rows(name)
    predicted = Classifier(fuzzy=False).classify_array([r["title"] for r in rows]).column("seniority").to_pylist()
    near = 0
    for pred, row in zip(predicted, rows, strict=True):
        gold = row["seniority"]
        near += pred == gold or (
            "unknown" not in (pred, gold) and abs(seniority_rank(pred) - seniority_rank(gold)) <= 1
        )
    assert near / len(rows) >= 0.90


def test_linkedin_like_set_was_labelled_with_the_contract_labels() -> None:
    from tieguard.labels import FUNCTIONS

    rows = _rows("linkedin_like.tsv")
    assert len(rows) >= 250 and {r["lang"] for r in rows} == {"en", "nl", "de", "fr", "es", "it"}
    assert all(r["seniority"] in SENIORITY and r["function"] in FUNCTIONS for r in rows)

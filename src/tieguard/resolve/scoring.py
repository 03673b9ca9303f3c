"""Score given pairs of names without a warehouse (``tieguard resolve score-pairs``).

Company pairs use :func:`~tieguard.resolve.company_match.compare_companies` and the
fitted probability curve, exactly as the stage scores tie companies against accounts.
Person pairs use the person model of the stage (the same comparisons and features,
without the relationship and title evidence a CSV cannot have) on an in-memory engine,
comparing each row's two records only; its match weight is turned into a probability
with the calibration fitted on labelled pairs (``data/resolve/calibration.json``).
Every scored row says which evidence decided it.
"""

from __future__ import annotations

import copy
import csv
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..engine import open_engine
from ..errors import InputError
from .companies import normalise_company
from .company_match import company_probability, compare_companies
from .model import OPTIONAL_COMPARISONS, level_labels, load_person_model, without_comparisons
from .name_features import first_field, last_field, split_full_name
from .training import Calibration, load_calibration

__all__ = ["score_pairs", "score_pairs_file", "person_vectors", "person_record",
           "load_calibration", "default_threshold", "PERSON_COMPARISONS"]

log = logging.getLogger(__name__)

Kind = Literal["company", "person"]
PERSON_COMPARISONS = ("first_name", "last_name", "company")


def default_threshold(kind: Kind) -> float:
    """Default decision threshold: best F1 on labelled pairs our generator did not make."""
    return float(load_calibration()[kind]["threshold"])


def person_calibration() -> Calibration:
    c = load_calibration()["person"]
    return Calibration(c["slope"], c["intercept"], c["threshold"], c["labels"])


def person_record(i: int, name: str, company: str = "") -> dict[str, Any]:
    """One side of a pair as the person model's feature row (same features as the stage)."""
    first_text, last_text = split_full_name(name)
    f, last = first_field(first_text), last_field(last_text)
    org = normalise_company(company)
    tokens = list(dict.fromkeys([*f.given_tokens, *last.last_tokens]))
    return {
        "unique_id": i,
        "first_key": f.first_key or None,
        "first_canon": f.first_canon or None,
        "first_canons": list(f.first_canons) or None,
        "given_tokens": list(f.given_tokens) or None,
        "last_key": last.last_key or None,
        "last_tokens": list(last.last_tokens) or None,
        "last_joined": last.last_joined or None,
        "name_tokens": tokens or None,
        "company_key": org.key or None,
        "company_tokens": list(org.core) or None,
        "company_rare": list(org.core) or None,
        "company_acronym": org.acronym or None,
    }


def pair_model(model: dict[str, Any] | None = None) -> dict[str, Any]:
    """The person model for pairs: no relationship/title, no term frequencies, row ids."""
    base = copy.deepcopy(model if model is not None else load_person_model())
    base = without_comparisons(base, set(OPTIONAL_COMPARISONS))
    base["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": "l.unique_id = r.unique_id"}
    ]
    for comparison in base.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    base["linker_uid"] = None
    base["retain_intermediate_calculation_columns"] = True
    return base


def person_vectors(rows: Sequence[dict[str, str]],
                   model: dict[str, Any] | None = None) -> pd.DataFrame:
    """Comparison levels (gamma_*), weights (bf_*) and match weight of each pair, in order."""
    from splink import Linker

    left = pd.DataFrame([person_record(i, r.get("name1", ""), r.get("company1", ""))
                         for i, r in enumerate(rows)])
    right = pd.DataFrame([person_record(i, r.get("name2", ""), r.get("company2", ""))
                          for i, r in enumerate(rows)])
    engine = open_engine(":memory:")
    try:
        db_api = engine.splink_api()
        sdf_l = db_api.register(left, dataset_display_name="pairs_a")
        sdf_r = db_api.register(right, dataset_display_name="pairs_b")
        linker = Linker([sdf_l, sdf_r], pair_model(model), log_level=logging.WARNING)
        scored = linker.inference.predict(warning_mode="never").as_pandas_dataframe()  # type: ignore[no-untyped-call]
    finally:
        engine.close()
    scored = scored.set_index("unique_id_l").reindex(range(len(rows)))
    return scored.reset_index(names="row")


def _person_evidence(row: pd.Series, labels: dict[str, dict[int, str]]) -> str:
    parts = []
    for name in PERSON_COMPARISONS:
        gamma, mw = row.get(f"gamma_{name}"), row.get(f"mw_{name}")
        if gamma is None or pd.isna(gamma) or int(gamma) < 0 or mw is None or pd.isna(mw):
            continue
        weight = float(mw)
        parts.append((abs(weight), f"{name}: {labels[name].get(int(gamma), '?')} ({weight:+.1f})"))
    return "; ".join(p for _, p in sorted(parts, reverse=True))


def _score_persons(rows: Sequence[dict[str, str]]) -> list[tuple[float, str]]:
    model = pair_model()
    scored = person_vectors(rows, model)
    labels = level_labels(model)
    calibration = person_calibration()
    out = []
    for _, row in scored.iterrows():
        weight = float(row["match_weight"]) if pd.notna(row.get("match_weight")) else -50.0
        out.append((calibration.probability(weight), _person_evidence(row, labels)))
    return out


def _score_companies(rows: Sequence[dict[str, str]]) -> list[tuple[float, str]]:
    out = []
    for r in rows:
        c = compare_companies(r.get("name1"), r.get("name2"))
        where = f"; location {c.location}" if c.location else ""
        out.append((company_probability(c.similarity), f"{c.rule} ({c.similarity:.2f}){where}"))
    return out


def score_pairs(
    rows: Sequence[dict[str, str]], kind: Kind, threshold: float | None = None
) -> list[dict[str, Any]]:
    """Add ``match_probability``, ``is_match`` and ``evidence`` to each ``{name1, name2}`` row."""
    if kind == "company":
        scored = _score_companies(rows)
    elif kind == "person":
        scored = _score_persons(rows) if rows else []
    else:
        raise InputError(f"Unknown pair kind {kind!r}; use --kind company or --kind person.")
    cut = default_threshold(kind) if threshold is None else threshold
    return [
        dict(r) | {"match_probability": round(p, 4), "is_match": p >= cut, "evidence": why}
        for r, (p, why) in zip(rows, scored, strict=True)
    ]


def read_pairs(path: Path, required: Sequence[str] = ("name1", "name2"),
               hint: str = "name1,name2") -> list[dict[str, str]]:
    """Rows of a pairs CSV (UTF-8, header by name); every missing column named at once."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            rows = [{(k or "").strip(): (v or "") for k, v in r.items()} for r in reader]
    except FileNotFoundError as exc:
        raise InputError(f"The pairs file {path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"The pairs file {path} is not UTF-8 text: {exc}.") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"The pairs file {path} lacks the column(s) {', '.join(missing)}; its header must "
            f"be {hint}."
        )
    return rows


def score_pairs_file(path: Path, kind: Kind, out: Path | None = None,
                     threshold: float | None = None) -> list[dict[str, Any]]:
    """Read ``path``, score every row, write ``out`` (CSV) if given; return the rows."""
    hint = "name1,name2" + (" (optionally company1,company2)" if kind == "person" else "")
    scored = score_pairs(read_pairs(Path(path), hint=hint), kind, threshold)
    if out is not None:
        fields = list(scored[0].keys()) if scored else ["name1", "name2", "match_probability",
                                                         "is_match", "evidence"]
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(scored)
    return scored

"""Score given pairs of names without a warehouse (``tieguard resolve score-pairs``).

Company pairs use :func:`~tieguard.resolve.companies.company_similarity` and the
same probability curve as the stage. Person pairs use the shipped pre-trained Splink
model (``data/resolve/person_model.json``) on an in-memory DuckDB, comparing each
row's two records only.
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
from .accounts import company_probability
from .companies import company_similarity, normalise_company
from .features import first_parts
from .model import OPTIONAL_COMPARISONS, load_person_model, without_comparisons

__all__ = ["score_pairs", "score_pairs_file", "DEFAULT_THRESHOLD"]

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
Kind = Literal["company", "person"]


def _person_record(i: int, name: str, company: str) -> dict[str, Any]:
    first_key, canon, _, canons, rest_key = first_parts(name or "")
    rest = [t for t in rest_key.split() if t]
    org = normalise_company(company)
    return {
        "unique_id": i,
        "first_key": first_key or None,
        "first_canon": canon or None,
        "first_canons": canons or None,
        "last_key": rest_key or None,
        "last_tokens": rest or None,
        "company_key": org.key or None,
        "company_tokens": list(org.core) or None,
        "company_rare": list(org.core) or None,
        "company_acronym": org.acronym or None,
    }


def _pair_model() -> dict[str, Any]:
    model = without_comparisons(copy.deepcopy(load_person_model()), set(OPTIONAL_COMPARISONS))
    model["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": "l.unique_id = r.unique_id"}
    ]
    for comparison in model.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    model["linker_uid"] = None
    return model


def _score_persons(rows: Sequence[dict[str, str]]) -> list[float]:
    from splink import Linker

    left = pd.DataFrame([
        _person_record(i, r.get("name1", ""), r.get("company1", "")) for i, r in enumerate(rows)
    ])
    right = pd.DataFrame([
        _person_record(i, r.get("name2", ""), r.get("company2", "")) for i, r in enumerate(rows)
    ])
    engine = open_engine(":memory:")
    try:
        db_api = engine.splink_api()
        sdf_l = db_api.register(left, dataset_display_name="pairs_a")
        sdf_r = db_api.register(right, dataset_display_name="pairs_b")
        linker = Linker([sdf_l, sdf_r], _pair_model(), log_level=logging.WARNING)
        predicted = linker.inference.predict(warning_mode="never")
        scored = predicted.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    finally:
        engine.close()
    by_id = dict(zip(scored["unique_id_l"], scored["match_probability"], strict=True))
    return [float(by_id.get(i, 0.0)) for i in range(len(rows))]


def score_pairs(
    rows: Sequence[dict[str, str]], kind: Kind, threshold: float = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    """Add ``match_probability`` and ``is_match`` to each ``{name1, name2, ...}`` row."""
    if kind == "company":
        probabilities = [
            company_probability(company_similarity(r.get("name1"), r.get("name2")))
            for r in rows
        ]
    elif kind == "person":
        probabilities = _score_persons(rows) if rows else []
    else:
        raise InputError(f"Unknown pair kind {kind!r}; use --kind company or --kind person.")
    return [
        dict(r) | {"match_probability": round(p, 4), "is_match": p >= threshold}
        for r, p in zip(rows, probabilities, strict=True)
    ]


def _read_pairs(path: Path, kind: Kind) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            rows = [{(k or "").strip(): (v or "") for k, v in r.items()} for r in reader]
    except FileNotFoundError as exc:
        raise InputError(f"The pairs file {path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"The pairs file {path} is not UTF-8 text: {exc}.") from exc
    missing = [c for c in ("name1", "name2") if c not in header]
    if missing:
        raise InputError(
            f"The pairs file {path} lacks the column(s) {', '.join(missing)}; its header must "
            "be name1,name2" + (" (optionally company1,company2)." if kind == "person" else ".")
        )
    return rows


def score_pairs_file(path: Path, kind: Kind, out: Path | None = None) -> list[dict[str, Any]]:
    """Read ``path``, score every row, write ``out`` (CSV) if given; return the rows."""
    scored = score_pairs(_read_pairs(Path(path), kind), kind)
    if out is not None:
        fields = list(scored[0].keys()) if scored else ["name1", "name2", "match_probability",
                                                         "is_match"]
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(scored)
    return scored

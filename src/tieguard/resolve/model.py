"""The probabilistic person model: Splink 5 on the warehouse's own connection.

Tie-people (left) are linked to CRM contacts (right) with ``link_only``. The
model is trained without labels: the prior from near-certain deterministic rules,
``u`` from random sampling, ``m`` by expectation maximisation in three sessions
(each blocks on the fields it does not estimate). Trained parameters are kept in
``resolve_model_cache`` and reused while the CRM is unchanged, so rescans are stable.
A trained model can also be loaded from JSON (``data/resolve/person_model.json``)
to score pairs without a warehouse.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

from splink import Linker, SettingsCreator, block_on

from ..engine import Engine
from . import comparisons as cmp
from .blocking import BLOCK_KEYS
from .model_cache import cached_model, crm_fingerprint, store_model

__all__ = [
    "PersonModelResult",
    "person_settings",
    "train_and_predict",
    "load_person_model",
    "evidence_sql",
    "COMPARISON_COLUMNS",
    "prediction_columns",
]

log = logging.getLogger(__name__)

#: Output column name of each comparison (the keys of the evidence JSON).
COMPARISON_COLUMNS = ("first_name", "last_name", "company", "relationship", "title")
_TRAINING_RULES = (("last_key", "company_key"), ("first_key", "company_key"), ("first_key", "last_key"))


def person_settings(
    tf: bool = True, blocking: list[Any] | None = None, relationship: bool = True,
    title: bool = True,
) -> SettingsCreator:
    """Splink settings of the person model (link tie-people to contacts)."""
    rules = blocking if blocking is not None else [block_on(k) for k in BLOCK_KEYS]
    comparisons: list[Any] = [cmp.first_name(), cmp.last_name(tf), cmp.company()]
    if relationship:
        comparisons.append(cmp.relationship())
    if title:
        comparisons.append(cmp.title())
    return SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        max_iterations=20,
    )


@dataclass
class PersonModelResult:
    predictions_table: str
    pairs: int
    model: dict[str, Any]
    trained: bool = True
    reused: bool = False  # parameters trained on an earlier run against the same CRM
    labelled: bool = False  # parameters learned from labels (tieguard resolve train)


#: Below these sizes the shipped pre-trained parameters are used instead of EM.
MIN_TRAIN_PEOPLE, MIN_TRAIN_CONTACTS = 2_000, 500


def _prior(engine: Engine, people: int, contacts: int) -> float:
    """Prior match probability of a random pair, from near-certain exact agreements.

    The population counts pseudonymised tie-people too, so that a second run (which no
    longer sees them) keeps the same prior and does not shift review-band decisions.
    """
    people = max(people, int(engine.scalar("SELECT count(*) FROM tie_people") or 0))
    sure = int(engine.scalar(
        """SELECT count(*) FROM _rs_people p JOIN _rs_contacts c
           ON p.first_key = c.first_key AND p.last_key = c.last_key
          AND p.company_key = c.company_key"""
    ) or 0)
    expected = max(sure / 0.6, min(people, contacts) * 0.05, 1.0)
    return float(min(0.5, expected / max(1, people * contacts)))


def _has_column(engine: Engine, column: str) -> bool:
    """Whether both sides carry ``column`` (owners/tie employees, titles); else the
    comparison is left out (EM cannot learn from an always-missing field)."""
    return all(
        int(engine.scalar(f"SELECT count(*) FROM {t} WHERE {column} IS NOT NULL") or 0) > 0
        for t in ("_rs_people", "_rs_contacts")
    )


def _usable(model: dict[str, Any]) -> bool:
    """Whether every trained m/u probability is a number (EM on too few pairs gives NaN)."""
    for comparison in model.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if value is not None and not (0.0 <= float(value) <= 1.0):
                    return False
    return True


def _train_or_explain(linker: Linker) -> bool:
    """Train; on a warehouse EM cannot learn from, warn what to do and return False."""
    try:
        _train(linker)
        if _usable(linker.misc.save_model_to_json()):
            return True
        reason = "some parameters came out undefined"
    except Exception as exc:  # Splink raises several kinds (EMTrainingException, ...)  # noqa: BLE001
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    log.warning(
        "resolve: the person model could not be trained on this warehouse (%s); the shipped "
        "parameters are used instead. This is normal for a first pilot whose LinkedIn "
        "exports barely overlap the CRM; import more exports or CRM contacts, or teach the "
        "model with labelled pairs (tieguard resolve train --labels FILE).", reason,
    )
    return False


def _train(linker: Linker) -> None:
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    for rule in _TRAINING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule), max_pairs=2e6
        )


#: Comparisons of the shipped model that need columns a warehouse (or score-pairs) may lack.
OPTIONAL_COMPARISONS = {"relationship": "rel_employees", "title": "title_key"}


def without_comparisons(model: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The model JSON without the named comparisons (their columns are missing)."""
    model["comparisons"] = [
        c for c in model.get("comparisons", []) if c.get("output_column_name") not in names
    ]
    return model


def _shipped_settings(prior: float, engine: Engine,
                      base: dict[str, Any] | None = None) -> dict[str, Any]:
    missing = {n for n, col in OPTIONAL_COMPARISONS.items() if not _has_column(engine, col)}
    model = without_comparisons(base if base is not None else load_person_model(), missing)
    model["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": f'l."{k}" = r."{k}"'} for k in BLOCK_KEYS
    ]
    model["probability_two_random_records_match"] = prior
    model["linker_uid"] = None
    for comparison in model.get("comparisons", []):  # term frequencies of a few rows mislead
        for level in comparison.get("comparison_levels", []):
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return model


#: EM learns the m-probabilities from a random sample of tie-people as well as from all of
#: them (u comes from random pairs anyway); above this many the model trains on a sample
#: and then scores every tie-person.
TRAIN_SAMPLE = 250_000


def _training_sides(engine: Engine, left: Any, right: Any) -> tuple[Any, Any]:
    """The tie-people and contacts EM trains on: all tie-people, or a fixed pseudo-random
    sample of ``TRAIN_SAMPLE`` (registered with a Splink API of its own)."""
    if int(engine.scalar("SELECT count(*) FROM _rs_people") or 0) <= TRAIN_SAMPLE:
        return left, right
    engine.scratch("_rs_people_train", "SELECT * FROM _rs_people ORDER BY hash(unique_id), "
                   "unique_id LIMIT ?", [TRAIN_SAMPLE])
    db_api = engine.splink_api()
    return (db_api.register("_rs_people_train", dataset_display_name="tie_people"),
            db_api.register("_rs_contacts", dataset_display_name="contacts"))


def train_and_predict(
    engine: Engine, people: int, contacts: int, floor: float = 0.05
) -> PersonModelResult:
    """Train on ``_rs_people``/``_rs_contacts`` and write ``_rs_predictions``.

    Small warehouses (fewer than ``MIN_TRAIN_PEOPLE`` tie-people or
    ``MIN_TRAIN_CONTACTS`` contacts) use the shipped parameters: EM needs volume.
    """
    db_api = engine.splink_api()
    left = db_api.register("_rs_people", dataset_display_name="tie_people")
    right = db_api.register("_rs_contacts", dataset_display_name="contacts")
    from .learning import labelled_model  # imports the scoring path, which imports this

    prior = _prior(engine, people, contacts)
    labelled = labelled_model(engine)
    trained = people >= MIN_TRAIN_PEOPLE and contacts >= MIN_TRAIN_CONTACTS and not labelled
    reused = False
    if labelled is not None:
        linker = Linker([left, right], _shipped_settings(prior, engine, labelled[0]),
                        log_level=logging.WARNING)
    elif trained:
        relationship = _has_column(engine, "rel_employees")
        title = _has_column(engine, "title_key")
        key = crm_fingerprint(engine, relationship, title)
        cached = cached_model(engine, key)
        reused = cached is not None
        if cached is not None:
            linker = Linker([left, right], cached, log_level=logging.WARNING)
        else:
            settings = person_settings(relationship=relationship, title=title)
            settings.probability_two_random_records_match = prior
            sample, contacts_side = _training_sides(engine, left, right)
            linker = Linker([sample, contacts_side], settings, log_level=logging.WARNING)
            trained = _train_or_explain(linker)
            if trained and sample is not left:  # predict for everyone with the sample's model
                learned = linker.misc.save_model_to_json()
                learned["linker_uid"] = None
                _drop_splink_tables(linker)
                linker = Linker([left, right], learned, log_level=logging.WARNING)
            if not trained:
                _drop_splink_tables(linker)
                linker = Linker([left, right], _shipped_settings(prior, engine),
                                log_level=logging.WARNING)
    else:
        linker = Linker([left, right], _shipped_settings(prior, engine), log_level=logging.WARNING)
    predictions = linker.inference.predict(
        threshold_match_probability=floor, warning_mode="never"
    )
    engine.scratch("_rs_predictions", "SELECT * FROM "
        f"{predictions.physical_name}"
    )
    pairs = int(engine.scalar("SELECT count(*) FROM _rs_predictions") or 0)
    model = linker.misc.save_model_to_json()
    if trained and not reused:
        store_model(engine, key, model)
    _drop_splink_tables(linker)
    source = "labelled" if labelled else ("reused" if reused else "trained") if trained else "shipped"
    log.info("resolve: person model (%s) scored %d candidate pairs above %.2f", source, pairs, floor)
    return PersonModelResult("_rs_predictions", pairs, model, trained, reused, labelled is not None)


def _drop_splink_tables(linker: Linker) -> None:
    try:
        linker.table_management.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]
    except Exception:  # cleaning up is best effort  # noqa: BLE001
        log.debug("resolve: could not drop Splink's temporary tables", exc_info=True)


def load_person_model() -> dict[str, Any]:
    """The shipped pre-trained person model (Splink JSON)."""
    path = resources.files("tieguard").joinpath("data/resolve/person_model.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison output name -> gamma value -> level label, from a Splink model JSON."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        levels = comparison.get("comparison_levels", [])
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        mapping = {-1: "missing"}
        for i, level in enumerate(non_null):
            mapping[len(non_null) - 1 - i] = str(
                level.get("label_for_charts") or level.get("sql_condition", "")
            )
        labels[name] = mapping
    return labels


def prediction_columns(model: dict[str, Any]) -> set[str]:
    """The gamma and term-frequency weight columns Splink's predictions carry for ``model``
    (intermediate columns are retained), read from the model rather than the catalogue."""
    columns = set()
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        columns.add(f"gamma_{name}")
        if any(lv.get("tf_adjustment_column") for lv in comparison.get("comparison_levels", [])):
            columns.add(f"mw_tf_adj_{name}")
    return columns


def evidence_sql(model: dict[str, Any], columns: set[str]) -> str:
    """SQL expression building the evidence JSON of a prediction row."""
    parts = ["'match_weight', round(match_weight, 2)"]
    for name, mapping in level_labels(model).items():
        if f"gamma_{name}" not in columns:
            continue
        cases = " ".join(
            f"WHEN {g} THEN '{label.replace(chr(39), chr(39) * 2)}'" for g, label in mapping.items()
        )
        weight = f"mw_{name}"
        if f"mw_tf_adj_{name}" in columns:
            weight = f"(mw_{name} + coalesce(mw_tf_adj_{name}, 0))"
        parts.append(
            f"'{name}', json_object('level', CASE gamma_{name} {cases} ELSE 'other' END, "
            f"'weight', round({weight}, 2))"
        )
    return "json_object(" + ", ".join(parts) + ")::VARCHAR"

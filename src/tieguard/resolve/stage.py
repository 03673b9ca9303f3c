"""The ``resolve`` stage: who is each tie-person in our CRM?

Steps: features and capped blocking keys → exact keys (profile URL, e-mail) →
Splink person model (tie-people ↔ contacts) → accounts by company name and
e-mail domain for the rest → one decision per tie-person in ``tie_matches``
(review decisions win) → company classes → pseudonymisation of the unresolved.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from ..engine import Engine
from ..errors import ResolveError
from ..settings import Settings
from .accounts import match_accounts
from .assign import contact_candidates, exact_matches, write_matches
from .features import build_features
from .model import evidence_sql, prediction_columns, train_and_predict
from .privacy import classify_companies, pseudonymise, scrub_invitations

__all__ = ["run"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]
_STEPS = ("features", "exact keys", "person model", "accounts", "assign", "privacy")
_MIN_FOR_MODEL = 1  # the model needs at least one named record on each side


def _check_inputs(engine: Engine) -> tuple[int, int, int]:
    people = int(engine.scalar(
        "SELECT count(*) FROM tie_people WHERE NOT coalesce(is_pseudonymised, FALSE)") or 0)
    contacts = int(engine.scalar("SELECT count(*) FROM contacts") or 0)
    accounts = int(engine.scalar("SELECT count(*) FROM accounts") or 0)
    if people and not contacts and not accounts:
        log.warning(
            "resolve: the warehouse holds tie-people but no CRM contacts or accounts, so "
            "nothing can be linked: every tie-person stays unmatched and keeps its name until "
            "a CRM is there. Import a CRM export (tieguard import crm FILE) and run "
            "tieguard resolve again."
        )
    return people, contacts, accounts


def _cleanup(engine: Engine) -> None:
    """Drop the stage's working tables (the engine's scratch tables of this run)."""
    engine.drop_scratch()


def _person_model(engine: Engine, summary: dict[str, Any]) -> str | None:
    people = int(engine.scalar(
        "SELECT count(*) FROM _rs_people WHERE first_key IS NOT NULL OR last_key IS NOT NULL"
    ) or 0)
    contacts = int(engine.scalar(
        "SELECT count(*) FROM _rs_contacts WHERE first_key IS NOT NULL OR last_key IS NOT NULL"
    ) or 0)
    if people < _MIN_FOR_MODEL or contacts < _MIN_FOR_MODEL:
        log.warning("resolve: no named tie-people or contacts; the person model is skipped.")
        return None
    result = train_and_predict(engine, people, contacts)
    summary["candidate_pairs"] = result.pairs
    summary["person_model"] = "labelled" if result.labelled else (
        ("reused" if result.reused else "trained") if result.trained else "shipped"
    )
    return evidence_sql(result.model, prediction_columns(result.model))


def run(
    engine: Engine, settings: Settings, on_progress: ProgressCallback | None = None
) -> dict[str, Any]:
    """Resolve tie-people to contacts and accounts; rebuild ``tie_matches``."""
    cfg = settings.resolve
    if cfg.review_threshold > cfg.match_threshold:
        raise ResolveError(
            f"resolve.review_threshold ({cfg.review_threshold}) is above "
            f"resolve.match_threshold ({cfg.match_threshold}); set it lower in the settings file."
        )
    people, contacts, accounts = _check_inputs(engine)
    summary: dict[str, Any] = {"tie_people": people, "contacts": contacts, "accounts": accounts}
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    cpu_started = [time.process_time()]

    def step(i: int, name: str, started: float) -> None:
        timings[name] = round(time.perf_counter() - started, 2)
        now = time.process_time()  # CPU of the whole process, the engine's threads too
        cpu[name], cpu_started[0] = round(now - cpu_started[0], 2), now
        if on_progress:
            on_progress("resolve", i + 1, len(_STEPS))

    t = time.perf_counter()
    features = build_features(engine, cfg.max_block_size, cfg.max_block_pairs)
    summary.update(features.as_dict())
    step(0, "features", t)
    t = time.perf_counter()
    summary["exact_key_matches"] = exact_matches(engine)
    step(1, "exact_keys", t)
    t = time.perf_counter()
    evidence = _person_model(engine, summary)
    step(2, "person_model", t)
    t = time.perf_counter()
    summary.update(match_accounts(engine) if accounts else {"company_pairs_scored": 0})
    if not accounts:
        engine.scratch("_rs_account_candidates", "SELECT NULL::VARCHAR AS person_key,"
            " NULL::VARCHAR AS account_id, NULL::DOUBLE AS probability, NULL::DOUBLE AS second,"
            " NULL::VARCHAR AS method, NULL::DOUBLE AS similarity, NULL::VARCHAR AS rule WHERE FALSE")
    step(3, "accounts", t)
    t = time.perf_counter()
    contact_candidates(engine, evidence)
    summary.update(write_matches(engine, cfg.match_threshold, cfg.review_threshold))
    step(4, "assign", t)
    t = time.perf_counter()
    classify_companies(engine, settings.own_company, "_rs_company_lookup")
    # Without a CRM nothing was resolvable: keep the names for the run after the import.
    crm = bool(contacts or accounts)
    summary["pseudonymised"] = pseudonymise(engine) if crm else 0
    summary["invitations_scrubbed"] = scrub_invitations(engine) if crm else 0
    if summary["pseudonymised"] or summary["invitations_scrubbed"]:
        engine.compact()  # the replaced names stay in free blocks of the file until rewritten
    step(5, "privacy", t)
    _cleanup(engine)
    summary["step_seconds"] = timings
    summary["step_cpu_seconds"] = cpu
    return summary

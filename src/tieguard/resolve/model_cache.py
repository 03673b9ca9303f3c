"""Trained person-model parameters kept per CRM (``resolve_model_cache``), so that rescans
against an unchanged CRM reuse them and stay stable."""

from __future__ import annotations

import json
from typing import Any

from ..engine import Engine

__all__ = ["crm_fingerprint", "cached_model", "store_model"]

_MODEL_CACHE = "resolve_model_cache"


def crm_fingerprint(engine: Engine, relationship: bool, title: bool) -> str:
    """What the trained parameters depend on: the CRM contacts, accounts and owners.

    Re-imported LinkedIn exports do not retrain the model (new ties are scored with the
    parameters learned before), so rescans are stable; a changed CRM retrains it.
    """
    crm = engine.scalar(
        "SELECT md5(coalesce(string_agg(concat_ws('|', contact_id, account_id, first_name, "
        "last_name, title, email, owner_employee_id), ',' ORDER BY contact_id), '')) FROM contacts"
    )
    sizes = engine.fetchone("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM opportunities)")
    return f"{crm}:{sizes}:{relationship}:{title}"


def cached_model(engine: Engine, key: str) -> dict[str, Any] | None:
    row = engine.fetchone(f"SELECT model FROM {_MODEL_CACHE} WHERE fingerprint = ?", [key])
    if row is None:
        return None
    model: dict[str, Any] = json.loads(row[0])
    model["linker_uid"] = None
    return model


def store_model(engine: Engine, key: str, model: dict[str, Any]) -> None:
    engine.replace(_MODEL_CACHE, "SELECT ? AS fingerprint, now() AS trained_at, ? AS model",
                   [key, json.dumps(model)])

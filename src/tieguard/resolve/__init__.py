"""Resolve: link tie-people to CRM contacts and accounts (see docs/resolve.md)."""

from __future__ import annotations

from .companies import company_key, company_similarity, normalise_company
from .persons import first_name_key, nickname_canonicals, normalise_person
from .scoring import score_pairs
from .stage import run

__all__ = [
    "run",
    "score_pairs",
    "normalise_company",
    "company_key",
    "company_similarity",
    "normalise_person",
    "nickname_canonicals",
    "first_name_key",
]

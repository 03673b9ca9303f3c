"""Resolve: link tie-people to CRM contacts and accounts (see docs/resolve.md)."""

from __future__ import annotations

from .companies import company_key, normalise_company
from .company_match import company_similarity, compare_companies
from .persons import first_name_key, nickname_canonicals, normalise_person
from .scoring import score_pairs
from .stage import run

__all__ = [
    "run",
    "score_pairs",
    "normalise_company",
    "company_key",
    "company_similarity",
    "compare_companies",
    "normalise_person",
    "nickname_canonicals",
    "first_name_key",
]

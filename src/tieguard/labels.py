"""The label sets of PRODUCT.md: the contract. Output exactly these strings."""

from __future__ import annotations

SENIORITY_ORDER: tuple[str, ...] = (
    "intern", "individual", "senior", "manager", "head", "director", "vp", "c_level",
)
#: ``owner`` ranks with ``c_level``; ``board`` is outside the ladder; ``unknown`` abstains.
SENIORITY: tuple[str, ...] = SENIORITY_ORDER + ("owner", "board", "unknown")

FUNCTIONS: tuple[str, ...] = (
    "purchasing", "supply_chain", "finance", "engineering", "production", "quality", "it",
    "sales", "marketing", "hr", "legal", "general_management", "admin", "other", "unknown",
)

BUYING_ROLES: tuple[str, ...] = (
    "decision_maker", "economic_buyer", "procurement", "technical_evaluator", "user", "gatekeeper",
)


def seniority_rank(label: str) -> int:
    """Ordinal rank; ``owner`` ranks with ``c_level``, ``board`` above, ``unknown`` = -1."""
    if label == "owner":
        return SENIORITY_ORDER.index("c_level")
    if label == "board":
        return len(SENIORITY_ORDER)
    if label in SENIORITY_ORDER:
        return SENIORITY_ORDER.index(label)
    return -1

"""Display names of the stable label keys (buying roles, report sections) per language.

The keys stay English in JSON, exports and tables (``economic_buyer``); the report shows
them in the reader's language.
"""

from __future__ import annotations

from ..i18n import N_, _

__all__ = ["BUYING_ROLES", "buying_role_name", "SECTION_NAMES", "section_name"]

BUYING_ROLES = {
    "decision_maker": N_("decision maker"), "economic_buyer": N_("economic buyer"),
    "procurement": N_("procurement"), "technical_evaluator": N_("technical evaluator"),
    "user": N_("user"), "gatekeeper": N_("gatekeeper"),
}

#: report sections by the name ``build_sections`` gives a skipped one
SECTION_NAMES = {
    "headline": N_("headline"), "over time": N_("exposure over time"),
    "head start": N_("head start"), "accounts": N_("accounts"), "whatif": N_("countermeasures"),
    "teams": N_("teams"), "countries": N_("countries"), "capital": N_("relationship capital"),
    "settings": N_("settings"),
}


def buying_role_name(role: str) -> str:
    """``economic_buyer`` → "economic buyer" / "budgethouder" / ... (unknown keys readable)."""
    return _(BUYING_ROLES[role]) if role in BUYING_ROLES else role.replace("_", " ")


def buying_roles_text(roles: str | None) -> str:
    """``decision_maker|user`` → "decision maker, user" in the current language."""
    if not roles:
        return "–"
    return ", ".join(buying_role_name(r) for r in roles.split("|") if r)


def section_name(name: str) -> str:
    return _(SECTION_NAMES[name]) if name in SECTION_NAMES else name

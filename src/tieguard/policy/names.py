"""The names of the built-in countermeasures in the reader's language.

``whatif_results`` stores each policy's English description (a stable key for JSON and
exports). The report shows a built-in policy's description and short name from the
catalogue; a policy the organisation wrote itself keeps its own words. A test checks that
the English texts here are exactly those of ``policy/builtin/*.toml``.
"""

from __future__ import annotations

from ..i18n import N_, _

__all__ = ["BUILTIN_NAMES", "policy_description", "policy_short_name", "short_description"]

#: policy name → (description as in its TOML file, short name used inside sentences)
BUILTIN_NAMES: dict[str, tuple[str, str]] = {
    "act_on_alerts": (
        N_("Act on alerts: 60% of staff hide their list within 2 days of their first alert"),
        N_("act on alerts: 60% of staff hide their list within 2 days of their first alert")),
    "block_social_at_work": (
        N_("Block social sites at work (60% of connections made elsewhere anyway)"),
        N_("block social sites at work")),
    "company_off_profile": (
        N_("Sales staff keep the company name off their profile (70% adopt)"),
        N_("sales staff keep the company name off their profile")),
    "connect_after_close": (
        N_("Connect with people at accounts with an open deal only after it closes (80% adopt)"),
        N_("connect with people at accounts with an open deal only after it closes")),
    "hide_lists_sales": (
        N_("Sales staff hide their connection lists (90% adopt), as if done from the start"),
        N_("sales staff hide their connection lists")),
    "training": (
        N_("Workgroups/training: 40% of staff hide their list and connect after close"),
        N_("workgroups/training: 40% of staff hide their list and connect after close")),
}


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def short_description(description: str) -> str:
    """A description without its parenthetical detail (e.g. the adoption rate), lower-cased."""
    return _lower_first(description.split(" (", 1)[0].split(", as if", 1)[0])


def _builtin(policy: str, description: str) -> tuple[str, str] | None:
    names = BUILTIN_NAMES.get(policy)
    return names if names and names[0] == description else None


def policy_description(policy: str, description: str | None) -> str:
    """The policy's description in the current language (a custom text stays as written)."""
    text = description or policy
    names = _builtin(policy, text)
    return _(names[0]) if names else text


def policy_short_name(policy: str, description: str | None) -> str:
    """The policy's short name for use inside a sentence, in the current language."""
    text = description or policy
    names = _builtin(policy, text)
    return _(names[1]) if names else short_description(text)

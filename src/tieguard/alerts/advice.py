"""Advice: why a new connection is risky and what removes the risk, in plain sentences.

Only CRM data and derived labels reach the text: a person who matched no CRM contact
is "a new connection at <account>", never a name, title or profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["value_band", "advice_text", "Measured", "REASON_TEXT"]

#: (upper bound exclusive, label) of opportunity amounts.
_BANDS: tuple[tuple[float, str], ...] = (
    (10_000, "under 10k"), (50_000, "10k-50k"), (250_000, "50k-250k"), (1_000_000, "250k-1M"),
    (float("inf"), "over 1M"),
)

REASON_TEXT = {
    "buying_committee": "is on the buying committee of an open deal",
    "open_opportunity": "works at an account with an open deal",
    "pipeline_account": "works at a prospect our sales team is working",
    "target_account": "works at an account on the target list",
}


def value_band(amount: float | None) -> str | None:
    """The amount's band (``under 10k`` ... ``over 1M``); None without an amount."""
    if amount is None:
        return None
    for upper, label in _BANDS:
        if amount < upper:
            return label
    return _BANDS[-1][1]  # pragma: no cover - inf is the last bound


@dataclass(frozen=True)
class Measured:
    """What the report's what-if runs measured (pipeline exposure points), when they ran."""

    connect_after_close: float | None = None
    act_on_alerts: float | None = None


def _who(alert: Mapping[str, Any]) -> str:
    account = alert.get("account_name") or alert.get("account_id") or "an account"
    if alert.get("contact_id") and alert.get("contact_name"):
        return f"Your new connection {alert['contact_name']} at {account}"
    return f"A new connection at {account}"


def _why(alert: Mapping[str, Any]) -> str:
    reasons = [r for r in str(alert.get("reasons") or "").split("|") if r]
    said = [REASON_TEXT[r] for r in reasons if r in REASON_TEXT]
    if not alert.get("contact_id"):  # only account-level facts for an unmatched person
        said = [REASON_TEXT[r].replace("is on the buying committee of", "works at an account with")
                for r in reasons if r in REASON_TEXT and r != "buying_committee"]
    text = f"{_who(alert)} " + (" and ".join(dict.fromkeys(said)) or "reveals an account") + "."
    if alert.get("opportunity_id"):
        deal = alert.get("opportunity_name") or alert["opportunity_id"]
        details = []
        if alert.get("opportunity_stage"):
            details.append(f"at stage {alert['opportunity_stage']}")
        if alert.get("value_band"):
            details.append(f"worth {alert['value_band']}")
        if alert.get("expected_close"):
            details.append(f"expected to close on {alert['expected_close']}")
        text += f" The deal is {deal}" + (": " + ", ".join(details) if details else "") + "."
    if alert.get("contact_id") and str(alert.get("contact_role") or "other").lower() != "other":
        text += f" In the CRM this contact is the deal's {alert['contact_role']}."
    return text


def _fix(alert: Mapping[str, Any], today: dt.date, measured: Measured) -> str:
    sees_on = alert.get("competitor_sees_on")
    already = isinstance(sees_on, dt.date) and sees_on <= today
    if alert.get("channel") == "shared":
        text = ("This person is also connected to someone at a competitor, who sees the shared "
                "connection whatever your settings: hiding your list does not remove this one.")
    elif already:
        text = (f"A competitor looking weekly may have seen it on {sees_on}. Hide your connection "
                "list now (LinkedIn: Settings, Visibility, Connections: Only you) so that your next "
                "connections stay private.")
    else:
        text = (f"Hide your connection list now (LinkedIn: Settings, Visibility, Connections: Only "
                f"you), before {sees_on}, when a competitor looking weekly would see it.")
    if alert.get("opportunity_id") and alert.get("expected_close"):
        text += (" Had you connected after the deal closed, a watcher would have learned nothing "
                 "before the close")
        if measured.connect_after_close is not None:
            text += (f" (across the organisation, connecting after close changes the share of deals a "
                     f"competitor sees by {measured.connect_after_close * 100:+.0f} points)")
        text += "."
    return text


def _head_start(alert: Mapping[str, Any]) -> str:
    days = alert.get("head_start_days")
    if days is None:
        return ""
    if days <= 0:
        return " The deal is due to close before a weekly watcher would see the connection."
    return (f" Left visible, it gives a competitor looking weekly about {int(days)} days of head "
            "start before the deal's expected close.")


def advice_text(alert: Mapping[str, Any], today: dt.date, measured: Measured | None = None) -> str:
    """Why, what removes the risk, and the head start, as one paragraph."""
    m = measured or Measured()
    return f"{_why(alert)} {_fix(alert, today, m)}{_head_start(alert)}"

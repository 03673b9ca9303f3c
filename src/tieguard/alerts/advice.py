"""Advice: why a new connection is risky and what removes the risk, in plain sentences.

Only CRM data and derived labels reach the text: a person who matched no CRM contact
is "a new connection at <account>", never a name, title or profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, _
from ..i18n.formats import count, date, signed

__all__ = ["value_band", "advice_text", "Measured", "REASON_TEXT"]

#: (upper bound exclusive, label) of opportunity amounts; the label is stored (English key).
_BANDS: tuple[tuple[float, str], ...] = (
    (10_000, "under 10k"), (50_000, "10k-50k"), (250_000, "50k-250k"), (1_000_000, "250k-1M"),
    (float("inf"), "over 1M"),
)
BAND_TEXT = {"under 10k": N_("under 10k"), "10k-50k": N_("10k-50k"), "50k-250k": N_("50k-250k"),
             "250k-1M": N_("250k-1M"), "over 1M": N_("over 1M")}

REASON_TEXT = {
    "buying_committee": N_("is on the buying committee of an open deal"),
    "open_opportunity": N_("works at an account with an open deal"),
    "pipeline_account": N_("works at a prospect our sales team is working"),
    "target_account": N_("works at an account on the target list"),
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


def _who(alert: Mapping[str, Any], reasons: str) -> str:
    account = alert.get("account_name") or alert.get("account_id") or _("an account")
    if alert.get("contact_id") and alert.get("contact_name"):
        return _("Your new connection %(name)s at %(account)s %(reasons)s.",
                 name=alert["contact_name"], account=account, reasons=reasons)
    return _("A new connection at %(account)s %(reasons)s.", account=account, reasons=reasons)


def _reasons(alert: Mapping[str, Any]) -> str:
    reasons = [r for r in str(alert.get("reasons") or "").split("|") if r]
    keys = [r for r in reasons if r in REASON_TEXT
            and (alert.get("contact_id") or r != "buying_committee")]  # unmatched: account facts
    said = list(dict.fromkeys(_(REASON_TEXT[k]) for k in keys))
    return _and(said) if said else _("reveals an account")


def _and(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        text = _("%(first)s and %(last)s", first=text, last=part)
    return text


def _deal(alert: Mapping[str, Any]) -> str:
    deal = alert.get("opportunity_name") or alert["opportunity_id"]
    details = []
    if alert.get("opportunity_stage"):
        details.append(_("at stage %(stage)s", stage=alert["opportunity_stage"]))
    if alert.get("value_band"):
        band = str(alert["value_band"])
        details.append(_("worth %(band)s", band=_(BAND_TEXT[band]) if band in BAND_TEXT else band))
    if alert.get("expected_close"):
        details.append(_("expected to close on %(date)s", date=date(alert["expected_close"])))
    if details:
        return _("The deal is %(deal)s: %(details)s.", deal=deal, details=", ".join(details))
    return _("The deal is %(deal)s.", deal=deal)


def _why(alert: Mapping[str, Any]) -> str:
    text = _who(alert, _reasons(alert))
    if alert.get("opportunity_id"):
        text += " " + _deal(alert)
    if alert.get("contact_id") and str(alert.get("contact_role") or "other").lower() != "other":
        text += " " + _("In the CRM this contact is the deal's %(role)s.", role=alert["contact_role"])
    return text


def _fix(alert: Mapping[str, Any], today: dt.date, measured: Measured) -> str:
    sees_on = alert.get("competitor_sees_on")
    already = isinstance(sees_on, dt.date) and sees_on <= today
    if alert.get("channel") == "shared":
        text = _("This person is also connected to someone at a competitor, who sees the shared "
                 "connection whatever your settings: hiding your list does not remove this one.")
    elif already:
        text = _("A competitor looking weekly may have seen it on %(date)s. Hide your connection "
                 "list now (LinkedIn: Settings, Visibility, Connections: Only you) so that your "
                 "next connections stay private.", date=date(sees_on))
    else:
        text = _("Hide your connection list now (LinkedIn: Settings, Visibility, Connections: Only "
                 "you), before %(date)s, when a competitor looking weekly would see it.",
                 date=date(sees_on))
    if alert.get("opportunity_id") and alert.get("expected_close"):
        if measured.connect_after_close is not None:
            points = signed(measured.connect_after_close * 100)
            text += " " + _(
                "Had you connected after the deal closed, a watcher would have learned nothing "
                "before the close (across the organisation, connecting after close changes the "
                "share of deals a competitor sees by %(points)s points).",
                points=points)
        else:
            text += " " + _("Had you connected after the deal closed, a watcher would have "
                            "learned nothing before the close.")
    return text


def _head_start(alert: Mapping[str, Any]) -> str:
    days = alert.get("head_start_days")
    if days is None:
        return ""
    if days <= 0:
        return " " + _("The deal is due to close before a weekly watcher would see the connection.")
    return " " + _("Left visible, it gives a competitor looking weekly about %(days)s days of head "
                   "start before the deal's expected close.", days=count(int(days)))


def advice_text(alert: Mapping[str, Any], today: dt.date, measured: Measured | None = None) -> str:
    """Why, what removes the risk, and the head start, as one paragraph (current language)."""
    m = measured or Measured()
    return f"{_why(alert)} {_fix(alert, today, m)}{_head_start(alert)}"

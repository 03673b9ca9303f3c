"""The outbox: alerts grouped into messages (one per alert, per day or per week), written once.

A message is stored before any attempt to send it, keyed by a hash of its channel,
recipient and alert ids, so a message is never composed twice and an alert goes into
at most one message per channel. Dismissed and snoozed alerts wait; employees who
opted out get no e-mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..i18n import _, ngettext, use
from ..settings import Settings
from .raising import employee_languages
from .store import Alert, list_alerts

__all__ = ["QueueResult", "queue_messages", "period_of", "compose"]


@dataclass(frozen=True)
class QueueResult:
    messages: int
    alerts: int
    skipped_opt_out: int
    skipped_no_address: int

    def as_json(self) -> dict[str, int]:
        return {"messages": self.messages, "alerts": self.alerts,
                "skipped_opt_out": self.skipped_opt_out, "skipped_no_address": self.skipped_no_address}


def period_of(alert: Alert, digest: str) -> str:
    """The digest period an alert belongs to: itself, its day, or its ISO week."""
    day = alert.raised_on or dt.date.today()
    if digest == "immediate":
        return f"alert {alert.alert_id[:12]}"
    if digest == "weekly":
        year, week, _ = day.isocalendar()
        return f"week {year}-W{week:02d}"
    return f"day {day.isoformat()}"


def _line(a: Alert) -> str:
    return f"- [{a.risk_score:.0f}/100] {a.advice}"


def compose(employee_id: str, period: str, alerts: list[Alert],
            language: str = "en") -> tuple[str, str, dict[str, Any]]:
    """Subject, plain-text body (in ``language``) and JSON payload of one message."""
    with use(language):
        return _compose(employee_id, period, alerts)


def _compose(employee_id: str, period: str, alerts: list[Alert]) -> tuple[str, str, dict[str, Any]]:
    n = len(alerts)
    accounts = sorted({a.account_name or a.account_id or "?" for a in alerts})
    subject = ngettext(
        "tieguard: %(n)s new connection a competitor could learn from (%(accounts)s)",
        "tieguard: %(n)s new connections a competitor could learn from (%(accounts)s)", n,
        accounts=", ".join(accounts[:3]) + (", ..." if len(accounts) > 3 else ""))
    body = "\n".join([
        _("Hello %(name)s,", name=employee_id), "",
        _("A competitor watching your public profile could learn about our customers from these "
          "new connections:"), "", *(_line(a) for a in alerts), "",
        _("Dismiss or snooze an alert: tieguard alerts dismiss ID / tieguard alerts snooze ID "
          "--until DATE."),
        _("Stop these e-mails: tieguard alerts preferences EMPLOYEE --opt-out."),
    ])
    payload = {"type": "tieguard.alerts", "employee_id": employee_id, "period": period,
               "alerts": [a.as_json() for a in alerts]}
    return subject, body, payload


def _webhook_document(fmt: str, subject: str, body: str, payload: dict[str, Any]) -> dict[str, Any]:
    if fmt == "slack":
        return {"text": f"*{subject}*\n{body}", "tieguard": payload}
    if fmt == "teams":
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions",
                "summary": subject, "title": subject, "text": body.replace("\n", "\n\n"),
                "tieguard": payload}
    return {**payload, "subject": subject, "text": body}


def _message_id(channel: str, recipient: str, alert_ids: list[str]) -> str:
    text = "|".join([channel, recipient, *sorted(alert_ids)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _pending(engine: Engine, channel: str, today: dt.date) -> list[Alert]:
    queued = {str(r[0]) for r in engine.fetchall(
        "SELECT DISTINCT unnest(alert_ids) FROM alert_outbox WHERE channel = ?", [channel])}
    return [a for a in list_alerts(engine, status="open", today=today) if a.alert_id not in queued]


def _recipients(engine: Engine) -> dict[str, tuple[str | None, bool, str | None]]:
    rows = engine.fetchall(
        "SELECT e.employee_id, e.email, coalesce(p.email_opt_out, false), p.digest "
        "FROM employees e LEFT JOIN alert_preferences p USING (employee_id)")
    return {str(r[0]): (r[1], bool(r[2]), r[3]) for r in rows}


def queue_messages(engine: Engine, settings: Settings, *, today: dt.date | None = None,
                   dry_run: bool = False) -> tuple[QueueResult, list[dict[str, Any]]]:
    """Put every open alert not yet queued on a configured channel into the outbox.

    Returns the counts and the new messages (with ``dry_run``: composed, not stored).
    """
    cfg = settings.alerts
    day = today or dt.date.today()
    people = _recipients(engine)
    languages = employee_languages(engine, settings)
    channels = [c for c, on in (("email", bool(cfg.smtp_host)), ("webhook", bool(cfg.webhook_url))) if on]
    rows: list[dict[str, Any]] = []
    queued_alerts = opted_out = no_address = 0
    for channel in channels:
        groups: dict[tuple[str, str], list[Alert]] = defaultdict(list)
        for alert in _pending(engine, channel, day):
            email, opt_out, digest = people.get(alert.employee_id, (None, False, None))
            if channel == "email" and opt_out:
                opted_out += 1
                continue
            if channel == "email" and not email:
                no_address += 1
                continue
            groups[(alert.employee_id, period_of(alert, digest or cfg.digest))].append(alert)
        for (employee_id, period), alerts in sorted(groups.items()):
            recipient = people[employee_id][0] if channel == "email" else cfg.webhook_url
            subject, body, payload = compose(employee_id, period, alerts,
                                             languages.get(employee_id, "en"))
            document = _webhook_document(cfg.webhook_format, subject, body, payload)
            ids = [a.alert_id for a in alerts]
            rows.append({"message_id": _message_id(channel, str(recipient), ids), "channel": channel,
                         "employee_id": employee_id, "recipient": recipient, "period": period,
                         "alert_ids": ids, "subject": subject, "body": body,
                         "payload": json.dumps(document, ensure_ascii=False, sort_keys=True),
                         "queued_at": dt.datetime.now()})
            queued_alerts += len(ids)
    if rows and not dry_run:
        engine.insert_arrow("alert_outbox", pa.Table.from_pylist(rows))
    return QueueResult(len(rows), queued_alerts, opted_out, no_address), rows

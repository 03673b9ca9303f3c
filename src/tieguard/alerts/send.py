"""Send the outbox: every message until one delivery succeeds, each attempt recorded.

A message with a successful delivery is never sent again; a failed one stays in the
outbox and is retried (``alerts.retries`` times per run, back-off doubling from
``alerts.backoff_seconds``) and by the next run, and is reported until it goes out.
The e-mail Message-ID and the webhook's ``X-Tieguard-Delivery`` header carry the
message id, so a receiver can drop a duplicate should a crash fall between a
delivery and its record.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..settings import Settings
from .channels import DeliveryError, post_webhook, send_email
from .outbox import QueueResult, queue_messages

__all__ = ["SendResult", "send_pending", "pending_messages"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    queued: QueueResult
    sent: int
    failed: int
    dry_run: bool
    failures: list[dict[str, Any]] = field(default_factory=list)
    would_send: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"queued": self.queued.as_json(), "sent": self.sent, "failed": self.failed,
                "dry_run": self.dry_run, "failures": self.failures, "would_send": self.would_send}


def pending_messages(engine: Engine) -> list[dict[str, Any]]:
    """Outbox messages without a successful delivery, oldest first, with attempts so far."""
    return engine.fetch_records(
        "SELECT o.message_id, o.channel, o.employee_id, o.recipient, o.period, o.subject, o.body, "
        "o.payload, o.alert_ids, coalesce(max(d.attempt), 0) AS attempts "
        "FROM alert_outbox o LEFT JOIN alert_deliveries d USING (message_id) "
        "GROUP BY ALL HAVING count(*) FILTER (d.outcome = 'sent') = 0 "
        "ORDER BY any_value(o.queued_at), o.message_id")


def _record(engine: Engine, msg: dict[str, Any], attempt: int, error: str | None) -> None:
    engine.insert_arrow("alert_deliveries", pa.table({
        "message_id": [msg["message_id"]], "employee_id": [msg["employee_id"]],
        "attempt": pa.array([attempt], pa.int32()), "attempted_at": [dt.datetime.now()],
        "outcome": ["failed" if error else "sent"], "error": pa.array([error], pa.string()),
    }))


def _deliver(settings: Settings, msg: dict[str, Any]) -> None:
    if msg["channel"] == "email":
        send_email(settings.alerts, msg["message_id"], msg["recipient"], msg["subject"], msg["body"])
    else:
        post_webhook(settings.alerts, msg["message_id"], msg["payload"])


def send_pending(engine: Engine, settings: Settings, *, dry_run: bool = False,
                 today: dt.date | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> SendResult:
    """Queue open alerts, then deliver every pending message (or list them with ``dry_run``)."""
    queued, new = queue_messages(engine, settings, today=today, dry_run=dry_run)
    if dry_run:
        preview = [{"channel": m["channel"], "employee_id": m["employee_id"], "period": m["period"],
                    "subject": m["subject"], "alerts": len(m["alert_ids"])}
                   for m in [*pending_messages(engine), *new]]
        return SendResult(queued, 0, 0, True, would_send=preview)
    sent = failed = 0
    failures: list[dict[str, Any]] = []
    cfg = settings.alerts
    for msg in pending_messages(engine):
        attempt, error = int(msg["attempts"]), None
        for retry in range(cfg.retries + 1):
            attempt += 1
            try:
                _deliver(settings, msg)
                error = None
            except DeliveryError as exc:
                error = str(exc)
            _record(engine, msg, attempt, error)
            if error is None:
                break
            log.warning("alert message %s attempt %d failed: %s", msg["message_id"], attempt, error)
            if retry < cfg.retries:
                sleep(cfg.backoff_seconds * 2 ** retry)
        if error is None:
            sent += 1
        else:
            failed += 1
            failures.append({"message_id": msg["message_id"], "channel": msg["channel"],
                             "employee_id": msg["employee_id"], "attempts": attempt, "error": error})
    return SendResult(queued, sent, failed, False, failures)

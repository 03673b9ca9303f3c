"""Delivery state of the alerts for an administrator: counts and delivery errors, no alert contents."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from ..engine import ReadEngine
from ..settings import AlertsSettings
from .store import _ACTIONS, STATUS_SQL

__all__ = ["DeliveryState", "delivery_state", "channels_configured"]


@dataclass(frozen=True)
class DeliveryState:
    """Alerts by status, outbox messages by channel, and the latest failed attempts."""

    alerts_by_status: dict[str, int]
    suppressed: int
    messages: dict[str, dict[str, int]]
    last_attempt: dt.datetime | None
    failures: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_attempt"] = self.last_attempt.isoformat() if self.last_attempt else None
        for row in data["failures"]:
            row["attempted_at"] = row["attempted_at"].isoformat() if row["attempted_at"] else None
        return data


def channels_configured(settings: AlertsSettings) -> dict[str, bool]:
    """Which delivery channels the settings enable (e-mail needs an SMTP host, webhook a URL)."""
    return {"email": bool(settings.smtp_host.strip()), "webhook": bool(settings.webhook_url.strip())}


def delivery_state(engine: ReadEngine, *, today: dt.date | None = None,
                   failures: int = 10) -> DeliveryState:
    """How many alerts are open, sent, snoozed or dismissed; per channel the messages queued,
    sent and still pending; and the newest failed attempts with their error sentences."""
    by_status = {str(r[0]): int(r[1]) for r in engine.fetchall(
        f"SELECT {STATUS_SQL} AS status, count(*) FROM alerts a LEFT JOIN {_ACTIONS} act "
        "USING (alert_id) WHERE a.suppressed_because IS NULL GROUP BY ALL ORDER BY 1",
        {"today": today or dt.date.today()})}
    suppressed = int(engine.scalar(
        "SELECT count(*) FROM alerts WHERE suppressed_because IS NOT NULL") or 0)
    messages: dict[str, dict[str, int]] = {}
    for channel, queued, sent in engine.fetchall(
            "SELECT o.channel, count(*), count(*) FILTER (EXISTS (SELECT 1 FROM alert_deliveries "
            "d WHERE d.message_id = o.message_id AND d.outcome = 'sent')) "
            "FROM alert_outbox o GROUP BY 1 ORDER BY 1"):
        messages[str(channel)] = {"queued": int(queued), "sent": int(sent),
                                  "pending": int(queued) - int(sent)}
    last = engine.scalar("SELECT max(attempted_at) FROM alert_deliveries")
    failed = engine.fetch_records(
        "SELECT o.channel, d.attempt, d.attempted_at, d.error FROM alert_deliveries d "
        "JOIN alert_outbox o USING (message_id) WHERE d.outcome = 'failed' "
        "ORDER BY d.attempted_at DESC, d.message_id LIMIT ?", [failures])
    return DeliveryState(by_status, suppressed, messages, last, failed)

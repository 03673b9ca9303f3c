"""Alerts: catch a risky new connection the day its export arrives, and say what to do.

Library API (the CLI and the web app use only these; ``docs/alerts.md``):

- :func:`raise_alerts` / :func:`raise_after_import`: judge the new connections of newer exports;
- :func:`list_alerts`, :func:`get_alert`, :func:`dismiss`, :func:`snooze`, :func:`reopen`;
- :func:`set_preferences` / :func:`get_preferences`: per-employee e-mail opt-out and digest;
- :func:`load_targets`: the optional target account list;
- :func:`queue_messages` and :func:`send_pending`: the outbox and its channels;
- :func:`delivery_state`: alerts by status, messages per channel, failed attempts.
"""

from __future__ import annotations

from .outbox import QueueResult, queue_messages
from .raising import DetectionResult, raise_after_import, raise_alerts
from .send import SendResult, send_pending
from .status import DeliveryState, channels_configured, delivery_state
from .store import (
    Alert,
    Preferences,
    dismiss,
    get_alert,
    get_preferences,
    list_alerts,
    load_targets,
    reopen,
    set_preferences,
    snooze,
)

__all__ = [
    "Alert", "DeliveryState", "DetectionResult", "Preferences", "QueueResult", "SendResult",
    "channels_configured", "delivery_state", "dismiss", "get_alert",
    "get_preferences", "list_alerts", "load_targets", "queue_messages", "raise_after_import",
    "raise_alerts", "reopen", "send_pending", "set_preferences", "snooze",
]

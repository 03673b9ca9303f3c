"""Delivery channels: e-mail over SMTP with STARTTLS, and an HMAC-signed webhook POST.

Each function makes one attempt and raises :class:`DeliveryError` (a sentence) when it
fails; retries, back-off and bookkeeping are :mod:`tieguard.alerts.send`'s.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage

from ..settings import AlertsSettings

__all__ = ["DeliveryError", "send_email", "post_webhook", "signature"]


class DeliveryError(Exception):
    """One delivery attempt failed; the message says why."""


def _secret(value: str, env: str) -> str:
    return value or os.environ.get(env, "")


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact body with the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_email(cfg: AlertsSettings, message_id: str, recipient: str, subject: str, body: str) -> None:
    """Send one e-mail; STARTTLS is required unless ``smtp_starttls`` is off."""
    msg = EmailMessage()
    msg["From"] = cfg.smtp_from
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}@tieguard>"  # the same message keeps the same id
    msg.set_content(body)
    password = _secret(cfg.smtp_password.get_secret_value(), "TIEGUARD_SMTP_PASSWORD")
    where = f"the SMTP server {cfg.smtp_host}:{cfg.smtp_port}"
    try:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout_seconds) as smtp:
            smtp.ehlo()
            if cfg.smtp_starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(f"{where} does not offer STARTTLS; nothing was sent in clear "
                                        "text. Use a server with STARTTLS (or set alerts.smtp_starttls "
                                        "= false on a trusted network).")
                context = ssl.create_default_context(
                    cafile=str(cfg.smtp_ca_file) if cfg.smtp_ca_file else None)
                smtp.starttls(context=context)
                smtp.ehlo()
            if cfg.smtp_username:
                smtp.login(cfg.smtp_username, password)
            smtp.send_message(msg)
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"{where} refused the login of {cfg.smtp_username!r} ({exc.smtp_code}). "
                            "Check alerts.smtp_username and the password.") from exc
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise DeliveryError(f"Sending e-mail through {where} failed: {exc}. Check alerts.smtp_host, "
                            "alerts.smtp_port and that the server is reachable.") from exc


def post_webhook(cfg: AlertsSettings, message_id: str, document: str) -> None:
    """POST the JSON ``document``; signed when a secret is set; 2xx is success."""
    body = document.encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "tieguard-alerts",
               "X-Tieguard-Delivery": message_id}
    secret = _secret(cfg.webhook_secret.get_secret_value(), "TIEGUARD_WEBHOOK_SECRET")
    if secret:
        headers["X-Tieguard-Signature"] = signature(secret, body)
    request = urllib.request.Request(cfg.webhook_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=cfg.timeout_seconds) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"The webhook {cfg.webhook_url} answered HTTP {exc.code}. Check the "
                            "receiving service (and alerts.webhook_secret if it checks signatures).") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"The webhook {cfg.webhook_url} could not be reached: {exc}. Check "
                            "alerts.webhook_url and the network.") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"The webhook {cfg.webhook_url} answered HTTP {status}.")

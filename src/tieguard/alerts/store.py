"""The alerts library API: list an employee's alerts, dismiss, snooze, preferences, targets.

This is what the CLI and the web app call; every function takes an open engine.
An alert's **status** comes from its latest action and its deliveries:
``dismissed``, ``snoozed`` (until a date), ``sent`` (a channel delivered it) or ``open``.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from ..engine import Engine, ReadEngine
from ..errors import InputError, NotFoundError

__all__ = ["Alert", "list_alerts", "get_alert", "dismiss", "snooze", "reopen",
           "set_preferences", "Preferences", "get_preferences", "load_targets", "STATUS_SQL"]

Digest = Literal["immediate", "daily", "weekly"]

#: SQL over alias ``a`` (an alerts row) and parameter ``$today``: the alert's status.
STATUS_SQL = """CASE
    WHEN act.action = 'dismiss' THEN 'dismissed'
    WHEN act.action = 'snooze' AND act.until > $today THEN 'snoozed'
    WHEN a.alert_id IN (SELECT unnest(o.alert_ids) FROM alert_outbox o
                        JOIN alert_deliveries d USING (message_id) WHERE d.outcome = 'sent') THEN 'sent'
    ELSE 'open' END"""

_ACTIONS = """(SELECT alert_id, arg_max(action, acted_at) AS action, arg_max(until, acted_at) AS until
              FROM alert_actions GROUP BY alert_id)"""


@dataclass(frozen=True)
class Alert:
    """One raised alert as the CLI and the web app show it."""

    alert_id: str
    employee_id: str
    raised_on: dt.date | None
    connected_on: dt.date | None
    account_id: str | None
    account_name: str | None
    contact_id: str | None
    contact_name: str | None
    contact_role: str | None
    opportunity_id: str | None
    opportunity_name: str | None
    opportunity_stage: str | None
    value_band: str | None
    expected_close: dt.date | None
    reasons: str | None
    channel: str | None
    risk_score: float | None
    competitor_sees_on: dt.date | None
    head_start_days: int | None
    advice: str | None
    status: str
    snoozed_until: dt.date | None

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}


_FIELDS = [f for f in Alert.__dataclass_fields__ if f not in ("status", "snoozed_until")]


def list_alerts(engine: ReadEngine, *, employee_id: str | None = None, since: dt.date | None = None,
                status: str | None = None, today: dt.date | None = None,
                limit: int | None = None) -> list[Alert]:
    """Raised alerts (not the suppressed judgements), newest first.

    ``employee_id``: one employee's; ``since``: raised on or after; ``status``: only
    ``open``, ``sent``, ``snoozed`` or ``dismissed``.
    """
    cols = ", ".join(f"a.{f}" for f in _FIELDS)
    sql = f"""
        SELECT * FROM (
            SELECT {cols}, {STATUS_SQL} AS status,
                   CASE WHEN act.action = 'snooze' AND act.until > $today THEN act.until END AS snoozed_until
            FROM alerts a LEFT JOIN {_ACTIONS} act USING (alert_id)
            WHERE a.suppressed_because IS NULL
              AND (CAST($employee AS VARCHAR) IS NULL OR a.employee_id = $employee)
              AND (CAST($since AS DATE) IS NULL OR a.raised_on >= $since))
        WHERE CAST($status AS VARCHAR) IS NULL OR status = $status
        ORDER BY raised_on DESC, risk_score DESC, alert_id
        LIMIT CAST($limit AS BIGINT)"""
    rows = engine.fetch_records(sql, {
        "today": today or dt.date.today(), "employee": employee_id, "since": since,
        "status": status, "limit": limit if limit is not None else 2**62,
    })
    return [Alert(**r) for r in rows]


def get_alert(engine: Engine, alert_id: str, *, today: dt.date | None = None) -> Alert:
    """One alert by id; :class:`NotFoundError` if there is none."""
    employee = engine.scalar(
        "SELECT employee_id FROM alerts WHERE alert_id = ? AND suppressed_because IS NULL", [alert_id])
    if employee is None:
        raise NotFoundError(f"No alert has the id {alert_id!r}. List them with `tieguard alerts list`.")
    for alert in list_alerts(engine, employee_id=str(employee), today=today):
        if alert.alert_id == alert_id:
            return alert
    raise NotFoundError(f"No alert has the id {alert_id!r}.")  # pragma: no cover - found above


def _act(engine: Engine, alert_id: str, action: str, until: dt.date | None, by: str | None) -> Alert:
    alert = get_alert(engine, alert_id)
    engine.insert_arrow("alert_actions", pa.table({
        "alert_id": [alert_id], "employee_id": [alert.employee_id], "action": [action],
        "until": pa.array([until], pa.date32()), "acted_at": [dt.datetime.now()],
        "acted_by": [by or _user()],
    }))
    return get_alert(engine, alert_id)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def dismiss(engine: Engine, alert_id: str, by: str | None = None) -> Alert:
    """Dismiss an alert: it is not sent and leaves the open list."""
    return _act(engine, alert_id, "dismiss", None, by)


def snooze(engine: Engine, alert_id: str, until: dt.date, by: str | None = None) -> Alert:
    """Snooze an alert until ``until`` (not sent before that day)."""
    if until <= dt.date.today():
        raise InputError(f"A snooze must end in the future; {until} is not. Give a later date.")
    return _act(engine, alert_id, "snooze", until, by)


def reopen(engine: Engine, alert_id: str, by: str | None = None) -> Alert:
    """Undo a dismissal or snooze."""
    return _act(engine, alert_id, "reopen", None, by)


@dataclass(frozen=True)
class Preferences:
    employee_id: str
    email_opt_out: bool
    digest: str | None


def get_preferences(engine: ReadEngine, employee_id: str) -> Preferences:
    row = engine.fetchone(
        "SELECT email_opt_out, digest FROM alert_preferences WHERE employee_id = ?", [employee_id])
    return Preferences(employee_id, bool(row[0]) if row else False, row[1] if row else None)


def set_preferences(engine: Engine, employee_id: str, *, email_opt_out: bool | None = None,
                    digest: Digest | None = None) -> Preferences:
    """Set an employee's e-mail opt-out and/or digest (unchanged where None)."""
    if not engine.scalar("SELECT count(*) FROM employees WHERE employee_id = ?", [employee_id]):
        raise NotFoundError(f"No employee with id {employee_id!r} is in the roster. Check the id.")
    old = get_preferences(engine, employee_id)
    new = Preferences(employee_id, old.email_opt_out if email_opt_out is None else email_opt_out,
                      old.digest if digest is None else digest)
    engine.replace("alert_preferences", "SELECT ? AS employee_id, ? AS email_opt_out, ? AS digest, "
                   "? AS updated_at", [new.employee_id, new.email_opt_out, new.digest, dt.datetime.now()],
                   where="employee_id = ?", where_params=[employee_id])
    return new


def load_targets(engine: Engine, path: Path, list_name: str | None = None) -> int:
    """Replace the target account list with a CSV's ``account_id`` (or ``account``) column.

    Every unknown account is reported at once (line and value); nothing is stored then.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = {h.strip().lower(): h for h in (reader.fieldnames or [])}
        column = header.get("account_id") or header.get("account")
        if column is None:
            raise InputError(f"{path}: the target list needs a column account_id (CRM account id) "
                             "or account (account name). Add that header line.")
        values = [(i + 2, (row.get(column) or "").strip()) for i, row in enumerate(reader)]
    ids: list[str] = []
    problems: list[str] = []
    for line, value in values:
        if not value:
            continue
        found = engine.fetchall("SELECT account_id FROM accounts WHERE account_id = ? OR "
                                "lower(trim(name)) = lower(?)", [value, value])
        if len(found) == 1:
            ids.append(str(found[0][0]))
        else:
            what = "no CRM account" if not found else f"{len(found)} CRM accounts"
            problems.append(f"line {line}, column {column}: {value!r} names {what}")
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems) + ". Use the CRM account_id; nothing was loaded.")
    name = list_name or path.stem
    engine.replace("alert_targets", "SELECT DISTINCT unnest(?) AS account_id, ? AS list_name, "
                   "? AS loaded_at", [ids, name, dt.datetime.now()])
    return len(set(ids))

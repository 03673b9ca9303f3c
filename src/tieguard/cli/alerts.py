"""``tieguard alerts``: risky new connections, their advice, and their delivery."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

from ..errors import InputError, NotFoundError
from .common import (
    CONFIG_OPTION,
    DB_OPTION,
    JSON_OPTION,
    cli_session,
    out,
    print_json,
    translate_errors,
)

if TYPE_CHECKING:  # heavy modules load when a command runs, not for --help
    from ..engine import Engine

alerts_app = typer.Typer(
    help=(
        "Alerts on new connections a competitor could learn from, with advice, by e-mail or "
        "webhook.\n\nExample: tieguard alerts list --employee E00042"
    ),
    no_args_is_help=True,
)


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD.") from None


@alerts_app.command("list")
def list_(
    employee: str | None = typer.Option(None, "--employee", help="Employee id, e-mail or name."),
    since: str | None = typer.Option(None, "--since", help="Only alerts raised on or after (YYYY-MM-DD)."),
    status: str | None = typer.Option(None, "--status", help="open, sent, snoozed or dismissed."),
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """List raised alerts: employee, tie date, account, opportunity, risk, reason, advice, status.

    Example: tieguard alerts list --employee E00042 --since 2026-01-01 --json
    """
    from .. import alerts
    from ..employees import find_employee

    with translate_errors(), cli_session(db, config) as session:
        who = find_employee(session.engine, employee).employee_id if employee else None
        found = alerts.list_alerts(session.engine, employee_id=who, since=_date(since, "--since"),
                                   status=status)
    if as_json:
        print_json({"alerts": [a.as_json() for a in found]})
        return
    out.print(f"[bold]{len(found)} alerts[/]")
    for a in found:
        deal = f" ({a.opportunity_name or a.opportunity_id})" if a.opportunity_id else ""
        out.print(f"\n[bold]{a.alert_id[:10]}[/] {a.employee_id}  connected {a.connected_on}  "
                  f"{a.account_name or a.account_id}{deal}  risk {a.risk_score:.0f}  {a.status}",
                  highlight=False)
        out.print(f"  {(a.reasons or '').replace('|', ', ')}: {a.advice or ''}", highlight=False)


@alerts_app.command("raise")
def raise_(db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Check newer exports not yet checked and raise their alerts (import does this itself).

    Example: tieguard alerts raise --json
    """
    from .. import alerts

    with translate_errors(), cli_session(db, config) as session:
        result = alerts.raise_alerts(session.engine, session.settings)
    if as_json:
        print_json(result.as_json())
        return
    out.print(f"Checked {result.exports_checked} newer exports with {result.new_ties} new connections: "
              f"{result.alerts} alerts raised, {result.suppressed} judged not news.")


@alerts_app.command("send")
def send(dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be sent; send and store nothing."),
         db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Queue open alerts into digests and deliver them by e-mail and webhook (retrying failures).

    Example: tieguard alerts send --dry-run
    """
    from .. import alerts

    with translate_errors(), cli_session(db, config) as session:
        result = alerts.send_pending(session.engine, session.settings, dry_run=dry_run)
    if as_json:
        print_json(result.as_json())
    elif dry_run:
        out.print(f"Dry run: {len(result.would_send)} messages would be sent.")
        for m in result.would_send:
            out.print(f"- {m['channel']} to {m['employee_id']} ({m['period']}): {m['subject']}")
    else:
        out.print(f"Sent {result.sent} messages; {result.failed} failed and stay in the outbox.")
        for f in result.failures:
            out.print(f"[red]{f['channel']} message for {f['employee_id']} failed after "
                      f"{f['attempts']} attempts:[/] {f['error']}", highlight=False)
    if result.failed:
        raise typer.Exit(5)


@alerts_app.command("dismiss")
def dismiss(alert_id: str, db: Path = DB_OPTION) -> None:
    """Dismiss an alert (it is not sent).

    Example: tieguard alerts dismiss 3f2a9c01be
    """
    from .. import alerts

    with translate_errors(), cli_session(db) as session:
        a = alerts.dismiss(session.engine, _full_id(session.engine, alert_id))
    out.print(f"Alert {a.alert_id[:10]} is {a.status}.")


@alerts_app.command("snooze")
def snooze(alert_id: str, until: str = typer.Option(..., "--until", help="YYYY-MM-DD"),
           db: Path = DB_OPTION) -> None:
    """Snooze an alert until a date.

    Example: tieguard alerts snooze 3f2a9c01be --until 2026-02-01
    """
    from .. import alerts

    with translate_errors(), cli_session(db) as session:
        day = _date(until, "--until") or dt.date.today()
        a = alerts.snooze(session.engine, _full_id(session.engine, alert_id), day)
    out.print(f"Alert {a.alert_id[:10]} is {a.status} until {a.snoozed_until}.")


@alerts_app.command("preferences")
def preferences(
    employee: str,
    opt_out: bool | None = typer.Option(None, "--opt-out/--opt-in", help="Stop or resume alert e-mails."),
    digest: str | None = typer.Option(None, "--digest", help="immediate, daily or weekly."),
    db: Path = DB_OPTION,
) -> None:
    """Set an employee's alert e-mail opt-out and digest.

    Example: tieguard alerts preferences E00042 --digest weekly
    """
    from .. import alerts
    from ..employees import find_employee

    with translate_errors(), cli_session(db) as session:
        if digest not in (None, "immediate", "daily", "weekly"):
            raise InputError(f"--digest {digest!r} is not one of immediate, daily, weekly.")
        eid = find_employee(session.engine, employee).employee_id
        chosen: Literal["immediate", "daily", "weekly"] | None = digest  # type: ignore[assignment]
        p = alerts.set_preferences(session.engine, eid, email_opt_out=opt_out, digest=chosen)
    out.print(f"{p.employee_id}: e-mails {'off' if p.email_opt_out else 'on'}, digest {p.digest or 'default'}.")


@alerts_app.command("targets")
def targets(file: Path, db: Path = DB_OPTION) -> None:
    """Load the target account list (CSV with account_id or account column); replaces the old one.

    Example: tieguard alerts targets targets.csv
    """
    from .. import alerts

    with translate_errors(), cli_session(db) as session:
        n = alerts.load_targets(session.engine, file)
    out.print(f"{n} target accounts loaded.")


def _full_id(engine: Engine, prefix: str) -> str:
    rows = engine.fetchall("SELECT alert_id FROM alerts WHERE starts_with(alert_id, ?) "
                           "AND suppressed_because IS NULL LIMIT 2", [prefix])
    if len(rows) == 1:
        return str(rows[0][0])
    what = "No alert" if not rows else "More than one alert"
    raise NotFoundError(f"{what} has an id starting with {prefix!r}. Copy the id from "
                        "`tieguard alerts list`.")


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")

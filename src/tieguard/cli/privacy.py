"""``tieguard privacy``: an employee sees and erases their own data, marks contacts private."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.table import Table

from .common import (
    CONFIG_OPTION,
    DB_OPTION,
    JSON_OPTION,
    cli_session,
    out,
    print_json,
    translate_errors,
)

privacy_app = typer.Typer(
    help=(
        "An employee's rights over their own network data: see it, erase it, mark contacts "
        "private.\n\nExample: tieguard privacy show E0042"
    ),
    no_args_is_help=True,
)


@privacy_app.command("show")
def show(
    employee_id: str = typer.Argument(..., help="Employee id, e-mail or full name."),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show what the warehouse holds about one employee's network and who supplied it.

    Example: tieguard privacy show E0042 --json
    """
    from .. import privacy

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        data = privacy.employee_data(engine, employee_id)
    if as_json:
        print_json(data.as_json())
        return
    shown = data.as_json()
    table = Table(title=f"Data held about {data.employee_id}'s network", header_style="bold")
    table.add_column("what")
    table.add_column("value", justify="right")
    for key in ("ties", "ties_current", "hidden_members", "ties_resolved_to_crm", "invitations",
                "private_marks", "first_connected_on", "last_connected_on"):
        table.add_row(key.replace("_", " "), str(shown[key]))
    out.print(table)
    for imp in data.imports:
        out.print(f"- {imp['kind']} {imp['file_name']} supplied by {imp['supplied_by']} "
                  f"({imp['basis']}) on {imp['imported_at']:%Y-%m-%d}")


@privacy_app.command("erase")
def erase(
    employee_id: str = typer.Argument(..., help="Employee id, e-mail or full name."),
    yes: bool = typer.Option(False, "--yes", help="Confirm; nothing is erased without it."),
    requested_by: str = typer.Option(getpass.getuser(), "--requested-by", help="Who asked for it."),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Erase one employee's network data from every table; the roster row stays.

    Example: tieguard privacy erase E0042 --yes
    """
    from .. import privacy

    if not yes:
        out.print("Nothing erased: add --yes to erase this employee's network data for good.")
        raise typer.Exit(1)
    with translate_errors(), cli_session(db) as session:
        result = privacy.erase_employee(session.engine, employee_id, requested_by,
                                        session.settings)
    if as_json:
        print_json(result.as_json())
        return
    out.print(f"Erased {result.ties_erased:,} connections of {result.employee_id} and "
              f"{result.people_erased:,} people nobody else is connected to.")
    if result.recomputed:
        out.print(f"Recomputed the aggregates of: {', '.join(result.recomputed)}.")
    if result.invalidated:
        out.print("Emptied (run again to refill): " + ", ".join(result.invalidated) + ".")
    out.print("The warehouse file was rewritten without the erased bytes; importing the same "
              "data again needs the employee's new consent (--reconsent).")


@privacy_app.command("reconsent")
def reconsent(
    employee_id: str = typer.Argument(..., help="Employee id, e-mail or full name."),
    given_by: str = typer.Option(getpass.getuser(), "--given-by", help="Who recorded the consent."),
    db: Path = DB_OPTION,
) -> None:
    """Record an erased employee's new consent, so their exports may be imported again.

    Example: tieguard privacy reconsent E0042
    """
    from .. import privacy

    with translate_errors(), cli_session(db) as session:
        lifted = privacy.record_reconsent(session.engine, employee_id, given_by)
    out.print(f"New consent recorded; {lifted} erased export(s) may be imported again.")


@privacy_app.command("mark-private")
def mark_private(employee_id: str, contact_id: str, db: Path = DB_OPTION) -> None:
    """Take a resolved contact out of the shared relationship views (capital).

    Example: tieguard privacy mark-private E0042 003A000001
    """
    from .. import privacy

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        privacy.mark_private(engine, employee_id, contact_id)
    out.print(f"Contact {contact_id} is private to {employee_id}; rerun tieguard scan to update views.")


@privacy_app.command("unmark-private")
def unmark_private(employee_id: str, contact_id: str, db: Path = DB_OPTION) -> None:
    """Put a contact marked private back into the shared relationship views.

    Example: tieguard privacy unmark-private E0042 003A000001
    """
    from .. import privacy

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        removed = privacy.unmark_private(engine, employee_id, contact_id)
    out.print("Mark removed." if removed else "There was no such mark.")


#: Said after a re-key that could not re-derive pseudonymised people (by design).
STALE_PSEUDONYMS = (
    "Note: the {count:,} pseudonymised people cannot be re-derived from who they are, by "
    "design (their names and URLs are gone): an employee's next export lists them under new "
    "keys, so their old connections are marked removed and come back as new ones, and they "
    "count as new leads and alerts once (the removal guard asks for --accept-removals). "
    "Import every employee's newest export, then run "
    "tieguard scan, before relying on alerts again (docs/privacy.md, 'Re-keying').")


@privacy_app.command("rekey")
def rekey(
    new_secret: bool = typer.Option(False, "--new-secret", help="Rotate: replace the installation secret by a new random one first."),
    yes: bool = typer.Option(False, "--yes", help="Confirm; nothing changes without it."),
    db: Path = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Re-derive every keyed pseudonym under the installation secret (optionally a new one).

    Run it after rotating the secret, for a warehouse built before keyed pseudonyms, or when
    the old secret is lost. Other warehouses that share the installation secret need it too.

    Example: tieguard privacy rekey --new-secret --yes --db tieguard.duckdb
    """
    if not yes:
        out.print("Nothing changed: add --yes to re-derive every pseudonym of this warehouse.")
        raise typer.Exit(1)
    from ..privacy.rekey import rekey as rekey_warehouse
    from ..secret import create_secret, load_secret, secret_path
    from ..session import settings_for
    from ..warehouse import open_warehouse

    with translate_errors():
        settings = settings_for(db, config)
        path = secret_path(settings.privacy.secret_file)
        retired = path.with_name(path.name + ".retired")
        if new_secret and path.exists():
            path.replace(retired)
        try:
            secret = create_secret(path) if new_secret else load_secret(path, create=True)
            engine = open_warehouse(settings.warehouse.db, secret_file=path, check_key=False,
                                    memory_limit=settings.warehouse.memory_limit or None)
            try:
                result = rekey_warehouse(engine, secret)
            finally:
                engine.close()
        except BaseException:
            if retired.exists():
                retired.replace(path)  # the warehouse is unchanged: keep the secret it uses
            raise
        retired.unlink(missing_ok=True)
    if as_json:
        print_json(result.as_json())
        return
    out.print(f"Re-keyed {result.people_from_identity:,} people from their identity, "
              f"{result.people_from_old_key:,} pseudonymised people from their old key, and "
              f"{result.ties:,} ties; the warehouse now uses secret id {result.key_id}.")
    if result.people_from_old_key:
        out.print(STALE_PSEUDONYMS.format(count=result.people_from_old_key))


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")

"""``tieguard import ...``: load exports into the warehouse (or validate them with --dry-run)."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from ..errors import WarehouseMissingError
from .common import (
    CONFIG_OPTION,
    DB_OPTION,
    JSON_OPTION,
    StepReporter,
    cli_session,
    console,
    out,
    print_json,
    progress,
    translate_errors,
)
from .interrupts import interrupt_stops

if TYPE_CHECKING:  # the readers and the engine load when a command runs, not for --help
    from ..engine import Engine
    from ..session import Session
    from ..settings import SourcesSettings
    from ..sources import ImportReport

log = logging.getLogger(__name__)

app = typer.Typer(name="import", help="Import exports into the warehouse.\n\n"
                  "Example: tieguard import linkedin Connections.csv --employee E00001",
                  no_args_is_help=True)

DRY_RUN = typer.Option(False, "--dry-run", help="Parse and validate only; store nothing.")
EMPLOYEE = typer.Option(..., "--employee", help="Roster employee_id whose export this is.")
SUPPLIED_BY = typer.Option(None, "--supplied-by", help="Who supplied the file (default: OS user).")
BASIS = typer.Option(None, "--basis", help="Legal basis, required: consent, contract, "
                     "legal_obligation or legitimate_interest (or import_basis in "
                     "organisation.toml).")
ALLOW_UNKNOWN = typer.Option(False, "--allow-unknown-employee",
                             help="Import although --employee is not in the roster.")
RECONSENT = typer.Option(False, "--reconsent", help="The employee whose network was erased "
                         "consents anew: record it and import (refused without it).")
CREATE = typer.Option(False, "--create", help="Create the warehouse file if it does not "
                      "exist yet (without it, a missing --db is refused, or asked about).")
ACCEPT_REMOVALS = typer.Option(
    False, "--accept-removals", help="Import an export even though it would mark more of the "
    "employee's connections removed than sources.max_removed_share allows.")


class _Options:
    """What every import command shares: the warehouse, settings, dry run, creation."""

    def __init__(self, db: Path, config: Path | None, dry_run: bool, create: bool) -> None:
        from ..session import settings_for

        self.db, self.config, self.dry_run, self.create = db, config, dry_run, create
        with translate_errors():
            self.settings = settings_for(db, config)

    @property
    def limits(self) -> SourcesSettings:
        return self.settings.sources


def _confirm_new_warehouse(db: Path, create: bool) -> None:
    """A missing warehouse is created only with --create or a confirmed question."""
    where = db.resolve()
    if create:
        console.print(f"Creating a new warehouse at {where}.")
        return
    if sys.stdin.isatty() and typer.confirm(
            f"The warehouse {where} does not exist. Create a new one there?", default=False,
            err=True):
        return
    raise WarehouseMissingError(
        f"The warehouse {where} does not exist, and nothing was imported. Check --db (or "
        "TIEGUARD_DB) for a typo; to start a new warehouse there, run the import again "
        "with --create."
    )


@contextmanager
def _engine(opts: _Options) -> Iterator[Engine]:
    """The warehouse; a dry run against a missing file uses memory (no file is created)."""
    db = opts.db
    if not db.exists() and not opts.dry_run:
        _confirm_new_warehouse(db, opts.create)
    target = Path(":memory:") if opts.dry_run and not db.exists() else db
    with cli_session(target, opts.config, create=True) as session:
        yield session.engine
        if not opts.dry_run:  # alerts on the new connections of newer exports (after a first scan)
            _raise_alerts(session)


def _raise_alerts(session: Session) -> None:
    from ..alerts import raise_after_import

    result = raise_after_import(session.engine, session.settings)
    if result and result.alerts:
        console.print(f"{result.alerts} new alerts on risky new connections: tieguard alerts list")


def _emit(reports: list[ImportReport], as_json: bool) -> None:
    if as_json:
        print_json(reports[0].to_json() if len(reports) == 1 else
                   {"imports": [r.to_json() for r in reports]})
    else:
        _summary(reports)
    if any(r.error for r in reports):
        raise typer.Exit(3)


def _summary(reports: list[ImportReport]) -> None:
    table = Table(title="Import summary" + (" (dry run: nothing stored)"
                                            if reports and reports[0].dry_run else ""))
    table.add_column("file", overflow="fold")
    table.add_column("format", overflow="fold")
    for column in ("rows", "ties", "hidden", "bad", "removed"):
        table.add_column(column, justify="right")
    table.add_column("connected", overflow="fold")
    table.add_column("status", no_wrap=True)
    for r in reports:
        status = "refused" if r.error else "already" if r.already_imported else \
            "checked" if r.dry_run else "imported"
        dates = f"{r.earliest}..{r.latest}" if r.earliest else ""
        table.add_row(Path(r.file).name, r.format, str(r.rows), str(r.ties),
                      str(r.hidden_members), str(r.quarantined), str(r.removed), dates, status)
    out.print(table)
    shown = [r for r in reports if not r.already_imported]
    problems = [(r, p) for r in shown for p in r.problems]
    for r, p in problems:
        colour = "yellow" if p.severity == "warning" else "red"
        out.print(f"[{colour}]{r.file}:{p.line or ''}:{p.column or ''}[/] {p.message}",
                  highlight=False, soft_wrap=True)  # never a line break inside a path
    for r in reports:
        if r.error:
            out.print(f"[red]{r.file}: refused.[/] {r.error}", highlight=False, soft_wrap=True)
    if any(r.already_imported for r in reports):
        out.print("'already': the same file was imported before; nothing changed.")
    _hint(shown)


def _hint(reports: list[ImportReport]) -> None:
    """One closing sentence, only about what happened."""
    quarantined = sum(r.quarantined for r in reports if not r.dry_run and not r.error)
    if quarantined:
        out.print(f"Hint: {quarantined} row(s) were quarantined (table 'quarantine': line, "
                  "column, reason). Fix the lines listed above in the source file and import "
                  "it again.")
    elif any(p.severity == "warning" for r in reports for p in r.problems):
        out.print("Hint: the warnings above kept their rows; check the lines they name.")


def _run(opts: _Options, as_json: bool, call: Callable[[Engine], list[ImportReport]]) -> None:
    """Run ``call`` on the warehouse; Ctrl-C stops it at once (exit 130, the interrupted
    file's transaction rolled back; files reported imported before stay)."""
    with translate_errors():
        with interrupt_stops() as stopper, _engine(opts) as engine:
            stopper.attach(engine)
            log.info("importing into %s", opts.db)
            reports = call(engine)
        _emit(reports, as_json)


def _run_personal(opts: _Options, as_json: bool, employee: str, basis: str | None,
                  guard: tuple[bool, bool, str | None],
                  call: Callable[[Engine, str], list[ImportReport]]) -> None:
    """Import one employee's export after the guard rails (roster, basis, erasure)."""
    from ..privacy.guard import check_personal_import

    allow_unknown, reconsent, supplied_by = guard

    def guarded(engine: Engine) -> list[ImportReport]:
        chosen, warnings = check_personal_import(
            engine, employee, basis, allow_unknown=allow_unknown or opts.dry_run,
            reconsent=reconsent and not opts.dry_run, given_by=supplied_by or "")
        for warning in warnings:
            console.print(f"[yellow]Warning:[/] {warning}", highlight=False)
        return call(engine, chosen)

    _run(opts, as_json, guarded)


@app.command("linkedin")
def linkedin(
    files: list[Path] = typer.Argument(..., help="Connections.csv file(s) of one employee, or "
                                       "the LinkedIn export zip."),
    employee: str = EMPLOYEE,
    exported_on: str = typer.Option(None, "--exported-on", help="Export date (ISO); default: "
                                    "the latest Connected On date in the file."),
    network: str = typer.Option("linkedin", "--network"),
    supplied_by: str = SUPPLIED_BY, basis: str | None = BASIS,
    accept_removals: bool = ACCEPT_REMOVALS,
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION,
    allow_unknown_employee: bool = ALLOW_UNKNOWN, reconsent: bool = RECONSENT,
) -> None:
    """Import LinkedIn Connections.csv exports (every variant) of one employee, or the
    whole LinkedIn export zip (Connections, Invitations, Profile, Positions).

    Example: tieguard import linkedin Connections.csv --employee E00001 --dry-run --json
    """
    with translate_errors():
        when = _iso(exported_on)
    opts = _Options(db, config, dry_run, create)

    def call(engine: Engine, chosen_basis: str) -> list[ImportReport]:
        from ..sources import import_connections, import_linkedin_zip, is_zip

        reports: list[ImportReport] = []
        for f in files:
            common: dict[str, Any] = {
                "supplied_by": supplied_by, "basis": chosen_basis, "dry_run": dry_run,
                "limits": opts.limits, "accept_removals": accept_removals}
            if is_zip(f):
                reports += import_linkedin_zip(engine, f, employee, exported_on=when, **common)
            else:
                reports.append(import_connections(engine, f, employee, exported_on=when,
                                                  network=network, **common))
        return reports

    _run_personal(opts, as_json, employee, basis,
                  (allow_unknown_employee, reconsent, supplied_by), call)


def _iso(value: str | None) -> dt.date | None:
    from ..errors import ConfigError

    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ConfigError(f"--exported-on {value!r} is not an ISO date like 2026-11-01.") from exc


@app.command("invitations")
def invitations(
    file: Path = typer.Argument(..., help="Invitations.csv of one employee."),
    employee: str = EMPLOYEE, supplied_by: str = SUPPLIED_BY, basis: str | None = BASIS,
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION,
    allow_unknown_employee: bool = ALLOW_UNKNOWN, reconsent: bool = RECONSENT,
) -> None:
    """Import a LinkedIn Invitations.csv (who started each relationship, when).

    Example: tieguard import invitations Invitations.csv --employee E00001
    """
    from ..sources import import_invitations

    opts = _Options(db, config, dry_run, create)
    _run_personal(opts, as_json, employee, basis,
                  (allow_unknown_employee, reconsent, supplied_by), lambda e, b: [
        import_invitations(e, file, employee, supplied_by=supplied_by, basis=b,
                           dry_run=dry_run, limits=opts.limits)])


@app.command("vcard")
def vcard(
    files: list[Path] = typer.Argument(..., help=".vcf file(s)."),
    employee: str = EMPLOYEE, network: str = typer.Option("xing", "--network"),
    supplied_by: str = SUPPLIED_BY, basis: str | None = BASIS,
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION,
    allow_unknown_employee: bool = ALLOW_UNKNOWN, reconsent: bool = RECONSENT,
) -> None:
    """Import vCard contacts (XING, Outlook) as ties of one employee.

    Example: tieguard import vcard contact.vcf --employee E00001
    """
    from ..sources import import_vcard

    opts = _Options(db, config, dry_run, create)
    _run_personal(opts, as_json, employee, basis,
                  (allow_unknown_employee, reconsent, supplied_by), lambda e, b: [
        import_vcard(e, f, employee, network=network, supplied_by=supplied_by, basis=b,
                     dry_run=dry_run, limits=opts.limits) for f in files])


@app.command("crm")
def crm(
    directory: Path = typer.Argument(..., help="Folder holding the CRM CSV exports."),
    format: str = typer.Option("salesforce", "--format", help="salesforce, hubspot or generic."),
    mapping: Path = typer.Option(None, "--mapping", help="YAML column mapping (generic)."),
    supplied_by: str = SUPPLIED_BY,
    basis: str = typer.Option("legitimate_interest", "--basis"),
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION,
) -> None:
    """Import CRM accounts, contacts, opportunities and contact roles.

    Example: tieguard import crm exports/salesforce --format salesforce
    """
    from ..sources import import_crm

    opts = _Options(db, config, dry_run, create)
    _run(opts, as_json, lambda e: [import_crm(
        e, directory, format, mapping=mapping, supplied_by=supplied_by, basis=basis,
        dry_run=dry_run, limits=opts.limits)])


@app.command("roster")
def roster(
    files: list[Path] = typer.Argument(..., help="roster.csv and/or privacy.csv."),
    supplied_by: str = SUPPLIED_BY, basis: str = typer.Option("contract", "--basis"),
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION,
) -> None:
    """Import the employee roster and their privacy settings over time.

    Example: tieguard import roster roster.csv privacy.csv --create
    """
    from ..sources import import_roster

    opts = _Options(db, config, dry_run, create)
    _run(opts, as_json, lambda e: [import_roster(
        e, f, supplied_by=supplied_by, basis=basis, dry_run=dry_run, limits=opts.limits)
        for f in files])


@app.command("org")
def org(
    file: Path = typer.Argument(..., help="organisation.toml"),
    supplied_by: str = SUPPLIED_BY, basis: str = typer.Option("contract", "--basis"),
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION,
) -> None:
    """Import our organisation and its known competitors.

    Example: tieguard import org organisation.toml
    """
    from ..sources import import_organisation

    opts = _Options(db, config, dry_run, create)
    _run(opts, as_json, lambda e: [import_organisation(
        e, file, supplied_by=supplied_by, basis=basis, dry_run=dry_run)])


@app.command("dir")
def directory(
    directory: Path = typer.Argument(..., help="Folder with a manifest.json."),
    supplied_by: str = SUPPLIED_BY, basis: str | None = BASIS,
    accept_removals: bool = ACCEPT_REMOVALS,
    db: Path = DB_OPTION, config: Path | None = CONFIG_OPTION, dry_run: bool = DRY_RUN,
    create: bool = CREATE, as_json: bool = JSON_OPTION, reconsent: bool = RECONSENT,
) -> None:
    """Import every export listed in DIR/manifest.json, with a progress bar.

    Example: tieguard import dir tieguard-demo/data --basis consent --create
    """
    opts = _Options(db, config, dry_run, create)

    def call(engine: Engine) -> list[ImportReport]:
        from ..privacy.guard import check_erased_employees, resolve_basis
        from ..sources import import_directory
        from ..sources.directory import manifest_import_basis

        chosen, _ = resolve_basis(engine, basis, manifest_import_basis(directory))
        for warning in check_erased_employees(engine, _manifest_employees(directory),
                                              reconsent=reconsent and not dry_run,
                                              given_by=supplied_by or ""):
            console.print(f"[yellow]Warning:[/] {warning}", highlight=False)
        with progress(disable=as_json) as prog:
            return import_directory(engine, directory, StepReporter(prog), basis=chosen,
                                    supplied_by=supplied_by, dry_run=dry_run,
                                    limits=opts.limits, accept_removals=accept_removals)

    _run(opts, as_json, call)
    if not as_json:
        console.print(f"Warehouse: {db}")


def _manifest_employees(directory: Path) -> list[str]:
    """Employee ids of the personal exports a manifest lists (the reader checks the rest)."""
    import json

    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = [e for key in ("linkedin", "invitations", "vcards")
               for e in (manifest.get(key) or [] if isinstance(manifest, dict) else [])]
    return sorted({str(e["employee"]) for e in entries if isinstance(e, dict) and e.get("employee")})


def register(parent: typer.Typer) -> None:
    """Mount ``tieguard import``."""
    parent.add_typer(app, name="import")

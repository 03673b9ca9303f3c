"""``tieguard report``: the shared HTML report and exports; ``tieguard report employee ID``."""

from __future__ import annotations

from pathlib import Path

import typer

from ..engine import Engine
from ..errors import WarehouseError
from ..settings import Settings, load_settings
from .common import JSON_OPTION, StepReporter, console, out, print_json, progress, translate_errors

report_app = typer.Typer(
    help=(
        "Write the self-contained HTML report (opens offline), with CSV and JSON exports; "
        "or an employee's personal report.\n\n"
        "Example: tieguard report --db tieguard.duckdb --out report"
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)

DB_OPT = typer.Option(
    Path("tieguard.duckdb"), "--db", help="Warehouse file (DuckDB).", envvar="TIEGUARD_DB"
)
CONFIG_OPT = typer.Option(None, "--config", help="TOML settings file (default: built-in settings).")


def _settings(config: Path | None, db: Path) -> Settings:
    if config is None and (db.parent / "tieguard.toml").exists():
        config = db.parent / "tieguard.toml"
    settings = load_settings(config)
    settings.warehouse.db = db
    return settings


def _open(db: Path, settings: Settings) -> Engine:
    from ..warehouse import open_warehouse

    if not db.exists():
        raise WarehouseError(
            f"The warehouse {db} does not exist. Import exports and run `tieguard scan` first, "
            "or point --db at an existing warehouse."
        )
    return open_warehouse(
        db, threads=settings.warehouse.threads, memory_limit=settings.warehouse.memory_limit
    )


@report_app.callback()
def report(
    ctx: typer.Context,
    db: Path = DB_OPT,
    out_dir: Path = typer.Option(Path("report"), "--out", help="Directory for index.html and exports/."),
    config: Path | None = CONFIG_OPT,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the shared report (index.html, exports/*.csv|json, exports/headline.json).

    The report aggregates by team and never lists individual employees.

    Example: tieguard report --db tieguard.duckdb --out report
    """
    ctx.obj = {"db": db, "config": config, "out_dir": out_dir}
    if ctx.invoked_subcommand is not None:
        return
    from ..report import build_report

    with translate_errors():
        settings = _settings(config, db)
        engine = _open(db, settings)
        try:
            with progress(disable=as_json) as prog:
                result = build_report(engine, settings, out_dir, on_progress=StepReporter(prog))
        finally:
            engine.close()
    if as_json:
        print_json(result.summary())
        return
    if result.headline.get("sentence"):
        out.print(result.headline["sentence"])
    out.print(f"Report: [bold]{result.path}[/]  ({len(result.exports)} export files)")
    if result.skipped:
        console.print(f"Sections skipped (their stage has not run): {', '.join(result.skipped)}")


@report_app.command("employee")
def employee(
    ctx: typer.Context,
    employee_id: str = typer.Argument(..., help="The employee's id in the roster."),
    db: Path | None = typer.Option(None, "--db", help="Warehouse file (DuckDB).", envvar="TIEGUARD_DB"),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Directory; writes employees/<id>.html (default: report)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write an employee's personal report: what a competitor learns from their own profile
    and which privacy settings change that. Meant for that employee only.

    Example: tieguard report employee E0042 --db tieguard.duckdb --out report
    """
    from ..report import write_employee_report

    parent = ctx.obj or {}
    db = db or parent.get("db") or Path("tieguard.duckdb")
    out_dir = out_dir or parent.get("out_dir") or Path("report")
    with translate_errors():
        settings = _settings(parent.get("config"), db)
        engine = _open(db, settings)
        try:
            path = write_employee_report(engine, settings, employee_id, out_dir)
        finally:
            engine.close()
    if as_json:
        print_json({"employee_id": employee_id, "report": str(path)})
        return
    out.print(f"Personal report: [bold]{path}[/]")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")

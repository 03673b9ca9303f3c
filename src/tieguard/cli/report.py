"""``tieguard report``: the shared HTML report and exports; ``tieguard report employee ID``."""

from __future__ import annotations

from pathlib import Path

import typer

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

report_app = typer.Typer(
    help=(
        "Write the self-contained HTML report (opens offline), with CSV and JSON exports; "
        "or an employee's personal report.\n\n"
        "Example: tieguard report --db tieguard.duckdb --out report"
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)



@report_app.callback()
def report(
    ctx: typer.Context,
    db: Path = DB_OPTION,
    out_dir: Path = typer.Option(Path("report"), "--out", help="Directory for index.html and exports/."),
    config: Path | None = CONFIG_OPTION,
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

    with translate_errors(), cli_session(db, config) as session, progress(disable=as_json) as prog:
        result = build_report(session.engine, session.settings, out_dir, on_progress=StepReporter(prog))
    if as_json:
        print_json(result.summary())
        return
    if result.headline.get("sentence"):
        out.print(result.headline["sentence"])
    out.print(f"Report: [bold]{result.path}[/]  ({len(result.exports)} export files)")
    if result.skipped:
        console.print(f"Sections skipped (their tables hold no rows): {', '.join(result.skipped)}")


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
    with translate_errors(), cli_session(db, parent.get("config")) as session:
        engine, settings = session.engine, session.settings
        path = write_employee_report(engine, settings, employee_id, out_dir)
    if as_json:
        print_json({"employee_id": employee_id, "report": str(path)})
        return
    out.print(f"Personal report: [bold]{path}[/]")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")

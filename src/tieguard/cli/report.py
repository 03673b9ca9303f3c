"""``tieguard report``: the shared HTML report and exports; ``tieguard report employee ID``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from ..i18n import _, ngettext, supported_list, use
from .common import (
    CONFIG_OPTION,
    DB_OPTION,
    JSON_OPTION,
    LANG_OPTION,
    StepReporter,
    chosen_language,
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
    lang: str | None = LANG_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the shared report (index.html, exports/*.csv|json, exports/headline.json).

    The report aggregates by team and never lists individual employees. --lang chooses its
    language (exports and JSON stay English).

    Example: tieguard report --db tieguard.duckdb --out report --lang nl
    """
    from ..report.names import section_name

    lang = chosen_language(ctx, lang)
    ctx.obj = {"db": db, "config": config, "out_dir": out_dir, "lang": lang}
    if ctx.invoked_subcommand is not None:
        return
    from ..report import build_report

    with translate_errors(), cli_session(db, config) as session, progress(disable=as_json) as prog:
        result = build_report(session.engine, session.settings, out_dir,
                              on_progress=StepReporter(prog), lang=lang)
    if as_json:
        print_json(result.summary())
        return
    with use(result.language):
        if result.sentence:
            out.print(escape(result.sentence))
        out.print(ngettext("Report: [bold]%(path)s[/]  (%(n)s export file)",
                           "Report: [bold]%(path)s[/]  (%(n)s export files)",
                           len(result.exports), path=escape(str(result.path)),
                           n=len(result.exports)))
        if result.skipped:
            console.print(_("Sections skipped (their tables hold no rows): %(sections)s",
                            sections=", ".join(section_name(s) for s in result.skipped)))


@report_app.command("employee")
def employee(
    ctx: typer.Context,
    employee_id: str = typer.Argument(..., help="The employee's id in the roster."),
    db: Path | None = typer.Option(None, "--db", help="Warehouse file (DuckDB).", envvar="TIEGUARD_DB"),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Directory; writes employees/<id>.html (default: report)."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the personal report: " + supported_list()
        + "; default: the employee's roster language, else the organisation's."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write an employee's personal report: what a competitor learns from their own profile
    and which privacy settings change that. Meant for that employee only. It is in the
    employee's language (roster column language) unless --lang is given.

    Example: tieguard report employee E0042 --db tieguard.duckdb --out report
    """
    from ..report import write_employee_report
    from ..report.employee import employee_language

    parent = ctx.obj or {}
    db = db or parent.get("db") or Path("tieguard.duckdb")
    out_dir = out_dir or parent.get("out_dir") or Path("report")
    lang = lang or parent.get("lang") or chosen_language(ctx, None)
    with translate_errors(), cli_session(db, parent.get("config")) as session:
        engine, settings = session.engine, session.settings
        language = employee_language(engine, settings, employee_id, lang)
        path = write_employee_report(engine, settings, employee_id, out_dir, lang=language)
    if as_json:
        print_json({"employee_id": employee_id, "report": str(path)})
        return
    with use(language):
        out.print(_("Personal report: [bold]%(path)s[/]", path=escape(str(path))))


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")

"""``tieguard roles``: job titles and headlines → seniority, function, buying roles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ..errors import ConfigError
from .common import (
    CONFIG_OPTION,
    DB_OPTION,
    JSON_OPTION,
    StepReporter,
    cli_session,
    out,
    print_json,
    print_summary,
    progress,
    translate_errors,
)

roles_app = typer.Typer(
    name="roles",
    help=(
        "Classify job titles and headlines into seniority, function and buying roles.\n\n"
        "Example: tieguard roles classify \"Head of Procurement @ Acme\" \"Einkaufsleiter\""
    ),
    no_args_is_help=True,
)
OUTPUT_COLUMNS = ("seniority", "function", "buying_roles", "language", "confidence")


def _classifier(config: Path | None) -> Any:
    """The classifier with the ``[roles]`` settings of ``--config`` (buying table, fuzzy, threshold)."""
    from ..roles.buying import load_buying_table
    from ..roles.classifier import Classifier
    from ..settings import load_settings

    cfg = load_settings(config).roles
    return Classifier(load_buying_table(cfg.buying_table), fuzzy=cfg.fuzzy, min_buying_score=cfg.min_buying_score)


def _classify_file(classifier: Any, in_file: Path, column: str | None, out_file: Path | None,
                   as_json: bool, explain: bool) -> None:
    import pyarrow as pa

    from ..roles.table_io import pick_column, read_table, write_table

    table = read_table(in_file)
    name = pick_column(in_file, table.column_names, column)
    labels = classifier.classify_array(table.column(name))
    kept = [c for c in table.column_names if c not in OUTPUT_COLUMNS]
    result = table.select(kept)
    for c in OUTPUT_COLUMNS:
        result = result.append_column(c, labels.column(c))
    if explain:
        texts = table.column(name).to_pylist()
        result = result.append_column("evidence", pa.array(["; ".join(classifier.explain(t)) for t in texts]))
    if as_json:
        print_json({"file": str(in_file), "column": name, "rows": table.num_rows, "results": result.to_pylist()})
    else:
        write_table(result, out_file if out_file is not None else sys.stdout.buffer)


@roles_app.command("classify")
def classify_command(
    titles: list[str] = typer.Argument(None, help="Titles or headlines to classify."),
    in_file: Path | None = typer.Option(None, "--in", help="CSV file with a title column."),
    column: str | None = typer.Option(None, "--column", help="The title column of --in (default: guessed)."),
    out_file: Path | None = typer.Option(None, "--out", help="CSV to write (default: standard output)."),
    explain: bool = typer.Option(False, "--explain", help="Add the words, label and model features that decided."),
    config: Path | None = typer.Option(None, "--config", help="Settings file (TOML) with a [roles] section."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Classify titles given as arguments or a CSV file (input columns + the labels).

    Example: tieguard roles classify --in contacts.csv --column Title --out contacts_roles.csv
    """
    with translate_errors():
        if not titles and in_file is None:
            raise ConfigError("Give titles as arguments or a CSV file with --in FILE.")
        classifier = _classifier(config)
        if in_file is not None:
            _classify_file(classifier, in_file, column, out_file, as_json, explain)
            return
        results = classifier.classify_many(list(titles))
        evidence = [classifier.explain(t) if explain else () for t in titles]
    if as_json:
        print_json({"results": [{"title": t, **r.as_dict(), "evidence": list(e)}
                                for t, r, e in zip(titles, results, evidence, strict=True)]})
        return
    from rich.table import Table

    table = Table("title", "seniority", "function", "buying roles", "lang", "conf.", header_style="bold")
    if explain:
        table.add_column("evidence")
    for title, result, why in zip(titles, results, evidence, strict=True):
        table.add_row(title, result.seniority, result.function, ", ".join(result.buying_roles),
                      result.language, f"{result.confidence:.2f}", *(["; ".join(why)] if explain else []))
    out.print(table)


@roles_app.command("run")
def run_command(
    db: Path = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
    buying_table: Path | None = typer.Option(None, "--buying-table", help="YAML/TOML buying-role table."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Classify every tie's position and contact's title in the warehouse (person_roles, contact_title_roles).

    Example: tieguard roles run --db tieguard.duckdb
    """
    from ..pipeline import run_stage
    from ..stages import stage

    overrides = {"roles.buying_table": buying_table} if buying_table else {}
    with translate_errors(), cli_session(db, config, overrides) as session, \
            progress(disable=as_json) as prog:
        result = run_stage(session.engine, session.settings, stage("roles"), StepReporter(prog))
    print_summary(result.as_json(), as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(roles_app, name="roles")

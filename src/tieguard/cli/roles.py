"""``tieguard roles``: job titles and headlines → seniority, function, buying roles."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from ..errors import ConfigError, EmptyInputError, InputError
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
_TITLE_HEADERS = ("position", "title", "job title", "jobtitle", "headline", "functie", "funktion", "poste")


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}. Check the path given with --in.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = list(reader)
    if not reader.fieldnames:
        raise EmptyInputError(f"{path} is empty: it has no header row. Give a CSV file with a title column.")
    return list(reader.fieldnames), rows


def _pick_column(path: Path, header: list[str], column: str | None) -> str:
    if column:
        if column not in header:
            raise ConfigError(
                f"{path} has no column {column!r}; its columns are {', '.join(header)}. Fix --column."
            )
        return column
    lowered = {h.strip().lower(): h for h in header}
    for name in _TITLE_HEADERS:
        if name in lowered:
            return lowered[name]
    if len(header) == 1:
        return header[0]
    raise ConfigError(
        f"{path}: cannot tell which column holds the titles (columns: {', '.join(header)}). "
        "Name it with --column."
    )


def _row(result: Any) -> dict[str, str]:
    return {
        "seniority": result.seniority, "function": result.function,
        "buying_roles": "|".join(result.buying_roles), "language": result.language,
        "confidence": f"{result.confidence:.2f}",
    }


def _classify_rows(titles: list[str], quiet: bool) -> list[Any]:
    from ..roles.classify import Classifier

    classifier = Classifier()
    results: list[Any] = []
    chunk = 5_000
    with progress(disable=quiet or len(titles) < 2 * chunk) as prog:
        report = StepReporter(prog)
        for start in range(0, len(titles), chunk):
            results += classifier.classify_many(titles[start : start + chunk])
            report("classifying titles", min(start + chunk, len(titles)), len(titles))
    return results


def _write_csv(header: list[str], rows: list[dict[str, str]], dest: Path | None) -> None:
    fieldnames = header + [c for c in OUTPUT_COLUMNS if c not in header]
    handle = dest.open("w", encoding="utf-8", newline="") if dest else sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if dest:
            handle.close()


@roles_app.command("classify")
def classify_command(
    titles: list[str] = typer.Argument(None, help="Titles or headlines to classify."),
    in_file: Path | None = typer.Option(None, "--in", help="CSV file with a title column."),
    column: str | None = typer.Option(None, "--column", help="The title column of --in (default: guessed)."),
    out_file: Path | None = typer.Option(None, "--out", help="CSV to write (default: standard output)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Classify titles given as arguments or a CSV file (input columns + the labels).

    Example: tieguard roles classify --in contacts.csv --column Title --out contacts_roles.csv
    """
    with translate_errors():
        if not titles and in_file is None:
            raise ConfigError("Give titles as arguments or a CSV file with --in FILE.")
        if in_file is not None:
            header, rows = _read_csv(in_file)
            name = _pick_column(in_file, header, column)
            results = _classify_rows([r.get(name) or "" for r in rows], quiet=as_json)
            for row, result in zip(rows, results, strict=True):
                row.update(_row(result))
            if as_json:
                print_json({"file": str(in_file), "column": name, "rows": len(rows),
                            "results": [{name: r.get(name), **_row(res)} for r, res in zip(rows, results, strict=True)]})
            else:
                _write_csv(header, rows, out_file)
            return
        results = _classify_rows(list(titles), quiet=True)
    if as_json:
        print_json({"results": [{"title": t, **r.as_dict()} for t, r in zip(titles, results, strict=True)]})
        return
    table = Table("title", "seniority", "function", "buying roles", "lang", "conf.", "evidence", header_style="bold")
    for title, result in zip(titles, results, strict=True):
        table.add_row(title, result.seniority, result.function, ", ".join(result.buying_roles),
                      result.language, f"{result.confidence:.2f}", "; ".join(result.evidence[:4]))
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

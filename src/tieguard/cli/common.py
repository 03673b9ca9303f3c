"""Shared CLI plumbing: console, JSON output, error translation at the edge."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ..engine import Engine
from ..errors import TieguardError, WarehouseError
from ..settings import Settings, load_settings
from ..warehouse import open_warehouse

console = Console(stderr=True)
out = Console()

DB_OPTION = typer.Option(
    Path("tieguard.duckdb"), "--db", help="Warehouse file (DuckDB).", envvar="TIEGUARD_DB"
)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of tables.")

T = TypeVar("T")


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
    )


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, default=str, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn library errors into a message and exit code; never a traceback."""
    try:
        yield
    except TieguardError as exc:
        console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(exc.exit_code) from None


def progress(disable: bool = False) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=disable,
        transient=False,
    )


class StepReporter:
    """Adapter so library code can report progress without importing Rich.

    Library functions accept ``on_progress: Callable[[str, int, int], None] | None``
    (step description, done, total); the CLI passes an instance of this class.
    """

    def __init__(self, prog: Progress) -> None:
        self.prog = prog
        self.tasks: dict[str, Any] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.prog.add_task(step, total=total or None)
        self.prog.update(self.tasks[step], completed=done, total=total or None)


ProgressCallback = Callable[[str, int, int], None]


CONFIG_OPTION = typer.Option(
    None, "--config", help="Settings file (TOML); default: tieguard.toml beside the warehouse."
)


def cli_settings(config: Path | None, db: Path) -> Settings:
    """Settings from ``--config``, else ``tieguard.toml`` beside the warehouse, else defaults."""
    if config is None and (db.parent / "tieguard.toml").exists():
        config = db.parent / "tieguard.toml"
    settings = load_settings(config)
    settings.warehouse.db = db
    return settings


@contextmanager
def existing_warehouse(db: Path, settings: Settings | None = None) -> Iterator[Engine]:
    """Open a warehouse that must already exist (commands that read, not import)."""
    if not db.exists():
        raise WarehouseError(
            f"The warehouse {db} does not exist. Import exports first (tieguard import ...) "
            "or run tieguard demo, or point --db at an existing warehouse."
        )
    engine = open_warehouse(
        db,
        threads=settings.warehouse.threads if settings else None,
        memory_limit=(settings.warehouse.memory_limit or None) if settings else None,
    )
    try:
        yield engine
    finally:
        engine.close()


def print_summary(summary: dict[str, Any], as_json: bool) -> None:
    """A stage's summary: one JSON object, or a two-column table."""
    if as_json:
        print_json(summary)
        return
    from rich.table import Table

    table = Table("figure", "value", header_style="bold")
    for key, value in summary.items():
        table.add_row(key, str(value))
    out.print(table)

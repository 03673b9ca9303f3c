"""Shared CLI plumbing: console, JSON output, error translation at the edge."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ..errors import TieguardError
from ..i18n import _, supported_list

if TYPE_CHECKING:  # the engine and its driver load only when a command opens a warehouse
    from ..session import Session

console = Console(stderr=True)
out = Console()

DB_OPTION = typer.Option(
    Path("tieguard.duckdb"), "--db", help="Warehouse file (DuckDB).", envvar="TIEGUARD_DB"
)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of tables.")
LANG_HELP = ("Language of the report and of the messages: " + supported_list()
             + "; default: the organisation's (settings: language).")
LANG_OPTION = typer.Option(None, "--lang", help=LANG_HELP)


def chosen_language(ctx: typer.Context, lang: str | None) -> str | None:
    """A command's own ``--lang``, else the one given to ``tieguard --lang`` (or TIEGUARD_LANG)."""
    return lang or ctx.find_root().meta.get("tieguard_lang")

T = TypeVar("T")


#: Libraries whose warnings a user cannot act on (e.g. Splink's "unable to train m value"
#: for a comparison level the data never shows); shown with --verbose only.
QUIET_LIBRARIES = ("splink",)


def quiet_libraries(record: logging.LogRecord) -> bool:
    """Handler filter: drop warnings of :data:`QUIET_LIBRARIES` (errors still show).

    A filter on the handler, because Splink's ``Linker`` resets its own logger's level.
    """
    quiet = any(record.name == n or record.name.startswith(n + ".") for n in QUIET_LIBRARIES)
    return not quiet or record.levelno >= logging.ERROR


def setup_logging(verbose: bool) -> None:
    handler = RichHandler(console=console, show_path=False)
    if not verbose:
        handler.addFilter(quiet_libraries)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[handler],
    )


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, default=str, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn library errors into a message and exit code; never a traceback."""
    try:
        yield
    except TieguardError as exc:
        print_error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        print_error(_("Interrupted; nothing of the interrupted step was committed."))
        raise typer.Exit(130) from None
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print_error(_("A file could not be read or written%(where)s: %(reason)s. Check the path, "
                      "its permissions and the free disk space.", where=where,
                      reason=exc.strerror or exc))
        raise typer.Exit(4) from None


def print_error(message: str) -> None:
    """One error sentence on stderr, never wrapped inside words or paths."""
    console.print(f"[bold red]{escape(_('Error:'))}[/] {escape(message)}", soft_wrap=True)


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


@contextmanager
def cli_session(
    db: Path,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    create: bool = False,
) -> Iterator[Session]:
    """The one way a command opens the warehouse and its settings (see tieguard.session)."""
    from ..session import open_session

    session = open_session(db, config, overrides, create=create)
    try:
        yield session
    finally:
        session.close()


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

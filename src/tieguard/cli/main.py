"""The ``tieguard`` command. Sub-commands live in sibling modules, one per stage."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

_AT_START = threading.current_thread() is threading.main_thread()


def _quit_quietly(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C while the commands load: nothing is open yet, so end at once (exit 130)."""
    os._exit(130)


if _AT_START:  # until the commands are loaded (below); never a traceback from an import
    signal.signal(signal.SIGINT, _quit_quietly)

import typer  # noqa: E402 (after the start-up Ctrl-C handler)

from .. import __version__  # noqa: E402 (after the start-up Ctrl-C handler)
from .common import setup_logging  # noqa: E402 (after the start-up Ctrl-C handler)
from .interrupts import EXIT_INTERRUPTED  # noqa: E402 (after the start-up Ctrl-C handler)

app = typer.Typer(
    name="tieguard",
    help=(
        "Show which customer relationships your people's public network connections give away "
        "to competitors, how fast, and what each countermeasure would save.\n\n"
        "Example: tieguard demo --out tieguard-demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
    lang: str | None = typer.Option(
        None, "--lang", envvar="TIEGUARD_LANG",
        help="Language of the messages (and of reports unless their own --lang is given): "
        "en, nl, de or fr. JSON output stays English.",
    ),
) -> None:
    setup_logging(verbose)
    if lang:
        from ..i18n.catalog import activate, deactivate
        from .common import translate_errors

        with translate_errors():
            token = activate(lang)
        ctx.meta["tieguard_lang"] = lang
        ctx.call_on_close(lambda: deactivate(token))


@app.command()
def version() -> None:
    """Print the tieguard version.

    Example: tieguard version
    """
    typer.echo(__version__)


@app.command("settings")
def show_settings(
    markdown: bool = typer.Option(False, "--markdown", help="Print the settings reference."),
    config: Path | None = typer.Option(None, "--config", help="TOML settings file to check."),
    db: Path = typer.Option(
        Path("tieguard.duckdb"), "--db", envvar="TIEGUARD_DB",
        help="Warehouse whose tieguard.toml (beside it) is read when --config is not given.",
    ),
) -> None:
    """Show the effective settings as JSON (or the reference as Markdown).

    Example: tieguard settings --config tieguard.toml
    """
    from ..session import settings_for
    from ..settings import settings_markdown
    from .common import print_json, translate_errors

    if markdown:
        typer.echo(settings_markdown(), nl=False)
        return
    with translate_errors():
        print_json(settings_for(db, config).model_dump(mode="json"))


def _mount() -> None:
    """Attach each group of commands (one module per stage or concern)."""
    from . import alerts, capital, demo, imports, privacy, report, resolve, roles, scan, serve

    for module in (imports, demo, roles, resolve, scan, capital, report, privacy, alerts, serve):
        module.register(app)


_mount()
if _AT_START:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def run() -> None:
    """The ``tieguard`` command. A Ctrl-C (exit 130) ends the process at once: the warehouse
    is closed and its open transaction rolled back by then, and the interpreter's teardown
    (seconds of unloading Splink, DuckDB and pandas on a loaded machine) would only delay it."""
    try:
        app()
    except SystemExit as done:
        if done.code == EXIT_INTERRUPTED:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        raise

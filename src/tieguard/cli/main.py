"""The ``tieguard`` command. Sub-commands live in sibling modules, one per stage."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import __version__
from .common import setup_logging

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
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    setup_logging(verbose)


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
) -> None:
    """Show the effective settings as JSON (or the reference as Markdown).

    Example: tieguard settings --config tieguard.toml
    """
    from ..settings import load_settings, settings_markdown
    from .common import print_json, translate_errors

    if markdown:
        typer.echo(settings_markdown(), nl=False)
        return
    with translate_errors():
        print_json(load_settings(config).model_dump(mode="json"))


def _mount() -> None:
    """Attach each stage's commands; a stage missing its CLI module is skipped."""
    import importlib

    for module_name in (
        "imports", "demo", "roles", "resolve", "scan", "capital", "report", "privacy",
    ):
        try:
            module = importlib.import_module(f"{__package__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{module_name}":
                continue
            raise
        module.register(app)


_mount()


def run() -> None:
    app()

"""``tieguard demo``: the whole pipeline on the built-in synthetic organisation."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ..demo import DemoSize, run_demo
from ..i18n import _, check_language, use
from .common import (
    JSON_OPTION,
    LANG_OPTION,
    StepReporter,
    chosen_language,
    console,
    out,
    print_json,
    progress,
    translate_errors,
)


def demo(
    ctx: typer.Context,
    out_dir: Path = typer.Option(Path("tieguard-demo"), "--out", help="Directory for data, warehouse and report."),
    size: DemoSize = typer.Option(DemoSize.default, "--size", help="small (seconds), default (~300 employees), large (~5M ties)."),
    seed: int = typer.Option(7, "--seed", help="Seed of the synthetic organisation (same seed, same data)."),
    lang: str | None = LANG_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run the whole pipeline on a built-in synthetic organisation and write the report.

    Generates the exports a real organisation would have, imports them through the real
    readers, runs every stage and prints the headline figures.

    Example: tieguard demo --out tieguard-demo --size small --seed 7 --lang de
    """
    started = time.perf_counter()
    lang = chosen_language(ctx, lang)
    with translate_errors():
        lang = check_language(lang) if lang else None  # refused before minutes of work
    with translate_errors(), progress(disable=as_json) as prog:
        result = run_demo(out_dir, size=size, seed=seed, on_progress=StepReporter(prog), lang=lang)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        timings = {name: stage.get("seconds") for name, stage in result["stages"].items()}
        print_json(
            result["headline"]
            | {"report": result["report"], "seconds": result["seconds"], "stage_seconds": timings,
               "alerts": result["alerts"]}
        )
        return
    with use(result["language"]):
        _print_headline(result)


def _print_headline(result: dict[str, Any]) -> None:
    from ..i18n.formats import signed
    from ..report.fmt import format_metric, metric_label, share

    headline, said = result["headline"], result["said"]
    out.print(Panel(escape(said.get("sentence", "")), title="tieguard demo", expand=False))
    table = Table(show_header=True, header_style="bold")
    table.add_column(_("figure"))
    table.add_column(_("value"), justify="right")
    for key, value in headline.items():
        if key in ("sentence", "countermeasures", "whatif") or value is None:
            continue
        table.add_row(metric_label(key), format_metric(key, value))
    out.print(table)
    if headline.get("whatif"):
        policies = Table(title=_("What-if: deals revealed after each countermeasure"),
                         header_style="bold")
        policies.add_column(_("policy"))
        policies.add_column(_("after"), justify="right")
        policies.add_column(_("change"), justify="right")
        for name, row in headline["whatif"].items():
            points = signed(row["difference"] * 100, 1)
            policies.add_row(name, share(row["after"], digits=1), _("%(points)s pts", points=points))
        out.print(policies)
    if said.get("countermeasures"):
        out.print(escape(said["countermeasures"]))
    raised = result["alerts"]
    out.print(_("Alerts its last exports would have raised: %(alerts)s of %(ties)s new "
                "connections in %(exports)s newer exports (tieguard alerts list --db ...).",
                alerts=raised["alerts"], ties=raised["new_ties"], exports=raised["exports_checked"]))
    out.print(_("Report: [bold]%(path)s[/]  (%(seconds)s s)", path=escape(result["report"]),
                seconds=result["seconds"]))
    if shutil.which("xdg-open") is None:
        console.print(_("Open the report in a browser; it works offline."))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)

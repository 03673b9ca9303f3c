"""``tieguard demo``: the whole pipeline on the built-in synthetic organisation."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import typer
from rich.panel import Panel
from rich.table import Table

from ..demo import DemoSize, run_demo
from .common import JSON_OPTION, StepReporter, console, out, print_json, progress, translate_errors


def demo(
    out_dir: Path = typer.Option(Path("tieguard-demo"), "--out", help="Directory for data, warehouse and report."),
    size: DemoSize = typer.Option(DemoSize.default, "--size", help="small (seconds), default (~300 employees), large (~5M ties)."),
    seed: int = typer.Option(7, "--seed", help="Seed of the synthetic organisation (same seed, same data)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run the whole pipeline on a built-in synthetic organisation and write the report.

    Generates the exports a real organisation would have, imports them through the real
    readers, runs every stage and prints the headline figures.

    Example: tieguard demo --out tieguard-demo --size small --seed 7
    """
    started = time.perf_counter()
    with translate_errors(), progress(disable=as_json) as prog:
        result = run_demo(out_dir, size=size, seed=seed, on_progress=StepReporter(prog))
    result["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        timings = {name: stage.get("seconds") for name, stage in result["stages"].items()}
        print_json(
            result["headline"]
            | {"report": result["report"], "seconds": result["seconds"], "stage_seconds": timings,
               "alerts": result["alerts"]}
        )
        return
    _print_headline(result)


def _print_headline(result: dict[str, Any]) -> None:
    from ..report.fmt import format_metric, metric_label

    headline = result["headline"]
    out.print(Panel(headline.get("sentence", ""), title="tieguard demo", expand=False))
    table = Table(show_header=True, header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in headline.items():
        if key in ("sentence", "countermeasures", "whatif") or value is None:
            continue
        table.add_row(metric_label(key), format_metric(key, value))
    out.print(table)
    if headline.get("whatif"):
        policies = Table(title="What-if: deals revealed after each countermeasure", header_style="bold")
        policies.add_column("policy")
        policies.add_column("after", justify="right")
        policies.add_column("change", justify="right")
        for name, row in headline["whatif"].items():
            policies.add_row(name, f"{row['after']:.1%}", f"{row['difference'] * 100:+.1f} pts")
        out.print(policies)
    if headline.get("countermeasures"):
        out.print(headline["countermeasures"])
    raised = result["alerts"]
    out.print(f"Alerts its last exports would have raised: {raised['alerts']} of "
              f"{raised['new_ties']} new connections in {raised['exports_checked']} newer exports "
              "(tieguard alerts list --db ...).")
    out.print(f"Report: [bold]{result['report']}[/]  ({result['seconds']} s)")
    if shutil.which("xdg-open") is None:
        console.print("Open the report in a browser; it works offline.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)

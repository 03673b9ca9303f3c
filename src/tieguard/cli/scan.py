"""``tieguard scan`` and ``tieguard whatif``: the competitor model and the countermeasures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import ConfigError, NotFoundError
from ..i18n import N_, _, current
from ..i18n.formats import count, share, signed
from ..stages import SCAN_STAGES, Stage
from .common import (
    CONFIG_OPTION,
    DB_OPTION,
    JSON_OPTION,
    StepReporter,
    cli_session,
    out,
    print_json,
    progress,
    translate_errors,
)
from .interrupts import interrupt_stops

if TYPE_CHECKING:  # heavy modules load when a command runs, not for --help
    from ..engine import Engine
    from ..policy.whatif import WhatIfResult
    from ..settings import Settings

__all__ = ["register", "scan", "whatif"]

SHOWN = (
    ("deals_revealed", N_("Deals revealed by a new connection (share)")),
    ("deals_revealed_value", N_("Value of the revealed deals")),
    ("head_start_days_median", N_("Head start from the reveal, median days")),
    ("opportunities", N_("Opportunities in the window")),
    ("account_visibility", N_("Accounts visible at all, old or new ties (share of deals)")),
    ("lead_precision", N_("Lead precision")),
    ("leads", N_("Competitor leads")),
    ("accounts_revealed", N_("Accounts with a lead")),
)


def _fmt(metric: str, value: Any) -> str:
    """A figure in the current language (shares with one decimal, the rest whole numbers)."""
    if value is None:
        return "-"
    if metric in ("deals_revealed", "won_revealed", "lead_precision", "account_visibility",
                  "deals_revealed_value_share"):
        return share(value, digits=1)
    return count(value)


STAGE_NAMES = tuple(s.name for s in SCAN_STAGES)


def _chosen_stages(names: list[str]) -> tuple[Stage, ...]:
    unknown = [n for n in names if n not in STAGE_NAMES]
    if unknown:
        raise ConfigError(
            f"--stage {', '.join(unknown)} is not a scan stage; choose from {', '.join(STAGE_NAMES)}."
        )
    return tuple(s for s in SCAN_STAGES if not names or s.name in names)


def _require_earlier_stages(engine: Engine, chosen: tuple[Stage, ...]) -> None:
    """Each chosen stage's inputs written by a stage not chosen must come from an earlier run."""
    from ..warehouse import require_stage

    names = {s.name for s in chosen}
    for stage in chosen:
        for earlier in SCAN_STAGES:
            if earlier.name == stage.name:
                break
            if earlier.name not in names and set(earlier.outputs) & set(stage.inputs):
                require_stage(engine, earlier.name, f"tieguard scan --stage {stage.name}")


STAGE_OPTION = typer.Option(
    [], "--stage", help=f"Run only this stage (repeatable; in pipeline order): {', '.join(STAGE_NAMES)}.",
)


def scan(
    db: Path = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
    only: list[str] = STAGE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run roles, resolve, watch, exposure and capital over what the warehouse holds; print the headline.

    Example: tieguard scan --db tieguard.duckdb --json
    """
    from ..pipeline import run_scan

    with translate_errors():
        stages = _chosen_stages(only)
        with interrupt_stops() as stopper, cli_session(db, config) as session:
            stopper.attach(session.engine)
            _require_earlier_stages(session.engine, stages)
            with progress(disable=as_json) as prog:
                result = run_scan(session.engine, session.settings, StepReporter(prog), stages)
            translated = not as_json and current() != "en"
            sentence = _sentence(session.engine, session.settings) if translated else ""
    head = result.headline
    if as_json:
        print_json(dict(head))
        return
    table = Table(title=_("Exposure to a watching competitor"), header_style="bold")
    table.add_column(_("figure"))
    table.add_column(_("value"), justify="right")
    for key, label in SHOWN:
        table.add_row(_(label), _fmt(key, head.get(key)))
    out.print(table)
    if sentence or head.get("sentence"):
        out.print(escape(sentence or str(head["sentence"])))


def _sentence(engine: Engine, settings: Settings) -> str:
    """The headline sentence in the current language (empty before the exposure stage ran)."""
    from ..report.data import headline_metrics
    from ..report.headline import exposure_sentence, whatif_outcomes

    metrics = headline_metrics(engine)
    return exposure_sentence(metrics, whatif_outcomes(engine), settings) if metrics else ""


def _whatif_table(result: WhatIfResult) -> Table:
    before = result.before
    table = Table(title=_("What-if: exposure before and after each countermeasure"),
                  header_style="bold")
    table.add_column(_("policy"), no_wrap=True)
    for col in (_("deals revealed before → after"), _("diff"), _("value after"),
                _("head start (d)"), _("leads"), _("ties delayed"), _("delay (d)"),
                _("ties hidden")):
        table.add_column(col, justify="right")
    for p in result.policies:
        after, cost = p.after, p.cost
        table.add_row(
            p.policy,
            f"{_fmt('deals_revealed', before['deals_revealed'])} → "
            f"{_fmt('deals_revealed', after['deals_revealed'])}",
            _("%(points)s pts", points=signed(p.difference(before)["deals_revealed"] * 100, 1)),
            _fmt("deals_revealed_value", after["deals_revealed_value"]),
            _fmt("head_start_days_median", after["head_start_days_median"]),
            _fmt("leads", after["leads"]),
            count(cost.ties_delayed), count(cost.median_delay_days), count(cost.ties_hidden),
        )
    return table



def _print_whatif(result: WhatIfResult) -> None:
    from ..policy.names import policy_description

    out.print(_whatif_table(result))
    for p in result.policies:
        out.print(f"[bold]{escape(p.policy)}[/]: "
                  + escape(f"{policy_description(p.policy, p.description)}. {p.cost.notes}."))


def whatif(
    policy: list[str] = typer.Option(  # noqa: B008
        [], "--policy", "-p",
        help="Built-in policy name or a .toml/.yaml policy file; repeat for several (default: all built-ins).",
    ),
    db: Path = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Re-simulate the competitor under each countermeasure; print before, after, difference and cost.

    Example: tieguard whatif --policy hide_lists_sales --policy my-policy.toml
    """
    from ..policy import resolve_policies
    from ..policy import whatif as run_whatif
    from ..warehouse import require_stage

    with translate_errors():
        policies = resolve_policies(policy)
        with interrupt_stops() as stopper, cli_session(db, config) as session:
            engine, settings = session.engine, session.settings
            stopper.attach(engine)
            if not engine.scalar("SELECT count(*) FROM ties"):
                raise NotFoundError(
                    f"The warehouse {db} holds no ties. Import LinkedIn exports first "
                    "(tieguard import ...), or run tieguard demo."
                )
            for needed in ("roles", "resolve"):
                require_stage(engine, needed, "tieguard whatif")
            with progress(disable=as_json) as prog:
                result = run_whatif(engine, settings, policies, on_progress=StepReporter(prog))
    if as_json:
        print_json(result.as_json())
        return
    _print_whatif(result)


def register(app: typer.Typer) -> None:
    """Mount ``scan`` and ``whatif`` on the main app."""
    app.command("scan")(scan)
    app.command("whatif")(whatif)

"""``tieguard capital``: the organisation's relationship registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from ..stages import stage
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

capital_app = typer.Typer(
    name="capital",
    help=(
        "The organisation's own relationship registry: buying-committee coverage, key-person "
        "risk, departures and warm introductions.\n\nExample: tieguard capital risk --db tieguard.duckdb"
    ),
    no_args_is_help=True,
)
LIMIT_OPTION = typer.Option(20, "--limit", min=1, help="Rows to show in the table (JSON has all).")


def _money(value: Any) -> str:
    return f"{float(value or 0):,.0f}"


@capital_app.command("build")
def build(
    db: Path = DB_OPTION,
    as_of: str | None = typer.Option(None, "--as-of", help="Date (ISO) the registry describes; default today."),
    half_life: int | None = typer.Option(None, "--half-life", min=1, help="Days after which strength halves without new evidence (default: capital.half_life_days, 730)."),
    config: Path | None = CONFIG_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Rebuild the registry tables (strength, coverage, risk, monthly coverage).

    Example: tieguard capital build --db tieguard.duckdb --as-of 2026-11-30
    """
    from ..pipeline import run_stage

    overrides: dict[str, Any] = {}
    if as_of is not None:
        overrides["capital.as_of"] = as_of
    if half_life is not None:
        overrides["capital.half_life_days"] = half_life
    with translate_errors(), cli_session(db, config, overrides) as session, \
            progress(disable=as_json) as prog:
        result = run_stage(session.engine, session.settings, stage("capital"), StepReporter(prog))
    summary = dict(result.figures)
    if as_json:
        print_json(summary)
        return
    table = Table("figure", "value", header_style="bold")
    for key, value in summary.items():
        if key != "seconds":
            table.add_row(key, str(value))
    out.print(table)


@capital_app.command("accounts")
def accounts(db: Path = DB_OPTION, limit: int = LIMIT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Per account: value, buying roles reached and missing, holders by team.

    Example: tieguard capital accounts --db tieguard.duckdb --limit 20
    """
    from .. import capital as registry

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        rows = registry.accounts(engine)
    if as_json:
        print_json({"accounts": rows})
        return
    table = Table("account", "type", "value", "contacts", "holders", "teams", "roles reached",
                  "roles missing", header_style="bold", title="Buying-committee coverage")
    for r in rows[:limit]:
        table.add_row(r["account_name"] or r["account_id"], r["account_type"] or "",
                      _money(r["value"]), str(r["contacts_reached"]), str(r["employees"]),
                      r["teams"] or "-", ", ".join(r["roles_reached"]) or "-",
                      ", ".join(r["roles_missing"]) or "-")
    out.print(table)


@capital_app.command("risk")
def risk(db: Path = DB_OPTION, limit: int = LIMIT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Accounts whose key buying-role contacts are reached by exactly one employee.

    Example: tieguard capital risk --db tieguard.duckdb --json
    """
    from .. import capital as registry

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        rows = registry.risk(engine)
    if as_json:
        print_json({"accounts": rows, "at_risk": sum(1 for r in rows if r["at_risk"]),
                    "value_at_risk": round(sum(r["value"] for r in rows if r["at_risk"]), 2)})
        return
    table = Table("account", "value", "key contacts", "single-holder", "holders", "teams",
                  "all on one person", "risk score", header_style="bold", title="Key-person risk")
    for r in rows[:limit]:
        table.add_row(r["account_name"] or r["account_id"], _money(r["value"]),
                      str(r["key_contacts"]), str(r["single_holder_contacts"]),
                      str(r["key_holders"]), r["holder_team"] or "-",
                      "yes" if r["at_risk"] else "no", _money(r["risk_score"]))
    out.print(table)


@capital_app.command("departure")
def departure(
    employee: str = typer.Argument(..., help="Employee id or full name."),
    db: Path = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """What the organisation would lose if EMPLOYEE left: accounts cut off, roles lost.

    Meant for the employee and their manager, not for a shared report.

    Example: tieguard capital departure E00042 --db tieguard.duckdb
    """
    from .. import capital as registry

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        report = registry.departure(engine, employee)
    if as_json:
        print_json(report)
        return
    out.print(f"[bold]{report['employee_name'] or report['employee_id']}[/] ({report['team']}): "
              f"{report['accounts_lost']} accounts would lose every tie, value "
              f"{_money(report['value_lost'])}; {report['accounts_weakened']} would lose roles.")
    table = Table("account", "value", "contacts held", "every tie lost", "roles lost",
                  header_style="bold")
    for r in report["lost"] + report["weakened"]:
        table.add_row(r["account_name"] or r["account_id"], _money(r["value"]),
                      str(r["contacts_held"]), "yes" if r in report["lost"] else "no",
                      ", ".join(r["roles_lost"]) or "-")
    out.print(table)


@capital_app.command("intro")
def intro(
    target: str = typer.Argument(..., help="Account or contact: id or name."),
    db: Path = DB_OPTION,
    limit: int = typer.Option(5, "--limit", min=1, help="Paths to return."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Best warm-introduction paths to TARGET through our staff, strongest first.

    Example: tieguard capital intro "Acme Industrial" --db tieguard.duckdb
    """
    from .. import capital as registry

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        result = registry.intro(engine, target, limit=limit)
    if as_json:
        print_json(result)
        return
    t = result["target"]
    out.print(f"Introductions to [bold]{t['name']}[/] ({t['kind']} {t['id']})"
              + ("" if result["reached_directly"] else ": not reached directly"))
    table = Table("path", "employee", "team", "contact", "roles", "strength", "score",
                  header_style="bold")
    for p in result["paths"]:
        table.add_row(p["kind"], p["employee_name"] or p["employee_id"], p["team"],
                      p["contact_name"] or p["contact_id"], ", ".join(p["buying_roles"]) or "-",
                      f"{p['strength']:.3f}", f"{p['score']:.3f}")
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(capital_app, name="capital")

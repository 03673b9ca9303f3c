"""``tieguard resolve``: link tie-people to CRM contacts and accounts."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from ..engine import Engine
from ..errors import ConfigError, NotFoundError
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

resolve_app = typer.Typer(
    name="resolve",
    help=(
        "Who is each connection in our CRM? Link tie-people to contacts and accounts, "
        "probabilistically, with evidence and a review queue.\n\n"
        "Example: tieguard resolve --db tieguard.duckdb"
    ),
    invoke_without_command=True,
)
@resolve_app.callback()
def resolve(
    ctx: typer.Context,
    db: Path = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run resolution over the warehouse and rebuild tie_matches.

    Example: tieguard resolve --db tieguard.duckdb --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..pipeline import run_stage
    from ..stages import stage

    with translate_errors(), cli_session(db, config) as session, progress(disable=as_json) as prog:
        result = run_stage(session.engine, session.settings, stage("resolve"), StepReporter(prog))
    print_summary(result.as_json(), as_json)


def _review_rows(engine: Engine) -> list[dict[str, Any]]:
    return engine.fetch_records(
        """SELECT m.person_key, coalesce(m.contact_id, m.account_id) AS candidate,
                  CASE WHEN m.contact_id IS NOT NULL THEN 'contact' ELSE 'account' END AS kind,
                  t.first_name, t.last_name, t.company,
                  c.first_name AS contact_first_name, c.last_name AS contact_last_name,
                  a.name AS account_name, m.match_probability, m.evidence
           FROM tie_matches m JOIN tie_people t USING (person_key)
           LEFT JOIN contacts c ON c.contact_id = m.contact_id
           LEFT JOIN accounts a ON a.account_id = m.account_id
           WHERE m.status = 'review' ORDER BY m.match_probability DESC, m.person_key"""
    )


def _decide(engine: Engine, person_key: str, candidate: str, decision: str) -> dict[str, Any]:
    if decision not in ("match", "no_match"):
        raise ConfigError(f"Decision {decision!r} is not valid; use match or no_match.")
    if engine.scalar("SELECT count(*) FROM contacts WHERE contact_id = ?", [candidate]):
        kind = "contact"
    elif engine.scalar("SELECT count(*) FROM accounts WHERE account_id = ?", [candidate]):
        kind = "account"
    else:
        raise NotFoundError(
            f"{candidate!r} is neither a contact_id nor an account_id in the warehouse; "
            "copy the candidate from `tieguard resolve review --list`."
        )
    if not engine.scalar("SELECT count(*) FROM tie_people WHERE person_key = ?", [person_key]):
        raise NotFoundError(f"No tie-person has the key {person_key!r}; see `tieguard resolve review --list`.")
    with engine.transaction():
        engine.execute(
            "DELETE FROM review_decisions WHERE person_key = ? AND candidate_id = ?",
            [person_key, candidate],
        )
        engine.execute(
            "INSERT INTO review_decisions VALUES (?, ?, ?, ?, ?, ?)",
            [person_key, candidate, kind, decision, getpass.getuser(), dt.datetime.now()],
        )
    return {"person_key": person_key, "candidate": candidate, "kind": kind, "decision": decision,
            "note": "Stored; it wins on every later `tieguard resolve` run."}


@resolve_app.command("review")
def review(
    db: Path = DB_OPTION,
    list_: bool = typer.Option(False, "--list", help="List the review queue (the default)."),
    decide: tuple[str, str, str] | None = typer.Option(
        None, "--decide", help="PERSON_KEY CANDIDATE match|no_match: store a decision."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the review queue or store a decision (decisions win on every later run).

    Example: tieguard resolve review --decide 3f2a9c C-1042 match
    """
    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        if decide:
            result = _decide(engine, *decide)
            if as_json:
                print_json(result)
            else:
                out.print(f"{result['decision']} stored for {result['person_key']} → "
                          f"{result['kind']} {result['candidate']}. {result['note']}")
            return
        rows = _review_rows(engine)
    if as_json:
        print_json({"review": rows, "count": len(rows)})
        return
    table = Table("person_key", "tie-person", "candidate", "probability", header_style="bold")
    for r in rows:
        who = f"{r['first_name'] or ''} {r['last_name'] or ''} ({r['company'] or '-'})"
        cand = (f"{r['candidate']}: {r['contact_first_name'] or ''} {r['contact_last_name'] or ''}"
                f" @ {r['account_name'] or '-'}")
        table.add_row(r["person_key"], who, cand, f"{r['match_probability']:.2f}")
    out.print(table)
    out.print(f"{len(rows)} tie-people await review. Decide with "
              "`tieguard resolve review --decide PERSON_KEY CANDIDATE match|no_match`.")


@resolve_app.command("score-pairs")
def score_pairs(
    file: Path = typer.Argument(..., help="CSV with name1,name2 (persons: +company1,company2)."),
    kind: str = typer.Option(..., "--kind", help="company or person."),
    out_file: Path | None = typer.Option(None, "--out", help="Write the scored CSV here."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Score how two names compare; adds match_probability and is_match. No warehouse needed.

    Example: tieguard resolve score-pairs pairs.csv --kind company --out scored.csv
    """
    from ..resolve.scoring import score_pairs_file

    with translate_errors():
        if kind not in ("company", "person"):
            raise ConfigError(f"--kind {kind!r} is not valid; use company or person.")
        rows = score_pairs_file(file, kind, out_file)  # type: ignore[arg-type]
    if as_json:
        print_json({"pairs": rows, "count": len(rows)})
        return
    if out_file is not None:
        out.print(f"Scored {len(rows)} pairs into {out_file}.")
        return
    table = Table("name1", "name2", "match_probability", "is_match", header_style="bold")
    for r in rows:
        table.add_row(r["name1"], r["name2"], f"{r['match_probability']:.3f}", str(r["is_match"]))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(resolve_app, name="resolve")

"""``tieguard resolve``: link tie-people to CRM contacts and accounts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..errors import ConfigError
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
    from ..resolve.review import decide as decide_pair
    from ..resolve.review import review_queue

    with translate_errors(), cli_session(db) as session:
        engine = session.engine
        if decide:
            result = decide_pair(engine, *decide)
            if as_json:
                print_json(result)
            else:
                out.print(f"{result['decision']} stored for {result['person_key']} → "
                          f"{result['kind']} {result['candidate']}. {result['note']}")
            return
        rows = review_queue(engine)
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
    threshold: float | None = typer.Option(
        None, "--threshold",
        help="Decision threshold for is_match (default: the calibrated best-F1 threshold)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Score how two names compare; adds match_probability, is_match and the evidence that
    decided. No warehouse needed.

    Example: tieguard resolve score-pairs pairs.csv --kind company --out scored.csv
    """
    from ..resolve.scoring import score_pairs_file

    with translate_errors():
        if kind not in ("company", "person"):
            raise ConfigError(f"--kind {kind!r} is not valid; use company or person.")
        rows = score_pairs_file(file, kind, out_file, threshold)  # type: ignore[arg-type]
    if as_json:
        print_json({"pairs": rows, "count": len(rows)})
        return
    if out_file is not None:
        out.print(f"Scored {len(rows)} pairs into {out_file}.")
        return
    table = Table("name1", "name2", "match_probability", "is_match", "evidence",
                  header_style="bold")
    for r in rows:
        table.add_row(r["name1"], r["name2"], f"{r['match_probability']:.3f}", str(r["is_match"]),
                      r["evidence"])
    out.print(table)


@resolve_app.command("train")
def train(
    db: Path = DB_OPTION,
    labels: Path | None = typer.Option(
        None, "--labels", help="CSV of labelled pairs: name1,name2[,company1,company2],label."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Teach the person model from review decisions and labelled pairs (then run resolve).

    Example: tieguard resolve train --db tieguard.duckdb --labels labelled_pairs.csv
    """
    from ..resolve.learning import train as train_model

    with translate_errors(), cli_session(db) as session:
        summary = train_model(session.engine, labels)
    if as_json:
        print_json(summary)
        return
    if not summary["trained"]:
        out.print(f"{summary['labels']} labels ({summary['matches']} matches) are too few to "
                  "learn from; decide more pairs with `tieguard resolve review --decide` or "
                  "pass --labels FILE.")
        return
    out.print(f"Learned from {summary['labels']} labels ({summary['from_reviews']} review "
              f"decisions, {summary['matches']} matches). Best-F1 threshold on them: "
              f"{summary['threshold']:.2f}. Run `tieguard resolve` to use the new model.")


def register(app: typer.Typer) -> None:
    app.add_typer(resolve_app, name="resolve")

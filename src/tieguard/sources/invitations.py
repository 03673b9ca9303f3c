"""LinkedIn ``Invitations.csv``: who started a relationship, and when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from ..engine import Engine
from ..settings import SourcesSettings
from .csvfile import read_table
from .report import ImportReport, Problem
from .tabular import SmallImport, TableWrite, run_small_import

__all__ = ["import_invitations"]

REQUIRED = ["From", "To", "Sent At", "Direction"]


def _parse_sent_at(text: str) -> dt.datetime:
    value = text.strip()
    for fmt in ("%m/%d/%y, %I:%M %p", "%d %b %Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(value)


def import_invitations(
    engine: Engine, path: str | Path, employee_id: str, *, supplied_by: str | None = None,
    basis: str = "consent", network: str = "linkedin", dry_run: bool = False,
    limits: SourcesSettings | None = None, label: str | None = None,
) -> ImportReport:
    """Import one employee's ``Invitations.csv`` into ``invitations`` (``label``: the file
    name to report and record, default the path)."""
    path = Path(path)
    limits = limits or SourcesSettings()
    table = read_table(path, REQUIRED, "LinkedIn Invitations.csv export", limits)
    problems = list(table.problems)
    earliest = dt.datetime.combine(limits.earliest_date, dt.time())
    latest = dt.datetime.combine(dt.date.today(), dt.time()) + dt.timedelta(
        days=limits.latest_days_ahead + 1)
    rows = []
    for line, rec in table.rows:
        direction = rec.get("Direction", "").strip().lower()
        if direction not in ("outgoing", "incoming"):
            problems.append(Problem(line, "Direction", f"Direction {rec.get('Direction')!r} is "
                                    "neither OUTGOING nor INCOMING; row quarantined."))
            continue
        try:
            sent_at = _parse_sent_at(rec["Sent At"])
        except ValueError:
            problems.append(Problem(line, "Sent At", f"Sent At {rec['Sent At']!r} is not a date "
                                    "like '1/8/26, 6:14 PM'; row quarantined."))
            continue
        if not earliest <= sent_at < latest:
            problems.append(Problem(line, "Sent At", f"Sent At {rec['Sent At']!r} lies outside "
                                    f"{earliest.date()} .. {(latest - dt.timedelta(days=1)).date()}"
                                    " (settings sources.earliest_date and "
                                    "sources.latest_days_ahead); row quarantined."))
            continue
        outgoing = direction == "outgoing"
        url = rec.get("inviteeProfileUrl" if outgoing else "inviterProfileUrl") or None
        rows.append({
            "employee_id": employee_id, "network": network, "direction": direction,
            "counterpart_name": (rec["To"] if outgoing else rec["From"]).strip() or None,
            "counterpart_url": url.strip() if url else None, "sent_at": sent_at,
            "has_message": bool(rec.get("Message", "").strip()), "import_id": None,
        })
    fmt = "linkedin_invitations_urls" if "inviterProfileUrl" in table.header else \
        "linkedin_invitations"
    imp = SmallImport(label or str(path), "linkedin_invitations", fmt, table.raw.sha256,
                      table.raw.encoding, len(table.rows) + _skipped(table.problems),
                      [TableWrite("invitations", rows, None, {"sent_at": pa.timestamp("us")})],
                      problems, employee_id)
    report = run_small_import(engine, imp, supplied_by=supplied_by, basis=basis, dry_run=True)
    for row in rows:
        row["import_id"] = report.import_id
    if not dry_run:
        report = run_small_import(engine, imp, supplied_by=supplied_by, basis=basis,
                                  dry_run=False)
    report.ties = len(rows)
    dates = [r["sent_at"].date() for r in rows if isinstance(r["sent_at"], dt.datetime)]
    report.earliest, report.latest = (min(dates), max(dates)) if dates else (None, None)
    return report


def _skipped(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity == "error" and "row skipped" in p.message)

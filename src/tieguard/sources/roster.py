"""The roster of employees, and their network privacy settings over time.

``roster.csv`` and ``privacy.csv`` are told apart by their header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..errors import UnrecognisedFormatError
from ..i18n import normalise_language, supported_list
from ..settings import SourcesSettings
from .csvfile import find_header, read_raw, read_table
from .report import ImportReport, Problem
from .tabular import SmallImport, TableWrite, parse_bool, parse_iso_date, run_small_import

__all__ = ["import_roster", "ROSTER_COLUMNS", "PRIVACY_COLUMNS"]

ROSTER_COLUMNS = ["employee_id", "name", "email", "team", "role", "country", "manager_id",
                  "hired_on", "left_on", "linkedin_url", "profile_names_company", "language"]
PRIVACY_COLUMNS = ["employee_id", "network", "valid_from", "connections_visibility"]
VISIBILITY = {"connections": "connections", "your connections": "connections",
              "only_me": "only_me", "only you": "only_me", "only me": "only_me"}


def import_roster(
    engine: Engine, path: str | Path, *, supplied_by: str | None = None, basis: str = "contract",
    dry_run: bool = False, limits: SourcesSettings | None = None,
) -> ImportReport:
    """Import ``roster.csv`` (employees, profiles) or ``privacy.csv`` (privacy settings)."""
    path = Path(path)
    raw = read_raw(path, limits)
    if find_header(raw.text, ["employee_id", "valid_from", "connections_visibility"],
                   limits=limits, path=path):
        imp = _privacy(path, limits)
    elif find_header(raw.text, ["employee_id", "name"], limits=limits, path=path):
        imp = _roster(path, limits)
    else:
        raise UnrecognisedFormatError(
            f"{path} is neither a roster ({','.join(ROSTER_COLUMNS)}) nor a privacy file "
            f"({','.join(PRIVACY_COLUMNS)}): no such header was found. Check the file."
        )
    return run_small_import(engine, imp, supplied_by=supplied_by, basis=basis, dry_run=dry_run)


def _text(rec: dict[str, str], key: str) -> str | None:
    value = rec.get(key, "").strip()
    return value or None


def _language(rec: dict[str, str]) -> str | None | bool:
    """The roster's optional language as a supported code, None when empty, False when bad."""
    value = _text(rec, "language")
    if value is None:
        return None
    return normalise_language(value) or False


def _roster(path: Path, limits: SourcesSettings | None) -> SmallImport:
    table = read_table(path, ["employee_id", "name"], "roster", limits)
    problems = list(table.problems)
    employees: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    for line, rec in table.rows:
        try:
            hired, left = parse_iso_date(rec.get("hired_on")), parse_iso_date(rec.get("left_on"))
            shows = parse_bool(rec.get("profile_names_company"))
        except ValueError as exc:
            problems.append(Problem(line, None, f"{exc}: use ISO dates (2024-03-01) and "
                                    "true/false; row quarantined."))
            continue
        employee_id = _text(rec, "employee_id")
        if not employee_id:
            problems.append(Problem(line, "employee_id", "employee_id is empty; row quarantined."))
            continue
        language = _language(rec)
        if language is False:
            problems.append(Problem(line, "language", f"language {rec.get('language', '').strip()!r} "
                                    f"is not supported; use one of {supported_list()} or leave it "
                                    "empty (the organisation's default applies); row quarantined."))
            continue
        country = _text(rec, "country")
        employees.append({
            "employee_id": employee_id, "full_name": _text(rec, "name"),
            "email": _text(rec, "email"), "team": _text(rec, "team"),
            "job_role": _text(rec, "role"), "country": country.upper() if country else None,
            "manager_id": _text(rec, "manager_id"), "hired_on": hired, "left_on": left,
            "language": language,
        })
        if _text(rec, "linkedin_url") or shows is not None:
            profiles.append({"employee_id": employee_id, "network": "linkedin",
                             "profile_url": _text(rec, "linkedin_url"),
                             "shows_company": True if shows is None else shows})
    dates = {"hired_on": pa.date32(), "left_on": pa.date32()}
    return SmallImport(str(path), "roster", "roster", table.raw.sha256, table.raw.encoding,
                       len(table.rows), [TableWrite("employees", employees, ["employee_id"], dates),
                                         TableWrite("profiles", profiles,
                                                    ["employee_id", "network"])], problems)


def _privacy(path: Path, limits: SourcesSettings | None) -> SmallImport:
    table = read_table(path, PRIVACY_COLUMNS[:1] + PRIVACY_COLUMNS[2:], "privacy file", limits)
    problems = list(table.problems)
    rows: list[dict[str, Any]] = []
    for line, rec in table.rows:
        visibility = VISIBILITY.get(rec.get("connections_visibility", "").strip().lower())
        try:
            valid_from = parse_iso_date(rec.get("valid_from"))
        except ValueError:
            valid_from = None
        if visibility is None or valid_from is None or not _text(rec, "employee_id"):
            problems.append(Problem(line, None, "Needs employee_id, an ISO valid_from date and "
                                    "connections_visibility 'connections' or 'only_me'; "
                                    "row quarantined."))
            continue
        rows.append({"employee_id": _text(rec, "employee_id"),
                     "network": (_text(rec, "network") or "linkedin").lower(),
                     "valid_from": valid_from, "connections_visibility": visibility})
    return SmallImport(str(path), "roster", "privacy", table.raw.sha256, table.raw.encoding,
                       len(table.rows),
                       [TableWrite("privacy_settings", rows, ["employee_id", "network",
                                                              "valid_from"],
                                   {"valid_from": pa.date32()})], problems)

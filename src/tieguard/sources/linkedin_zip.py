"""The LinkedIn data export zip (``Complete_/Basic_LinkedInDataExport_*.zip``), read directly.

From the zip: ``Connections.csv`` (required: the ties), ``Invitations.csv`` (who started
a relationship), ``Profile.csv`` (the employee's own headline) and ``Positions.csv``
(their jobs). Positions give the employee's ``hired_on``/``left_on`` at our company
and the profile whether it names our company, but only where the roster left them
empty: **the roster wins** (docs/inputs.md). Members are read into memory, never
extracted by their own names: path traversal (``../``), absolute names, links,
encrypted members and zip bombs (declared sizes over ``sources.max_zip_mb``, or a
compression ratio over :data:`MAX_RATIO`) are refused with a sentence.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from ..engine import Engine
from ..errors import InputError
from ..organisation import own_company_names
from ..settings import SourcesSettings
from .connections import import_connections
from .csvfile import read_table
from .invitations import import_invitations
from .report import ImportReport, Problem
from .safe_io import MB, io_error_message, read_input_bytes

__all__ = ["is_zip", "import_linkedin_zip", "read_zip_members", "employment_from_positions",
           "MAX_RATIO"]

#: Largest compression ratio of a member (text compresses ~10x; a bomb 1000x and more).
MAX_RATIO = 200
WANTED = ("connections.csv", "invitations.csv", "profile.csv", "positions.csv")
_LEGAL = re.compile(r"\b(gmbh|ag|se|bv|b\.v\.|nv|sa|s\.a\.|inc|ltd|llc|plc|spa|sas|kg|co)\b\.?")


def is_zip(path: Path) -> bool:
    """Does ``path`` start like a zip archive? (False for anything unreadable.)"""
    try:
        with open(path, "rb") as handle:
            return path.is_file() and handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _refuse_member(path: Path, info: zipfile.ZipInfo, limits: SourcesSettings) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
        raise InputError(f"{path} holds a member named {name[:120]!r} that points outside the "
                         "archive (path traversal); the zip is refused. Download the export "
                         "again from LinkedIn, or unzip it and pass the Connections.csv.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InputError(f"{path} holds a symbolic link {name[:120]!r}; the zip is refused. "
                         "Unzip it and pass the Connections.csv, or pass the original zip.")
    if info.flag_bits & 0x1:
        raise InputError(f"{path}: the member {name[:120]!r} is encrypted. Unzip it with its "
                         "password and pass the Connections.csv.")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise InputError(f"{path}: the member {name[:120]!r} would expand "
                         f"{info.file_size / info.compress_size:,.0f} times (a zip bomb?); the "
                         "zip is refused. Unzip it yourself and pass the Connections.csv.")


def read_zip_members(path: Path, limits: SourcesSettings) -> dict[str, bytes]:
    """The wanted members (lower-case base name -> bytes) of the export zip ``path``."""
    data = read_input_bytes(path, limits.max_file_mb * MB)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise InputError(f"{path} is not a readable zip ({exc}): it may be truncated. Download "
                         "the export again, or unzip it and pass the Connections.csv.") from exc
    chosen: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        _refuse_member(path, info, limits)
        base = PurePosixPath(info.filename.replace("\\", "/")).name.lower()
        if base in WANTED and not info.is_dir() and base not in chosen:
            chosen[base] = info
    total = sum(info.file_size for info in chosen.values())
    if total > limits.max_zip_mb * MB:
        raise InputError(f"{path}: the files to read would expand to {total / MB:,.0f} MB, more "
                         f"than the limit of {limits.max_zip_mb} MB (setting "
                         "sources.max_zip_mb). Unzip it and pass the Connections.csv.")
    if "connections.csv" not in chosen:
        raise InputError(f"{path} holds no Connections.csv, so it is not a LinkedIn data "
                         "export (or it is a partial one). Request the export with "
                         "'Connections' from LinkedIn, or unzip it and pass the Connections.csv.")
    out: dict[str, bytes] = {}
    for base, info in chosen.items():
        try:
            with archive.open(info) as member:  # reads at most the declared size
                content = member.read(limits.max_zip_mb * MB + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise InputError(f"{path}: the member {info.filename!r} cannot be read ({exc}); the "
                             "zip looks damaged. Download the export again.") from exc
        out[base] = content
    return out


def import_linkedin_zip(
    engine: Engine, path: str | Path, employee_id: str, *, exported_on: dt.date | None = None,
    supplied_by: str | None = None, basis: str = "consent", dry_run: bool = False,
    limits: SourcesSettings | None = None, accept_removals: bool = False,
) -> list[ImportReport]:
    """Import the members of one employee's LinkedIn export zip (see module docstring)."""
    path, limits = Path(path), limits or SourcesSettings()
    members = read_zip_members(path, limits)
    reports: list[ImportReport] = []
    with tempfile.TemporaryDirectory(prefix="tieguard-zip-") as tmp:
        files = {}
        for base, content in members.items():
            files[base] = Path(tmp) / base  # a fixed name: never a name from the archive
            try:
                files[base].write_bytes(content)
            except OSError as exc:
                raise InputError(io_error_message(files[base], exc, "unpacking to")) from exc
        label = f"{path}!"
        report = import_connections(engine, files["connections.csv"], employee_id,
                                    exported_on=exported_on, supplied_by=supplied_by,
                                    basis=basis, dry_run=dry_run, limits=limits,
                                    accept_removals=accept_removals,
                                    label=label + "Connections.csv")
        reports.append(report)
        if "invitations.csv" in files:
            reports.append(import_invitations(
                engine, files["invitations.csv"], employee_id, supplied_by=supplied_by,
                basis=basis, dry_run=dry_run, limits=limits, label=label + "Invitations.csv"))
        if "positions.csv" in files or "profile.csv" in files:
            reports.append(_apply_profile(engine, files, employee_id, label, dry_run, limits))
    return reports


def _own_name(engine: Engine) -> str | None:
    names = own_company_names(engine)
    return names[0] if names else None


def _core(name: str) -> str:
    return " ".join(_LEGAL.sub(" ", re.sub(r"[^\w.]+", " ", name.casefold())).split())


def names_us(text: str | None, own: str) -> bool:
    """Does ``text`` (a headline or company) name our company ``own``?"""
    core = _core(own)
    return bool(core) and re.search(rf"\b{re.escape(core)}\b", _core(text or "")) is not None


def _month(text: str) -> dt.date | None:
    value = text.strip()
    for fmt in ("%b %Y", "%B %Y", "%m/%Y", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def employment_from_positions(rows: list[dict[str, str]], own: str
                              ) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """(hired_on, left_on, problems) at our company from Positions.csv rows: the earliest
    start; the latest end (last day of its month) unless a position there is current."""
    starts: list[dt.date] = []
    ends: list[dt.date | None] = []
    problems: list[str] = []
    for row in rows:
        if not names_us(row.get("Company Name"), own):
            continue
        start = _month(row.get("Started On", ""))
        finished = (row.get("Finished On") or "").strip()
        end = _month(finished) if finished else None
        if start is None or (finished and end is None):
            problems.append(f"the dates {row.get('Started On')!r} .. {finished!r} are not "
                            "like 'Mar 2019'")
            continue
        starts.append(start)
        ends.append(end)
    if not starts:
        return None, None, problems
    left = None
    if ends and all(e is not None for e in ends):
        last = max(e for e in ends if e is not None)
        left = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return min(starts), left, problems


def _apply_profile(engine: Engine, files: dict[str, Path], employee_id: str, label: str,
                   dry_run: bool, limits: SourcesSettings) -> ImportReport:
    """Fill what the roster left empty from Positions.csv and Profile.csv."""
    report = ImportReport(file=label + "Positions.csv", kind="linkedin_profile",
                          format="linkedin_positions", employee_id=employee_id, dry_run=dry_run)
    own = _own_name(engine)
    if own is None:
        report.problems.append(Problem(None, None, "No organisation is imported, so the "
                                       "positions at our company are unknown; import "
                                       "organisation.toml first, then the zip again.", "warning"))
        return report
    current: dict[str, Any] = {}
    row = engine.fetchone("SELECT hired_on, left_on FROM employees WHERE employee_id = ?",
                          [employee_id])
    if row is None:
        report.problems.append(Problem(None, None, f"{employee_id} is not in the roster; the "
                                       "employment dates were not stored. Import the roster "
                                       "first.", "warning"))
        return report
    current["hired_on"], current["left_on"] = row
    updates: dict[str, Any] = {}
    if "positions.csv" in files:
        table = read_table(files["positions.csv"], ["Company Name", "Started On"],
                           "LinkedIn Positions.csv", limits)
        hired, left, problems = employment_from_positions([r for _, r in table.rows], own)
        report.problems += [Problem(None, "Started On", p, "warning") for p in problems]
        report.rows = len(table.rows)
        for key, value in (("hired_on", hired), ("left_on", left)):
            if value is not None and current[key] is None:
                updates[key] = value
    report.counts = {k: 1 for k in updates}
    if updates and not dry_run:
        sets = ", ".join(f"{k} = ?" for k in updates)  # keys are the two column names above
        engine.execute(f"UPDATE employees SET {sets} WHERE employee_id = ?",
                       [*updates.values(), employee_id])
    if "profile.csv" in files:
        _apply_headline(engine, files["profile.csv"], employee_id, own, report, dry_run, limits)
    return report


def _apply_headline(engine: Engine, path: Path, employee_id: str, own: str,
                    report: ImportReport, dry_run: bool, limits: SourcesSettings) -> None:
    """profiles.shows_company from the own headline, unless the roster set a profile."""
    table = read_table(path, ["First Name", "Headline"], "LinkedIn Profile.csv", limits)
    if not table.rows:
        return
    shows = names_us(table.rows[0][1].get("Headline"), own)
    known = engine.scalar("SELECT count(*) FROM profiles WHERE employee_id = ? AND "
                          "network = 'linkedin'", [employee_id])
    if known:
        return
    report.counts["shows_company"] = int(shows)
    if not dry_run:
        engine.execute("INSERT INTO profiles (employee_id, network, profile_url, shows_company) "
                       "VALUES (?, 'linkedin', NULL, ?)", [employee_id, shows])

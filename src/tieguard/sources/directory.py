"""Importing a directory of exports described by ``manifest.json`` (docs/inputs.md)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import tomllib
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import InputError, TieguardError, WarehouseError
from ..settings import SourcesSettings
from .connections import ConnectionsJob, import_connections_batch
from .crm import import_crm
from .invitations import import_invitations
from .organisation import import_organisation
from .report import ImportReport
from .roster import import_roster
from .safe_io import MB, read_input_bytes
from .vcard import import_vcards

__all__ = ["import_directory", "manifest_import_basis"]

log = logging.getLogger(__name__)
ProgressCallback = Callable[[str, int, int], None]


def _manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    if not path.exists():
        raise InputError(f"{directory} has no manifest.json listing its exports "
                         "(see docs/inputs.md). Import the files one by one instead.")
    try:
        data = json.loads(read_input_bytes(path, 64 * MB).decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON ({exc}). Fix the manifest.") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path} must hold a JSON object (see docs/inputs.md).")
    return data


def _date(value: Any, where: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError as exc:
        raise InputError(f"{where}: exported_on {value!r} is not an ISO date like "
                         "2026-11-01. Fix the manifest.") from exc


def _entries(manifest: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    """The manifest's list ``key`` of {employee, path} entries, checked."""
    entries = manifest.get(key, [])
    bad = not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("employee"), str)
        and isinstance(e.get("path"), str) for e in entries)
    if bad:
        raise InputError(f"{path}: '{key}' must be a list of objects with 'employee' and "
                         "'path' strings (see docs/inputs.md). Fix the manifest.")
    return list(entries)


def _guarded(report_file: str, kind: str, call: Callable[[], ImportReport], *,
             strict: bool = False) -> ImportReport:
    """``call``'s report, or one with the error (``strict``: a warehouse error raises)."""
    try:
        return call()
    except TieguardError as exc:
        if strict and isinstance(exc, WarehouseError):
            raise
        return ImportReport(file=report_file, kind=kind, error=str(exc))


def manifest_import_basis(directory: str | Path) -> str | None:
    """``import_basis`` of the organisation file the manifest names, if it sets one."""
    try:
        manifest = _manifest(Path(directory))
        name = manifest.get("organisation")
        if not name:
            return None
        data = read_input_bytes(Path(directory) / str(name), MB)
        org = tomllib.loads(data.decode("utf-8")).get("organisation")
    except (TieguardError, OSError, ValueError):
        return None  # the import itself reports what is wrong with the files
    value = org.get("import_basis") if isinstance(org, dict) else None
    return str(value) if value else None


def import_directory(
    engine: Engine, directory: str | Path, on_progress: ProgressCallback | None = None, *,
    basis: str, supplied_by: str | None = None, dry_run: bool = False,
    limits: SourcesSettings | None = None, accept_removals: bool = False,
) -> list[ImportReport]:
    """Import every export listed in ``directory/manifest.json``, in manifest order.

    ``basis``: the legal basis recorded for the employees' networks (connections,
    invitations, vCards); the roster and CRM keep their own (contract, legitimate interest).
    A file that cannot be read gives a report with ``error`` and does not stop the rest.
    """
    directory = Path(directory)
    manifest = _manifest(directory)
    where = directory / "manifest.json"
    opts: dict[str, Any] = {"supplied_by": supplied_by, "dry_run": dry_run, "limits": limits}
    jobs = [ConnectionsJob(directory / e["path"], e["employee"],
                           _date(e.get("exported_on"), f"{where} ({e['path']})"),
                           e.get("network", "linkedin"))
            for e in _entries(manifest, "linkedin", where)]
    invitations = _entries(manifest, "invitations", where)
    vcards = _entries(manifest, "vcards", where)
    reports: list[ImportReport] = []
    if manifest.get("organisation"):
        path = directory / str(manifest["organisation"])
        reports.append(_guarded(str(path), "organisation", lambda: import_organisation(
            engine, path, supplied_by=supplied_by, dry_run=dry_run)))
    for name in manifest.get("roster", []):
        path = directory / str(name)
        reports.append(_guarded(str(path), "roster",
                                lambda p=path: import_roster(engine, p, **opts)))  # type: ignore[misc]
    crm = manifest.get("crm")
    if isinstance(crm, dict) and crm.get("dir"):
        crm_dir = directory / str(crm["dir"])
        mapping = directory / crm["mapping"] if crm.get("mapping") else None
        reports.append(_guarded(str(crm_dir), "crm", lambda: import_crm(
            engine, crm_dir, crm.get("format", "salesforce"), mapping=mapping, **opts)))
    personal = {**opts, "basis": basis}
    reports += import_connections_batch(engine, jobs, on_progress=on_progress,
                                        accept_removals=accept_removals, **personal)
    small = len(invitations) + len(vcards)
    # the small files in one transaction (a commit per file cost most of their time); a
    # file that cannot be read is reported and skipped, a warehouse error ends the batch
    with nullcontext() if dry_run else engine.transaction():
        for done, entry in enumerate(invitations, 1):
            path = directory / entry["path"]
            reports.append(_guarded(str(path), "invitations", lambda p=path, e=entry: (  # type: ignore[misc]
                import_invitations(engine, p, e["employee"], **personal)), strict=True))
            if on_progress:
                on_progress("Importing invitations and vCards", done, small)
        reports += import_vcards(engine, [(directory / e["path"], e["employee"]) for e in vcards],
                                 **personal)
    if on_progress and vcards:
        on_progress("Importing invitations and vCards", small, small)
    return reports

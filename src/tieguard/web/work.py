"""What each background job does, through the library's public functions only, and the
uploads that queue them (stored under a fresh folder, audited)."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from fastapi import HTTPException, UploadFile

from .. import privacy
from ..errors import InputError
from ..i18n import N_
from ..pipeline import run_scan
from ..session import Session
from ..sources import import_connections, import_crm, import_roster
from ..sources.report import ImportReport
from .auth import Principal, new_token
from .jobs import JobWork
from .state import WebState
from .summary import Summary

__all__ = ["linkedin_work", "crm_work", "roster_work", "scan_work", "erase_work",
           "connections_file", "unpack_zip", "save_upload", "submit_crm_upload",
           "submit_roster_upload"]

Progress = Callable[[str, int, int], None]
MAX_UNPACKED = 200 * 1024 * 1024


async def save_upload(upload: UploadFile, target_dir: Path, max_mb: int) -> Path:
    """Stream an upload into ``target_dir`` under a safe name; 413 when it is too large."""
    target_dir.mkdir(parents=True, exist_ok=True)
    name = Path(upload.filename or "upload.csv").name
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "upload.csv"
    path = target_dir / safe
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > max_mb << 20:
                out.close()
                shutil.rmtree(target_dir, ignore_errors=True)
                raise HTTPException(413, f"{name} is larger than {max_mb} MB; upload only the "
                                    "Connections.csv or raise max upload size in the settings.")
            out.write(chunk)
    return path


def unpack_zip(archive: Path, target: Path) -> list[Path]:
    """The CSV files of ``archive`` extracted flat into ``target`` (no paths from the zip)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()
                       and m.filename.lower().endswith((".csv", ".vcf"))]
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise InputError(f"{archive.name} unpacks to more than 200 MB of CSV; upload "
                                 "only the Connections.csv file instead.")
            out = []
            for m in members:
                path = target / Path(m.filename).name
                path.write_bytes(zf.read(m))
                out.append(path)
            return out
    except zipfile.BadZipFile as exc:
        raise InputError(f"{archive.name} is not a readable zip file ({exc}). Upload the zip "
                         "LinkedIn sent you, or its Connections.csv.") from exc


def connections_file(upload: Path) -> Path:
    """The Connections.csv inside an uploaded LinkedIn export zip, or the CSV itself."""
    if upload.suffix.lower() != ".zip":
        return upload
    files = unpack_zip(upload, upload.parent)
    for path in files:
        if path.name.lower() == "connections.csv":
            return path
    raise InputError(f"{upload.name} holds no Connections.csv. In LinkedIn choose Settings > "
                     "Data privacy > Get a copy of your data > Connections, and upload that zip.")


def _sentence(report: ImportReport) -> Summary:
    name = Path(report.file).name
    if report.error:
        raise InputError(f"{name} was refused: {report.error}")
    if report.already_imported:
        return Summary.of(N_("%(file)s was imported before; nothing changed."), file=name)
    if report.quarantined:
        return Summary.of(N_("Imported %(file)s: %(rows)s rows, %(ties)s connections, "
                             "%(quarantined)s rows quarantined."), file=name, rows=report.rows,
                          ties=report.ties, quarantined=report.quarantined)
    return Summary.of(N_("Imported %(file)s: %(rows)s rows, %(ties)s connections."),
                      file=name, rows=report.rows, ties=report.ties)


def linkedin_work(upload: Path, employee_id: str, supplied_by: str, basis: str,
                  scan_after: Callable[[], bool] = lambda: False) -> JobWork:
    """Import an employee's export; then scan when ``scan_after()`` says so (the web app: unless
    another upload is waiting, whose job scans instead), so the employee sees their figures."""
    def work(session: Session, progress: Progress) -> Summary:
        progress("reading the export", 0, 3)
        path = connections_file(upload)
        progress("importing connections", 1, 3)
        report = import_connections(session.engine, path, employee_id,
                                    supplied_by=supplied_by, basis=basis)
        sentence = _sentence(report)
        if not report.already_imported and scan_after():
            progress("scanning", 2, 3)
            run_scan(session.engine, session.settings, progress)
            sentence += Summary.of(N_("Your figures were recomputed with it."))
        return sentence
    return work


def crm_work(upload_dir: Path, fmt: str, supplied_by: str) -> JobWork:
    def work(session: Session, progress: Progress) -> Summary:
        for archive in list(upload_dir.glob("*.zip")):
            unpack_zip(archive, upload_dir)
        progress("importing the CRM", 0, 1)
        return _sentence(import_crm(session.engine, upload_dir, fmt, supplied_by=supplied_by))
    return work


async def submit_crm_upload(state: WebState, who: Principal, files: list[UploadFile],
                            crm_format: str) -> int:
    """Store the uploaded CRM export files (zips unpacked by the job) and queue their import;
    audited; returns the job id (the page and the API route both call this)."""
    folder = state.uploads / new_token()
    for upload in files:
        await save_upload(upload, folder, state.web.max_upload_mb)
    return state.submit_job(who, "import-crm", crm_work(folder, crm_format, who.username),
                            action="upload-crm", target=crm_format, cleanup=folder)


async def submit_roster_upload(state: WebState, who: Principal, roster: UploadFile) -> int:
    """Store the uploaded roster and queue its import; audited; returns the job id."""
    folder = state.uploads / new_token()
    path = await save_upload(roster, folder, state.web.max_upload_mb)
    return state.submit_job(who, "import-roster", roster_work(path, who.username),
                            action="upload-roster", cleanup=folder)


def roster_work(upload: Path, supplied_by: str) -> JobWork:
    def work(session: Session, progress: Progress) -> Summary:
        progress("importing the roster", 0, 1)
        return _sentence(import_roster(session.engine, upload, supplied_by=supplied_by))
    return work


def scan_work() -> JobWork:
    def work(session: Session, progress: Progress) -> Summary:
        result = run_scan(session.engine, session.settings, progress)
        seconds = sum(r.seconds for r in result.stages)
        return Summary.of(N_("Scan finished: %(stages)s stages in %(seconds)s s."),
                          stages=len(result.stages), seconds=f"{seconds:.1f}")
    return work


def erase_work(employee_id: str, requested_by: str) -> JobWork:
    def work(session: Session, progress: Progress) -> Summary:
        progress("erasing", 0, 1)
        result = privacy.erase_employee(session.engine, employee_id, requested_by)
        return Summary.of(N_("Erased %(ties)s connections and %(people)s people nobody else is "
                             "connected to."), ties=result.ties_erased,
                          people=result.people_erased)
    return work

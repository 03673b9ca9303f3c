"""What the pages and the API show, read from the warehouse through the report builders
(the dashboard is in :mod:`tieguard.web.dashboard`)."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import HTTPException, UploadFile

from ..employees import employee_exists
from ..report.employee import employee_context
from ..session import Session
from ..warehouse import stage_ran
from .auth import Principal, new_token
from .state import WebState
from .work import linkedin_work

__all__ = ["personal_report", "save_upload", "submit_own_export", "jsonable", "CONSENT_BASIS"]

CONSENT_BASIS = ("consent: I upload my own export so that I see what a competitor can read "
                 "from my profile; I can erase it at any time.")


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):  # DuckDB's sum() of integers: keep it a number
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def personal_report(warehouse: Session, employee_id: str) -> dict[str, Any]:
    """One employee's personal report (the same content as ``tieguard report --employee``);
    before the first scan only whether tieguard holds their data."""
    engine = warehouse.engine
    if not employee_exists(engine, employee_id):
        raise HTTPException(404, f"No employee {employee_id!r} is in the roster yet. Ask an "
                            "administrator to import the roster.")
    holds = bool(engine.scalar("SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]))
    if not stage_ran(engine, "watch"):
        return {"scan_ran": False, "holds_data": holds, "person": {"employee_id": employee_id},
                "status": None, "advice": [], "tables": [], "actions": []}
    context = employee_context(engine, warehouse.settings, employee_id)
    return context | {"scan_ran": True, "holds_data": holds}


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


async def submit_own_export(state: WebState, who: Principal, export: UploadFile) -> int:
    """Store an employee's own export and queue its import (then a scan); returns the job id."""
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    folder = state.uploads / new_token()
    path = await save_upload(export, folder, state.web.max_upload_mb)

    def scan_after() -> bool:  # one scan for a burst of uploads: the last one's job runs it
        return state.web.scan_after_upload and not state.jobs.waiting("import-linkedin")
    job = state.jobs.submit(who.user_id, "import-linkedin",
                            linkedin_work(path, who.employee_id, who.username, CONSENT_BASIS,
                                          scan_after), cleanup=folder)
    state.audit(who, "upload-own-export", who.employee_id, f"job {job}; basis consent")
    return job

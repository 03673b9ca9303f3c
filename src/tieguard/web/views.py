"""What the pages and the API show, read from the warehouse through the report builders
(the dashboard is in :mod:`tieguard.web.dashboard`, personal reports in
:mod:`tieguard.web.personal`)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from fastapi import HTTPException, UploadFile

from .auth import Principal, new_token
from .state import WebState
from .work import linkedin_work, save_upload

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


def personal_report(state: WebState, employee_id: str, *,
                    with_actions: bool = False) -> dict[str, Any]:
    """One employee's personal report (the same content as ``tieguard report --employee``),
    kept until the warehouse changes; ``with_actions``: the measured actions included."""
    return state.personal.report(state.warehouse, employee_id, with_actions=with_actions)


async def submit_own_export(state: WebState, who: Principal, export: UploadFile) -> int:
    """Store an employee's own export and queue its import (then a scan); returns the job id."""
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    folder = state.uploads / new_token()
    path = await save_upload(export, folder, state.web.max_upload_mb)

    def scan_after() -> bool:  # one scan for a burst of uploads: the last one's job runs it
        return state.web.scan_after_upload and not state.jobs.waiting("import-linkedin")
    return state.submit_job(who, "import-linkedin",
                            linkedin_work(path, who.employee_id, who.username, CONSENT_BASIS,
                                          scan_after),
                            action="upload-own-export", target=who.employee_id,
                            detail="basis consent", cleanup=folder)

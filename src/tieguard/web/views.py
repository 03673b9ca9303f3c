"""What the pages and the API show, read from the warehouse through the report builders."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from fastapi import HTTPException, UploadFile

from ..employees import employee_exists
from ..report.data import has_rows, records, teams_params, teams_sql
from ..report.employee import employee_context
from ..report.headline import headline_data
from ..session import Session

__all__ = ["personal_report", "dashboard", "teams", "save_upload", "jsonable"]


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def personal_report(warehouse: Session, employee_id: str) -> dict[str, Any]:
    """One employee's personal report (the same content as ``tieguard report --employee``)."""
    if not employee_exists(warehouse.engine, employee_id):
        raise HTTPException(404, f"No employee {employee_id!r} is in the roster yet. Ask an "
                            "administrator to import the roster.")
    context = employee_context(warehouse.engine, warehouse.settings, employee_id)
    context["holds_data"] = bool(warehouse.engine.scalar(
        "SELECT count(*) FROM ties WHERE employee_id = ?", [employee_id]))
    return context


def dashboard(warehouse: Session) -> dict[str, Any]:
    """Organisation-wide figures only: headline, what-ifs and k-anonymous teams."""
    engine = warehouse.engine
    if not has_rows(engine, "exposure_headline"):
        return {"scan_ran": False, "teams": []}
    data = headline_data(engine, warehouse.settings)
    return {"scan_ran": True, "sentence": data["sentence"], "cost_sentence": data["cost_sentence"],
            "metrics": data["metrics"], "whatif": data["whatif"], "teams": teams(warehouse)}


def teams(warehouse: Session) -> list[dict[str, Any]]:
    """Teams with at least the minimum group size; smaller ones merged (or withheld)."""
    if not has_rows(warehouse.engine, "exposure_teams"):
        return []
    sql = f"SELECT * FROM ({teams_sql()}) WHERE scenario = 'baseline' ORDER BY exposed_value DESC"
    return records(warehouse.engine, sql, teams_params())  # type: ignore[arg-type]


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

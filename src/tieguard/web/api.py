"""REST API under /api/v1: token (or session) authentication, the same role rules as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel
from sqlalchemy import select

from ..employees import Employee
from .accounts import (
    count_rows,
    create_token,
    create_user,
    job_json,
    list_audit,
    list_jobs,
    list_tokens,
    revoke_token,
)
from .auth import Principal
from .deps import ADMINS, ANYONE, AUDITORS, EMPLOYEE, LEADERSHIP, STAFF, api, state_of
from .store import Job, User
from .views import CONSENT_BASIS, jsonable, personal_report, submit_own_export
from .work import erase_work, scan_work, submit_crm_upload, submit_roster_upload

router = APIRouter(prefix="/api/v1")
Page = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=500)]


class NewToken(BaseModel):
    name: str


class NewUser(BaseModel):
    username: str
    password: str
    role: str
    email: str | None = None
    employee_id: str | None = None


def _page(items: list[Any], offset: int, limit: int, total: int) -> dict[str, Any]:
    return {"items": items, "offset": offset, "limit": limit, "total": total}


@router.get("/me")
def me(who: Principal = Depends(api(*ANYONE))) -> dict[str, Any]:
    return {"username": who.username, "role": who.role, "employee_id": who.employee_id}


@router.get("/me/report")
def me_report(request: Request, who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, Any]:
    state = state_of(request)
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    state.audit(who, "view-own-report", who.employee_id)
    return jsonable(personal_report(state, who.employee_id,  # type: ignore[no-any-return]
                                    with_actions=True))


@router.post("/me/exports", status_code=202)
async def me_upload(request: Request, export: Annotated[UploadFile, File()],
                    consent: Annotated[str, Form()] = "",
                    who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, Any]:
    if consent != "yes":
        raise HTTPException(400, f"Send consent=yes to agree to this basis: {CONSENT_BASIS}")
    job = await submit_own_export(state_of(request), who, export)
    return {"job": job, "basis": CONSENT_BASIS}


@router.delete("/me/data", status_code=202)
def me_erase(request: Request, who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, Any]:
    state = state_of(request)
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    return {"job": state.submit_job(who, "erase", erase_work(who.employee_id, who.username),
                                    action="erase-own-data", target=who.employee_id)}


@router.get("/dashboard")
def get_dashboard(request: Request, who: Principal = Depends(api(*LEADERSHIP))) -> dict[str, Any]:
    state = state_of(request)
    state.audit(who, "view-dashboard")
    data = state.dashboard.get(state.warehouse)
    return {"scan_ran": data.scan_ran, **jsonable(data.headline), "teams": jsonable(data.teams)}


@router.get("/teams")
def get_teams(request: Request, offset: Page = 0, limit: Limit = 50,
              who: Principal = Depends(api(*LEADERSHIP))) -> dict[str, Any]:
    state = state_of(request)
    rows = state.dashboard.get(state.warehouse).teams
    return _page(jsonable(rows[offset:offset + limit]), offset, limit, len(rows))


@router.get("/employees")
def get_employees(request: Request, offset: Page = 0, limit: Limit = 50,
                  who: Principal = Depends(api(*STAFF))) -> dict[str, Any]:
    with state_of(request).warehouse.engine.reading() as engine:
        total = int(engine.scalar("SELECT count(*) FROM employees") or 0)
        rows = engine.fetchall("SELECT employee_id, full_name, email, team, job_role, country, "
                               "hired_on, left_on FROM employees ORDER BY employee_id "
                               "LIMIT ? OFFSET ?", [limit, offset])
    state_of(request).audit(who, "list-employees", "", f"offset {offset}")
    return _page([jsonable(Employee(*r)) for r in rows], offset, limit, total)


@router.get("/employees/{employee_id}/report")
def employee_report(request: Request, employee_id: str,
                    who: Principal = Depends(api(*STAFF))) -> dict[str, Any]:
    state = state_of(request)
    state.audit(who, "view-employee-report", employee_id)
    return jsonable(personal_report(state, employee_id,  # type: ignore[no-any-return]
                                    with_actions=True))


@router.post("/imports/crm", status_code=202)
async def import_crm(request: Request, files: Annotated[list[UploadFile], File()],
                     crm_format: Annotated[str, Form()] = "salesforce",
                     who: Principal = Depends(api(*STAFF))) -> dict[str, Any]:
    return {"job": await submit_crm_upload(state_of(request), who, files, crm_format)}


@router.post("/imports/roster", status_code=202)
async def import_roster(request: Request, roster: Annotated[UploadFile, File()],
                        who: Principal = Depends(api(*STAFF))) -> dict[str, Any]:
    return {"job": await submit_roster_upload(state_of(request), who, roster)}


@router.post("/scans", status_code=202)
def start_scan(request: Request, who: Principal = Depends(api(*STAFF))) -> dict[str, Any]:
    return {"job": state_of(request).submit_job(who, "scan", scan_work(), action="run-scan")}


@router.get("/jobs")
def get_jobs(request: Request, offset: Page = 0, limit: Limit = 50,
             who: Principal = Depends(api(*ANYONE))) -> dict[str, Any]:
    state = state_of(request)
    return _page(list_jobs(state, who, offset, limit), offset, limit,
                 count_rows(state, who, "jobs"))


@router.get("/jobs/{job_id}")
def get_job(request: Request, job_id: int,
            who: Principal = Depends(api(*ANYONE))) -> dict[str, Any]:
    with state_of(request).app_db() as db:
        job = db.get(Job, job_id)
        if job is None or (job.user_id != who.user_id and who.role not in STAFF):
            raise HTTPException(404, "No such job of yours.")
        return job_json(job)


@router.get("/audit")
def get_audit(request: Request, offset: Page = 0, limit: Limit = 100,
              who: Principal = Depends(api(*AUDITORS))) -> dict[str, Any]:
    state = state_of(request)
    state.audit(who, "view-audit-log")
    return _page(list_audit(state, offset, limit), offset, limit, count_rows(state, None, "audit"))


@router.get("/tokens")
def get_tokens(request: Request, who: Principal = Depends(api(*ANYONE))) -> list[dict[str, Any]]:
    return list_tokens(state_of(request), who)


@router.post("/tokens", status_code=201)
def post_token(request: Request, body: NewToken,
               who: Principal = Depends(api(*ANYONE))) -> dict[str, str]:
    return {"token": create_token(state_of(request), who, body.name)}


@router.delete("/tokens/{token_id}", status_code=204)
def delete_token(request: Request, token_id: int, who: Principal = Depends(api(*ANYONE))) -> None:
    revoke_token(state_of(request), who, token_id)


@router.get("/users")
def get_users(request: Request, offset: Page = 0, limit: Limit = 50,
              who: Principal = Depends(api(*ADMINS))) -> dict[str, Any]:
    with state_of(request).app_db() as db:
        rows = list(db.scalars(select(User).order_by(User.id).offset(offset).limit(limit)))
        total = len(list(db.scalars(select(User.id))))
        items = [{"id": u.id, "username": u.username, "role": u.role,
                  "employee_id": u.employee_id, "active": u.active} for u in rows]
    return _page(items, offset, limit, total)


@router.post("/users", status_code=201)
def post_user(request: Request, body: NewUser,
              who: Principal = Depends(api(*ADMINS))) -> dict[str, int]:
    return {"id": create_user(state_of(request), who, **body.model_dump())}

"""Server-rendered pages (Jinja, htmx). Every route names the roles it allows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from .. import privacy
from ..i18n import N_, normalise_language
from .accounts import (
    audit_csv,
    create_token,
    create_user,
    enable_totp,
    list_audit,
    list_jobs,
    list_tokens,
    revoke_token,
    sign_in,
)
from .auth import SESSION_COOKIE, Principal, end_session, new_token, token_hash
from .dashboard import PLOTLY_URL
from .deps import ADMINS, ANYONE, AUDITORS, EMPLOYEE, LEADERSHIP, STAFF, page, state_of
from .i18n import LANG_COOKIE, install_translations
from .store import Job, SetupToken, User
from .summary import Summary
from .views import CONSENT_BASIS, personal_report, submit_own_export
from .work import erase_work, scan_work, submit_crm_upload, submit_roster_upload

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
install_translations(templates)
templates.env.globals["plotly_url"] = PLOTLY_URL


def render(request: Request, name: str, who: Principal | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"who": who, **context}, status_code=status)


@router.get("/")
def home(request: Request, who: Principal = Depends(page(*ANYONE))) -> RedirectResponse:
    target = {"employee": "/me", "auditor": "/audit", "manager": "/dashboard"}.get(who.role,
                                                                                 "/admin")
    return RedirectResponse(target, 303)


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html", None)


@router.post("/login")
def login(request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()],
          code: Annotated[str, Form()] = "") -> Response:
    state = state_of(request)
    client = request.client.host if request.client else "-"
    cookie, message = sign_in(state, username, password, code, client)
    if cookie is None:
        return render(request, "login.html", None, 401 if "wait" not in message else 429,
                      error=message)
    response = RedirectResponse("/", 303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=state.secure_cookies, max_age=int(state.web.session_hours * 3600))
    return response


@router.post("/language")
def choose_language_page(request: Request, language: Annotated[str, Form()],
                         back: Annotated[str, Form()] = "/") -> RedirectResponse:
    """Keep the chosen language in this browser (an unknown code keeps the browser's)."""
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    response = RedirectResponse(target, 303)
    if normalise_language(language):
        response.set_cookie(LANG_COOKIE, str(normalise_language(language)), samesite="strict",
                            max_age=365 * 24 * 3600, httponly=True,
                            secure=state_of(request).secure_cookies)
    else:
        response.delete_cookie(LANG_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, who: Principal = Depends(page(*ANYONE))) -> RedirectResponse:
    state = state_of(request)
    with state.app_db() as db:
        end_session(db, request.cookies.get(SESSION_COOKIE))
    state.audit(who, "sign-out")
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _setup_token(request: Request, token: str) -> SetupToken:
    with state_of(request).app_db() as db:
        row = db.get(SetupToken, token_hash(token))
        if row is None or row.used or db.scalars(select(User)).first() is not None:
            raise HTTPException(404, "This set-up link is not valid (any more). Restart "
                                "tieguard serve with no users to get a new one.")
        return row


@router.get("/setup")
def setup_form(request: Request, token: str = "") -> HTMLResponse:
    _setup_token(request, token)
    return render(request, "setup.html", None, token=token, csrf=new_token())


@router.post("/setup")
def setup(request: Request, token: Annotated[str, Form()], username: Annotated[str, Form()],
          password: Annotated[str, Form()]) -> RedirectResponse:
    state = state_of(request)
    row = _setup_token(request, token)
    create_user(state, None, username=username, password=password, role="admin")
    with state.app_db() as db:
        stored = db.get(SetupToken, row.token_hash)
        if stored is not None:
            stored.used = True
            db.commit()
    return RedirectResponse("/login", 303)


@router.get("/me")
def me(request: Request, who: Principal = Depends(page(*EMPLOYEE))) -> HTMLResponse:
    state = state_of(request)
    report = personal_report(state, who.employee_id) if who.employee_id else None
    state.audit(who, "view-own-report", who.employee_id or "")
    return render(request, "me.html", who, report=report, basis=CONSENT_BASIS,
                  jobs=list_jobs(state, who, 0, 5, for_page=True), actions_url="/me/actions")


@router.get("/me/actions")
def me_actions(request: Request, who: Principal = Depends(page(*EMPLOYEE))) -> HTMLResponse:
    """The measured actions of the personal report, loaded by the page once it shows."""
    state = state_of(request)
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    state.audit(who, "view-own-actions", who.employee_id)
    return render(request, "_actions.html", who,
                  actions=state.personal.actions(state.warehouse, who.employee_id))


@router.post("/me/upload")
async def me_upload(request: Request, export: Annotated[UploadFile, File()],
                    consent: Annotated[str, Form()] = "",
                    who: Principal = Depends(page(*EMPLOYEE))) -> Response:
    if consent != "yes":
        raise HTTPException(400, "Tick the consent box: your export is imported only with it.")
    job = await submit_own_export(state_of(request), who, export)
    return _job_redirect(request, job, "/me")


@router.post("/me/erase")
def me_erase(request: Request, confirm: Annotated[str, Form()] = "",
             who: Principal = Depends(page(*EMPLOYEE))) -> Response:
    state = state_of(request)
    if confirm != "erase" or not who.employee_id:
        raise HTTPException(400, "Type 'erase' to confirm; nothing was erased.")
    job = state.submit_job(who, "erase", erase_work(who.employee_id, who.username),
                           action="erase-own-data", target=who.employee_id)
    return _job_redirect(request, job, "/me")


@router.post("/me/private")
def me_private(request: Request, contact_id: Annotated[str, Form()],
               who: Principal = Depends(page(*EMPLOYEE))) -> Response:
    state = state_of(request)
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    employee_id = who.employee_id

    def work(session: Any, progress: Any) -> Summary:
        privacy.mark_private(session.engine, employee_id, contact_id)
        return Summary.of(N_("The contact is private to you from the next scan on."))
    job = state.submit_job(who, "mark-private", work, target=employee_id)
    return _job_redirect(request, job, "/me")


def _job_redirect(request: Request, job: int, back: str) -> Response:
    if request.headers.get("hx-request"):
        return job_fragment(request, job, principal_of_job=True)
    return RedirectResponse(f"{back}?job={job}", 303)


def job_fragment(request: Request, job_id: int, principal_of_job: bool = False) -> HTMLResponse:
    with state_of(request).app_db() as db:
        job = db.get(Job, job_id)
    return render(request, "job.html", None, job=job)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int,
             who: Principal = Depends(page(*ANYONE))) -> HTMLResponse:
    with state_of(request).app_db() as db:
        job = db.get(Job, job_id)
    if job is None or (job.user_id != who.user_id and who.role not in STAFF):
        raise HTTPException(404, "No such job of yours.")
    return render(request, "job.html", who, job=job)


@router.get("/dashboard")
async def dashboard_page(request: Request,
                         who: Principal = Depends(page(*LEADERSHIP))) -> HTMLResponse:
    """Async: the kept page answers on the event loop without a worker thread; building it
    (after a job) runs in a thread, so the loop keeps serving meanwhile."""
    state = state_of(request)
    state.audit(who, "view-dashboard")
    k = state.warehouse.settings.privacy.k_anonymity
    kept = state.dashboard.peek_page()
    if kept is None:
        kept = await run_in_threadpool(
            state.dashboard.page, state.warehouse,
            lambda data: templates.get_template("_dashboard_body.html").render(data=data, k=k))
    data, body = kept
    return render(request, "dashboard.html", who, data=data, body=body)


@router.get("/admin")
def admin_page(request: Request, who: Principal = Depends(page(*STAFF))) -> HTMLResponse:
    state = state_of(request)
    with state.app_db() as db:
        users = list(db.scalars(select(User).order_by(User.username)))
    return render(request, "admin.html", who, users=users, jobs=list_jobs(state, who, 0, 10, for_page=True))


@router.post("/admin/crm")
async def admin_crm(request: Request, files: Annotated[list[UploadFile], File()],
                    crm_format: Annotated[str, Form()] = "salesforce",
                    who: Principal = Depends(page(*STAFF))) -> Response:
    job = await submit_crm_upload(state_of(request), who, files, crm_format)
    return _job_redirect(request, job, "/admin")


@router.post("/admin/roster")
async def admin_roster(request: Request, roster: Annotated[UploadFile, File()],
                       who: Principal = Depends(page(*STAFF))) -> Response:
    job = await submit_roster_upload(state_of(request), who, roster)
    return _job_redirect(request, job, "/admin")


@router.post("/admin/scan")
def admin_scan(request: Request, who: Principal = Depends(page(*STAFF))) -> Response:
    job = state_of(request).submit_job(who, "scan", scan_work(), action="run-scan")
    return _job_redirect(request, job, "/admin")


@router.post("/admin/users")
def admin_users(request: Request, username: Annotated[str, Form()],
                password: Annotated[str, Form()], role: Annotated[str, Form()],
                email: Annotated[str, Form()] = "", employee_id: Annotated[str, Form()] = "",
                who: Principal = Depends(page(*ADMINS))) -> RedirectResponse:
    create_user(state_of(request), who, username=username, password=password, role=role,
                email=email or None, employee_id=employee_id or None)
    return RedirectResponse("/admin", 303)


@router.get("/employees/{employee_id}")
def employee_page(request: Request, employee_id: str,
                  who: Principal = Depends(page(*STAFF))) -> HTMLResponse:
    state = state_of(request)
    report = personal_report(state, employee_id)
    state.audit(who, "view-employee-report", employee_id)
    return render(request, "me.html", who, report=report, basis=None, jobs=[], staff_view=True,
                  actions_url=f"/employees/{quote(employee_id, safe='')}/actions")


@router.get("/employees/{employee_id}/actions")
def employee_actions_page(request: Request, employee_id: str,
                          who: Principal = Depends(page(*STAFF))) -> HTMLResponse:
    state = state_of(request)
    actions = state.personal.actions(state.warehouse, employee_id)
    state.audit(who, "view-employee-actions", employee_id)
    return render(request, "_actions.html", who, actions=actions)


@router.get("/audit")
def audit_page(request: Request, offset: int = 0,
               who: Principal = Depends(page(*AUDITORS))) -> HTMLResponse:
    state = state_of(request)
    events = list_audit(state, offset, 100)
    state.audit(who, "view-audit-log")
    return render(request, "audit.html", who, events=events, offset=offset)


@router.get("/audit.csv")
def audit_export(request: Request, who: Principal = Depends(page(*AUDITORS))) -> Response:
    state = state_of(request)
    state.audit(who, "export-audit-log")
    return Response(audit_csv(state), media_type="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})


@router.get("/account")
def account_page(request: Request, who: Principal = Depends(page(*ANYONE))) -> HTMLResponse:
    return render(request, "account.html", who, tokens=list_tokens(state_of(request), who))


@router.post("/account/tokens")
def account_new_token(request: Request, name: Annotated[str, Form()],
                      who: Principal = Depends(page(*ANYONE))) -> HTMLResponse:
    state = state_of(request)
    token = create_token(state, who, name)
    return render(request, "account.html", who, tokens=list_tokens(state, who), new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def account_revoke(request: Request, token_id: int,
                   who: Principal = Depends(page(*ANYONE))) -> RedirectResponse:
    revoke_token(state_of(request), who, token_id)
    return RedirectResponse("/account", 303)


@router.post("/account/totp")
def account_totp(request: Request, secret: Annotated[str, Form()], code: Annotated[str, Form()],
                 who: Principal = Depends(page(*ANYONE))) -> RedirectResponse:
    enable_totp(state_of(request), who, secret, code)
    return RedirectResponse("/account", 303)

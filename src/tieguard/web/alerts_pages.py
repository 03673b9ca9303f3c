"""Alerts in the web app: an employee's own alerts (dismiss, snooze, reopen, e-mail
preferences) and, for administrators, the alert settings and their delivery state.

An employee only ever reaches alerts of their own roster id: another employee's alert id
answers 404 exactly like an unknown one. Changes run as jobs (one warehouse writer).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from .. import alerts
from ..i18n import N_
from ..session import Session
from .api import Limit, Page, _page
from .auth import Principal
from .deps import ADMINS, EMPLOYEE, api, page, state_of
from .pages import _job_redirect, render
from .state import WebState
from .summary import Summary

__all__ = ["router", "api_router"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1")
PAGE_SIZE = 50
ACTIONS = ("dismiss", "snooze", "reopen")
DIGESTS = ("", "immediate", "daily", "weekly")
_NOW = {"dismissed": N_("The alert is dismissed now."), "snoozed": N_("The alert is snoozed now."),
        "open": N_("The alert is open now.")}


class AlertAction(BaseModel):
    action: Literal["dismiss", "snooze", "reopen"]
    until: dt.date | None = None


class AlertPreferences(BaseModel):
    email_opt_out: bool | None = None
    digest: Literal["immediate", "daily", "weekly"] | None = None


def _employee(who: Principal) -> str:
    if not who.employee_id:
        raise HTTPException(409, "Your account is not linked to the roster; ask an administrator.")
    return who.employee_id


def own_alerts(state: WebState, who: Principal) -> tuple[list[alerts.Alert], alerts.Preferences]:
    """The employee's alerts and their preferences, from one snapshot."""
    with state.warehouse.engine.reading() as engine:
        return (alerts.list_alerts(engine, employee_id=_employee(who)),
                alerts.get_preferences(engine, _employee(who)))


def _check_own(state: WebState, who: Principal, alert_id: str) -> None:
    with state.warehouse.engine.reading() as engine:
        owner = engine.scalar(
            "SELECT employee_id FROM alerts WHERE alert_id = ? AND suppressed_because IS NULL",
            [alert_id])
    if owner is None or owner != _employee(who):
        raise HTTPException(404, "No such alert of yours. Open your alerts page and pick one "
                            "from the list.")


def submit_action(state: WebState, who: Principal, alert_id: str, action: str,
                  until: dt.date | None) -> int:
    """Dismiss, snooze (until a later day) or reopen one of the employee's own alerts, as a job."""
    if action not in ACTIONS:
        raise HTTPException(400, f"{action!r} is not an alert action; use dismiss, snooze or "
                            "reopen.")
    if action == "snooze" and (until is None or until <= dt.date.today()):
        raise HTTPException(400, "A snooze needs an end date after today; pick a later date.")
    _check_own(state, who, alert_id)

    def work(session: Session, progress: Any) -> Summary:
        if action == "dismiss":
            done = alerts.dismiss(session.engine, alert_id, who.username)
        elif action == "snooze" and until is not None:
            done = alerts.snooze(session.engine, alert_id, until, who.username)
        else:
            done = alerts.reopen(session.engine, alert_id, who.username)
        if done.status in _NOW:
            return Summary.of(_NOW[done.status])
        return Summary.of(N_("The alert is %(status)s now."), status=done.status)
    return state.submit_job(who, f"alert-{action}", work, target=alert_id[:12])


def submit_preferences(state: WebState, who: Principal, opt_out: bool | None,
                       digest: str | None) -> int:
    employee_id = _employee(who)
    if digest not in (None, *DIGESTS[1:]):
        raise HTTPException(400, f"Digest {digest!r} is not one of immediate, daily, weekly.")

    def work(session: Session, progress: Any) -> Summary:
        chosen = alerts.set_preferences(session.engine, employee_id, email_opt_out=opt_out,
                                        digest=digest)  # type: ignore[arg-type]
        mails = Summary.of(N_("Alert e-mails are off.") if chosen.email_opt_out
                           else N_("Alert e-mails are on."))
        if not chosen.digest:
            return mails + Summary.of(N_("The digest is as the organisation sets it."))
        return mails + Summary.of(N_("The digest is %(digest)s."), digest=chosen.digest)
    return state.submit_job(who, "alert-preferences", work, target=employee_id)


def submit_send(state: WebState, who: Principal) -> int:
    def work(session: Session, progress: Any) -> Summary:
        progress("sending alerts", 0, 1)
        result = alerts.send_pending(session.engine, session.settings)
        return Summary.of(N_("Sent %(sent)s messages; %(failed)s failed and stay in the outbox "
                             "for the next run."), sent=result.sent, failed=result.failed)
    return state.submit_job(who, "alerts-send", work)


def delivery(state: WebState) -> dict[str, Any]:
    settings = state.warehouse.settings.alerts
    return {"settings": {"enabled": settings.enabled, "min_score": settings.min_score,
                         "customer_years": settings.customer_years, "digest": settings.digest,
                         "smtp_host": settings.smtp_host, "smtp_port": settings.smtp_port,
                         "smtp_starttls": settings.smtp_starttls,
                         "webhook_format": settings.webhook_format},
            "channels": alerts.channels_configured(settings),
            "state": _delivery_state(state)}


def _delivery_state(state: WebState) -> dict[str, Any]:
    with state.warehouse.engine.reading() as engine:
        found: dict[str, Any] = alerts.delivery_state(engine).as_json()
        return found


@router.get("/me/alerts")
def alerts_page(request: Request, offset: Page = 0,
                who: Principal = Depends(page(*EMPLOYEE))) -> HTMLResponse:
    state = state_of(request)
    found, prefs = own_alerts(state, who)
    state.audit(who, "view-own-alerts", _employee(who))
    return render(request, "alerts.html", who, alerts=found[offset:offset + PAGE_SIZE],
                  total=len(found), offset=offset, limit=PAGE_SIZE, prefs=prefs,
                  tomorrow=dt.date.today() + dt.timedelta(days=1))


@router.post("/me/alerts/{alert_id}")
def alert_action(request: Request, alert_id: str, action: Annotated[str, Form()] = "",
                 until: Annotated[str, Form()] = "",
                 who: Principal = Depends(page(*EMPLOYEE))) -> Response:
    try:
        day = dt.date.fromisoformat(until) if until else None
    except ValueError:
        raise HTTPException(400, f"{until!r} is not a date; pick one in the date field.") from None
    job = submit_action(state_of(request), who, alert_id, action, day)
    return _job_redirect(request, job, "/me/alerts")


@router.post("/me/alert-preferences")
def alert_preferences(request: Request, email: Annotated[str, Form()] = "on",
                      digest: Annotated[str, Form()] = "",
                      who: Principal = Depends(page(*EMPLOYEE))) -> Response:
    job = submit_preferences(state_of(request), who, email == "off", digest or None)
    return _job_redirect(request, job, "/me/alerts")


@router.get("/admin/alerts")
def alerts_admin(request: Request, who: Principal = Depends(page(*ADMINS))) -> HTMLResponse:
    state = state_of(request)
    state.audit(who, "view-alert-delivery")
    return render(request, "alerts_admin.html", who, **delivery(state))


@router.post("/admin/alerts/send")
def alerts_send(request: Request, who: Principal = Depends(page(*ADMINS))) -> Response:
    return _job_redirect(request, submit_send(state_of(request), who), "/admin/alerts")


@api_router.get("/me/alerts")
def api_alerts(request: Request, offset: Page = 0, limit: Limit = 50,
               who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, Any]:
    state = state_of(request)
    found, _ = own_alerts(state, who)
    state.audit(who, "view-own-alerts", _employee(who))
    return _page([a.as_json() for a in found[offset:offset + limit]], offset, limit, len(found))


@api_router.post("/me/alerts/{alert_id}", status_code=202)
def api_alert_action(request: Request, alert_id: str, body: AlertAction,
                     who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, int]:
    return {"job": submit_action(state_of(request), who, alert_id, body.action, body.until)}


@api_router.get("/me/alert-preferences")
def api_get_preferences(request: Request,
                        who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, Any]:
    with state_of(request).warehouse.engine.reading() as engine:
        prefs = alerts.get_preferences(engine, _employee(who))
    return {"email_opt_out": prefs.email_opt_out, "digest": prefs.digest}


@api_router.put("/me/alert-preferences", status_code=202)
def api_put_preferences(request: Request, body: AlertPreferences,
                        who: Principal = Depends(api(*EMPLOYEE))) -> dict[str, int]:
    return {"job": submit_preferences(state_of(request), who, body.email_opt_out, body.digest)}


@api_router.get("/alerts/delivery")
def api_delivery(request: Request, who: Principal = Depends(api(*ADMINS))) -> dict[str, Any]:
    state = state_of(request)
    state.audit(who, "view-alert-delivery")
    return delivery(state)


@api_router.post("/alerts/send", status_code=202)
def api_send(request: Request, who: Principal = Depends(api(*ADMINS))) -> dict[str, int]:
    return {"job": submit_send(state_of(request), who)}

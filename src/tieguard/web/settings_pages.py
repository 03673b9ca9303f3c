"""Organisation settings (administrators): view and change the settings file the CLI reads,
validated by the one settings model; every change is audited by setting name (never values,
which may hold addresses or secrets). Pages and jobs use the new settings at once.

The organisation itself (our name, domain, country and the known competitors) is what
``tieguard import organisation organisation.toml`` stores in the warehouse: the page shows it
as that file and imports an edited one as a job, exactly as the CLI does."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

import tomlkit
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from ..engine import ReadEngine
from ..errors import ConfigError
from ..i18n import N_
from ..session import Session, settings_for
from ..sources import import_organisation
from .auth import Principal, new_token
from .deps import ADMINS, api, page, state_of
from .pages import _job_redirect, render
from .settings_file import (
    READ_ONLY_SECTIONS,
    changes_from_form,
    describe,
    save_changes,
    settings_json,
    settings_path,
    typed_changes,
)
from .state import WebState
from .summary import Summary

__all__ = ["router", "api_router", "change_settings", "organisation_toml", "submit_organisation"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1")


def _path(state: WebState) -> Path:
    return settings_path(state.config.db, state.config.config)


def change_settings(state: WebState, who: Principal, changes: dict[str, Any]) -> list[str]:
    """Validate and write ``changes`` (dotted key → value), then use the new settings; returns
    the changed keys. Invalid values: 400 with every problem as a sentence."""
    if not changes:
        return []
    overrides = {"warehouse.db": state.config.db, **state.config.settings_overrides()}
    try:
        save_changes(_path(state), state.warehouse.settings, changes, overrides)
    except ConfigError as exc:
        state.audit(who, "change-settings-refused", "", ", ".join(sorted(changes)))
        raise HTTPException(400, str(exc)) from exc
    state.use_settings(settings_for(state.config.db, _path(state), state.config.settings_overrides()))
    state.audit(who, "change-settings", "", "changed: " + ", ".join(sorted(changes)))
    return sorted(changes)


class OrganisationFile(BaseModel):
    toml: str


def organisation_toml(engine: ReadEngine) -> str:
    """The warehouse's organisation facts and competitors as an ``organisation.toml``."""
    doc = tomlkit.document()
    org = tomlkit.table()
    for key, value in engine.fetchall("SELECT key, value FROM organisation WHERE value IS NOT "
                                      "NULL AND starts_with(key, 'own_') ORDER BY key"):
        org[str(key).removeprefix("own_")] = str(value)
    doc["organisation"] = org
    competitors = tomlkit.aot()
    for name, domain in engine.fetchall("SELECT name, domain FROM competitors ORDER BY name"):
        row = tomlkit.table()
        row["name"] = str(name)
        if domain:
            row["domain"] = str(domain)
        competitors.append(row)
    if competitors:
        doc["competitors"] = competitors
    return tomlkit.dumps(doc)


def submit_organisation(state: WebState, who: Principal, text: str) -> int:
    """Check the file's form at once (TOML, an [organisation] name), then import it as a job."""
    try:
        org = tomllib.loads(text).get("organisation")
    except tomllib.TOMLDecodeError as exc:
        raise HTTPException(400, f"The organisation file is not valid TOML ({exc}); nothing "
                            "was imported.") from exc
    if not isinstance(org, dict) or not str(org.get("name") or "").strip():
        raise HTTPException(400, "The organisation file needs an [organisation] table with a "
                            "name, e.g. name = \"Your Company B.V.\"; nothing was imported.")
    folder = state.uploads / new_token()
    folder.mkdir(parents=True)
    path = folder / "organisation.toml"
    path.write_text(text, encoding="utf-8")

    def work(session: Session, progress: Any) -> Summary:
        report = import_organisation(session.engine, path, supplied_by=who.username)
        if report.already_imported:
            return Summary.of(N_("This organisation file was imported before; nothing changed."))
        return Summary.of(N_("Imported the organisation and %(competitors)s competitors; the "
                             "next scan uses them."),
                          competitors=report.counts.get("competitors", 0))
    return state.submit_job(who, "import-organisation", work, cleanup=folder)


def _page(request: Request, who: Principal, status: int = 200, **extra: Any) -> HTMLResponse:
    state = state_of(request)
    if "organisation" not in extra:
        with state.warehouse.engine.reading() as engine:
            extra["organisation"] = organisation_toml(engine)
    return render(request, "settings.html", who, status, groups=describe(state.warehouse.settings),
                  file=_path(state), read_only=READ_ONLY_SECTIONS, **extra)


@router.get("/admin/settings")
def settings_page(request: Request, who: Principal = Depends(page(*ADMINS))) -> HTMLResponse:
    state_of(request).audit(who, "view-settings")
    return _page(request, who, saved=request.query_params.get("saved", ""))


@router.post("/admin/settings")
async def settings_save(request: Request, who: Principal = Depends(page(*ADMINS))) -> Response:
    state = state_of(request)
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    changes = changes_from_form(state.warehouse.settings, form)
    try:
        changed = change_settings(state, who, changes)
    except HTTPException as exc:
        return _page(request, who, 400, error=exc.detail, entered=form)
    return _page(request, who, saved=", ".join(changed) or "-")


@router.post("/admin/organisation")
def organisation_save(request: Request, toml: Annotated[str, Form()],
                      who: Principal = Depends(page(*ADMINS))) -> Response:
    try:
        job = submit_organisation(state_of(request), who, toml)
    except HTTPException as exc:
        return _page(request, who, 400, organisation_error=exc.detail, organisation=toml)
    return _job_redirect(request, job, "/admin/settings")


@api_router.get("/organisation")
def api_organisation(request: Request,
                     who: Principal = Depends(api(*ADMINS))) -> dict[str, str]:
    with state_of(request).warehouse.engine.reading() as engine:
        return {"toml": organisation_toml(engine)}


@api_router.put("/organisation", status_code=202)
def api_put_organisation(request: Request, body: OrganisationFile,
                         who: Principal = Depends(api(*ADMINS))) -> dict[str, int]:
    return {"job": submit_organisation(state_of(request), who, body.toml)}


@api_router.get("/settings")
def api_settings(request: Request, who: Principal = Depends(api(*ADMINS))) -> dict[str, Any]:
    state = state_of(request)
    state.audit(who, "view-settings")
    return {"file": str(_path(state)), "read_only": list(READ_ONLY_SECTIONS),
            "settings": settings_json(state.warehouse.settings)}


@api_router.patch("/settings")
def api_change_settings(request: Request, body: dict[str, Any],
                        who: Principal = Depends(api(*ADMINS))) -> dict[str, Any]:
    """Body: dotted setting names and their new values, e.g. ``{"watch.cadence_days": 14}``;
    null removes a setting from the file (its default applies)."""
    state = state_of(request)
    return {"changed": change_settings(state, who, typed_changes(state.warehouse.settings, body))}

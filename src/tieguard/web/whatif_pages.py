"""What-ifs from the web: analysts and administrators compare countermeasures (the built-in
policies, at their own adoption rates if they like) as a background job, exactly as
``tieguard whatif`` does; managers see the resulting aggregates only.

A comparison covers the whole organisation; a countermeasure adopted by fewer employees than
the k-anonymity setting is not shown to managers, since its figures could describe people.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from ..engine import Engine, ReadEngine
from ..errors import NotFoundError
from ..i18n import N_
from ..policy import builtin_policies, whatif
from ..policy.whatif import COMPARED_METRICS
from ..session import Session
from ..warehouse import require_stage
from .api import Limit, Page, _page
from .auth import Principal
from .deps import LEADERSHIP, STAFF, api, page, state_of
from .pages import _job_redirect, render
from .state import WebState
from .summary import Summary

__all__ = ["router", "api_router", "comparison", "chosen_policies"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1")


class WhatIfRun(BaseModel):
    policies: list[str] = Field(default_factory=list, description="Built-in policy names; "
                                "empty: all of them.")
    adoption: dict[str, float] = Field(default_factory=dict, description="Adoption in percent "
                                       "by policy name, for the policies to run at another rate.")


def chosen_policies(names: list[str], adoption: dict[str, float]) -> list[Any]:
    """The built-in policies named (all when none), each at its adoption rate in percent when
    one is given; a policy at another rate gets its own name, e.g. ``training_60``."""
    builtins = builtin_policies()
    unknown = [n for n in [*names, *adoption] if n not in builtins]
    if unknown:
        raise HTTPException(400, f"{', '.join(sorted(set(unknown)))} is not a built-in policy; "
                            f"choose from {', '.join(builtins)}.")
    out = []
    for name in names or list(builtins):
        policy = builtins[name]
        pct = adoption.get(name)
        if pct is not None and round(pct) != round(policy.adoption * 100):
            if not 0 <= pct <= 100:
                raise HTTPException(400, f"The adoption of {name} must be between 0 and 100 "
                                    f"percent; {pct:g} is not.")
            description = _at_rate(policy.description, policy.adoption * 100, pct)
            policy = policy.model_copy(update={"name": f"{name}_{pct:.0f}", "adoption":
                                               pct / 100, "description": description})
        out.append(policy)
    return out


def _at_rate(description: str, old: float, new: float) -> str:
    """The policy's description with its adoption rate changed (or the new rate added)."""
    before, after = f"{old:.0f}%", f"{new:.0f}%"
    if before in description:
        return description.replace(before, after, 1)
    return f"{description} ({after} adopt)"


def _require_scan_inputs(engine: Engine) -> None:
    if not engine.scalar("SELECT count(*) FROM ties"):
        raise NotFoundError("The warehouse holds no connections yet. Upload exports and run a "
                            "scan before a what-if.")
    for needed in ("roles", "resolve"):
        require_stage(engine, needed, "a what-if")


def submit_whatif(state: WebState, who: Principal, policies: list[Any]) -> int:
    def work(session: Session, progress: Any) -> Summary:
        _require_scan_inputs(session.engine)
        result = whatif(session.engine, session.settings, policies, on_progress=progress)
        return Summary.of(N_("Compared %(n)s countermeasures with the current exposure; the "
                             "results are on the what-if page."), n=len(result.policies))
    return state.submit_job(who, "whatif", work, action="run-whatif",
                            detail=f"policies {', '.join(p.name for p in policies)}")


def comparison(engine: ReadEngine, min_adopters: int = 0) -> list[dict[str, Any]]:
    """The stored comparison, one row per countermeasure (``before``/``after`` by metric and
    its cost), best first; countermeasures with fewer adopters than ``min_adopters`` left out."""
    rows: dict[str, dict[str, Any]] = {}
    for policy, kind, description, metric, before, after in engine.fetchall(
            "SELECT policy, kind, description, metric, before, after FROM whatif_results "
            "ORDER BY policy, metric"):
        row = rows.setdefault(str(policy), {"policy": policy, "kind": kind, "description":
                                            description, "before": {}, "after": {}, "cost": {}})
        row["before"][metric], row["after"][metric] = before, after
    for cost in engine.fetch_records("SELECT * FROM whatif_costs"):
        if str(cost["policy"]) in rows:
            rows[str(cost["policy"])]["cost"] = cost
    shown = [r for r in rows.values() if int(r["cost"].get("adopters") or 0) >= min_adopters]
    return sorted(shown, key=lambda r: (r["after"].get("deals_revealed") or 0, r["policy"]))


def _visible(state: WebState, who: Principal) -> list[dict[str, Any]]:
    k = state.warehouse.settings.privacy.k_anonymity if who.role == "manager" else 0
    with state.warehouse.engine.reading() as engine:
        return comparison(engine, k)


@router.get("/whatif")
def whatif_page(request: Request, who: Principal = Depends(page(*LEADERSHIP))) -> HTMLResponse:
    state = state_of(request)
    state.audit(who, "view-whatif")
    return render(request, "whatif.html", who, rows=_visible(state, who),
                  policies=list(builtin_policies().values()), metrics=COMPARED_METRICS,
                  k=state.warehouse.settings.privacy.k_anonymity)


@router.post("/whatif")
async def whatif_run(request: Request, who: Principal = Depends(page(*STAFF))) -> Response:
    form = await request.form()
    names = [str(v) for v in form.getlist("policy")]
    if not names:
        raise HTTPException(400, "Tick at least one countermeasure to compare.")
    adoption: dict[str, float] = {}
    for name in names:
        text = str(form.get(f"adoption.{name}") or "").strip().replace(",", ".")
        try:
            adoption[name] = float(text) if text else float("nan")
        except ValueError:
            raise HTTPException(400, f"The adoption of {name} must be a number of percent; "
                                f"{text!r} is not.") from None
    chosen = {k: v for k, v in adoption.items() if v == v}  # NaN: keep the policy's own
    job = submit_whatif(state_of(request), who, chosen_policies(names, chosen))
    return _job_redirect(request, job, "/whatif")


@api_router.get("/whatif")
def api_whatif(request: Request, offset: Page = 0, limit: Limit = 50,
               who: Principal = Depends(api(*LEADERSHIP))) -> dict[str, Any]:
    state = state_of(request)
    state.audit(who, "view-whatif")
    rows = _visible(state, who)
    return _page(rows[offset:offset + limit], offset, limit, len(rows))


@api_router.post("/whatif", status_code=202)
def api_whatif_run(request: Request, body: WhatIfRun,
                   who: Principal = Depends(api(*STAFF))) -> dict[str, int]:
    policies = chosen_policies(body.policies, body.adoption)
    return {"job": submit_whatif(state_of(request), who, policies)}

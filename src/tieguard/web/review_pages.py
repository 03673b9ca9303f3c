"""The review queue (analysts and administrators): the uncertain links of the resolve stage.

A reviewer accepts or rejects a pair; the decision is stored where ``tieguard resolve review
--decide`` stores it (``review_decisions``), so ``tieguard resolve train`` and every later scan
use it. Decisions and the learn-and-rescan step run as jobs (the warehouse has one writer).
The audit records the person key and candidate id, never the names.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from ..i18n import N_, gettext
from ..pipeline import run_scan
from ..resolve.learning import train as train_model
from ..resolve.review import decide, review_page
from ..session import Session
from .api import Limit, Page, _page
from .auth import Principal
from .deps import STAFF, api, page, state_of
from .jobs import JobWork
from .pages import _job_redirect, render
from .state import WebState
from .summary import Summary
from .views import jsonable

__all__ = ["router", "api_router", "evidence_summary", "evidence_label"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1")
PAGE_SIZE = 50
DECISIONS = ("match", "no_match")
_DECIDED = {
    ("match", "contact"): N_("Accepted: %(person)s is contact %(candidate)s; the decision wins "
                             "on every later scan."),
    ("match", "account"): N_("Accepted: %(person)s works at account %(candidate)s; the decision "
                             "wins on every later scan."),
    ("no_match", "contact"): N_("Rejected: %(person)s is not contact %(candidate)s; the "
                                "decision wins on every later scan."),
    ("no_match", "account"): N_("Rejected: %(person)s does not work at account %(candidate)s; "
                                "the decision wins on every later scan."),
}


class Decision(BaseModel):
    person_key: str
    candidate: str
    decision: Literal["match", "no_match"]


def evidence_summary(evidence: str | None) -> list[tuple[str, str, float]]:
    """(field, comparison level, weight) of a link's evidence JSON, strongest first."""
    try:
        parsed = json.loads(evidence or "{}")
    except ValueError:
        return []
    items = [(str(name), str(v.get("level", "")), float(v.get("weight", 0.0)))
             for name, v in parsed.items() if isinstance(v, dict)] if isinstance(parsed, dict) else []
    return sorted(items, key=lambda item: -abs(item[2]))


#: The model's comparisons (tieguard.resolve.comparisons) and their levels, as a reader says
#: them; Splink's generic levels by pattern. A level of another model is shown as it is.
_FIELDS = {"first_name": N_("first name"), "last_name": N_("last name"),
           "company": N_("company name"), "relationship": N_("CRM owner"), "title": N_("job title")}
_LEVELS = {
    "missing": N_("missing on one side"),
    "All other comparisons": N_("different"),
    "nickname of the same name": N_("a nickname of the same name"),
    "another given name, or the names reversed": N_("another given name, or the names reversed"),
    "a one-word name is one of the other's words": N_("a one-word name is one of the other's "
                                                      "words"),
    "initial agrees": N_("the initial agrees"),
    "same words in another order or glued": N_("the same words in another order or written "
                                               "together"),
    "one name's words all in the other": N_("all words of one name are in the other"),
    "shares a surname part": N_("shares a part of the surname"),
    "acronym of the other name": N_("an acronym of the other name"),
    "shares a rare name token": N_("shares a rare word of the name"),
    "tie employee owns the contact or account": N_("the employee with the connection owns the "
                                                   "contact or account"),
    "no owner or no tie": N_("no owner in the CRM"),
    "shares most title words": N_("shares most words of the title"),
}
_PATTERNS = (
    (re.compile(r"Exact match on \w+"), N_("the same")),
    (re.compile(r"Damerau-Levenshtein distance of \w+ <= 1"), N_("one letter different")),
    (re.compile(r"Jaro-Winkler distance of \w+ >= 0\.9\d*"), N_("very similar spelling")),
    (re.compile(r"Jaro-Winkler distance of \w+ >= 0\.[0-8]\d*"), N_("similar spelling")),
)


def evidence_label(name: str, level: str) -> tuple[str, str]:
    """A comparison and its level in the current language, e.g. ("last name", "the same")."""
    field = gettext(_FIELDS[name]) if name in _FIELDS else name.replace("_", " ")
    if level in _LEVELS:
        return field, gettext(_LEVELS[level])
    for pattern, said in _PATTERNS:
        if pattern.fullmatch(level):
            return field, gettext(said)
    return field, level


def submit_decision(state: WebState, who: Principal, person_key: str, candidate: str,
                    decision: str) -> int:
    """Queue a decision as a job; an unknown key or candidate fails the job with a sentence."""
    if decision not in DECISIONS:
        raise HTTPException(400, f"Decision {decision!r} is not valid; use match or no_match.")

    def work(session: Session, progress: Any) -> Summary:
        stored = decide(session.engine, person_key, candidate, decision, who.username)
        return Summary.of(_DECIDED[(stored["decision"], stored["kind"])],
                          person=stored["person_key"], candidate=stored["candidate"])
    return state.submit_job(who, "review-decision", work, target=f"{person_key} {candidate}",
                            detail=decision)


def learn_and_rescan() -> JobWork:
    """``tieguard resolve train`` then a scan, so the queue and the figures use the decisions."""
    def work(session: Session, progress: Any) -> Summary:
        progress("learning from the decisions", 0, 2)
        summary = train_model(session.engine, None)
        progress("scanning", 1, 2)
        run_scan(session.engine, session.settings, progress)
        if not summary["trained"]:
            return Summary.of(N_("%(labels)s decided contact pairs (%(matches)s matches) are too "
                                 "few to teach the model; the scan applied the decisions as "
                                 "they are."), labels=summary["labels"], matches=summary["matches"])
        return Summary.of(N_("Learned from %(labels)s labels (%(matches)s matches), best-F1 "
                             "threshold %(threshold)s; the scan used the new model."),
                          labels=summary["labels"], matches=summary["matches"],
                          threshold=f"{summary['threshold']:.2f}")
    return work


@router.get("/review")
def review_list(request: Request, offset: Page = 0, undecided: bool = False,
                who: Principal = Depends(page(*STAFF))) -> HTMLResponse:
    state = state_of(request)
    with state.warehouse.engine.reading() as engine:
        rows, total = review_page(engine, offset=offset, limit=PAGE_SIZE, undecided=undecided)
    state.audit(who, "view-review-queue", "", f"offset {offset}")
    for row in rows:
        row["evidence_items"] = [(*evidence_label(name, level), weight) for name, level, weight
                                 in evidence_summary(row.get("evidence"))[:3]]
    return render(request, "review.html", who, rows=rows, total=total, offset=offset,
                  limit=PAGE_SIZE, undecided=undecided)


@router.post("/review/decide")
def review_decide(request: Request, person_key: Annotated[str, Form()],
                  candidate: Annotated[str, Form()], decision: Annotated[str, Form()],
                  who: Principal = Depends(page(*STAFF))) -> Response:
    job = submit_decision(state_of(request), who, person_key, candidate, decision)
    return _job_redirect(request, job, "/review")


@router.post("/review/train")
def review_train(request: Request, who: Principal = Depends(page(*STAFF))) -> Response:
    job = state_of(request).submit_job(who, "resolve-train", learn_and_rescan())
    return _job_redirect(request, job, "/review")


@api_router.get("/review")
def api_review(request: Request, offset: Page = 0, limit: Limit = 50, undecided: bool = False,
               who: Principal = Depends(api(*STAFF))) -> dict[str, Any]:
    state = state_of(request)
    with state.warehouse.engine.reading() as engine:
        rows, total = review_page(engine, offset=offset, limit=limit, undecided=undecided)
    state.audit(who, "view-review-queue", "", f"offset {offset}")
    return _page(jsonable(rows), offset, limit, total)


@api_router.post("/review/decisions", status_code=202)
def api_decide(request: Request, body: Decision,
               who: Principal = Depends(api(*STAFF))) -> dict[str, int]:
    return {"job": submit_decision(state_of(request), who, body.person_key, body.candidate,
                                   body.decision)}


@api_router.post("/review/train", status_code=202)
def api_train(request: Request, who: Principal = Depends(api(*STAFF))) -> dict[str, int]:
    return {"job": state_of(request).submit_job(who, "resolve-train", learn_and_rescan())}

"""The review queue in the browser and the API: decisions land where the CLI keeps them and
the next scan follows them; the audit names the pair by ids, never by names."""

from __future__ import annotations

from tieguard.resolve.review import review_page, review_queue
from tieguard.web.review_pages import evidence_summary

from .conftest import Web


def _decisions(web: Web) -> dict[tuple[str, str], tuple[str, str]]:
    rows = web.state.warehouse.engine.fetchall(
        "SELECT person_key, candidate_id, decision, decided_by FROM review_decisions")
    return {(str(p), str(c)): (str(d), str(b)) for p, c, d, b in rows}


def test_reviewers_accept_and_reject_pairs_and_the_scan_follows(web: Web) -> None:
    engine = web.state.warehouse.engine
    queue = review_queue(engine)  # what `tieguard resolve review --list` shows
    assert len(queue) >= 3
    accept, reject = queue[0], queue[1]
    page = web.client.get("/review", headers=web.page("analyst"))
    assert page.status_code == 200
    assert f'data-person="{accept["person_key"]}"' in page.text
    assert str(accept["last_name"]) in page.text and str(accept["candidate"]) in page.text
    german = web.client.get("/review", headers=web.page("analyst") | {"Accept-Language": "de"})
    assert "<h1>Prüfliste</h1>" in german.text and ">Annehmen</button>" in german.text

    form = {"person_key": accept["person_key"], "candidate": accept["candidate"],
            "decision": "match", "csrf_token": web.csrf["analyst"]}
    res = web.client.post("/review/decide", data=form,
                          headers={"Cookie": web.page("analyst")["Cookie"]})
    assert res.status_code == 303 and res.headers["location"].startswith("/review?job=")
    web.finished("analyst", res)
    body = {"person_key": reject["person_key"], "candidate": reject["candidate"],
            "decision": "no_match"}
    res = web.client.post("/api/v1/review/decisions", json=body, headers=web.api("admin"))
    assert res.status_code == 202
    web.finished("admin", res)
    assert _decisions(web) == {(accept["person_key"], accept["candidate"]): ("match", "analyst"),
                               (reject["person_key"], reject["candidate"]): ("no_match", "admin")}

    listed = web.client.get("/api/v1/review?limit=2&undecided=true", headers=web.api("analyst"))
    assert listed.json()["total"] == len(queue) - 2 and len(listed.json()["items"]) == 2
    decided = {r["person_key"] for r in web.client.get(
        "/api/v1/review?limit=500", headers=web.api("analyst")).json()["items"] if r["decision"]}
    assert decided == {accept["person_key"], reject["person_key"]}

    res = web.client.post("/review/train", headers=web.page("admin"))
    assert web.finished("admin", res)["summary"]
    links = {str(r[0]): r[1:] for r in engine.fetchall(
        "SELECT person_key, coalesce(contact_id, account_id), status, method FROM tie_matches")}
    assert links[accept["person_key"]] == (accept["candidate"], "matched", "review")
    assert links.get(reject["person_key"], (None,))[0] != reject["candidate"]
    assert review_page(engine, undecided=True)[1] == len(review_queue(engine))


def test_a_bad_decision_is_refused_and_the_audit_holds_no_names(web: Web) -> None:
    pair = review_queue(web.state.warehouse.engine)[0]
    bad = {"person_key": pair["person_key"], "candidate": pair["candidate"], "decision": "maybe"}
    assert web.client.post("/api/v1/review/decisions", json=bad,
                           headers=web.api("admin")).status_code == 422
    res = web.client.post("/review/decide", data=bad | {"csrf_token": web.csrf["admin"]},
                          headers={"Cookie": web.page("admin")["Cookie"]})
    assert res.status_code == 400 and "match or no_match" in res.text
    unknown = {"person_key": "nobody", "candidate": pair["candidate"], "decision": "match"}
    failed = web.finished("admin", web.client.post("/api/v1/review/decisions", json=unknown,
                          headers=web.api("admin")), status="failed")
    assert "No tie-person has the key" in failed["error"]
    web.client.get("/review", headers=web.page("admin"))
    events = web.client.get("/api/v1/audit?limit=500", headers=web.api("auditor")).json()["items"]
    actions = {e["action"] for e in events}
    assert {"view-review-queue", "review-decision"} <= actions
    text = " ".join(f"{e['target']} {e['detail']}" for e in events)
    assert f"nobody {pair['candidate']}" in text  # the pair by its ids
    for name in (pair["first_name"], pair["last_name"], pair["contact_last_name"]):
        assert not name or str(name) not in text


def test_evidence_summary_orders_by_strength_and_survives_bad_json() -> None:
    evidence = ('{"match_weight": 9, "last_name": {"level": "exact", "weight": 10.2}, '
                '"title": {"level": "other", "weight": -2.5}, "company": {"level": "x", "weight": 13}}')
    assert [name for name, _, _ in evidence_summary(evidence)] == ["company", "last_name", "title"]
    assert evidence_summary("not json") == [] and evidence_summary(None) == []

"""The review queue: uncertain links, stored decisions, and decisions as training labels."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

from ..engine import Engine, ReadEngine
from ..errors import ConfigError, NotFoundError

__all__ = ["review_queue", "review_page", "decide", "reviewed_pairs"]


def review_queue(engine: Engine) -> list[dict[str, Any]]:
    """Tie-people in the review band with their candidate, most probable first."""
    return engine.fetch_records(
        """SELECT m.person_key, coalesce(m.contact_id, m.account_id) AS candidate,
                  CASE WHEN m.contact_id IS NOT NULL THEN 'contact' ELSE 'account' END AS kind,
                  t.first_name, t.last_name, t.company,
                  c.first_name AS contact_first_name, c.last_name AS contact_last_name,
                  a.name AS account_name, m.match_probability, m.evidence
           FROM tie_matches m JOIN tie_people t USING (person_key)
           LEFT JOIN contacts c ON c.contact_id = m.contact_id
           LEFT JOIN accounts a ON a.account_id = m.account_id
           WHERE m.status = 'review' ORDER BY m.match_probability DESC, m.person_key"""
    )


_QUEUE_SQL = """
    FROM tie_matches m JOIN tie_people t USING (person_key)
    LEFT JOIN contacts c ON c.contact_id = m.contact_id
    LEFT JOIN accounts a ON a.account_id = m.account_id
    LEFT JOIN review_decisions d
           ON d.person_key = m.person_key AND d.candidate_id = coalesce(m.contact_id, m.account_id)
    WHERE m.status = 'review' AND (NOT $undecided OR d.decision IS NULL)"""


def review_page(engine: ReadEngine, *, offset: int = 0, limit: int = 50,
                undecided: bool = False) -> tuple[list[dict[str, Any]], int]:
    """One page of the review queue with each pair's stored decision (None: undecided), and
    the number of pairs in the queue; ``undecided``: only pairs nobody decided yet. A decided
    pair stays in the queue (as with ``tieguard resolve review --list``) until resolve runs."""
    params: dict[str, Any] = {"undecided": undecided}
    total = int(engine.scalar(f"SELECT count(*) {_QUEUE_SQL}", params) or 0)
    rows = engine.fetch_records(
        f"""SELECT m.person_key, coalesce(m.contact_id, m.account_id) AS candidate,
                   CASE WHEN m.contact_id IS NOT NULL THEN 'contact' ELSE 'account' END AS kind,
                   t.first_name, t.last_name, t.company,
                   c.first_name AS contact_first_name, c.last_name AS contact_last_name,
                   a.name AS account_name, m.match_probability, m.evidence,
                   d.decision, d.decided_by, d.decided_at
            {_QUEUE_SQL}
            ORDER BY m.match_probability DESC, m.person_key LIMIT $limit OFFSET $offset""",
        params | {"limit": limit, "offset": offset})
    return rows, total


def decide(engine: Engine, person_key: str, candidate: str, decision: str,
           reviewer: str | None = None) -> dict[str, Any]:
    """Store a decision on (tie-person, contact or account); it wins on every later run."""
    if decision not in ("match", "no_match"):
        raise ConfigError(f"Decision {decision!r} is not valid; use match or no_match.")
    if engine.scalar("SELECT count(*) FROM contacts WHERE contact_id = ?", [candidate]):
        kind = "contact"
    elif engine.scalar("SELECT count(*) FROM accounts WHERE account_id = ?", [candidate]):
        kind = "account"
    else:
        raise NotFoundError(
            f"{candidate!r} is neither a contact_id nor an account_id in the warehouse; "
            "copy the candidate from `tieguard resolve review --list`."
        )
    if not engine.scalar("SELECT count(*) FROM tie_people WHERE person_key = ?", [person_key]):
        raise NotFoundError(
            f"No tie-person has the key {person_key!r}; see `tieguard resolve review --list`."
        )
    with engine.transaction():
        engine.execute(
            "DELETE FROM review_decisions WHERE person_key = ? AND candidate_id = ?",
            [person_key, candidate],
        )
        engine.execute(
            "INSERT INTO review_decisions VALUES (?, ?, ?, ?, ?, ?)",
            [person_key, candidate, kind, decision, reviewer or getpass.getuser(),
             dt.datetime.now()],
        )
    return {"person_key": person_key, "candidate": candidate, "kind": kind, "decision": decision,
            "note": "Stored; it wins on every later `tieguard resolve` run."}


def reviewed_pairs(engine: Engine) -> list[dict[str, str]]:
    """Contact decisions as labelled name pairs (tie-person vs contact, with companies).

    Only decisions whose tie-person still has a name count (pseudonymised people have none).
    """
    rows = engine.fetch_records(
        """SELECT concat_ws(' ', t.first_name, t.last_name) AS name1,
                  concat_ws(' ', c.first_name, c.last_name) AS name2,
                  coalesce(t.company, '') AS company1, coalesce(a.name, '') AS company2,
                  d.decision
           FROM review_decisions d
           JOIN tie_people t ON t.person_key = d.person_key
           JOIN contacts c ON c.contact_id = d.candidate_id
           LEFT JOIN accounts a ON a.account_id = c.account_id
           WHERE d.candidate_kind = 'contact' AND NOT coalesce(t.is_pseudonymised, FALSE)
           ORDER BY d.person_key, d.candidate_id"""
    )
    return [{"name1": str(r["name1"] or ""), "name2": str(r["name2"] or ""),
             "company1": str(r["company1"]), "company2": str(r["company2"]),
             "label": "1" if r["decision"] == "match" else "0"} for r in rows]

"""From scored candidate pairs to one decision per tie-person.

Order of precedence: a stored review decision, then exact keys (profile URL, e-mail),
then the probabilistic model. Each tie-person gets at most one contact; a contact
claimed by several tie-people goes to the one with the highest probability and
the others go to review. The probability of the best candidate is adjusted for
its runner-up under the one-to-one assumption::

    p = p1 (1 - p2) / (p1 (1 - p2) + p2 (1 - p1) + (1 - p1)(1 - p2))

so two equally good candidates both drop to the review band instead of one being
picked at random. Tie-people without a contact are then linked to an account.
"""

from __future__ import annotations

import logging

from ..engine import Engine
from .features import normalise_url

__all__ = ["exact_matches", "contact_candidates", "write_matches", "ADJUST_SQL"]

log = logging.getLogger(__name__)

ADJUST_SQL = (
    "CASE WHEN {p2} IS NULL THEN {p1} ELSE {p1} * (1 - {p2}) / nullif("
    "{p1} * (1 - {p2}) + {p2} * (1 - {p1}) + (1 - {p1}) * (1 - {p2}), 0) END"
)


def _adjust(p1: str, p2: str) -> str:
    return ADJUST_SQL.format(p1=p1, p2=p2)


def exact_matches(engine: Engine) -> int:
    """Write ``_rs_exact``: tie-people whose profile URL or e-mail is a contact's."""
    url_t, url_c = normalise_url("t.profile_url"), normalise_url("c.profile_url")
    engine.scratch("_rs_exact", EXACT_SQL.format(url_t=url_t, url_c=url_c))
    return int(engine.scalar("SELECT count(*) FROM _rs_exact") or 0)


#: Exact-key links; placeholders are the URL normalisation expressions of both sides.
EXACT_SQL = """SELECT person_key, contact_id, method FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY person_key ORDER BY priority, contact_id) AS rn
                FROM (
                    SELECT t.person_key, c.contact_id, 'profile_url' AS method, 1 AS priority
                    FROM tie_people t JOIN contacts c ON {url_t} = {url_c}
                    WHERE NOT coalesce(t.is_pseudonymised, FALSE)
                    UNION ALL
                    SELECT t.person_key, c.contact_id, 'email', 2
                    FROM tie_people t
                    JOIN contacts c ON lower(trim(t.email)) = lower(trim(c.email))
                    WHERE NOT coalesce(t.is_pseudonymised, FALSE)
                      AND t.email LIKE '%@%'))
            WHERE rn = 1"""


def contact_candidates(engine: Engine, evidence_expr: str | None) -> None:
    """Write ``_rs_contact_cand``: every candidate contact of a tie-person, ranked."""
    model_rows = "SELECT NULL::VARCHAR AS person_key, NULL::VARCHAR AS contact_id, " \
        "NULL::DOUBLE AS probability, NULL::VARCHAR AS evidence WHERE FALSE"
    if evidence_expr is not None:
        model_rows = (
            "SELECT CASE WHEN source_dataset_l = 'tie_people' THEN unique_id_l "
            "ELSE unique_id_r END AS person_key, "
            "CASE WHEN source_dataset_l = 'tie_people' THEN unique_id_r "
            "ELSE unique_id_l END AS contact_id, "
            f"match_probability AS probability, {evidence_expr} AS evidence "
            "FROM _rs_predictions"
        )
    engine.scratch("_rs_contact_cand", f"""WITH scored AS ({model_rows}),
            decided AS (SELECT person_key, candidate_id AS contact_id, decision
                        FROM review_decisions WHERE candidate_kind = 'contact'),
            pooled AS (
                SELECT person_key, contact_id, 1.0 AS probability, 'review' AS method,
                       '{{"decision": "match"}}' AS evidence, 3 AS priority
                FROM decided WHERE decision = 'match'
                UNION ALL
                SELECT person_key, contact_id, 1.0, method,
                       '{{"exact_key": "' || method || '"}}', 2 FROM _rs_exact
                UNION ALL
                SELECT person_key, contact_id, probability, 'probabilistic', evidence, 1
                FROM scored)
            SELECT p.* FROM pooled p
            ANTI JOIN (SELECT * FROM decided WHERE decision = 'no_match') d
                ON d.person_key = p.person_key AND d.contact_id = p.contact_id"""
    )
    engine.scratch("_rs_contact_best", f"""SELECT person_key, contact_id, method, evidence, priority, raw_probability,
                   CASE WHEN priority > 1 THEN 1.0 ELSE {_adjust('raw_probability', 'second')}
                   END AS probability
            FROM (
                SELECT person_key, contact_id, method, evidence, priority,
                       probability AS raw_probability,
                       lead(probability) OVER w AS second,
                       row_number() OVER w AS rn
                FROM (SELECT DISTINCT ON (person_key, contact_id) * FROM _rs_contact_cand
                      ORDER BY person_key, contact_id, priority DESC, probability DESC)
                WINDOW w AS (PARTITION BY person_key ORDER BY priority DESC, probability DESC,
                             contact_id))
            WHERE rn = 1"""
    )


#: SELECT of contact links with status, one-to-one on the contact side ($match, $review).
CONTACT_STATUS_SQL = """
        SELECT b.*, c.account_id,
               CASE WHEN b.priority > 1 THEN 'matched'
                    WHEN b.probability >= $match AND b.claim_rank = 1 THEN 'matched'
                    WHEN b.probability >= $review THEN 'review'
                    ELSE 'unmatched' END AS status
        FROM (SELECT *, row_number() OVER (
                  PARTITION BY contact_id ORDER BY priority DESC, probability DESC, person_key
              ) AS claim_rank FROM _rs_contact_best) b
        LEFT JOIN contacts c ON c.contact_id = b.contact_id"""


def _job_change_sql() -> str:
    return """
        coalesce(p.company_key IS NOT NULL AND k.company_key IS NOT NULL
                 AND p.company_key <> k.company_key
                 AND NOT list_has_any(p.company_tokens, k.company_tokens)
                 AND coalesce(replace(p.company_key, ' ', '') <> k.company_acronym, TRUE)
                 AND coalesce(replace(k.company_key, ' ', '') <> p.company_acronym, TRUE),
                 FALSE)"""


def write_matches(engine: Engine, match: float, review: float) -> dict[str, int]:
    """Rebuild ``tie_matches`` from contact and account candidates."""
    thresholds = {"match": float(match), "review": float(review)}
    engine.scratch("_rs_contact_links", CONTACT_STATUS_SQL, thresholds)
    engine.scratch("_rs_account_links", ACCOUNT_LINKS_SQL.format(
        adjusted=_adjust("a.probability", "a.second"), decided=DECIDED_ACCOUNTS_SQL))
    engine.replace("tie_matches", TIE_MATCHES_SQL.format(job_change=_job_change_sql()),
                   thresholds)
    return _counts(engine)


#: Reviewers' account decisions.
DECIDED_ACCOUNTS_SQL = (
    "SELECT person_key, candidate_id AS account_id, decision FROM review_decisions "
    "WHERE candidate_kind = 'account'"
)
#: Account links with reviewers' decisions applied ({adjusted}: runner-up adjustment).
ACCOUNT_LINKS_SQL = """SELECT a.person_key, a.account_id,
                   CASE WHEN d.decision = 'match' THEN 1.0
                        ELSE {adjusted} END AS probability,
                   CASE WHEN d.decision = 'match' THEN 'review' ELSE a.method END AS method,
                   json_object('company_similarity', round(a.similarity, 3), 'rule', a.rule,
                               'runner_up_probability', a.second,
                               'method', a.method)::VARCHAR AS evidence
            FROM _rs_account_candidates a
            LEFT JOIN ({decided}) d
              ON d.person_key = a.person_key AND d.account_id = a.account_id
            WHERE d.decision IS NULL OR d.decision = 'match'
            UNION ALL
            SELECT d.person_key, d.account_id, 1.0, 'review', '{{"decision": "match"}}'
            FROM ({decided}) d ANTI JOIN _rs_account_candidates a
              ON a.person_key = d.person_key AND a.account_id = d.account_id
            WHERE d.decision = 'match'"""
#: One row per tie-person: contact link, else account link ($match, $review bound).
TIE_MATCHES_SQL = """
            SELECT t.person_key,
                   CASE WHEN c.status IN ('matched', 'review') THEN c.contact_id END AS contact_id,
                   CASE WHEN c.status IN ('matched', 'review') THEN c.account_id
                        WHEN a.probability >= $review THEN a.account_id END AS account_id,
                   round(coalesce(CASE WHEN c.status IN ('matched', 'review')
                                       THEN c.probability END,
                                  a.probability, c.probability, 0.0), 4) AS match_probability,
                   CASE WHEN c.status IN ('matched', 'review') THEN c.method
                        WHEN a.probability >= $review THEN a.method END AS method,
                   CASE WHEN c.status IN ('matched', 'review') THEN c.evidence
                        WHEN a.probability >= $review THEN a.evidence END AS evidence,
                   CASE WHEN c.status IN ('matched', 'review') THEN {job_change}
                        ELSE FALSE END AS job_change,
                   CASE WHEN c.status IN ('matched', 'review') THEN c.status
                        WHEN a.probability >= $match THEN 'matched'
                        WHEN a.probability >= $review THEN 'review'
                        ELSE 'unmatched' END AS status
            FROM tie_people t
            LEFT JOIN _rs_contact_links c ON c.person_key = t.person_key
            LEFT JOIN _rs_account_links a ON a.person_key = t.person_key
            LEFT JOIN _rs_people p ON p.unique_id = t.person_key
            LEFT JOIN _rs_contacts_all k ON k.unique_id = c.contact_id"""


def _counts(engine: Engine) -> dict[str, int]:
    rows = engine.fetchall(
        "SELECT status, count(*), count(contact_id), "
        "count(*) FILTER (WHERE job_change) FROM tie_matches GROUP BY status"
    )
    counts = {"matched": 0, "review": 0, "unmatched": 0}
    extra = {"matched_to_contact": 0, "matched_to_account_only": 0, "job_changes": 0}
    for status, n, n_contact, n_job in rows:
        counts[str(status)] = int(n)
        if status == "matched":
            extra["matched_to_contact"] = int(n_contact)
            extra["matched_to_account_only"] = int(n) - int(n_contact)
        extra["job_changes"] += int(n_job)
    return counts | extra

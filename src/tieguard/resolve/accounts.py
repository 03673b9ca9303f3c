"""Tie-people to CRM accounts by company name (and e-mail domain).

Candidate (company, account) pairs come from SQL joins on the exact key, a shared
rare core token, or an acronym; each distinct pair of names is then scored once
with :func:`~tieguard.resolve.companies.company_similarity` using inverse token
frequencies learned from the warehouse, so ``Holding`` or ``Group`` hardly count.
"""

from __future__ import annotations

import logging
import math

import pyarrow as pa

from ..engine import Engine
from .companies import GENERIC_TOKENS, LOCATION_TOKENS, normalise_company
from .company_match import JW_THRESHOLD

__all__ = ["FREE_MAIL_DOMAINS", "match_accounts", "company_probability"]

log = logging.getLogger(__name__)

FREE_MAIL_DOMAINS = (
    "gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "live.com", "yahoo.com",
    "icloud.com", "me.com", "gmx.de", "gmx.net", "web.de", "t-online.de", "ziggo.nl",
    "kpnmail.nl", "planet.nl", "home.nl", "xs4all.nl", "orange.fr", "free.fr", "wanadoo.fr",
    "libero.it", "virgilio.it", "tiscali.it", "telefonica.net", "proton.me", "protonmail.com",
    "aol.com", "msn.com", "mail.com", "yandex.ru",
)
_TOKEN_DF_CAP = 100  # a token shared by more accounts than this does not open a block


_SLOPE, _MIDPOINT = 14.0, 0.84


def company_probability(similarity: float) -> float:
    """Match probability of two company names from their similarity.

    A logistic curve fixed so that identical cores give 0.99, an acronym 0.9 and a
    half-shared name about 0.25; recorded in docs/resolve.md.
    """
    if similarity <= 0:
        return 0.0
    if similarity >= 1:
        return 0.99
    return round(1 / (1 + math.exp(-_SLOPE * (similarity - _MIDPOINT))), 4)


def _probability_sql(column: str) -> str:
    return (
        f"CASE WHEN {column} >= 1 THEN 0.99 WHEN {column} <= 0 THEN 0.0 ELSE "
        f"round(1 / (1 + exp(-{_SLOPE} * ({column} - {_MIDPOINT}))), 4) END"
    )


def _build_account_side(engine: Engine) -> None:
    accounts = engine.fetchall(
        "SELECT account_id, name FROM accounts WHERE name IS NOT NULL AND trim(name) <> ''"
    )
    normalised = [normalise_company(str(name)) for _, name in accounts]
    table = pa.table({
        "account_id": [str(a) for a, _ in accounts],
        "company_key": [n.key for n in normalised],
        "company_tokens": [list(n.core) for n in normalised],
        "company_acronym": [n.acronym for n in normalised],
    })
    engine.register("_rs_accounts_view", table)
    try:
        engine.scratch("_rs_accounts", "SELECT v.*, "
            "lower(regexp_replace(a.domain, '^(https?://)?(www\\.)?|/.*$', '', 'g')) AS domain "
            "FROM _rs_accounts_view v JOIN accounts a ON a.account_id = v.account_id "
            "WHERE v.company_key <> ''"
        )
    finally:
        engine.unregister("_rs_accounts_view")


def _candidate_pairs(engine: Engine) -> None:
    engine.scratch("_rs_company_keys", """SELECT DISTINCT company_key, company_tokens, company_acronym
           FROM _rs_people WHERE company_key IS NOT NULL"""
    )
    engine.scratch("_rs_account_tokens", """SELECT unnest(company_tokens) AS token, account_id, company_key FROM _rs_accounts"""
    )
    # Each tie company opens blocks only on its two rarest tokens (and never on a token
    # that more than _TOKEN_DF_CAP accounts share), so 'Logistics' never blocks.
    engine.scratch("_rs_company_pairs", f"""WITH df AS (SELECT token, count(*) AS n FROM _rs_account_tokens GROUP BY token),
            tie_tokens AS (
                SELECT k.company_key, t.token, coalesce(df.n, 0) AS n,
                       row_number() OVER (PARTITION BY k.company_key
                                          ORDER BY coalesce(df.n, 0), t.token) AS rk
                FROM _rs_company_keys k, unnest(k.company_tokens) AS t(token)
                LEFT JOIN df ON df.token = t.token)
            SELECT DISTINCT t.company_key AS tie_key, a.company_key AS account_key
            FROM tie_tokens t JOIN _rs_account_tokens a USING (token)
            WHERE (t.rk = 1 AND t.n <= {_TOKEN_DF_CAP}) OR (t.rk = 2 AND t.n <= 10)
            UNION
            SELECT k.company_key, a.company_key FROM _rs_company_keys k
            JOIN _rs_accounts a ON replace(k.company_key, ' ', '') = a.company_acronym
            UNION
            SELECT k.company_key, a.company_key FROM _rs_company_keys k
            JOIN _rs_accounts a ON a.company_key = k.company_acronym
            UNION
            SELECT k.company_key, a.company_key FROM _rs_company_keys k
            JOIN _rs_accounts a ON a.company_key = k.company_key"""
    )


def _token_weights_sql(engine: Engine) -> None:
    """``_rs_token_w``: idf weight of each core token among the accounts.

    Computed over the accounts only, so weights do not move when unresolved tie-people
    are pseudonymised between runs; a token no account has weighs 1, generic words at
    most 0.1.
    """
    low = sorted(GENERIC_TOKENS | LOCATION_TOKENS)
    engine.register("_rs_low_view", pa.table({"token": low}))
    try:
        engine.scratch("_rs_token_w", """WITH df AS (SELECT t.token, count(*) AS n
                           FROM (SELECT DISTINCT company_key, company_tokens FROM _rs_accounts) a,
                                unnest(a.company_tokens) AS t(token) GROUP BY t.token),
               tokens AS (SELECT DISTINCT t.token FROM (
                              SELECT company_tokens FROM _rs_accounts UNION ALL
                              SELECT company_tokens FROM _rs_company_keys) k,
                          unnest(k.company_tokens) AS t(token)),
               d AS (SELECT count(DISTINCT company_key) AS n FROM _rs_accounts)
               SELECT tokens.token, greatest(0.01, least(
                      CASE WHEN l.token IS NOT NULL THEN 0.1 ELSE 1.0 END,
                      CASE WHEN df.n IS NULL OR d.n < 2 THEN 1.0
                           ELSE ln(1 + d.n / df.n) / ln(1 + d.n) END)) AS w
               FROM tokens CROSS JOIN d
               LEFT JOIN df ON df.token = tokens.token
               LEFT JOIN _rs_low_view l ON l.token = tokens.token"""
        )
    finally:
        engine.unregister("_rs_low_view")


def _similarity_sql() -> str:
    """SQL of ``company_similarity`` over ``_rs_company_pairs`` (see companies.py)."""
    jw = "jaro_winkler_similarity(p.tie_key, p.account_key)"
    return f"""
        SELECT p.tie_key, p.account_key,
               CASE WHEN replace(p.tie_key, ' ', '') = replace(p.account_key, ' ', '') THEN 1.0
                    WHEN replace(p.tie_key, ' ', '') = ra.company_acronym
                      OR replace(p.account_key, ' ', '') = rt.company_acronym THEN 0.9
                    ELSE greatest(least(1.0, coalesce(s.s, 0) / (nl.norm * nr.norm)),
                                  CASE WHEN {jw} >= {JW_THRESHOLD} THEN 0.9 * {jw} ELSE 0 END)
               END AS similarity
        FROM _rs_company_pairs p
        LEFT JOIN shared s ON s.tie_key = p.tie_key AND s.account_key = p.account_key
        LEFT JOIN _rs_key_norm nl ON nl.company_key = p.tie_key
        LEFT JOIN _rs_key_norm nr ON nr.company_key = p.account_key
        LEFT JOIN (SELECT DISTINCT company_key, company_acronym FROM _rs_accounts) ra
          ON ra.company_key = p.account_key
        LEFT JOIN _rs_company_keys rt ON rt.company_key = p.tie_key"""


def _score_pairs(engine: Engine) -> int:
    """Score candidate pairs in SQL with the formula of ``company_similarity``."""
    _token_weights_sql(engine)
    engine.scratch("_rs_key_tokens", """SELECT DISTINCT k.company_key, t.token, w.w FROM (
               SELECT company_key, company_tokens FROM _rs_accounts UNION
               SELECT company_key, company_tokens FROM _rs_company_keys) k,
               unnest(k.company_tokens) AS t(token)
           JOIN _rs_token_w w ON w.token = t.token"""
    )
    engine.scratch("_rs_key_norm", """SELECT company_key, sqrt(sum(w * w)) AS norm FROM _rs_key_tokens GROUP BY company_key"""
    )
    engine.scratch("_rs_company_scores", f"""WITH shared AS (
                SELECT p.tie_key, p.account_key, sum(a.w * a.w) AS s
                FROM _rs_company_pairs p
                JOIN _rs_key_tokens a ON a.company_key = p.tie_key
                JOIN _rs_key_tokens b ON b.company_key = p.account_key AND b.token = a.token
                GROUP BY ALL),
            sims AS ({_similarity_sql()})
            SELECT tie_key, account_key, similarity,
                   {_probability_sql('similarity')} AS probability
            FROM sims WHERE similarity > 0.5"""
    )
    return int(engine.scalar("SELECT count(*) FROM _rs_company_pairs") or 0)


def match_accounts(engine: Engine) -> dict[str, int]:
    """Write ``_rs_account_candidates`` (person_key, account_id, probability, method)."""
    _build_account_side(engine)
    _candidate_pairs(engine)
    scored = _score_pairs(engine)
    engine.scratch("_rs_company_best", """SELECT tie_key, account_id, probability, similarity, second FROM (
               SELECT s.tie_key, a.account_id, s.probability, s.similarity,
                      row_number() OVER w AS rn,
                      lead(s.probability) OVER w AS second
               FROM _rs_company_scores s JOIN _rs_accounts a ON a.company_key = s.account_key
               WINDOW w AS (PARTITION BY s.tie_key ORDER BY s.probability DESC, a.account_id))
           WHERE rn = 1"""
    )
    engine.scratch("_rs_account_candidates", """SELECT person_key, account_id, probability, second, method, similarity FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY person_key ORDER BY priority DESC, probability DESC) AS rn
                FROM (
                    SELECT p.unique_id AS person_key, b.account_id, b.probability, b.second,
                           'company_name' AS method, b.similarity, 0 AS priority
                    FROM _rs_people p JOIN _rs_company_best b ON b.tie_key = p.company_key
                    UNION ALL
                    SELECT p.unique_id, min(a.account_id), 0.97, NULL, 'email_domain', NULL, 1
                    FROM _rs_people p JOIN _rs_accounts a ON a.domain = p.email_domain
                    WHERE NOT list_contains(?::VARCHAR[], p.email_domain)
                    GROUP BY p.unique_id HAVING count(*) = 1))
            WHERE rn = 1""", [list(FREE_MAIL_DOMAINS)]
    )
    log.info("resolve: scored %d distinct company-name pairs against accounts", scored)
    return {"company_pairs_scored": scored}

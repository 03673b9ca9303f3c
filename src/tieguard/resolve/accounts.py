"""Tie-people to CRM accounts by company name (and e-mail domain).

Candidate (company, account) pairs come from SQL joins on the exact key, a shared rare
core token, or an acronym. Each distinct pair of keys is then scored once with
:func:`~tieguard.resolve.company_match.compare_normalised`, the comparison
``score-pairs`` uses, with inverse token frequencies learned from the accounts, so
``Holding`` or ``Group`` hardly count. A trailing location on both sides that differs
lowers the similarity by 10%; ``STAGE_CURVE`` turns it into a probability.
"""

from __future__ import annotations

import logging
import math

from ..engine import Engine
from .company_match import token_weights
from .company_scores import score_candidates

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
_LOCATION_PENALTY = 0.9
#: A tie company that contains the account's name plus distinctive words of its own
#: ('Flexdrive Software' vs the account 'Flexdrive S.r.l.') is more often another business
#: sharing the brand than the account: above this weight of its own words (a generic word
#: weighs at most 0.1) its similarity is lowered by 10%, as for a different location.
_EXTRA_WORDS = 0.3
#: The stage's curve similarity -> probability (slope, midpoint). Steeper than the curve
#: ``score-pairs`` fits on labelled real pairs (data/resolve/calibration.json), whose
#: prevalence (three quarters matches) is far above that of the stage's candidate pairs;
#: its reliability on the independent benchmark world is in docs/benchmarks/resolve.md.
STAGE_CURVE = (14.0, 0.84)


def company_probability(similarity: float) -> float:
    """The stage's probability of a tie company naming an account (``STAGE_CURVE``)."""
    if similarity <= 0:
        return 0.0
    if similarity >= 1:
        return 0.99
    slope, midpoint = STAGE_CURVE
    return round(1 / (1 + math.exp(-slope * (similarity - midpoint))), 4)


def _build_account_side(engine: Engine) -> None:
    """``_rs_accounts`` (id, key, core tokens, acronyms, location, web domain), from the
    company lookup the features step normalised every account name into."""
    engine.scratch("_rs_accounts", """
        SELECT a.account_id, l.company_key, l.company_tokens, l.company_acronyms,
               nullif(l.company_location, '') AS company_location,
               lower(regexp_replace(a.domain, '^(https?://)?(www\\.)?|/.*$', '', 'g')) AS domain
        FROM accounts a JOIN _rs_company_lookup l ON l.raw = a.name
        WHERE trim(a.name) <> '' AND l.company_key <> ''""")


#: One row per company key of a side (``$side`` people or accounts): its tokens, acronyms
#: and whether a glued word splits, read from the first raw name of the key (by sort order).
_KEYS_SQL = """
    SELECT l.company_key, min(l.raw) AS raw, arg_min(l.company_tokens, l.raw) AS company_tokens,
           arg_min(l.company_acronyms, l.raw) AS company_acronyms,
           arg_min(l.company_simple, l.raw) AS company_simple
    FROM _rs_company_lookup l
    WHERE l.company_key <> '' AND l.company_key IN (SELECT company_key FROM {side})
    GROUP BY 1"""


def _candidate_pairs(engine: Engine) -> None:
    engine.scratch(
        "_rs_account_tokens",
        "SELECT unnest(company_tokens) AS token, account_id, company_key FROM _rs_accounts",
    )
    # Each tie company opens blocks only on its two rarest tokens (and never on a token
    # that more than _TOKEN_DF_CAP accounts share), so 'Logistics' never blocks.
    engine.scratch("_rs_company_pairs", f"""
        WITH df AS (SELECT token, count(*) AS n FROM _rs_account_tokens GROUP BY token),
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
        JOIN (SELECT company_key, unnest(company_acronyms) AS acronym FROM _rs_accounts) a
          ON a.acronym = replace(k.company_key, ' ', '')
        UNION
        SELECT k.company_key, a.company_key
        FROM (SELECT company_key, unnest(company_acronyms) AS acronym FROM _rs_company_keys) k
        JOIN _rs_accounts a ON k.acronym = replace(a.company_key, ' ', '')
        UNION
        SELECT k.company_key, a.company_key FROM _rs_company_keys k
        JOIN _rs_accounts a ON a.company_key = k.company_key""")


def _score_pairs(engine: Engine) -> tuple[int, int]:
    """``_rs_company_scores``: each distinct candidate pair of keys, scored once, with the
    weights of the token frequencies over the accounts' distinct keys (stable across runs);
    set-wise in the engine (:mod:`.company_scores`). Returns (pairs, pairs scored in Python)."""
    df = dict(engine.fetchall(
        "SELECT token, count(*) FROM (SELECT DISTINCT company_key, unnest(company_tokens) "
        "AS token FROM _rs_account_keys) GROUP BY 1"))
    keys = int(engine.scalar("SELECT count(*) FROM _rs_account_keys") or 0)
    python = score_candidates(engine, "_rs_company_keys", "_rs_account_keys",
                              token_weights(df, keys))
    return int(engine.scalar("SELECT count(*) FROM _rs_company_pairs") or 0), python


#: Each tie-person's best account by company name (adjusted for a different location and
#: for words of its own, calibrated curve: $slope, $midpoint), with the runner-up's probability.
#: The best account (and the runner-up's probability) of each tie company, as written with
#: its location: every tie-person of the same company key and location has the same
#: candidates, so they are ranked once per company, not once per person.
_BEST_SQL = """
    WITH companies AS (
        SELECT DISTINCT company_key, company_location FROM _rs_people
        WHERE company_key IS NOT NULL),
    adjusted AS (
        SELECT t.company_key, t.company_location, a.account_id, s.rule,
               s.similarity * CASE WHEN t.company_location IS NOT NULL
                                    AND a.company_location IS NOT NULL
                                    AND t.company_location <> a.company_location
                                   THEN $penalty ELSE 1.0 END
                            * CASE WHEN s.rule = 'contained' AND s.tie_extra > $extra
                                   THEN $penalty ELSE 1.0 END AS similarity
        FROM companies t
        JOIN _rs_company_scores s ON s.tie_key = t.company_key
        JOIN _rs_accounts a ON a.company_key = s.account_key),
    scored AS (
        SELECT *, CASE WHEN similarity >= 1 THEN 0.99 WHEN similarity <= 0 THEN 0.0
                       ELSE round(1 / (1 + exp(-$slope * (similarity - $midpoint))), 4)
                  END AS probability
        FROM adjusted),
    best AS (
        SELECT * FROM (
            SELECT *, row_number() OVER w AS rn, lead(probability) OVER w AS second
            FROM scored
            WINDOW w AS (PARTITION BY company_key, company_location
                         ORDER BY probability DESC, account_id))
        WHERE rn = 1)
    SELECT p.unique_id AS person_key, b.account_id, b.probability, b.similarity, b.rule,
           b.second
    FROM _rs_people p JOIN best b ON b.company_key = p.company_key
     AND b.company_location IS NOT DISTINCT FROM p.company_location"""


def match_accounts(engine: Engine) -> dict[str, int]:
    """Write ``_rs_account_candidates`` (person_key, account_id, probability, method, ...)."""
    _build_account_side(engine)
    engine.scratch("_rs_company_keys", _KEYS_SQL.format(side="_rs_people"))
    engine.scratch("_rs_account_keys", _KEYS_SQL.format(side="_rs_accounts"))
    _candidate_pairs(engine)
    scored, python = _score_pairs(engine)
    slope, midpoint = STAGE_CURVE
    engine.scratch("_rs_company_best", _BEST_SQL,
                   {"slope": slope, "midpoint": midpoint, "penalty": _LOCATION_PENALTY,
                    "extra": _EXTRA_WORDS})
    engine.scratch("_rs_account_candidates", """
        SELECT person_key, account_id, probability, second, method, similarity, rule FROM (
            SELECT *, row_number() OVER (
                PARTITION BY person_key ORDER BY priority DESC, probability DESC) AS rn
            FROM (
                SELECT person_key, account_id, probability, second,
                       'company_name' AS method, similarity, rule, 0 AS priority
                FROM _rs_company_best
                UNION ALL
                SELECT p.unique_id, min(a.account_id), 0.97, NULL, 'email_domain', NULL,
                       'e-mail domain', 1
                FROM _rs_people p JOIN _rs_accounts a ON a.domain = p.email_domain
                WHERE NOT list_contains(?::VARCHAR[], p.email_domain)
                GROUP BY p.unique_id HAVING count(*) = 1))
        WHERE rn = 1""", [list(FREE_MAIL_DOMAINS)])
    log.info("resolve: scored %d distinct company-name pairs against accounts", scored)
    return {"company_pairs_scored": scored, "company_pairs_scored_in_python": python}

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
from collections import Counter

import pyarrow as pa

from ..engine import Engine
from .companies import NormalisedCompany, normalise_company
from .company_match import compare_normalised, token_weights

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


def _build_account_side(engine: Engine) -> dict[str, NormalisedCompany]:
    """``_rs_accounts`` (id, key, core tokens, acronyms, location, web domain)."""
    accounts = engine.fetchall(
        "SELECT account_id, name FROM accounts WHERE name IS NOT NULL AND trim(name) <> ''"
    )
    normalised = [normalise_company(str(name)) for _, name in accounts]
    words = pa.list_(pa.string())
    table = pa.table({
        "account_id": pa.array([str(a) for a, _ in accounts], pa.string()),
        "company_key": pa.array([n.key for n in normalised], pa.string()),
        "company_tokens": pa.array([list(n.core) for n in normalised], words),
        "company_acronyms": pa.array([list(n.acronyms) for n in normalised], words),
        "company_location": pa.array([n.location or None for n in normalised], pa.string()),
    })
    engine.register("_rs_accounts_view", table)
    try:
        engine.scratch(
            "_rs_accounts",
            "SELECT v.*, lower(regexp_replace(a.domain, '^(https?://)?(www\\.)?|/.*$', '', 'g')) "
            "AS domain FROM _rs_accounts_view v JOIN accounts a ON a.account_id = v.account_id "
            "WHERE v.company_key <> ''",
        )
    finally:
        engine.unregister("_rs_accounts_view")
    return {n.key: n for n in normalised if n.key}


def _tie_companies(engine: Engine) -> dict[str, NormalisedCompany]:
    """Tie companies by key (``_rs_company_keys`` with acronyms), from their raw names."""
    rows = engine.fetchall(
        "SELECT DISTINCT l.raw FROM _rs_company_lookup l "
        "JOIN (SELECT DISTINCT company_key FROM _rs_people) p ON p.company_key = l.company_key"
    )
    ties: dict[str, NormalisedCompany] = {}
    for (raw,) in rows:
        norm = normalise_company(str(raw))
        ties.setdefault(norm.key, norm)
    words = pa.list_(pa.string())
    table = pa.table({
        "company_key": pa.array(list(ties), pa.string()),
        "company_tokens": pa.array([list(n.core) for n in ties.values()], words),
        "company_acronyms": pa.array([list(n.acronyms) for n in ties.values()], words),
    })
    engine.register("_rs_tie_keys_view", table)
    try:
        engine.scratch("_rs_company_keys", "SELECT * FROM _rs_tie_keys_view")
    finally:
        engine.unregister("_rs_tie_keys_view")
    return ties


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
        JOIN _rs_accounts a ON list_contains(a.company_acronyms, replace(k.company_key, ' ', ''))
        UNION
        SELECT k.company_key, a.company_key FROM _rs_company_keys k
        JOIN _rs_accounts a ON list_contains(k.company_acronyms, replace(a.company_key, ' ', ''))
        UNION
        SELECT k.company_key, a.company_key FROM _rs_company_keys k
        JOIN _rs_accounts a ON a.company_key = k.company_key""")


def _score_pairs(engine: Engine, accounts: dict[str, NormalisedCompany],
                 ties: dict[str, NormalisedCompany]) -> int:
    """``_rs_company_scores``: each distinct candidate pair of keys, scored once in Python
    with the weights of the accounts' token frequencies (stable across runs)."""
    df = Counter(t for n in accounts.values() for t in set(n.core))
    weights = token_weights(df, len(accounts))
    pairs = engine.fetch_arrow("SELECT tie_key, account_key FROM _rs_company_pairs")
    tie_keys, account_keys, sims, rules = [], [], [], []
    for tie_key, account_key in zip(pairs.column("tie_key").to_pylist(),
                                    pairs.column("account_key").to_pylist(), strict=True):
        result = compare_normalised(ties[tie_key], accounts[account_key], weights)
        if result.similarity > 0.5:
            tie_keys.append(tie_key)
            account_keys.append(account_key)
            sims.append(result.similarity)
            rules.append(result.rule)
    engine.register("_rs_scores_view", pa.table({
        "tie_key": pa.array(tie_keys, pa.string()), "account_key": pa.array(account_keys, pa.string()),
        "similarity": pa.array(sims, pa.float64()), "rule": pa.array(rules, pa.string())}))
    try:
        engine.scratch("_rs_company_scores", "SELECT * FROM _rs_scores_view")
    finally:
        engine.unregister("_rs_scores_view")
    return int(pairs.num_rows)


#: Each tie-person's best account by company name (location-adjusted, calibrated curve:
#: $slope, $midpoint), with the runner-up's probability.
_BEST_SQL = """
    WITH adjusted AS (
        SELECT p.unique_id AS person_key, a.account_id, s.rule,
               s.similarity * CASE WHEN p.company_location IS NOT NULL
                                    AND a.company_location IS NOT NULL
                                    AND p.company_location <> a.company_location
                                   THEN $penalty ELSE 1.0 END AS similarity
        FROM _rs_people p
        JOIN _rs_company_scores s ON s.tie_key = p.company_key
        JOIN _rs_accounts a ON a.company_key = s.account_key),
    scored AS (
        SELECT *, CASE WHEN similarity >= 1 THEN 0.99 WHEN similarity <= 0 THEN 0.0
                       ELSE round(1 / (1 + exp(-$slope * (similarity - $midpoint))), 4)
                  END AS probability
        FROM adjusted)
    SELECT person_key, account_id, probability, similarity, rule, second FROM (
        SELECT *, row_number() OVER w AS rn, lead(probability) OVER w AS second
        FROM scored
        WINDOW w AS (PARTITION BY person_key ORDER BY probability DESC, account_id))
    WHERE rn = 1"""


def match_accounts(engine: Engine) -> dict[str, int]:
    """Write ``_rs_account_candidates`` (person_key, account_id, probability, method, ...)."""
    accounts = _build_account_side(engine)
    ties = _tie_companies(engine)
    _candidate_pairs(engine)
    scored = _score_pairs(engine, accounts, ties)
    slope, midpoint = STAGE_CURVE
    engine.scratch("_rs_company_best", _BEST_SQL,
                   {"slope": slope, "midpoint": midpoint, "penalty": _LOCATION_PENALTY})
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
    return {"company_pairs_scored": scored}

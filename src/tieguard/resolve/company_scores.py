"""Company-name similarity of every candidate (tie company, account) pair at once.

The comparison of :func:`~tieguard.resolve.company_match.compare_normalised`, computed
set-wise in the engine instead of once per pair in Python:

* token agreements (equal, one edit, close long tokens) once per *distinct* token pair,
  vectorised with ``rapidfuzz.process.cpdist``;
* the one-to-one alignment of two names read from them where it is unambiguous (each
  token agrees with at most one token of the other name, so the greedy alignment takes
  every agreeing pair), and overlap, containment and spelling as SQL aggregates;
* pairs whose alignment is ambiguous, or whose names have glued words split
  (``parts``), are scored by ``compare_normalised`` itself: a few per cent.

Keys carry no location here: the stage applies the location signal per tie-person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

from ..engine import Engine
from .companies import GENERIC_TOKENS, normalise_company
from .company_match import JW_THRESHOLD, compare_normalised, weight_of

__all__ = ["score_candidates"]

_WORDS = pa.list_(pa.string())


def _load(engine: Engine, name: str, table: pa.Table) -> None:
    engine.register(f"{name}_view", table)
    try:
        engine.scratch(name, f"SELECT * FROM {name}_view")
    finally:
        engine.unregister(f"{name}_view")


#: A side's keys (from ``{table}``: company_key, raw, company_tokens, company_acronyms,
#: company_simple) with what the scores need: distinct core tokens, the one-word acronym
#: candidate, the tokens a containment test reads (longer than one letter, unless none is),
#: token counts and weights (see ``_contained_in``).
_KEY_STATS_SQL = """
    WITH k AS (SELECT company_key AS key, raw, list_sort(list_distinct(company_tokens)) AS core,
                      company_simple AS simple, company_acronyms AS acronyms,
                      CASE WHEN len(company_tokens) = 1
                            AND length(company_tokens[1]) BETWEEN 2 AND 6
                           THEN company_tokens[1] END AS one
               FROM {table}),
    s AS (SELECT *, CASE WHEN len(list_filter(core, lambda t: length(t) > 1)) = 0
                         THEN core ELSE list_filter(core, lambda t: length(t) > 1)
                    END AS short FROM k),
    w AS (SELECT key, sum(w) AS wsum, sqrt(sum(w * w)) AS norm
          FROM (SELECT key, unnest(core) AS token FROM k) JOIN _rs_cw USING (token)
          GROUP BY 1)
    SELECT s.key, raw, core, simple, one, acronyms, len(core) AS n,
           len(list_filter(core, lambda t: length(t) > 1)) = 0 AS use_all, len(short) AS n_s,
           len(list_filter(short, lambda t: NOT list_contains($generic, t))) = 0 AS generic_s,
           list_max(list_transform(short, lambda t: length(t))) AS maxlen_s, w.wsum, w.norm
    FROM s JOIN w USING (key)"""


def _weight_table(engine: Engine, ties: str, accounts: str,
                  weights: Mapping[str, float] | None) -> None:
    """``_rs_cw`` (token, w): the weight of every token of either side."""
    tokens = [str(r[0]) for r in engine.fetchall(
        f"SELECT DISTINCT unnest(company_tokens) FROM {ties} "
        f"UNION SELECT DISTINCT unnest(company_tokens) FROM {accounts}")]
    _load(engine, "_rs_cw", pa.table({"token": pa.array(tokens, pa.string()), "w": pa.array(
        [weight_of(t, weights) for t in tokens], pa.float64())}))


#: Every token of the tie name against every token of the account name, per candidate pair.
_PAIR_TOKENS_SQL = """
    SELECT p.tie_key, p.account_key, t.x, a.y, t.use_all AS t_all, a.use_all AS a_all
    FROM _rs_company_pairs p
    JOIN (SELECT key, use_all, unnest(core) AS x FROM _rs_ck_t) t ON t.key = p.tie_key
    JOIN (SELECT key, use_all, unnest(core) AS y FROM _rs_ck_a) a ON a.key = p.account_key"""
#: Distinct token pairs of the candidates that need an edit-distance look (both >= 5
#: letters, different, not numbers); equal tokens agree fully, the rest not at all.
_TOKEN_PAIRS_SQL = """
    SELECT DISTINCT x, y FROM _rs_pair_tokens
    WHERE x <> y AND length(x) >= 5 AND length(y) >= 5
      AND NOT regexp_full_match(x, '[0-9]+') AND NOT regexp_full_match(y, '[0-9]+')"""


def _token_agreements(engine: Engine) -> None:
    """``_rs_ta`` (x, y, s): agreeing token pairs of different spelling (s 0.9 or 0.85)."""
    pairs = engine.fetch_arrow(_TOKEN_PAIRS_SQL)
    xs = pairs.column("x").to_pylist()
    ys = pairs.column("y").to_pylist()
    s = np.zeros(len(xs))
    if xs:
        edits = cpdist(xs, ys, scorer=DamerauLevenshtein.distance, score_cutoff=1)
        longer = np.array([min(len(a), len(b)) >= 7 for a, b in zip(xs, ys, strict=True)])
        close = cpdist(xs, ys, scorer=JaroWinkler.similarity, dtype=np.float64) >= 0.92
        s = np.where(edits <= 1, 0.9, np.where(longer & close, 0.85, 0.0))
    keep = s > 0
    _load(engine, "_rs_ta", pa.table({
        "x": pa.array(xs, pa.string()).filter(pa.array(keep)),
        "y": pa.array(ys, pa.string()).filter(pa.array(keep)),
        "s": pa.array(s[keep], pa.float64())}))


#: Per candidate pair: the aligned token pairs' sums for overlap and containment both ways.
_ALIGN_SQL = """
    WITH aligned AS (
        SELECT k.*, CASE WHEN x = y THEN 1.0 ELSE ta.s END AS s, wx.w AS wx, wy.w AS wy
        FROM _rs_pair_tokens k LEFT JOIN _rs_ta ta USING (x, y)
        JOIN _rs_cw wx ON wx.token = x JOIN _rs_cw wy ON wy.token = y
        WHERE x = y OR ta.s IS NOT NULL)
    SELECT tie_key, account_key, count(*) > count(DISTINCT x) OR count(*) > count(DISTINCT y)
               AS ambiguous,
           sum(wx * wy * s) AS shared, sum(wx) AS tie_covered,
           count(*) FILTER (WHERE length(x) > 1 OR t_all) AS cnt_t,
           sum(wy) FILTER (WHERE length(x) > 1 OR t_all) AS cov_t,
           min(s) FILTER (WHERE length(x) > 1 OR t_all) AS q_t,
           count(*) FILTER (WHERE length(y) > 1 OR a_all) AS cnt_a,
           sum(wx) FILTER (WHERE length(y) > 1 OR a_all) AS cov_a,
           min(s) FILTER (WHERE length(y) > 1 OR a_all) AS q_a
    FROM aligned GROUP BY ALL"""

_CONTAINED_IN = """CASE WHEN coalesce(g.cnt_{s}, 0) < {s}.n_s OR {s}.generic_s OR {s}.maxlen_s < 3
    OR {l}.wsum = 0 THEN 0.0 ELSE round((0.85 + 0.1 * g.cov_{s} / {l}.wsum) * g.q_{s}, 6) END"""

#: Each candidate pair's scores; the rule order and tie-breaks of ``compare_normalised``.
_C_T = _CONTAINED_IN.format(s="t", l="a")
_C_A = _CONTAINED_IN.format(s="a", l="t")
_SCORES_SQL = """
    WITH s AS (
        SELECT p.tie_key, p.account_key, t.simple AND a.simple AND NOT coalesce(g.ambiguous, FALSE)
                   AS exact,
               t.key = a.key OR replace(t.key, ' ', '') = replace(a.key, ' ', '') AS same,
               list_contains(a.acronyms, t.one) OR list_contains(t.acronyms, a.one) AS acronym,
               CASE WHEN t.n = a.n THEN greatest(_C_T_, _C_A_)
                    WHEN t.n < a.n THEN _C_T_ ELSE _C_A_ END AS c,
               least(1.0, coalesce(g.shared, 0) / (t.norm * a.norm)) AS o,
               CASE WHEN j.jw >= $jw THEN 0.9 * j.jw ELSE 0.0 END AS sp,
               greatest(0.0, t.wsum - coalesce(g.tie_covered, 0)) AS tie_extra
        FROM _rs_company_pairs p
        JOIN _rs_ck_t t ON t.key = p.tie_key JOIN _rs_ck_a a ON a.key = p.account_key
        LEFT JOIN _rs_align g USING (tie_key, account_key)
        JOIN _rs_jw j USING (tie_key, account_key))
    SELECT tie_key, account_key, exact, tie_extra, CASE
             WHEN same THEN 1.0 WHEN coalesce(acronym, FALSE) THEN 0.9
             WHEN greatest(c, o, sp) <= 0 THEN 0.0 ELSE round(greatest(c, o, sp), 6) END
               AS similarity,
           CASE WHEN same THEN 'same name' WHEN coalesce(acronym, FALSE) THEN 'acronym'
                WHEN greatest(c, o, sp) <= 0 THEN 'nothing shared'
                WHEN o >= c AND o >= sp THEN 'token overlap'
                WHEN sp >= c THEN 'similar spelling' ELSE 'contained' END AS rule
    FROM s""".replace("_C_T_", _C_T).replace("_C_A_", _C_A)


def _spelling(engine: Engine) -> None:
    """``_rs_jw``: Jaro-Winkler of the two keys of every candidate pair (vectorised)."""
    pairs = engine.fetch_arrow("SELECT tie_key, account_key FROM _rs_company_pairs")
    jw = cpdist(pairs.column("tie_key").to_pylist(), pairs.column("account_key").to_pylist(),
                scorer=JaroWinkler.similarity, dtype=np.float64) if pairs.num_rows else np.zeros(0)
    _load(engine, "_rs_jw", pairs.append_column("jw", pa.array(jw, pa.float64())))


def _fallback(engine: Engine, weights: Mapping[str, float] | None) -> pa.Table:
    """Pairs the SQL cannot score exactly, scored by ``compare_normalised`` on the raw
    names that stand for the two keys (without their locations)."""
    rows = engine.fetchall(
        "SELECT s.tie_key, s.account_key, t.raw, a.raw FROM _rs_scored s "
        "JOIN _rs_ck_t t ON t.key = s.tie_key JOIN _rs_ck_a a ON a.key = s.account_key "
        "WHERE NOT s.exact")
    sims, rules = [], []
    for _, _, tie_raw, account_raw in rows:
        result = compare_normalised(
            dataclasses.replace(normalise_company(tie_raw), location=""),
            dataclasses.replace(normalise_company(account_raw), location=""), weights)
        sims.append(result.similarity)
        rules.append(result.rule)
    return pa.table({"tie_key": pa.array([r[0] for r in rows], pa.string()),
                     "account_key": pa.array([r[1] for r in rows], pa.string()),
                     "similarity": pa.array(sims, pa.float64()),
                     "rule": pa.array(rules, pa.string())})


def score_candidates(engine: Engine, ties: str, accounts: str,
                     weights: Mapping[str, float] | None, floor: float = 0.5) -> int:
    """Score ``_rs_company_pairs`` (tie_key, account_key) into ``_rs_company_scores``
    (pairs above ``floor``, with ``tie_extra``: the weight of the tie name's words the
    account name lacks); return the number of pairs scored in Python. ``ties`` and
    ``accounts`` name the key tables of the two sides (company_key, raw, company_tokens,
    company_acronyms, company_simple)."""
    _weight_table(engine, ties, accounts, weights)
    generic = {"generic": sorted(GENERIC_TOKENS)}
    for name, table in (("_rs_ck_t", ties), ("_rs_ck_a", accounts)):
        engine.scratch(name, _KEY_STATS_SQL.format(table=table), generic)
    engine.scratch("_rs_pair_tokens", _PAIR_TOKENS_SQL)
    _token_agreements(engine)
    engine.scratch("_rs_align", _ALIGN_SQL)
    _spelling(engine)
    engine.scratch("_rs_scored", _SCORES_SQL, {"jw": JW_THRESHOLD})
    _load(engine, "_rs_fallback", _fallback(engine, weights))
    engine.scratch("_rs_company_scores", """
        SELECT tie_key, account_key, similarity, rule, tie_extra FROM _rs_scored WHERE exact
        UNION ALL SELECT *, NULL::DOUBLE AS tie_extra FROM _rs_fallback""")
    engine.execute("DELETE FROM _rs_company_scores WHERE similarity <= ?", [floor])
    fallback = int(engine.scalar("SELECT count(*) FROM _rs_fallback") or 0)
    engine.drop_scratch("_rs_pair_tokens", "_rs_ck_t", "_rs_ck_a", "_rs_cw", "_rs_ta", "_rs_align", "_rs_jw",
                        "_rs_scored", "_rs_fallback")
    return fallback

"""The privacy rule: unresolved tie-people keep only a keyed hash and derived features.

After resolution, a tie-person matching no contact and no account (status
``unmatched``) loses first and last name, position, company, profile URL, e-mail
and location. What stays: ``person_hash`` (HMAC-SHA256 under the installation
secret, :mod:`tieguard.secret`, over the normalised name, company and URL, so the
same person is recognised on a later import without storing who it is),
``country``, ``company_known`` and ``company_class`` (own | competitor | account |
other). ``person_roles`` rows (derived by the roles stage) are kept.

Invitations (``Invitations.csv``) name their counterpart; an invitation whose
counterpart is no tie-person that kept its identity (pseudonymised, or never a
connection) loses ``counterpart_url``; ``counterpart_name`` becomes ``hmac:`` and a keyed
hash of name and URL (keeps the row's key unique, says nothing to a reader of the file).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..organisation import own_company_names
from .companies import normalise_company
from .company_match import company_similarity, token_agreement

__all__ = ["classify_companies", "pseudonymise", "person_hash", "scrub_invitations"]

log = logging.getLogger(__name__)


def person_hash(key: bytes, identity: str) -> str:
    """HMAC-SHA256 of an identity string under ``key`` (the SQL side uses ``tg_keyed_hash``)."""
    return hmac.new(key, identity.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _reference_names(engine: Engine, own_company: str) -> tuple[list[str], list[str]]:
    own = own_company_names(engine, own_company)
    competitors = [str(r[0]) for r in engine.fetchall(
        "SELECT name FROM competitors WHERE name IS NOT NULL")]
    return own, competitors


def _is_any(company: str, names: list[str]) -> bool:
    return any(company_similarity(company, n) >= 0.9 for n in names)


class _Reach:
    """A fast necessary test for a company name to score 0.9 against one of ``references``:
    the same key, an acronym of one another, or a (fuzzily) shared token; glued names
    (not ``simple``) always pass. Only names passing it are compared in full."""

    def __init__(self, references: list[str]) -> None:
        refs = [normalise_company(r) for r in references]
        self.tokens = {t for r in refs for t in (*r.core, *r.parts)}
        self.keys = {r.key.replace(" ", "") for r in refs}
        self.acronyms = {a for r in refs for a in r.acronyms}
        self.words = {"".join(r.core) for r in refs if len(r.core) == 1}

    def token(self, token: str) -> bool:
        """Whether one company token agrees (fuzzily) with a reference token."""
        return any(token_agreement(token, r) > 0 for r in self.tokens)

    def test(self, key: str, tokens: list[str], acronyms: list[str], simple: bool) -> bool:
        joined = key.replace(" ", "")
        return (not simple or joined in self.keys
                or (len(tokens) == 1 and joined in self.acronyms)
                or bool(self.words.intersection(acronyms))
                or any(self.token(t) for t in tokens))


_DISTINCT_COMPANIES = ("SELECT DISTINCT company FROM tie_people WHERE company IS NOT NULL "
                       "AND NOT coalesce(is_pseudonymised, FALSE)")


def _candidate_rows(engine: Engine, lookup: str, reach: list[_Reach]) -> list[tuple[Any, ...]]:
    """Tie companies of the features step's lookup that may pass one of the ``reach`` tests:
    the fuzzy token test runs once per distinct token in Python, the rest is a filter in the
    engine (a superset of the tests; the caller applies them exactly)."""
    source = (f"FROM ({_DISTINCT_COMPANIES}) t JOIN {engine.ident(lookup)} l "
              "ON l.raw = t.company WHERE l.company_key <> ''")
    tokens = [str(r[0]) for r in engine.fetchall(
        f"SELECT DISTINCT unnest(l.company_tokens) {source}")]
    reaching = [t for t in tokens if any(r.token(t) for r in reach)]
    keys = sorted({k for r in reach for k in (*r.keys, *r.acronyms)})
    words = sorted({w for r in reach for w in r.words})
    return engine.fetchall(
        "SELECT t.company, l.company_key, l.company_tokens, l.company_acronyms, "
        f"l.company_simple {source} AND (NOT l.company_simple "
        "OR list_has_any(l.company_tokens, ?::VARCHAR[]) "
        "OR list_contains(?::VARCHAR[], replace(l.company_key, ' ', '')) "
        "OR list_has_any(l.company_acronyms, ?::VARCHAR[]))", [reaching, keys, words])


def _company_rows(engine: Engine, lookup: str | None,
                  reach: list[_Reach]) -> list[tuple[Any, ...]]:
    """Distinct tie companies with key, core tokens, acronyms and whether glued words split:
    from the features step's lookup table (only those that may be classed), or normalised
    here when there is none."""
    if not reach:
        return []
    if lookup is not None:
        return _candidate_rows(engine, lookup, reach)
    rows = []
    for (company,) in engine.fetchall(_DISTINCT_COMPANIES):
        n = normalise_company(str(company))
        rows.append((company, n.key, list(n.core), list(n.acronyms),
                     not n.parts or n.parts == n.core))
    return rows


def _classes(engine: Engine, own: list[str], competitors: list[str],
             lookup: str | None) -> tuple[list[str], list[str | None]]:
    """Tie companies classed own or competitor (companies of neither are left out)."""
    own_reach, competitor_reach = _Reach(own), _Reach(competitors)
    reach = [r for r, names in ((own_reach, own), (competitor_reach, competitors)) if names]
    companies: list[str] = []
    classes: list[str | None] = []
    for company, key, tokens, acronyms, simple in _company_rows(engine, lookup, reach):
        c = str(company)
        cls = None
        if key and own and own_reach.test(key, tokens, acronyms, simple) and _is_any(c, own):
            cls = "own"
        elif key and competitors and competitor_reach.test(key, tokens, acronyms, simple) \
                and _is_any(c, competitors):
            cls = "competitor"
        if cls is not None:
            companies.append(c)
            classes.append(cls)
    return companies, classes


def classify_companies(engine: Engine, own_company: str, lookup: str | None = None) -> None:
    """Set ``company_class`` and ``company_known`` of every tie-person; ``lookup`` names the
    features step's company lookup (``_rs_company_lookup``) when the stage has one."""
    own, competitors = _reference_names(engine, own_company)
    companies, classes = _classes(engine, own, competitors, lookup)
    engine.register("_rs_company_class", pa.table({"company": pa.array(companies, pa.string()),
                                                   "cls": pa.array(classes, pa.string())}))
    try:
        engine.execute(
            """UPDATE tie_people AS t SET company_known = x.known, company_class = x.cls
               FROM (
                   SELECT m.person_key,
                          m.account_id IS NOT NULL AND m.status <> 'unmatched' AS known,
                          coalesce(k.cls, CASE WHEN m.account_id IS NOT NULL
                                                    AND m.status <> 'unmatched'
                                               THEN 'account' ELSE 'other' END) AS cls
                   FROM tie_matches m JOIN tie_people p USING (person_key)
                   LEFT JOIN _rs_company_class k ON k.company = p.company
                   WHERE NOT coalesce(p.is_pseudonymised, FALSE)) x
               WHERE x.person_key = t.person_key"""
        )
    finally:
        engine.unregister("_rs_company_class")


def pseudonymise(engine: Engine) -> int:
    """Replace unresolved tie-people by their keyed hash; return how many. The company part
    of the identity is the normalised key from the features step's ``_rs_company_lookup``."""
    rows = engine.fetch_arrow(
        """SELECT t.person_key, coalesce(t.first_name, '') AS f, coalesce(t.last_name, '') AS l,
                  coalesce(l.company_key, '') AS k, coalesce(t.profile_url, '') AS u
           FROM tie_people t JOIN tie_matches m USING (person_key)
           LEFT JOIN _rs_company_lookup l ON l.raw = t.company
           WHERE m.status = 'unmatched' AND NOT coalesce(t.is_pseudonymised, FALSE)"""
    )
    if rows.num_rows == 0:
        return 0
    identities = zip(
        rows.column("f").to_pylist(), rows.column("l").to_pylist(),
        rows.column("k").to_pylist(), rows.column("u").to_pylist(), strict=True,
    )
    identity = [
        f"{f.strip().lower()}|{last.strip().lower()}|{k}|{u.strip().lower()}"
        for f, last, k, u in identities
    ]
    engine.register("_rs_hashes", pa.table({
        "person_key": rows.column("person_key"), "identity": identity,
    }))
    try:
        engine.execute(
            """UPDATE tie_people AS t SET first_name = NULL, last_name = NULL, position = NULL,
                   company = NULL, profile_url = NULL, email = NULL, location = NULL,
                   is_pseudonymised = TRUE, person_hash = tg_keyed_hash('person:' || h.identity)
               FROM _rs_hashes h WHERE h.person_key = t.person_key"""
        )
    finally:
        engine.unregister("_rs_hashes")
    log.info("resolve: pseudonymised %d unresolved tie-people", rows.num_rows)
    return int(rows.num_rows)


def scrub_invitations(engine: Engine) -> int:
    """Blank the counterpart of invitations to people who kept no identity; return how many.

    An invitation keeps its counterpart's name and URL only while they match (by URL,
    or by name when either side has no URL, like the capital stage) a tie-person of the
    same employee that is not pseudonymised.
    """
    kept = """
        WITH tp AS (
            SELECT t.employee_id, nullif(rtrim(lower(p.profile_url), '/'), '') AS url,
                   lower(trim(concat_ws(' ', p.first_name, p.last_name))) AS name
            FROM ties t JOIN tie_people p USING (person_key)
            WHERE NOT coalesce(p.is_pseudonymised, FALSE)
        )
        SELECT 1 FROM tp WHERE tp.employee_id = i.employee_id AND (
            tp.url = nullif(rtrim(lower(i.counterpart_url), '/'), '')
            OR ((tp.url IS NULL OR nullif(i.counterpart_url, '') IS NULL)
                AND tp.name = lower(trim(i.counterpart_name))))
    """
    where = ("(i.counterpart_url IS NOT NULL OR NOT starts_with(coalesce(i.counterpart_name, "
             f"'hmac:'), 'hmac:')) AND NOT EXISTS ({kept})")
    n = int(engine.scalar(f"SELECT count(*) FROM invitations i WHERE {where}") or 0)
    if not n:
        return 0
    with engine.transaction():
        engine.execute(
            "UPDATE invitations AS i SET counterpart_url = NULL, counterpart_name = 'hmac:' || "
            "tg_keyed_hash('invitation:' || lower(trim(coalesce(i.counterpart_name, ''))) || '|' "
            f"|| rtrim(lower(coalesce(i.counterpart_url, '')), '/')) WHERE {where}")
        engine.execute(  # a newer export re-listed an invitation scrubbed before: keep one
            "DELETE FROM invitations WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() "
            "OVER (PARTITION BY employee_id, network, direction, counterpart_name, sent_at "
            "ORDER BY rowid) AS n FROM invitations WHERE starts_with(counterpart_name, 'hmac:')) "
            "WHERE n > 1)")
    log.info("resolve: pseudonymised the counterpart of %d invitations to unresolved people", n)
    return n

"""Comparison features of tie-people, contacts and accounts, built in the engine.

Python normalisers run once per *distinct* name string (a few hundred thousand at
most), their results are loaded as Arrow lookup tables, and everything else is
set-based SQL. Oversized blocks are refined with a tighter key, then capped
(:mod:`.blocking`), so 10,000 people called the same never explode the comparisons.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..engine import Engine
from .blocking import BLOCK_KEYS, BlockingSummary, cap_blocks, count_comparisons
from .companies import normalise_company
from .name_features import first_field, last_field

__all__ = ["BLOCK_KEYS", "FeatureSummary", "build_features", "normalise_url", "NAME_SQL"]

log = logging.getLogger(__name__)

#: A company token shared by more distinct names than this (share, with a floor) is
#: common: it still counts for account matching but neither blocks nor agrees alone.
RARE_TOKEN_SHARE, RARE_TOKEN_MIN = 0.0005, 20
FEATURE_COLUMNS = (
    "unique_id, first_key, first_canon, first_canons, given_tokens, last_key, last_tokens, "
    "last_joined, name_tokens, "
    "company_key, company_tokens, company_rare, company_acronym, company_location, email_domain, rel_employees, title_key, title_tokens, "
    + ", ".join(BLOCK_KEYS)
)


@dataclass
class FeatureSummary:
    people: int = 0
    contacts: int = 0
    accounts: int = 0
    people_without_name: int = 0
    contacts_without_name: int = 0
    duplicate_contacts: int = 0
    accounts_without_name: int = 0
    blocking: BlockingSummary = field(default_factory=BlockingSummary)
    capped_records: int = 0        # named tie-people left with no blocking key at all
    blocked_comparisons: int = 0   # upper bound: pairs per blocking key, summed over keys

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "blocking"}
        return out | self.blocking.as_dict()


def normalise_url(column: str) -> str:
    """SQL expression: a profile URL reduced to host-less path, lowercase, no slash."""
    return (
        f"nullif(rtrim(regexp_replace(lower(trim({column})), "
        "'^(https?://)?([a-z]+\\.)?(linkedin\\.com|xing\\.com)/|[?#].*$', '', 'g'), '/'), '')"
    )


def _first_lookup(values: list[str]) -> pa.Table:
    parts = [first_field(v) for v in values]
    return pa.table({
        "raw": values,
        "first_key": [p.first_key for p in parts],
        "first_canon": [p.first_canon for p in parts],
        "first_canons": [list(p.first_canons) for p in parts],
        "given_tokens": [list(p.given_tokens) for p in parts],
        "rest_key": [p.rest_key for p in parts],
        "rest_tokens": [list(p.rest_tokens) for p in parts],
    })


def _last_lookup(values: list[str]) -> pa.Table:
    parts = [last_field(v) for v in values]
    return pa.table({
        "raw": values,
        "last_key": [p.last_key for p in parts],
        "last_tokens": [list(p.last_tokens) for p in parts],
        "last_joined": [p.last_joined for p in parts],
    })


def _company_lookup(values: list[str]) -> pa.Table:
    """Company features; ``company_rare`` keeps tokens few distinct names share."""
    parts = [normalise_company(v) for v in values]
    df = Counter(t for key in {p.key: p.core for p in parts}.values() for t in set(key))
    cap = max(RARE_TOKEN_MIN, int(len(values) * RARE_TOKEN_SHARE))
    return pa.table({
        "raw": values,
        "company_key": [p.key for p in parts],
        "company_tokens": [list(p.core) for p in parts],
        "company_rare": [[t for t in p.core if df[t] <= cap] for p in parts],
        "company_acronym": [p.acronym for p in parts],
        "company_location": [p.location for p in parts],
        # for account matching: every acronym the name goes by; whether no glued word split
        "company_acronyms": [list(p.acronyms) for p in parts],
        "company_simple": [not p.parts or p.parts == p.core for p in parts],
    })


def _register_lookups(engine: Engine) -> None:
    """Normalise each distinct name string once, in Python, into lookup tables."""
    first_sql = (
        "SELECT DISTINCT first_name FROM tie_people WHERE first_name IS NOT NULL UNION "
        "SELECT DISTINCT first_name FROM contacts WHERE first_name IS NOT NULL"
    )
    last_sql = (
        "SELECT DISTINCT last_name FROM tie_people WHERE last_name IS NOT NULL UNION "
        "SELECT DISTINCT last_name FROM contacts WHERE last_name IS NOT NULL"
    )
    company_sql = (
        "SELECT DISTINCT company FROM tie_people WHERE company IS NOT NULL UNION "
        "SELECT DISTINCT name FROM accounts WHERE name IS NOT NULL"
    )
    for name, sql, build in (
        ("_rs_first_lookup", first_sql, _first_lookup),
        ("_rs_last_lookup", last_sql, _last_lookup),
        ("_rs_company_lookup", company_sql, _company_lookup),
    ):
        values = [str(r[0]) for r in engine.fetchall(sql)]
        table = build(values)
        engine.register(f"{name}_view", table)
        try:
            engine.scratch(name, f"SELECT * FROM {name}_view")
        finally:
            engine.unregister(f"{name}_view")


#: A position/title reduced to lowercase ASCII words ('Head of R&D | ACME' -> 'head of r d');
#: the part after '|', '@' or ' at ' (usually the company) is dropped.
TITLE_KEY_SQL = (
    "nullif(trim(regexp_replace(lower(strip_accents(regexp_replace(coalesce({col}, ''), "
    "'\\s*(\\||@| at ).*$', ''))), '[^a-z0-9]+', ' ', 'g')), '')"
)
TITLE_STOPWORDS = "'of', 'the', 'and', 'for', 'de', 'der', 'van', 'und', 'en', 'et', 'senior', 'sr'"

#: Feature columns of one side; placeholders are SQL fragments from this module only.
FEATURES_SQL = """
        SELECT s.unique_id,
               {names},
               nullif(c.company_key, '') AS company_key,
               CASE WHEN len(c.company_tokens) > 0 THEN c.company_tokens END AS company_tokens,
               CASE WHEN len(c.company_rare) > 0 THEN c.company_rare END AS company_rare,
               nullif(c.company_acronym, '') AS company_acronym,
               nullif(c.company_location, '') AS company_location,
               nullif(lower(split_part({email}, '@', 2)), '') AS email_domain,
               s.rel_employees, {title_key} AS title_key,
               nullif(list_filter(string_split({title_key}, ' '),
                      lambda x: x NOT IN ({stopwords})), []) AS title_tokens
        FROM {source} s
        LEFT JOIN _rs_first_lookup f ON f.raw = s.{first}
        LEFT JOIN _rs_last_lookup l ON l.raw = s.{last}
        LEFT JOIN _rs_company_lookup c ON c.raw = s.{company}
    """


#: Name features of one record from the first- and last-name lookups ``f`` and ``l``
#: (a surname typed into the first-name field counts as the last name).
NAME_SQL = """
    nullif(f.first_key, '') AS first_key,
    nullif(f.first_canon, '') AS first_canon,
    CASE WHEN f.first_key <> '' THEN f.first_canons END AS first_canons,
    CASE WHEN f.first_key <> '' THEN f.given_tokens END AS given_tokens,
    nullif(coalesce(nullif(l.last_key, ''), f.rest_key), '') AS last_key,
    CASE WHEN l.last_key <> '' THEN l.last_tokens
         WHEN f.rest_key <> '' THEN f.rest_tokens END AS last_tokens,
    nullif(coalesce(nullif(l.last_joined, ''), f.rest_key), '') AS last_joined,
    nullif(list_distinct(list_concat(coalesce(f.given_tokens, []), coalesce(l.last_tokens, []))),
           []) AS name_tokens"""

#: Employees holding a tie to each tie-person (the relationship prior's left side).
TIE_EMPLOYEES_SQL = """
    SELECT person_key, list(DISTINCT employee_id ORDER BY employee_id) AS rel_employees
    FROM ties WHERE person_key IS NOT NULL AND employee_id IS NOT NULL GROUP BY 1"""
#: Employees who own each contact, its account or an opportunity of its account.
CONTACT_OWNERS_SQL = """
    WITH account_owners AS (
        SELECT account_id, owner_employee_id AS e FROM accounts
        UNION SELECT account_id, owner_employee_id FROM opportunities),
    owners AS (
        SELECT contact_id, owner_employee_id AS e FROM contacts
        UNION SELECT c.contact_id, o.e FROM contacts c JOIN account_owners o USING (account_id))
    SELECT contact_id, list(DISTINCT e ORDER BY e) AS rel_employees
    FROM owners WHERE e IS NOT NULL GROUP BY 1"""


def _features_sql(source: str, first: str, last: str, company: str, email: str) -> str:
    """SELECT producing the feature columns (without block keys) of one side."""
    return FEATURES_SQL.format(
        source=source, first=first, last=last, company=company, email=email,
        title_key=TITLE_KEY_SQL.format(col="s.title"), stopwords=TITLE_STOPWORDS, names=NAME_SQL,
    )


def _build_side_tables(engine: Engine) -> None:
    engine.scratch("_rs_people_raw", ""
        + _features_sql(
            "(SELECT t.person_key AS unique_id, first_name, last_name, company, email, "
            "t.position AS title, "
            f"r.rel_employees FROM tie_people t LEFT JOIN ({TIE_EMPLOYEES_SQL}) r "
            "ON r.person_key = t.person_key WHERE NOT coalesce(t.is_pseudonymised, FALSE))",
            "first_name", "last_name", "company", "email",
        )
    )
    # Duplicate CRM contacts (same name at the same account) collapse to the lowest id.
    engine.scratch("_rs_contacts_all", ""
        + _features_sql(
            "(SELECT c.contact_id AS unique_id, c.first_name, c.last_name, "
            "a.name AS company, c.email, o.rel_employees, c.title FROM contacts c "
            "LEFT JOIN accounts a ON a.account_id = c.account_id "
            f"LEFT JOIN ({CONTACT_OWNERS_SQL}) o ON o.contact_id = c.contact_id)",
            "first_name", "last_name", "company", "email",
        )
    )
    engine.scratch("_rs_contact_dupes", """SELECT unique_id, min(unique_id) OVER (
               PARTITION BY first_key, last_key, coalesce(company_key, '')) AS keep_id
           FROM _rs_contacts_all WHERE first_key IS NOT NULL AND last_key IS NOT NULL"""
    )
    engine.scratch("_rs_contacts_raw", """SELECT a.* FROM _rs_contacts_all a
           LEFT JOIN _rs_contact_dupes d ON d.unique_id = a.unique_id
           WHERE d.keep_id IS NULL OR d.keep_id = a.unique_id"""
    )


def _cap_blocks(engine: Engine, max_pairs: int, max_size: int, summary: FeatureSummary) -> None:
    """Add block-key columns; refine, then cap, oversized blocks (see :mod:`.blocking`)."""
    for side in ("people", "contacts"):
        keys = ", ".join(f"{expr} AS {name}" for name, expr in BLOCK_KEYS.items())
        engine.scratch(f"_rs_{side}_k", f"SELECT *, {keys} FROM _rs_{side}_raw")
    summary.blocking = cap_blocks(engine, max_pairs, max_size)
    base = ", ".join(c.strip() for c in FEATURE_COLUMNS.split(","))
    for side in ("people", "contacts"):
        engine.scratch(f"_rs_{side}", f"SELECT {base} FROM _rs_{side}_k")
        engine.drop_scratch(f"_rs_{side}_k")
    if summary.blocking.capped_blocks:
        summary.capped_records = int(engine.scalar(
            "SELECT count(*) FROM _rs_people WHERE "
            + " AND ".join(f"{n} IS NULL" for n in BLOCK_KEYS)
            + " AND first_key IS NOT NULL AND last_key IS NOT NULL"
        ) or 0)


def build_features(engine: Engine, max_block_size: int,
                   max_block_pairs: int = 5_000) -> FeatureSummary:
    """Create ``_rs_people``, ``_rs_contacts`` (feature + block-key columns)."""
    summary = FeatureSummary()
    _register_lookups(engine)
    _build_side_tables(engine)
    _cap_blocks(engine, max_block_pairs, max_block_size, summary)
    summary.blocked_comparisons = count_comparisons(engine)
    summary.people = int(engine.scalar("SELECT count(*) FROM _rs_people") or 0)
    summary.contacts = int(engine.scalar("SELECT count(*) FROM _rs_contacts") or 0)
    summary.accounts = int(engine.scalar("SELECT count(*) FROM accounts") or 0)
    summary.people_without_name = int(engine.scalar(
        "SELECT count(*) FROM _rs_people WHERE first_key IS NULL AND last_key IS NULL") or 0)
    summary.contacts_without_name = int(engine.scalar(
        "SELECT count(*) FROM _rs_contacts WHERE first_key IS NULL AND last_key IS NULL") or 0)
    summary.duplicate_contacts = int(engine.scalar(
        "SELECT count(*) FROM _rs_contact_dupes WHERE keep_id <> unique_id") or 0)
    summary.accounts_without_name = int(engine.scalar(
        "SELECT count(*) FROM accounts WHERE name IS NULL OR trim(name) = ''") or 0)
    for what, n in (("tie-people without a usable name", summary.people_without_name),
                    ("duplicate CRM contacts (same name and account)", summary.duplicate_contacts),
                    ("accounts without a name", summary.accounts_without_name)):
        if n:
            log.warning("resolve: %d %s; they are skipped for name matching.", n, what)
    return summary

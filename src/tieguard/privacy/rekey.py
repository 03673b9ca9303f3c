"""Re-derive every keyed pseudonym under the installation secret the engine holds now.

Used after rotating the secret (``tieguard privacy rekey --new-secret``), when a warehouse
was built before keyed pseudonyms (plain md5 keys), or when the old secret is lost.

- People whose identity the warehouse still holds (CRM-matched, under review) get the key a
  new import would give them: HMAC of their normalised profile URL, else name and company.
- Pseudonymised people have no identity left: their keys (and ``person_hash``) become
  ``HMAC(new secret, old key)``. They cannot be linked to the old keys without the old secret,
  and a later import of an export listing them creates them anew (the old rows age out as
  removed when the employee's next export no longer matches them).
- ``tie_id`` follows its person key; hidden-member ties are re-hashed from their old id.
- The key id in ``pseudonym_keys`` is replaced and the file compacted (old keys leave it).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from .. import schema
from ..engine import Engine
from ..secret import key_id
from ..sources.keys import (
    name_key_sql,
    name_text_sql,
    person_key_sql,
    tie_id_sql,
    url_base_sql,
)

__all__ = ["RekeyResult", "rekey"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RekeyResult:
    """How many keys were re-derived, and how."""

    people_from_identity: int
    people_from_old_key: int
    ties: int
    key_id: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_URL_BASE = url_base_sql("profile_url")
_NAME_TEXT = name_text_sql("f", "l", "c")
_BY_IDENTITY = person_key_sql("f", "l", "url_base", "name_text")

#: old person key -> new key: from identity when held and unique, else from the old key
_PEOPLE_MAP = """
    WITH src AS (
        SELECT person_key AS old_key, coalesce(is_pseudonymised, FALSE) AS pseudonymised,
               nullif(trim(first_name), '') AS f, nullif(trim(last_name), '') AS l,
               nullif(trim(company), '') AS c, """ + _URL_BASE + """ AS url_base
        FROM tie_people
    ), named AS (
        SELECT *, """ + _NAME_TEXT + """ AS name_text FROM src
    ), derived AS (
        SELECT old_key, CASE WHEN NOT pseudonymised THEN """ + _BY_IDENTITY + """ END AS by_id
        FROM named
    )
    SELECT old_key,
           CASE WHEN by_id IS NOT NULL AND count(*) OVER (PARTITION BY by_id) = 1
                THEN by_id ELSE tg_keyed_hash('rekey:' || old_key) END AS new_key,
           by_id IS NOT NULL AND count(*) OVER (PARTITION BY by_id) = 1 AS from_identity
    FROM derived
"""

#: old tie id -> new: from the new person key, or (hidden members) from the old id
_TIES_MAP = """
    SELECT t.tie_id AS old_id,
           CASE WHEN t.person_key IS NULL THEN tg_keyed_hash('rekey:' || t.tie_id)
                ELSE """ + tie_id_sql("t.employee_id", "t.network", "m.new_key") + """ END AS new_id
    FROM ties t LEFT JOIN _tg_rekey_people m ON m.old_key = t.person_key
"""


#: The linking keys (:mod:`tieguard.sources.link`) from identity where it is held; a
#: pseudonymised person's cannot be re-derived and become NULL (they link no more).
_LINK_KEYS = """UPDATE tie_people AS x SET name_key = k.name_key, url_key = k.url_key
    FROM (SELECT person_key, CASE WHEN NOT pseudonymised THEN """ + \
    name_key_sql("f", "l", "c") + """ END AS name_key,
                 CASE WHEN NOT pseudonymised THEN """ + \
    person_key_sql("NULL", "NULL", "url_base", "''") + """ END AS url_key
          FROM (SELECT person_key, coalesce(is_pseudonymised, FALSE) AS pseudonymised,
                       nullif(trim(first_name), '') AS f, nullif(trim(last_name), '') AS l,
                       nullif(trim(company), '') AS c, """ + _URL_BASE + """ AS url_base
                FROM tie_people)) k
    WHERE x.person_key = k.person_key"""


def _tables_with(column: str) -> list[schema.Table]:
    return [t for t in schema.TABLES if column in t.column_names()]


def rekey(engine: Engine, secret: bytes) -> RekeyResult:
    """Re-derive person keys, tie ids and hashes under ``secret`` (the engine's key)."""
    engine.scratch("_tg_rekey_people", _PEOPLE_MAP)
    engine.scratch("_tg_rekey_ties", _TIES_MAP)
    try:
        with engine.transaction():
            for decl in _tables_with("tie_id"):
                engine.execute(f"UPDATE {engine.ident(decl.name)} AS x SET tie_id = m.new_id "
                               "FROM _tg_rekey_ties m WHERE x.tie_id = m.old_id")
            for decl in _tables_with("person_key"):
                engine.execute(f"UPDATE {engine.ident(decl.name)} AS x SET person_key = m.new_key "
                               "FROM _tg_rekey_people m WHERE x.person_key = m.old_key")
            engine.execute("UPDATE tie_people SET person_hash = tg_keyed_hash('rekey:' || person_hash) "
                           "WHERE person_hash IS NOT NULL")
            engine.execute(_LINK_KEYS)
            engine.execute(
                "UPDATE invitations SET counterpart_name = 'hmac:' || tg_keyed_hash('rekey:' || "
                "counterpart_name) WHERE starts_with(counterpart_name, 'hmac:')")
            engine.execute("DELETE FROM pseudonym_keys")
            new_id = key_id(secret)
            engine.execute("INSERT INTO pseudonym_keys (key_id, created_at) VALUES (?, ?)",
                           [new_id, dt.datetime.now()])
        counts = engine.fetchone(
            "SELECT count(*) FILTER (from_identity), count(*) FILTER (NOT from_identity) "
            "FROM _tg_rekey_people") or (0, 0)
        ties = int(engine.scalar("SELECT count(*) FROM _tg_rekey_ties") or 0)
    finally:
        engine.drop_scratch("_tg_rekey_people", "_tg_rekey_ties")
    engine.compact()
    log.info("re-keyed %d people from identity, %d from their old key", counts[0], counts[1])
    return RekeyResult(int(counts[0]), int(counts[1]), ties, new_id)

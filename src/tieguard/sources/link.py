"""One key per person across export variants with and without profile URLs.

A row with a profile URL is keyed by the URL, a row without one (the 2021 and 2018 LinkedIn
variants, many vCards) by name and company (:mod:`tieguard.sources.keys`). Without linking, the
same person exported by one employee with URL and by another without would be two people, and
an employee's newer export with URLs would re-key every connection of an older URL-less one
(all removed, all new again). Linking is conservative and never re-keys stored rows:

- a row with a URL whose key is new becomes the stored URL-less person of the same name and
  company (that person then carries the URL's key in ``url_key``), when exactly one URL of the
  batch claims that name; the first key a person got stays theirs;
- a row without URL becomes the one person with a URL (stored, or in the same batch) whose name
  and company are the same; with two or more such people it stays apart (a common name at a
  large company is not evidence enough).

``tie_people.name_key`` and ``url_key`` are keyed hashes like ``person_key`` (no plain text).
"""

from __future__ import annotations

from ..engine import Engine
from .keys import name_key_of_named_sql, url_key_sql

__all__ = ["link_person_keys", "drop_link_tables", "record_person_keys", "KEYED_ROWS"]

#: The keyed rows of the batch: own key (the URL's key, else the name key) and name key.
#: Each keyed hash is computed once per distinct normalised URL and name text of the batch
#: and joined to the rows (people appear in many exports: a hash costs far more than the join).
_LINKS = f"""WITH urls AS (
        SELECT url_norm, {url_key_sql('url_norm')} AS url_key
        FROM (SELECT DISTINCT url_norm FROM _tg_conn WHERE url_norm IS NOT NULL)),
    names AS (
        SELECT name_text, {name_key_of_named_sql('name_text')} AS name_key
        FROM (SELECT DISTINCT name_text FROM _tg_conn WHERE name_text IS NOT NULL))
    SELECT c.rowid AS conn_row, c.file_idx, c.connected_on, c.clean_email IS NOT NULL AS has_email,
           c.clean_url IS NOT NULL AS has_url, coalesce(u.url_key, n.name_key) AS own_key,
           n.name_key
    FROM _tg_conn c LEFT JOIN urls u USING (url_norm) LEFT JOIN names n USING (name_text)
    WHERE c.problem IS NULL AND NOT c.is_hidden
      AND (c.url_norm IS NOT NULL OR c.name_text IS NOT NULL)"""

#: Columns of the link tables: a keyed row of ``_tg_conn`` (``conn_row``), what the loader
#: needs of it, its own, name and URL keys and the person key it links to.
_COLUMNS = "conn_row, file_idx, connected_on, has_email, has_url, own_key, name_key, url_key, person_key"
#: Every keyed row of the batch with its person key, from the tables of
#: :func:`link_person_keys` (until :func:`drop_link_tables`).
KEYED_ROWS = f"""(SELECT {_COLUMNS} FROM _tg_link_url
                 UNION ALL SELECT {_COLUMNS} FROM _tg_link_name)"""

#: Rows with a URL (own key is not the name key): a stored person by URL key; else the
#: URL-less person of the same name, stored or in an earlier file of the batch (as if the
#: files were imported one by one), when only one new URL of the batch claims that name;
#: else the URL's own key.
_BY_URL = """WITH url AS (
        SELECT l.*, u.person_key AS stored FROM _tg_links l
        LEFT JOIN (SELECT url_key, any_value(person_key) AS person_key FROM tie_people
                   WHERE url_key IS NOT NULL GROUP BY url_key) u ON u.url_key = l.own_key
        WHERE l.own_key IS DISTINCT FROM l.name_key),
    claims AS (SELECT name_key, count(DISTINCT own_key) AS urls, min(file_idx) AS first_file
               FROM url WHERE stored IS NULL GROUP BY name_key),
    nameless AS (SELECT name_key, min(file_idx) AS first_file FROM _tg_links
                 WHERE own_key = name_key GROUP BY name_key)
    SELECT url.conn_row, url.file_idx, url.connected_on, url.has_email, url.has_url,
           url.own_key, url.name_key, url.own_key AS url_key,
           coalesce(url.stored, CASE WHEN c.urls = 1 AND (n.person_key IS NOT NULL
                                     OR b.first_file < c.first_file) THEN url.name_key END,
                    url.own_key) AS person_key
    FROM url LEFT JOIN claims c USING (name_key)
    LEFT JOIN nameless b USING (name_key)
    LEFT JOIN (SELECT person_key FROM tie_people WHERE url_key IS NULL
               AND person_key = name_key) n ON n.person_key = url.name_key"""

#: Rows without URL: a stored person of that key stays; else the only person with a URL of
#: that name (stored or just keyed above), else own key.
_BY_NAME = """WITH cand AS (
        SELECT name_key, person_key FROM tie_people
        WHERE name_key IS NOT NULL AND url_key IS NOT NULL AND person_key <> name_key
        UNION SELECT name_key, person_key FROM _tg_link_url
        WHERE name_key IS NOT NULL AND person_key <> name_key),
    one AS (SELECT name_key, any_value(person_key) AS person_key FROM cand
            GROUP BY name_key HAVING count(DISTINCT person_key) = 1)
    SELECT l.conn_row, l.file_idx, l.connected_on, l.has_email, l.has_url, l.own_key,
           l.name_key, NULL::VARCHAR AS url_key,
           CASE WHEN s.person_key IS NULL THEN coalesce(one.person_key, l.own_key)
                ELSE l.own_key END AS person_key
    FROM _tg_links l
    LEFT JOIN (SELECT person_key FROM tie_people) s ON s.person_key = l.own_key
    LEFT JOIN one ON one.name_key = l.own_key
    WHERE l.own_key = l.name_key"""


def link_person_keys(engine: Engine) -> int:
    """Key the batch's rows (``_tg_conn``) and find the person each is; return the number
    of rows linked to another key than their own. The rows with their keys are in
    :data:`KEYED_ROWS` (and ``_tg_links``) until :func:`drop_link_tables`."""
    engine.scratch("_tg_links", _LINKS)
    engine.scratch("_tg_link_url", _BY_URL)
    engine.scratch("_tg_link_name", _BY_NAME)
    return int(engine.scalar(
        "SELECT count(*) FROM (SELECT own_key, person_key FROM _tg_link_url UNION ALL "
        "SELECT own_key, person_key FROM _tg_link_name) WHERE person_key <> own_key") or 0)


def drop_link_tables(engine: Engine) -> None:
    """Drop the tables of :func:`link_person_keys` (the loader has its keyed rows in
    ``_tg_ties``)."""
    engine.drop_scratch("_tg_links", "_tg_link_url", "_tg_link_name")


def record_person_keys(engine: Engine) -> None:
    """Store the name key and URL key of people known before the batch where they have
    none yet (new people got theirs with their row); the loader's ``_tg_people`` marks
    them (``keys_missing``), usually none."""
    if engine.scalar("SELECT count(*) FROM _tg_people WHERE keys_missing"):
        engine.execute(
            """UPDATE tie_people t SET name_key = coalesce(t.name_key, k.link_name_key),
                                       url_key = coalesce(t.url_key, k.link_url_key)
            FROM (SELECT person_key, link_name_key, link_url_key FROM _tg_people
                  WHERE keys_missing) k
            WHERE t.person_key = k.person_key"""
        )

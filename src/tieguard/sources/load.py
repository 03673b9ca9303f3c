"""Writing staged connections into the warehouse: imports, quarantine, people, ties.

Works on the temporary tables ``_tg_files`` (one row per file of the batch, at most one
per employee and network) and ``_tg_conn`` (classified rows). Every statement is
set-based; callers wrap :func:`write_connections` in one transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from typing import Any

import pyarrow as pa

from ..engine import Engine
from .keys import kept_name_sql, tie_id_sql
from .link import KEYED_ROWS
from .report import Problem

__all__ = ["import_id_for", "already_imported", "default_supplier", "build_ties",
           "write_connections", "record_import", "PEOPLE_COLUMNS", "store_rows",
           "quarantine_problems"]

PEOPLE_COLUMNS = ["first_name", "last_name", "position", "company", "profile_url", "email"]
#: ``_tg_conn``'s column (``clean_*``) of each people column, where the names differ.
_CONN_COLUMN = {"profile_url": "url"}


def import_id_for(content_sha256: str, kind: str, employee_id: str | None) -> str:
    """The import key: the same content, kind and employee is the same import."""
    return hashlib.sha256(f"{content_sha256}|{kind}|{employee_id or ''}".encode()).hexdigest()


def already_imported(engine: Engine, import_id: str) -> bool:
    return bool(engine.scalar("SELECT count(*) FROM imports WHERE import_id = ?", [import_id]))


def default_supplier() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def record_import(engine: Engine, row: dict[str, Any]) -> None:
    """Insert one row into ``imports`` (keys as the table's columns)."""
    row = {**row, "imported_at": dt.datetime.now()}
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    engine.execute(f"INSERT INTO imports ({cols}) VALUES ({marks})", list(row.values()))


def build_ties(engine: Engine) -> None:
    """``_tg_ties``: one row per tie of the batch: its file and export date, its row of
    ``_tg_conn`` (``conn_row``), person_key and tie_id. The people's values stay in
    ``_tg_conn`` and the file's employee and import in ``_tg_files``: they are joined in
    where needed, so the batch's text is not copied a second time (half the CPU time of
    this step, a quarter less peak memory).

    Hidden members get a key from (date, ordinal among hidden rows of that date), so
    each is kept and the same hidden row in a newer export is the same tie.
    """
    hidden_key = tie_id_sql("f.employee_id", "f.network",
                            "'hidden|' || coalesce(CAST(c.connected_on AS VARCHAR), '') "
                            "|| '|' || row_number() OVER (PARTITION BY c.file_idx, c.connected_on)")
    # keyed rows come from the link tables (:data:`KEYED_ROWS`, with their name and URL
    # keys and whether they have an e-mail and URL, for the people); a row that is neither
    # hidden nor keyed (a URL that normalises to nothing, no name) has no person key
    engine.scratch(
        "_tg_ties", f"""SELECT k.file_idx, k.conn_row, f.exported_on, FALSE AS is_hidden,
               k.connected_on, k.person_key,
               {tie_id_sql('f.employee_id', 'f.network', 'k.person_key')} AS tie_id,
               k.name_key, k.url_key, k.has_email, k.has_url
        FROM {KEYED_ROWS} k JOIN _tg_files f USING (file_idx)
        UNION ALL
        SELECT c.file_idx, c.rowid, f.exported_on, FALSE, c.connected_on, NULL::VARCHAR,
               {tie_id_sql('f.employee_id', 'f.network', 'NULL::VARCHAR')},
               NULL::VARCHAR, NULL::VARCHAR, c.clean_email IS NOT NULL, c.clean_url IS NOT NULL
        FROM _tg_conn c JOIN _tg_files f USING (file_idx)
        WHERE c.problem IS NULL AND NOT c.is_hidden AND c.url_norm IS NULL
          AND c.name_text IS NULL"""
    )
    # the same person twice in one export: keep the earliest row. Candidates are found
    # by grouping on the engine's 64-bit hash of the key (an integer aggregate, far
    # cheaper than grouping the text keys; the hash is never stored), then checked
    # exactly on the few candidate rows
    engine.execute(
        """DELETE FROM _tg_ties WHERE rowid IN (
            SELECT rowid FROM (
              SELECT rowid, row_number() OVER (PARTITION BY tie_id ORDER BY connected_on) AS n
              FROM _tg_ties WHERE hash(tie_id) IN (
                SELECT hash(tie_id) FROM _tg_ties GROUP BY ALL HAVING count(*) > 1))
            WHERE n > 1)"""
    )
    engine.execute(
        f"""INSERT INTO _tg_ties BY NAME
        SELECT c.file_idx, c.rowid AS conn_row, f.exported_on, TRUE AS is_hidden, c.connected_on,
               {hidden_key} AS tie_id
        FROM _tg_conn c JOIN _tg_files f USING (file_idx)
        WHERE c.problem IS NULL AND c.is_hidden"""
    )


#: ``_tg_ties`` with its file's columns (employee, network, import).
_TIES_OF_FILES = """(SELECT n.*, f.import_id, f.employee_id, f.network
                     FROM _tg_ties n JOIN _tg_files f USING (file_idx))"""


def write_connections(engine: Engine, *, snapshot: bool = True) -> dict[int, int]:
    """Write the batch into the canonical tables; return ties removed per file_idx.

    ``snapshot``: the files are complete exports (ties missing from them are removed);
    False for partial sources such as single vCards.
    """
    _write_imports(engine)
    engine.execute(
        """INSERT INTO quarantine (import_id, file_name, line, column_name, reason, raw)
        SELECT f.import_id, f.file_name, c.line, c.problem_column, c.problem, c.raw
        FROM _tg_conn c JOIN _tg_files f USING (file_idx) WHERE c.problem IS NOT NULL"""
    )
    _upsert_people(engine)
    removed = _write_ties(engine, snapshot)
    if not snapshot:
        return removed
    engine.execute(
        """INSERT INTO snapshots (import_id, employee_id, network, exported_on, ties,
                                  hidden_members)
        SELECT f.import_id, f.employee_id, f.network, f.exported_on,
               count(t.tie_id) FILTER (WHERE NOT t.is_hidden),
               count(t.tie_id) FILTER (WHERE t.is_hidden)
        FROM _tg_files f LEFT JOIN _tg_ties t USING (file_idx)
        GROUP BY ALL"""
    )
    return removed


def _write_imports(engine: Engine) -> None:
    engine.execute(
        """INSERT INTO imports (import_id, kind, format, file_name, content_sha256, employee_id,
            supplied_by, basis, encoding, exported_on, imported_at, rows_read, rows_quarantined)
        SELECT f.import_id, f.kind, f.format, f.file_name, f.sha256,
               f.employee_id, f.supplied_by, f.basis, f.encoding, f.exported_on,
               current_timestamp::TIMESTAMP, count(c.file_idx),
               count(c.file_idx) FILTER (WHERE c.problem IS NOT NULL)
        FROM _tg_files f LEFT JOIN _tg_conn c USING (file_idx)
        GROUP BY ALL"""
    )


#: Order of the batch's ties: newest export last, later file last on equal dates.
_NEWEST = "(exported_on - DATE '1900-01-01') * 4294967296 + file_idx"
#: Order of the batch's rows: first file first, then rows as stored.
_FIRST = "file_idx::BIGINT * 4294967296 + conn_row"
#: Per person of the batch: the newest tie's row and export date; the newest rows with an
#: e-mail and a URL (kept where the newest row has none: a linked URL-less variant, an
#: e-mail in one export only, as one-by-one imports keep them); the name and URL key of
#: its first row that has them (as a person's first export sets them, later ones only
#: fill in a missing one). One integer aggregate; the values are fetched by joins.
_BATCH_PEOPLE = f"""SELECT person_key, max(exported_on) AS exported_on,
        arg_max(conn_row, {_NEWEST}) AS newest_row,
        arg_max(conn_row, {_NEWEST}) FILTER (WHERE has_email) AS email_row,
        arg_max(conn_row, {_NEWEST}) FILTER (WHERE has_url) AS url_row,
        arg_min(name_key, {_FIRST}) FILTER (WHERE name_key IS NOT NULL) AS link_name_key,
        arg_min(url_key, {_FIRST}) FILTER (WHERE url_key IS NOT NULL) AS link_url_key
    FROM _tg_ties WHERE person_key IS NOT NULL GROUP BY person_key"""


def _upsert_people(engine: Engine) -> None:
    """Insert new tie-people; update known ones whose values changed, if this export is
    the newest sighting of them (the later file of the batch on equal dates, as if
    imported one by one). New people are stored in key order: each batch's rows then
    cover a narrow key range per row group, and a later small import (a vCard) whose few
    keys are looked up skips the row groups that cannot hold them (on 2.9 M people: 0.11
    -> 0.014 CPU-seconds per lookup; the sort costs ~0.3 CPU-s per million new people).
    The newest row per person is found by an integer aggregate (:data:`_BATCH_PEOPLE`:
    its rowid) and fetched by a join, which is cheaper than aggregating the values. One
    join with ``tie_people`` classifies the batch's people (new, changed, unchanged); only
    the few changed ones are checked against ties."""
    cols = ", ".join(PEOPLE_COLUMNS)
    conn = {c: f"clean_{_CONN_COLUMN.get(c, c)}" for c in PEOPLE_COLUMNS}
    newest = ", ".join(f"coalesce(n.{conn[c]}, k_{c}.{conn[c]}) AS {c}"
                       if c in ("email", "profile_url") else f"n.{conn[c]} AS {c}"
                       for c in PEOPLE_COLUMNS)
    differs = " OR ".join(
        f"(p.{c} IS NOT NULL AND p.{c} IS DISTINCT FROM t.{c})" if c in ("email", "profile_url")
        else f"p.{c} IS DISTINCT FROM t.{c}" for c in PEOPLE_COLUMNS
    )
    engine.scratch(
        "_tg_people", f"""SELECT p.*, t.person_key IS NOT NULL AS known,
               t.person_key IS NOT NULL AND NOT coalesce(t.is_pseudonymised, FALSE)
                 AND ({differs}) AS changed,
               t.person_key IS NOT NULL AND (t.name_key IS NULL AND p.link_name_key IS NOT NULL
                 OR t.url_key IS NULL AND p.link_url_key IS NOT NULL) AS keys_missing
        FROM (SELECT b.person_key, b.exported_on, {newest}, b.link_name_key, b.link_url_key
              FROM ({_BATCH_PEOPLE}) b
              JOIN _tg_conn n ON n.rowid = b.newest_row
              LEFT JOIN _tg_conn k_email
                ON k_email.rowid = CASE WHEN n.clean_email IS NULL THEN b.email_row END
              LEFT JOIN _tg_conn k_profile_url
                ON k_profile_url.rowid = CASE WHEN n.clean_url IS NULL THEN b.url_row END) p
        LEFT JOIN tie_people t USING (person_key)"""
    )
    # new people get their link keys with their row (an UPDATE of every new row after
    # the insert was 64% of the import's CPU time); known ones lacking a key are marked
    # (``keys_missing``) for :func:`tieguard.sources.link.record_person_keys`
    engine.execute(
        f"""INSERT INTO tie_people (person_key, {cols}, name_key, url_key)
        SELECT person_key, {cols}, link_name_key, link_url_key
        FROM _tg_people WHERE NOT known ORDER BY person_key"""
    )
    if not engine.scalar("SELECT count(*) FROM _tg_people WHERE changed"):
        return
    sets = ", ".join(
        f"{c} = coalesce(p.{c}, t.{c})" if c in ("email", "profile_url")
        else f"{c} = {kept_name_sql(f'p.{c}', f't.{c}')}" for c in PEOPLE_COLUMNS
    )
    engine.execute(
        f"""UPDATE tie_people t SET {sets}
        FROM (SELECT p.* FROM (SELECT * FROM _tg_people WHERE changed) p
              LEFT JOIN (SELECT person_key, max(last_seen_on) AS seen FROM ties
                         SEMI JOIN (SELECT person_key FROM _tg_people WHERE changed)
                           USING (person_key)
                         GROUP BY person_key) s USING (person_key)
              WHERE s.seen IS NULL OR p.exported_on >= s.seen) p
        WHERE t.person_key = p.person_key"""
    )


def _write_ties(engine: Engine, snapshot: bool) -> dict[int, int]:
    """Removals, re-sightings and new ties; only the batch's employees' ties are read.

    The updates join on the employee as well as the tie key: ``ties`` is stored in import
    order, so the engine skips the row groups of other employees (one vCard on a 5 M-tie
    warehouse: 0.17 -> 0.0x CPU-seconds)."""
    engine.scratch(
        "_tg_existing", """SELECT tie_id, employee_id, network, last_seen_on, removed_on FROM ties
        SEMI JOIN (SELECT DISTINCT employee_id FROM _tg_files) USING (employee_id)"""
    )
    engine.scratch(
        "_tg_removed", f"""SELECT t.tie_id, t.employee_id, f.file_idx, f.exported_on
        FROM _tg_existing t JOIN _tg_files f
          ON t.employee_id = f.employee_id AND t.network = f.network
        WHERE t.removed_on IS NULL AND t.last_seen_on <= f.exported_on
          AND f.exported_on >= coalesce((SELECT max(s.exported_on) FROM snapshots s
                 WHERE s.employee_id = f.employee_id AND s.network = f.network), DATE '1900-01-01')
          AND NOT EXISTS (SELECT 1 FROM _tg_ties n WHERE n.tie_id = t.tie_id)
          AND {'TRUE' if snapshot else 'FALSE'}"""
    )
    if engine.scalar("SELECT count(*) FROM _tg_existing"):
        engine.execute(
            """UPDATE ties t SET removed_on = r.exported_on FROM _tg_removed r
            WHERE t.employee_id = r.employee_id AND t.tie_id = r.tie_id"""
        )
        engine.execute(
            f"""UPDATE ties t SET last_seen_import_id = n.import_id, last_seen_on = n.exported_on,
                connected_on = coalesce(n.connected_on, t.connected_on),
                removed_on = CASE WHEN t.removed_on <= n.exported_on THEN NULL
                                  ELSE t.removed_on END
            FROM (SELECT n.* FROM {_TIES_OF_FILES} n JOIN _tg_existing e USING (tie_id)
                  WHERE n.exported_on >= e.last_seen_on) n
            WHERE t.employee_id = n.employee_id AND t.tie_id = n.tie_id"""
        )
    engine.execute(
        f"""INSERT INTO ties (tie_id, employee_id, network, person_key, is_hidden_member,
            connected_on, first_import_id, last_seen_import_id, last_seen_on, removed_on)
        SELECT tie_id, employee_id, network, person_key, is_hidden, connected_on, import_id,
               import_id, exported_on, NULL
        FROM {_TIES_OF_FILES} n ANTI JOIN _tg_existing e USING (tie_id)"""
    )
    rows = engine.fetchall("SELECT file_idx, count(*) FROM _tg_removed GROUP BY file_idx")
    return {int(r[0]): int(r[1]) for r in rows}


def store_rows(engine: Engine, table: str, data: pa.Table, key: list[str] | None) -> int:
    """Insert (or, with a primary ``key``, replace) rows of ``data`` into ``table``."""
    if data.num_rows == 0:
        return 0
    view = f"_tg_rows_{table}"
    cols = ", ".join(data.column_names)
    engine.register(view, data)
    try:
        if key:
            engine.execute(
                f"INSERT OR REPLACE INTO {table} ({cols}) SELECT DISTINCT ON ({', '.join(key)}) "
                f"{cols} FROM {view}"
            )
        else:
            engine.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
    finally:
        engine.unregister(view)
    return int(data.num_rows)


def quarantine_problems(engine: Engine, import_id: str, file_name: str,
                        problems: list[Problem]) -> None:
    """Quarantine the rows behind error problems of a small file (raw text not kept)."""
    for p in problems:
        if p.severity == "error":
            engine.execute(
                "INSERT INTO quarantine (import_id, file_name, line, column_name, reason, raw) "
                "VALUES (?, ?, ?, ?, ?, NULL)", [import_id, file_name, p.line, p.column, p.message]
            )

"""The engine: the one boundary between tieguard and a SQL database.

Stages build SQL text and hand it, with every *value* as a bound parameter, to an
:class:`Engine`. This module is the only one that imports ``duckdb``; a PostgreSQL or
Spark engine implements the same :class:`Engine` protocol.

Rules the engine enforces:

- identifiers (table and column names) come only from the declarations in
  :mod:`tieguard.schema` or are scratch names (``_tg_...``, ``_rs_...``); :meth:`ident`
  checks them, so a string from a user can never become SQL;
- settings reach the driver as configuration values, never as SQL text;
- every driver error is translated into :mod:`tieguard.errors` with a sentence a user
  can act on (:func:`translate_driver_errors`);
- scratch tables are TEMP tables (gone when the connection closes, also after a
  crash); work tables a crashed run left in the file (``_tg_*``, Splink's
  ``__splink__*``) are dropped when the warehouse is opened for writing;
- :meth:`DuckDBEngine.reading` lends a *read view* (:class:`ReadEngine`): a second connection
  to the same database in a read-only transaction, which sees the last committed snapshot,
  never waits for the writer's lock and cannot change the warehouse (pages read through it
  while a job writes).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import schema
from .engine_api import SCRATCH_NAME, Engine, Params, ReadEngine
from .errors import (
    DiskFullError,
    WarehouseBusyError,
    WarehouseError,
    WarehouseMissingTableError,
)
from .pool import Pool

__all__ = ["Engine", "ReadEngine", "DuckDBEngine", "DuckDBReader", "open_engine", "Params",
           "SCRATCH_NAME", "READERS"]

log = logging.getLogger(__name__)

_WORK_TABLE_PREFIXES = ("_tg_", "_rs_", "_capital_", "__splink__")
#: Read views open at once by default (more callers wait for one to come back).
READERS = 8


def _message(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@contextmanager
def translate_driver_errors(path: str) -> Iterator[None]:
    """Turn a DuckDB error into a tieguard error that says what to do."""
    try:
        yield
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.CatalogException as exc:
        if "already exists" in str(exc):
            raise WarehouseError(
                f"The warehouse {path} already holds an object this step tried to create "
                f"({_message(exc)}). This is a bug: tables are created only from the declarations "
                "in tieguard.schema; please report it."
            ) from exc
        raise WarehouseMissingTableError(
            f"The warehouse {path} lacks a table or column this command needs "
            f"({_message(exc)}). It may predate this tieguard or a stage has not run yet: run "
            "`tieguard scan`, or point --db at the right warehouse."
        ) from exc
    except duckdb.TransactionException as exc:
        if "read-only mode" not in str(exc):
            raise _failed(path, exc) from exc
        raise WarehouseError(
            f"A read view of the warehouse {path} cannot change it, and this statement tried "
            "to (pages read through views, jobs write through the engine). This is a bug; "
            "please report it."
        ) from exc
    except duckdb.OutOfMemoryException as exc:
        raise WarehouseError(
            f"The engine ran out of memory working on {path} ({_message(exc)}). Lower "
            "warehouse.memory_limit so that work spills to disk, or free memory, and run again."
        ) from exc
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise WarehouseBusyError(
                f"The warehouse {path} is in use by another tieguard process. Wait for it to "
                "finish (or stop it) and run the command again."
            ) from exc
        if "No space left" in text or "disk is full" in text.lower():
            raise DiskFullError(
                f"The disk holding {path} (or the engine's temp directory) is full. Free space "
                "or move the warehouse with --db; nothing was committed by the failed step."
            ) from exc
        raise WarehouseError(
            f"Reading or writing the warehouse {path} failed: {_message(exc)}. Check the path, "
            "its permissions and the disk."
        ) from exc
    except duckdb.Error as exc:
        raise _failed(path, exc) from exc


def _failed(path: str, exc: BaseException) -> WarehouseError:
    return WarehouseError(
        f"The warehouse engine failed on {path}: {_message(exc)}. This is a bug or a damaged "
        "warehouse; run with --verbose and report it, or restore the warehouse from a copy."
    )


class _Queries:
    """The reading half of a DuckDB connection, shared by the engine and its read views;
    ``_guard`` is the engine's lock (a read view has none)."""

    path: str
    con: duckdb.DuckDBPyConnection
    _scratch: set[str]

    def _guard(self) -> AbstractContextManager[Any]:
        return nullcontext()

    def _run(self, sql: str, params: Params = None) -> None:
        with self._guard(), translate_driver_errors(self.path):
            self.con.execute(sql, params or [])

    def fetchall(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        with self._guard(), translate_driver_errors(self.path):
            return self.con.execute(sql, params or []).fetchall()

    def fetchone(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = None) -> Any:
        row = self.fetchone(sql, params)
        return None if row is None else row[0]

    def fetch_arrow(self, sql: str, params: Params = None) -> pa.Table:
        with self._guard(), translate_driver_errors(self.path):
            bound = (dict(params) if isinstance(params, Mapping) else list(params)) if params else None
            return self.con.sql(sql, params=bound).to_arrow_table()

    def fetch_records(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = self.fetch_arrow(sql, params).to_pylist()
        return records

    def ident(self, name: str) -> str:
        """``name`` double-quoted, if it is a declared table or column or a scratch name."""
        if schema.is_declared(name) or SCRATCH_NAME.match(name) or name in _DECLARED_COLUMNS:
            return f'"{name}"'
        raise ValueError(f"{name!r} is not a declared table, column or scratch name")

    def scratch(self, name: str, select_sql: str, params: Params = None) -> str:
        """Create (or replace) TEMP table ``name`` from a query; return its name."""
        if not SCRATCH_NAME.match(name):
            raise ValueError(f"scratch table {name!r} must match {SCRATCH_NAME.pattern}")
        self._run(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {select_sql}', params)
        self._scratch.add(name)
        return name

    def drop_scratch(self, *names: str) -> None:
        """Drop scratch tables (all of this connection's when no names are given)."""
        for name in names or tuple(self._scratch):
            if not SCRATCH_NAME.match(name):
                raise ValueError(f"{name!r} is not a scratch table")
            self._run(f'DROP TABLE IF EXISTS temp."{name}"')
            self._scratch.discard(name)

    def register(self, view_name: str, data: Any) -> None:
        """Expose an in-memory table (Arrow/pandas) to SQL under a scratch name."""
        if not SCRATCH_NAME.match(view_name) and not view_name.startswith("__splink"):
            raise ValueError(f"view {view_name!r} must match {SCRATCH_NAME.pattern}")
        with self._guard(), translate_driver_errors(self.path):
            self.con.register(view_name, data)

    def unregister(self, view_name: str) -> None:
        with self._guard(), translate_driver_errors(self.path):
            self.con.unregister(view_name)

    def table_exists(self, table: str) -> bool:
        row = self.fetchone(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        )
        return bool(row and row[0])

    def table_columns(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of ``table``'s columns in order; empty if it does not exist."""
        rows = self.fetchall(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table],
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def user_tables(self) -> list[str]:
        """Base tables of the warehouse file (not TEMP, not views)."""
        rows = self.fetchall(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        return [str(r[0]) for r in rows]


class DuckDBReader(_Queries):
    """A read view (see :meth:`DuckDBEngine.reading`): its own connection to the warehouse,
    inside a read-only transaction, so every query sees the same committed snapshot."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con, self.path = con, path
        self._scratch: set[str] = set()


class DuckDBEngine(_Queries):
    """The embedded default: one DuckDB file (or ``:memory:``)."""

    name = "duckdb"

    def __init__(
        self,
        path: str | Path = ":memory:",
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        read_only: bool = False,
        readers: int = READERS,
    ) -> None:
        self.path = str(path)
        config: dict[str, Any] = {"preserve_insertion_order": False}
        if threads:
            config["threads"] = int(threads)
        if memory_limit:
            config["memory_limit"] = str(memory_limit)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.InvalidInputException as exc:
            raise WarehouseError(
                f"The engine settings are invalid ({_message(exc)}). Check warehouse.threads and "
                "warehouse.memory_limit (e.g. '4GB') in the settings file."
            ) from exc
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                raise WarehouseBusyError(
                    f"The warehouse {self.path} is in use by another tieguard process. Wait for it "
                    "to finish (or stop it) and run the command again."
                ) from exc
            raise WarehouseError(
                f"Cannot open the warehouse {self.path!r}: {_message(exc)}. Check the path given "
                "with --db, or that no other tieguard process holds it open."
            ) from exc
        self._lock = threading.RLock()
        self._compact_after_commit = False
        self._in_tx = False
        self._scratch: set[str] = set()
        self.read_only = read_only
        self._config = config
        self._secret: bytes | None = None
        self._define_keyed_hash()
        self._readers: Pool[duckdb.DuckDBPyConnection] = Pool(
            lambda: self.con.cursor(), _close_connection, readers, f"The warehouse {self.path}")
        self._reading = threading.local()

    # -- plain statements -------------------------------------------------------------------

    def _guard(self) -> AbstractContextManager[Any]:
        return self._lock

    def execute(self, sql: str, params: Params = None) -> None:
        self._run(sql, params)

    # -- identifiers and writes -------------------------------------------------------------

    def replace(self, table: str, select_sql: str, params: Params = None, *,
                where: str | None = None, where_params: Params = None) -> int:
        """Replace the rows of declared ``table`` (or those matching ``where``) with a query's.

        Delete-and-insert inside one transaction; the query's columns are matched by name
        to the declaration (missing ones become NULL, unknown ones are an error).
        Returns the number of rows inserted.
        """
        decl = schema.table(table)
        with self.transaction():
            if where is None:
                self.execute(f'DELETE FROM "{decl.name}"')
            else:
                self.execute(f'DELETE FROM "{decl.name}" WHERE {where}', where_params)
            row = self.fetchone(f'INSERT INTO "{decl.name}" BY NAME {select_sql}', params)
        return int(row[0]) if row else 0

    def insert_arrow(self, table: str, data: pa.Table) -> int:
        """Append an Arrow table to a declared or scratch ``table``, matching columns by name."""
        if data.num_rows == 0:
            return 0
        if not SCRATCH_NAME.match(table):
            declared = schema.table(table).column_names()
            unknown = [c for c in data.column_names if c not in declared]
            if unknown:
                raise ValueError(f"columns {unknown} are not declared in {table}")
        view = f"_tg_insert_{id(data)}"
        cols = ", ".join(self.ident(c) if not SCRATCH_NAME.match(table) else f'"{c}"'
                         for c in data.column_names)
        with self._lock, translate_driver_errors(self.path):
            self.con.register(view, data)
            try:
                self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{view}"')
            finally:
                self.con.unregister(view)
        return int(data.num_rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; a nested call joins the outer one. A :meth:`compact` asked for
        inside runs after the commit (it cannot run inside a transaction)."""
        with self._lock:
            if self._in_tx:
                yield
                return
            with translate_driver_errors(self.path):
                self.con.execute("BEGIN TRANSACTION")
            self._in_tx = True
            try:
                yield
            except BaseException:
                self._compact_after_commit = False
                with suppress(duckdb.Error):  # the driver may have aborted it already
                    self.con.execute("ROLLBACK")
                raise
            else:
                with translate_driver_errors(self.path):
                    self.con.execute("COMMIT")
            finally:
                self._in_tx = False
            if self._compact_after_commit:
                self._compact_after_commit = False
                self.compact()

    def interrupt(self) -> None:
        """Stop the statement running on this connection at once; callable from any thread
        (never waits for the lock the running statement holds). The statement raises
        KeyboardInterrupt in its thread; an open :meth:`transaction` rolls back."""
        with suppress(duckdb.Error):
            self.con.interrupt()

    @contextmanager
    def reading(self) -> Iterator[ReadEngine]:
        """A read view for the duration of the block: a connection of its own (from a small
        pool) in a read-only transaction. It sees the warehouse as the last commit left it,
        the same snapshot for every query of the block, never what a running job has not
        committed; it never waits for the writer's lock, and views in different threads run
        their queries in parallel. Its scratch tables are its own and gone after the block.
        A nested call in the same thread joins the outer view. ``tg_keyed_hash`` is not
        defined on it: pseudonymising is a write."""
        joined: DuckDBReader | None = getattr(self._reading, "view", None)
        if joined is not None:
            yield joined
            return
        con = self._readers.take()
        ended = False
        try:
            with translate_driver_errors(self.path):
                con.execute("BEGIN TRANSACTION READ ONLY")
            self._reading.view = DuckDBReader(con, self.path)
            yield self._reading.view
        finally:
            self._reading.view = None
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")  # nothing to keep; its scratch tables go with it
                ended = True
            self._readers.give(con, discard=not ended)

    # -- catalogue ----------------------------------------------------------------------------

    def checkpoint(self) -> None:
        self.execute("CHECKPOINT")

    def drop_work_tables(self) -> list[str]:
        """Drop work tables a crashed or interrupted run left in the file."""
        dropped = []
        rows = self.fetchall(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
        )
        for name, kind in rows:
            if str(name).startswith(_WORK_TABLE_PREFIXES) and not schema.is_declared(str(name)):
                what = "VIEW" if kind == "VIEW" else "TABLE"
                self.execute(f'DROP {what} IF EXISTS main."{name}"')
                dropped.append(str(name))
        if dropped:
            log.info("dropped %d work tables left by an earlier run", len(dropped))
        return dropped

    def splink_api(self) -> Any:
        """A Splink database API bound to this engine's connection (see
        :func:`tieguard.engine_splink.transaction_safe_splink_api`)."""
        from .engine_splink import transaction_safe_splink_api

        return transaction_safe_splink_api(self.con)

    # -- pseudonyms and compaction ------------------------------------------------------------

    def _define_keyed_hash(self) -> None:
        """``tg_keyed_hash(text)``: HMAC-SHA256 (first 32 hex digits) under the loaded secret.

        The key never appears in SQL text: its padded blocks are connection variables set
        from bound parameters (:meth:`set_pseudonym_key`); without them the macro fails.
        """
        with self._lock, translate_driver_errors(self.path):
            self.con.execute(_KEYED_HASH_MACRO)
            if self._secret is not None:
                block = self._secret.ljust(64, b"\0") if len(self._secret) <= 64 else \
                    hashlib.sha256(self._secret).digest().ljust(64, b"\0")
                self.con.execute("SET VARIABLE tg_hmac_ipad = ?", [bytes(b ^ 0x36 for b in block)])
                self.con.execute("SET VARIABLE tg_hmac_opad = ?", [bytes(b ^ 0x5C for b in block)])

    def set_pseudonym_key(self, secret: bytes) -> None:
        """Key ``tg_keyed_hash`` with the installation's secret (see :mod:`tieguard.secret`)."""
        self._secret = bytes(secret)
        self._define_keyed_hash()

    def compact(self) -> None:
        """Rewrite the warehouse into a fresh file and swap it in atomically.

        Deleted rows leave their bytes in a database file's free blocks; a copy holds
        only live data. The copy is made beside the file, fsynced, then renamed over
        it; on any failure the original stays as it was. Scratch tables are gone after.
        """
        if self.path == ":memory:" or self.read_only:
            return
        if self._in_tx:
            self._compact_after_commit = True
            return
        target = f"{self.path}.compact-{os.getpid()}"
        with self._lock:
            self.drop_scratch()
            self.checkpoint()
            self._readers.drain()  # read views end on this connection: wait for them
            self.con.close()
            try:
                if os.path.exists(target):
                    os.remove(target)
                with translate_driver_errors(self.path):
                    copier = duckdb.connect(":memory:")
                    try:
                        copier.execute("ATTACH ? AS tg_source (READ_ONLY)", [self.path])
                        copier.execute("ATTACH ? AS tg_target", [target])
                        copier.execute("COPY FROM DATABASE tg_source TO tg_target")
                        copier.execute("DETACH tg_target")
                        copier.execute("DETACH tg_source")
                    finally:
                        copier.close()
                os.chmod(target, os.stat(self.path).st_mode & 0o777)
                fd = os.open(target, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(target, self.path)
            finally:
                if os.path.exists(target):
                    os.remove(target)
                with translate_driver_errors(self.path):
                    self.con = duckdb.connect(self.path, config=self._config)
                self._define_keyed_hash()
                self._readers.resume()
        log.info("compacted the warehouse %s into a fresh file", self.path)

    def close(self) -> None:
        try:
            if self._scratch and not self.read_only:
                self.drop_scratch()
        except WarehouseError:  # closing anyway; TEMP tables go with the connection
            pass
        self._readers.close()
        self.con.close()


def _close_connection(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


_KEYED_HASH_MACRO = """
CREATE OR REPLACE TEMP MACRO tg_keyed_hash(x) AS
    CASE WHEN getvariable('tg_hmac_ipad') IS NULL
         THEN error('No pseudonym secret is loaded: open the warehouse with tieguard.warehouse.open_warehouse.')
         ELSE left(sha256(getvariable('tg_hmac_opad')
                          || unhex(sha256(getvariable('tg_hmac_ipad') || encode(x)))), 32) END
"""

_DECLARED_COLUMNS: frozenset[str] = frozenset(c.name for t in schema.TABLES for c in t.columns)


def open_engine(
    path: str | Path = ":memory:",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    read_only: bool = False,
    readers: int = READERS,
) -> Engine:
    """Open the engine for ``path`` (``readers``: read views open at once); only DuckDB files
    exist today."""
    return DuckDBEngine(path, threads=threads, memory_limit=memory_limit, read_only=read_only,
                        readers=readers)

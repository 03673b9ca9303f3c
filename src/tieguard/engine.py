"""Engine adapter: the few methods the stages need from a SQL engine.

Stages build SQL (or Arrow tables) and hand them to an :class:`Engine`; only
this module knows it is talking to DuckDB. A PostgreSQL or Spark engine is a
second subclass with the same methods; engine-specific knobs (threads, memory
limit, temp directory) stay here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .errors import WarehouseError

__all__ = ["Engine", "DuckDBEngine", "open_engine"]

log = logging.getLogger(__name__)


class Engine:
    """Abstract engine: execute SQL, fetch rows or Arrow, load Arrow tables."""

    name = "abstract"

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        raise NotImplementedError

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def fetch_arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        raise NotImplementedError

    def fetch_records(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dictionaries keyed by column name."""
        table = self.fetch_arrow(sql, params)
        records: list[dict[str, Any]] = table.to_pylist()
        return records

    def fetchone(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        row = self.fetchone(sql, params)
        return None if row is None else row[0]

    def insert_arrow(self, table_name: str, data: pa.Table) -> int:
        """Append an Arrow table to ``table_name`` matching columns by name."""
        raise NotImplementedError

    def register(self, view_name: str, data: Any) -> None:
        """Expose an in-memory table (Arrow/pandas) to SQL under ``view_name``."""
        raise NotImplementedError

    def unregister(self, view_name: str) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield  # pragma: no cover

    def table_exists(self, table_name: str) -> bool:
        raise NotImplementedError

    def splink_api(self) -> Any:
        """A Splink database API bound to this engine's connection."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class DuckDBEngine(Engine):
    """The embedded default: one DuckDB file (or ``:memory:``)."""

    name = "duckdb"

    def __init__(
        self,
        path: str | Path = ":memory:",
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise WarehouseError(
                f"Cannot open the warehouse {self.path!r}: {exc}. "
                "Check the path given with --db, or that no other tieguard process holds it open."
            ) from exc
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute("SET preserve_insertion_order = false")
        self._lock = threading.RLock()
        self._in_tx = False

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        with self._lock:
            self.con.execute(sql, params or [])

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        with self._lock:
            return self.con.execute(sql, params or []).fetchall()

    def fetch_arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        with self._lock:
            # DuckDB >= 2.0: Arrow from a relation (a DB-API result warns about a copy)
            table = self.con.sql(sql, params=list(params) if params else None).to_arrow_table()
            return table

    def insert_arrow(self, table_name: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        view = f"_tg_insert_{id(data)}"
        cols = ", ".join(f'"{c}"' for c in data.column_names)
        with self._lock:
            self.con.register(view, data)
            try:
                self.con.execute(f'INSERT INTO "{table_name}" ({cols}) SELECT {cols} FROM "{view}"')
            finally:
                self.con.unregister(view)
        return int(data.num_rows)

    def register(self, view_name: str, data: Any) -> None:
        with self._lock:
            self.con.register(view_name, data)

    def unregister(self, view_name: str) -> None:
        with self._lock:
            self.con.unregister(view_name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._in_tx:  # nested: join the outer transaction
                yield
                return
            self.con.execute("BEGIN TRANSACTION")
            self._in_tx = True
            try:
                yield
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            else:
                self.con.execute("COMMIT")
            finally:
                self._in_tx = False

    def table_exists(self, table_name: str) -> bool:
        row = self.fetchone(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table_name]
        )
        return bool(row and row[0])

    def splink_api(self) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI(connection=self.con)

    def close(self) -> None:
        self.con.close()


def open_engine(
    path: str | Path = ":memory:",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> Engine:
    """Open the engine for ``path``; only DuckDB files exist today."""
    return DuckDBEngine(path, threads=threads, memory_limit=memory_limit)

"""The engine adapter's Splink side: Splink's DuckDB API on the engine's connection."""

from __future__ import annotations

from typing import Any

__all__ = ["transaction_safe_splink_api"]


def transaction_safe_splink_api(con: Any) -> Any:
    """Splink's DuckDB API, made safe inside a transaction.

    Splink probes whether a table exists by running ``PRAGMA table_info`` and catching the
    catalog error, and drops a registered view by trying ``DROP TABLE`` first. Inside a
    transaction (every scan stage runs in one) the first failed statement aborts the
    transaction, so a scan that trains the person model failed. These two methods look the
    name up in the catalog instead, so no statement fails.
    """
    from splink import DuckDBAPI

    def _kind(api: Any, name: str) -> str | None:
        rows = api._con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ? LIMIT 1",
            [name],
        ).fetchall()
        return str(rows[0][0]) if rows else None

    class TransactionSafeDuckDBAPI(DuckDBAPI):  # type: ignore[misc]
        def table_exists_in_database(self, table_name: str) -> bool:
            return _kind(self, table_name) is not None

        def delete_table_from_database(self, name: str) -> None:
            what = "VIEW" if _kind(self, name) == "VIEW" else "TABLE"
            self._execute_sql_against_backend(f"DROP {what} IF EXISTS {name}")
            if self._materialisation == "parquet":
                self._get_parquet_materialiser().delete_backing_files(name)

    return TransactionSafeDuckDBAPI(connection=con)

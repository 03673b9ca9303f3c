"""Read views (``Engine.reading``): the committed snapshot, never the writer's lock, no writes.

A writer transaction is held open in another thread (it holds the engine's lock the whole
time, as a scan stage does); every wait is bounded so that a read that would block fails the
test instead of hanging it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from tieguard import open_warehouse
from tieguard.engine import Engine, ReadEngine
from tieguard.errors import WarehouseError

WAIT = 120  # seconds: generous, so that a slow machine passes and only a hang fails


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_warehouse(tmp_path / "w.duckdb")
    eng.execute("INSERT INTO employees (employee_id, full_name) VALUES ('E1', 'Committed')")
    yield eng
    eng.close()


@contextmanager
def writer_holding(engine: Engine, sql: str) -> Iterator[None]:
    """``sql`` written, not committed, in a transaction another thread holds open."""
    written, release = threading.Event(), threading.Event()

    def write() -> None:
        with engine.transaction():
            engine.execute(sql)
            written.set()
            release.wait(WAIT)

    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(write)
        try:
            assert written.wait(WAIT), "the writer did not start"
            yield
        finally:
            release.set()
            job.result(WAIT)


def _name(view: ReadEngine) -> str:
    return str(view.scalar("SELECT full_name FROM employees WHERE employee_id = 'E1'"))


def _read_in_thread(engine: Engine) -> str:
    """Read through a view in another thread (the writer's lock is reentrant in its own)."""
    def read() -> str:
        with engine.reading() as view:
            return _name(view)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result(WAIT)


def test_a_view_reads_the_committed_rows_while_a_writer_holds_its_transaction(
        engine: Engine) -> None:
    with writer_holding(engine, "UPDATE employees SET full_name = 'Uncommitted'"):
        assert _read_in_thread(engine) == "Committed"
    assert _read_in_thread(engine) == "Uncommitted"


def test_one_view_keeps_its_snapshot_across_a_commit(engine: Engine) -> None:
    with engine.reading() as view:
        assert _name(view) == "Committed"
        with ThreadPoolExecutor(1) as pool:
            pool.submit(engine.execute, "UPDATE employees SET full_name = 'Later'").result(WAIT)
        assert _name(view) == "Committed"  # the same snapshot for the whole view
    with engine.reading() as view:
        assert _name(view) == "Later"


def test_a_view_cannot_write_and_says_so(engine: Engine) -> None:
    for sql in ("DELETE FROM employees RETURNING employee_id",
                "INSERT INTO employees (employee_id) VALUES ('E2') RETURNING employee_id"):
        with engine.reading() as view:
            assert not hasattr(view, "execute") and not hasattr(view, "replace")
            with pytest.raises(WarehouseError, match="read view .* cannot change it"):
                view.fetchall(sql)
    assert engine.scalar("SELECT count(*) FROM employees") == 1


def test_scratch_tables_of_a_view_are_its_own_and_gone_after_it(engine: Engine) -> None:
    with engine.reading() as view:
        view.scratch("_tg_view_test", "SELECT * FROM employees")
        assert view.scalar("SELECT count(*) FROM _tg_view_test") == 1
        other = ThreadPoolExecutor(1)
        try:
            def exists() -> bool:
                with engine.reading() as second:
                    return second.table_exists("_tg_view_test")
            assert other.submit(exists).result(WAIT) is False
        finally:
            other.shutdown()
    with engine.reading() as view:
        assert not view.table_exists("_tg_view_test")
    assert not engine.table_exists("_tg_view_test")


def test_a_nested_view_joins_the_outer_one(engine: Engine) -> None:
    with engine.reading() as outer, engine.reading() as inner:
        assert inner is outer


def test_views_in_many_threads_each_read_their_own_rows(engine: Engine) -> None:
    engine.execute("INSERT INTO employees (employee_id, full_name) "
                   "SELECT 'P' || i, 'Person ' || i FROM range(40) t(i)")

    def read(i: int) -> list[str]:
        with engine.reading() as view:
            view.scratch("_tg_mine", "SELECT full_name FROM employees WHERE employee_id = ?",
                         [f"P{i}"])
            return [str(r[0]) for r in view.fetchall("SELECT * FROM _tg_mine")]

    with ThreadPoolExecutor(12) as pool:
        found = list(pool.map(read, range(40), timeout=WAIT))
    assert found == [[f"Person {i}"] for i in range(40)]


def test_views_survive_a_compaction_and_end_with_the_engine(engine: Engine) -> None:
    with engine.reading() as view:
        assert _name(view) == "Committed"
    engine.execute("UPDATE employees SET full_name = 'Compacted'")
    engine.compact()
    assert _read_in_thread(engine) == "Compacted"
    engine.close()
    with pytest.raises(WarehouseError, match="closed"), engine.reading():
        pass

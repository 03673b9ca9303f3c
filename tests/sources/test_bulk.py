"""Large batches: background inspection, chunking, uniqueness without indexes, line endings."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tieguard.engine import Engine
from tieguard.sources import ConnectionsJob, import_connections, import_connections_batch
from tieguard.warehouse import open_warehouse

VARIANTS = ["current.csv", "current_bom_crlf.csv", "v2021.csv", "v2018.csv", "resave.csv",
            "semicolon_cp1252.csv", "mixed_encodings.csv", "impossible_dates.csv", "binary.csv",
            "short_row.csv"]


def _jobs(fixtures: Path, tmp_path: Path, count: int) -> list[ConnectionsJob]:
    """``count`` exports of distinct employees cycling through the fixture variants, each
    a distinct file (a different employee's copy of the same export)."""
    jobs = []
    for n in range(count):
        name = VARIANTS[n % len(VARIANTS)]
        path = tmp_path / f"E{n:03d}_{name}"
        shutil.copyfile(fixtures / name, path)
        jobs.append(ConnectionsJob(path, f"E{n:03d}"))
    return jobs


def _state(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "ties": "SELECT tie_id, employee_id, person_key, is_hidden_member, connected_on, "
                "removed_on FROM ties ORDER BY ALL",
        "people": "SELECT * FROM tie_people ORDER BY person_key",
        "quarantine": "SELECT regexp_replace(file_name, '.*/', ''), line, column_name, reason "
                      "FROM quarantine ORDER BY ALL",
        "snapshots": "SELECT employee_id, exported_on, ties, hidden_members FROM snapshots "
                     "ORDER BY ALL",
    }
    return {k: engine.fetchall(q) for k, q in queries.items()}


def test_background_chunks_match_one_file_at_a_time(fixtures: Path, tmp_path: Path) -> None:
    jobs = _jobs(fixtures, tmp_path, 70)
    bulk = open_warehouse(":memory:")
    reports = import_connections_batch(bulk, jobs, chunk_size=16, background=True)
    single = open_warehouse(":memory:")
    for job in jobs:
        import_connections_batch(single, [job], background=False)
    assert _state(bulk) == _state(single)
    assert sum(r.error is not None for r in reports) == 7  # the binary copies are refused
    assert sum(r.quarantined for r in reports) > 0
    assert all(r.problems for r in reports if r.encoding and "cp1252" in r.encoding)
    bulk.close()
    single.close()


def test_keys_stay_unique_without_indexes(engine: Engine, fixtures: Path, tmp_path: Path) -> None:
    jobs = _jobs(fixtures, tmp_path, 20)
    import_connections_batch(engine, jobs, chunk_size=7)
    import_connections_batch(engine, jobs, chunk_size=3)  # the same files again: no change
    newer = [ConnectionsJob(j.path, j.employee_id, dt.date(2030, 1, 1)) for j in jobs[:5]]
    for job in newer:  # a changed copy of each is a newer snapshot
        job.path = job.path.with_name("newer_" + job.path.name)
        shutil.copyfile(fixtures / "current.csv", job.path)
    import_connections_batch(engine, newer, accept_removals=True)
    for table, key in (("ties", "tie_id"), ("tie_people", "person_key")):
        dupes = engine.scalar(f"SELECT count(*) - count(DISTINCT {key}) FROM {table}")
        assert dupes == 0, f"{table}.{key} must stay unique"
    assert engine.scalar("SELECT count(*) FROM ties WHERE removed_on = DATE '2030-01-01'") > 0


def test_mixed_line_endings_lose_no_row(engine: Engine, fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "current.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    body_start = next(i for i, ln in enumerate(lines) if ln.startswith("First Name")) + 1
    data = [ln for ln in lines[body_start:] if ln.strip()]
    # one row ends with a lone CR: an engine that guesses one newline style can skip it
    mixed = "\n".join(lines[:body_start]) + "\n" + data[0] + "\r" + "\n".join(data[1:]) + "\n"
    path = tmp_path / "mixed_endings.csv"
    path.write_bytes(mixed.encode("utf-8"))
    expected = import_connections(open_warehouse(":memory:"), fixtures / "current.csv", "E1",
                                  dry_run=True)
    report = import_connections(engine, path, "E1")
    assert report.rows == expected.rows
    assert report.ties + report.hidden_members + report.quarantined == report.rows


def test_large_batch_starts_with_a_small_chunk(tmp_path: Path) -> None:
    from tieguard.sources.connections import _chunks

    # 600 exports: 300 employees, each exported twice (the second is a newer snapshot)
    jobs = [ConnectionsJob(tmp_path / f"{n}.csv", f"E{n % 300:03d}") for n in range(600)]
    chunks = _chunks(jobs, chunk_size=300)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(600))
    assert len(chunks[0]) < 300 and all(len(c) <= 300 for c in chunks)
    for chunk in chunks:  # at most one export per employee in a chunk
        assert len({jobs[i].employee_id for i in chunk}) == len(chunk)
    first_seen = {jobs[i].employee_id: n for n, c in reversed(list(enumerate(chunks))) for i in c}
    assert all(first_seen[jobs[i].employee_id] < n for n, c in enumerate(chunks) for i in c
               if i >= 300)  # an employee's later export comes in a later chunk

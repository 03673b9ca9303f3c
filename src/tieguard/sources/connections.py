"""Importing LinkedIn ``Connections.csv`` exports: the library entry points.

Many files are imported together: they are inspected in Python, read in bulk by the
engine, checked set-based in SQL and written in one transaction per chunk. Each
chunk holds at most one export per employee and network, so that a later export of
the same employee is applied after an earlier one and becomes a newer snapshot.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..engine import Engine
from ..errors import InputError
from ..settings import SourcesSettings
from .guard import hold_back_removals
from .link import drop_link_tables, link_person_keys, record_person_keys
from .linkedin import ConnectionsFile, stage_connections
from .load import build_ties, default_supplier, import_id_for, write_connections
from .prefetch import MIN_BACKGROUND_FILES, inspect_files
from .quarantine import expire_raw_rows
from .report import ImportReport, Problem
from .safe_io import io_error_message

__all__ = ["ConnectionsJob", "import_connections", "import_connections_batch", "finish_batch",
           "create_files_table", "rounds"]

log = logging.getLogger(__name__)
KIND = "linkedin_connections"
ProgressCallback = Callable[[str, int, int], None]
#: Files in the first chunk of a large batch (see :func:`_chunks`).
_FIRST_CHUNK = 250


@dataclass
class ConnectionsJob:
    """One connections export to import: whose, from when."""

    path: Path
    employee_id: str
    exported_on: dt.date | None = None
    network: str = "linkedin"
    label: str | None = None  # the name reported and recorded (default: the path)

    @property
    def name(self) -> str:
        return self.label or str(self.path)


def import_connections(
    engine: Engine,
    path: str | Path,
    employee_id: str,
    *,
    exported_on: dt.date | None = None,
    supplied_by: str | None = None,
    basis: str = "consent",
    network: str = "linkedin",
    dry_run: bool = False,
    limits: SourcesSettings | None = None,
    accept_removals: bool = False,
    label: str | None = None,
) -> ImportReport:
    """Import one employee's ``Connections.csv``; raise InputError if it cannot be read
    (or would remove too many ties: :mod:`tieguard.sources.guard`). ``label``: the file
    name to report and record (e.g. ``export.zip!Connections.csv``).

    ``exported_on`` is the snapshot date; by default the latest Connected On date in
    the file (give the real export date when you know it, so removals are dated right).
    """
    job = ConnectionsJob(Path(path), employee_id, exported_on, network, label)
    reports = import_connections_batch(engine, [job], supplied_by=supplied_by, basis=basis,
                                       dry_run=dry_run, raise_errors=True, limits=limits,
                                       accept_removals=accept_removals)
    return reports[0]


def import_connections_batch(
    engine: Engine,
    jobs: Sequence[ConnectionsJob],
    *,
    supplied_by: str | None = None,
    basis: str = "consent",
    dry_run: bool = False,
    raise_errors: bool = False,
    chunk_size: int = 2500,
    background: bool | None = None,
    on_progress: ProgressCallback | None = None,
    limits: SourcesSettings | None = None,
    accept_removals: bool = False,
) -> list[ImportReport]:
    """Import many exports; refused files get a report with ``error`` (or raise).

    ``background``: inspect files in a thread ahead of the engine (default: for large
    batches; see :func:`tieguard.sources.prefetch.inspect_files`). ``accept_removals``:
    import exports that would remove more than ``limits.max_removed_share`` of an
    employee's ties (:mod:`tieguard.sources.guard`).
    """
    limits = limits or SourcesSettings()
    rules = _Rules(supplied_by or default_supplier(), basis, dry_run, raise_errors, limits,
                   1.0 if accept_removals else limits.max_removed_share)
    reports: list[ImportReport | None] = [None] * len(jobs)
    chunks = _chunks(jobs, chunk_size)
    done = 0
    if not dry_run:
        expire_raw_rows(engine, limits)
    with _work_dir() as tmp, \
            _one_checkpoint(engine, len(jobs) >= MIN_BACKGROUND_FILES and not dry_run), \
            inspect_files([jobs[i].path for chunk in chunks for i in chunk], tmp,
                          background, limits) as inspected:
        for chunk in chunks:
            found = [next(inspected) for _ in chunk]
            for index, report in _import_chunk(engine, list(zip(chunk, found, strict=True)),
                                               jobs, rules):
                reports[index] = report
            done += len(chunk)
            if on_progress:
                on_progress("Importing LinkedIn connections", done, len(jobs))
    return [r for r in reports if r is not None]


@contextmanager
def _one_checkpoint(engine: Engine, enabled: bool) -> Iterator[None]:
    """For a large import: one checkpoint at the end instead of one after each chunk's
    commit (each rewrites the file's metadata and costs seconds); the threshold returns
    to the engine's default afterwards."""
    if not enabled:
        yield
        return
    engine.execute("SET checkpoint_threshold = '1TB'")
    try:
        yield
    finally:
        engine.execute("RESET checkpoint_threshold")
        engine.checkpoint()


def _chunks(jobs: Sequence[ConnectionsJob], chunk_size: int) -> list[list[int]]:
    """Job indexes in chunks of ``chunk_size`` within rounds (:func:`rounds`: one job per
    employee and network). For a large batch the first chunk is small, so the engine starts while the background
    thread inspects the files of the next chunk (the chunking never changes results)."""
    first = min(chunk_size, _FIRST_CHUNK) if len(jobs) >= MIN_BACKGROUND_FILES else chunk_size
    chunks: list[list[int]] = []
    for round_jobs in rounds([(job.employee_id, job.network) for job in jobs]):
        start = 0
        while start < len(round_jobs):
            size = chunk_size if chunks else first
            chunks.append(round_jobs[start:start + size])
            start += size
    return chunks


def rounds(keys: Sequence[Hashable]) -> list[list[int]]:
    """Indexes of ``keys`` split into rounds, in order, each holding a key at most once (an
    employee's exports are imported one after another, oldest first)."""
    seen: dict[Hashable, int] = {}
    split: list[list[int]] = []
    for index, key in enumerate(keys):
        number = seen.get(key, 0)
        seen[key] = number + 1
        if number == len(split):
            split.append([])
        split[number].append(index)
    return split


@dataclass(frozen=True)
class _Rules:
    """How a batch is imported (the options of :func:`import_connections_batch`)."""

    supplier: str
    basis: str
    dry_run: bool
    raise_errors: bool
    limits: SourcesSettings
    max_removed_share: float


@contextmanager
def _work_dir() -> Iterator[str]:
    """A temporary folder for UTF-8 work copies; failing to make one is a sentence."""
    try:
        holder = tempfile.TemporaryDirectory(prefix="tieguard-")
    except OSError as exc:
        raise InputError(io_error_message(tempfile.gettempdir(), exc,
                                          "making a work folder in")) from exc
    with holder as tmp:
        yield tmp


def _import_chunk(
    engine: Engine, chunk: list[tuple[int, ConnectionsFile | InputError]],
    jobs: Sequence[ConnectionsJob], rules: _Rules,
) -> list[tuple[int, ImportReport]]:
    dry_run, raise_errors = rules.dry_run, rules.raise_errors
    results: list[tuple[int, ImportReport]] = []
    files: list[tuple[int, ConnectionsFile, str]] = []
    batch_ids: set[str] = set()
    known = _known_imports(engine, [jobs[i] for i, _ in chunk])
    for index, cf in chunk:
        job = jobs[index]
        report = ImportReport(file=job.name, kind=KIND, employee_id=job.employee_id,
                              dry_run=dry_run)
        if isinstance(cf, InputError):
            if raise_errors:
                raise cf
            report.error = str(cf)
            results.append((index, report))
            continue
        import_id = import_id_for(cf.raw.sha256, KIND, job.employee_id)
        report.format, report.encoding, report.import_id = cf.format, cf.raw.encoding, import_id
        if import_id in batch_ids or import_id in known:
            report.already_imported = True
            results.append((index, report))
            continue
        batch_ids.add(import_id)
        cf.file_idx = len(files)
        files.append((index, cf, import_id))
    if files:
        results += _stage_and_write(engine, files, jobs, rules)
    return results


def _known_imports(engine: Engine, jobs: list[ConnectionsJob]) -> set[str]:
    """import_ids already in the warehouse for these employees (one query per chunk)."""
    employees = sorted({job.employee_id for job in jobs})
    rows = engine.fetchall("SELECT import_id FROM imports WHERE kind = ? AND "
                           "list_contains(?, employee_id)", [KIND, employees])
    return {r[0] for r in rows}


def _files_table(files: list[tuple[int, ConnectionsFile, str]], jobs: Sequence[ConnectionsJob],
                 supplier: str, basis: str) -> pa.Table:
    cols: dict[str, list[Any]] = {k: [] for k in (
        "file_idx", "kind", "import_id", "file_name", "sha256", "employee_id", "network", "exported_on",
        "encoding", "format", "supplied_by", "basis")}
    for index, cf, import_id in files:
        job = jobs[index]
        values = (cf.file_idx, KIND, import_id, job.name, cf.raw.sha256, job.employee_id,
                  job.network, job.exported_on, cf.raw.encoding, cf.format, supplier, basis)
        for key, value in zip(cols, values, strict=True):
            cols[key].append(value)
    types = {"file_idx": pa.int32(), "exported_on": pa.date32()}
    return pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in cols.items()})


def _stage_and_write(
    engine: Engine, files: list[tuple[int, ConnectionsFile, str]],
    jobs: Sequence[ConnectionsJob], rules: _Rules,
) -> list[tuple[int, ImportReport]]:
    # staging fills temporary tables only, outside the transaction, so that a file the
    # engine's reader chokes on can be read again in Python; the writes are atomic
    dry_run = rules.dry_run
    create_files_table(engine, _files_table(files, jobs, rules.supplier, rules.basis))
    file_problems = stage_connections(engine, [cf for _, cf, _ in files], rules.limits)
    with nullcontext() if dry_run else engine.transaction():
        summaries, removed, row_problems, held = finish_batch(
            engine, dry_run=dry_run, max_removed_share=rules.max_removed_share)
    if held and rules.raise_errors:
        raise InputError(f"{files[0][1].raw.path}: {next(iter(held.values()))}")
    results = []
    for index, cf, import_id in files:
        job = jobs[index]
        report = ImportReport(file=job.name, kind=KIND, format=cf.format,
                              encoding=cf.raw.encoding, employee_id=job.employee_id,
                              dry_run=dry_run, import_id=import_id)
        if cf.file_idx in held:
            report.error = held[cf.file_idx]
            results.append((index, report))
            continue
        for key, value in summaries.get(cf.file_idx, {}).items():
            setattr(report, key, value)
        report.removed = removed.get(cf.file_idx, 0)
        report.problems = sorted(file_problems[cf.file_idx] + row_problems.get(cf.file_idx, []),
                                 key=lambda p: (p.line or 0, p.message))
        results.append((index, report))
    return results


def create_files_table(engine: Engine, files: pa.Table) -> None:
    """``_tg_files``: one row per file of the batch (see :func:`_files_table`)."""
    engine.register("_tg_files_arrow", files)
    try:
        engine.scratch("_tg_files", "SELECT * FROM _tg_files_arrow")
    finally:
        engine.unregister("_tg_files_arrow")


def finish_batch(
    engine: Engine, *, dry_run: bool, snapshot: bool = True, max_removed_share: float = 1.0,
) -> tuple[dict[int, dict[str, Any]], dict[int, int], dict[int, list[Problem]], dict[int, str]]:
    """Key the classified rows (``_tg_conn``), write them (unless dry run); summarise.

    Files whose snapshot would remove more than ``max_removed_share`` of their
    employee's ties are held back (the last item: message per file_idx)."""
    engine.execute(
        """UPDATE _tg_files f SET exported_on = coalesce(f.exported_on,
             (SELECT max(connected_on) FROM _tg_conn c
              WHERE c.file_idx = f.file_idx AND c.problem IS NULL), current_date)"""
    )
    link_person_keys(engine)
    build_ties(engine)
    held = hold_back_removals(engine, max_removed_share) \
        if snapshot and max_removed_share < 1 else {}
    drop_link_tables(engine)
    removed = {} if dry_run else write_connections(engine, snapshot=snapshot)
    if not dry_run:
        record_person_keys(engine)
    return _summaries(engine), removed, _row_problems(engine), held


def _summaries(engine: Engine) -> dict[int, dict[str, Any]]:
    names = ["exported_on", "rows", "quarantined", "ties", "hidden_members", "earliest",
             "latest"]
    rows = engine.fetchall(
        """SELECT f.file_idx, f.exported_on, coalesce(c.n, 0), coalesce(c.quarantined, 0),
            coalesce(t.ties, 0), coalesce(t.hidden_members, 0), t.earliest, t.latest
        FROM _tg_files f
        LEFT JOIN (SELECT file_idx, count(*) AS n,
                          count(*) FILTER (WHERE problem IS NOT NULL) AS quarantined
                   FROM _tg_conn GROUP BY file_idx) c USING (file_idx)
        LEFT JOIN (SELECT file_idx, count(tie_id) FILTER (WHERE NOT is_hidden) AS ties,
                          count(tie_id) FILTER (WHERE is_hidden) AS hidden_members,
                          min(connected_on) AS earliest, max(connected_on) AS latest
                   FROM _tg_ties GROUP BY file_idx) t USING (file_idx)"""
    )
    return {int(r[0]): dict(zip(names, r[1:], strict=True)) for r in rows}


def _row_problems(engine: Engine) -> dict[int, list[Problem]]:
    rows = engine.fetchall(
        """SELECT file_idx, line, problem_column, problem FROM _tg_conn
        WHERE problem IS NOT NULL ORDER BY file_idx, line"""
    )
    out: dict[int, list[Problem]] = {}
    for file_idx, line, column, message in rows:
        out.setdefault(int(file_idx), []).append(
            Problem(line, column, f"{message} The row is quarantined."))
    return out

"""Background jobs: uploads, imports, scans and erasures, one at a time (the warehouse has one
writer). Pages keep answering while a job runs; progress and a failed job's error (a sentence)
are stored in the ``jobs`` table, so the page and the API show them."""

from __future__ import annotations

import logging
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session as DBSession
from sqlalchemy.orm import sessionmaker

from ..errors import TieguardError
from ..session import Session
from .store import Job, now
from .summary import Summary

__all__ = ["JobRunner", "JobWork"]

log = logging.getLogger(__name__)

#: A job's work: gets the warehouse session and a progress callback, returns its summary
#: (sentences to translate; plain text stays English on every page).
JobWork = Callable[[Session, Callable[[str, int, int], None]], str | Summary]


@dataclass
class _Queued:
    job_id: int
    work: JobWork
    cleanup: Path | None
    kind: str = ""


class JobRunner:
    """One worker thread running queued jobs in order against the warehouse."""

    def __init__(self, warehouse: Session, app_db: sessionmaker[DBSession],
                 on_finish: Callable[[int, str], None] | None = None) -> None:
        self.warehouse, self.app_db, self.on_finish = warehouse, app_db, on_finish
        self._queue: queue.Queue[_Queued | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="tieguard-jobs", daemon=True)
        self._thread.start()

    def submit(self, user_id: int, kind: str, work: JobWork, cleanup: Path | None = None) -> int:
        with self.app_db() as db:
            job = Job(user_id=user_id, kind=kind, status="queued", step="waiting", done=0,
                      total=0)
            db.add(job)
            db.commit()
            job_id = job.id
        self._queue.put(_Queued(job_id, work, cleanup, kind))
        return job_id

    def waiting(self, kind: str) -> int:
        """How many jobs of ``kind`` are queued and not yet started."""
        with self._queue.mutex:
            return sum(1 for item in self._queue.queue if item is not None and item.kind == kind)

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Block until every queued job has finished (tests and shutdown)."""
        done = threading.Event()
        self._queue.put(_Queued(-1, lambda s, p: done.set() or "", None))  # type: ignore[func-returns-value]
        done.wait(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the running job; a running statement is interrupted (its stage rolls
        back and the job fails with a sentence) so that a shutdown never waits for a scan."""
        with self._queue.mutex:
            dropped = [item for item in self._queue.queue if item is not None and item.job_id > 0]
            self._queue.queue.clear()
        for item in dropped:
            self._update(item.job_id, status="failed", finished_at=now(), error="The server "
                         "stopped before this job ran; nothing was changed. Start it again.")
            self._finish(item, "failed")
        self._queue.put(None)
        deadline = time.monotonic() + timeout
        while self._thread.is_alive() and time.monotonic() < deadline:
            self.warehouse.engine.interrupt()
            self._thread.join(timeout=0.5)

    def _update(self, job_id: int, **values: Any) -> None:
        with self.app_db() as db:
            job = db.get(Job, job_id)
            if job is not None:
                for key, value in values.items():
                    setattr(job, key, value)
                db.commit()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if item.job_id < 0:
                item.work(self.warehouse, lambda s, d, t: None)
                continue
            try:
                self._run(item)
            except Exception:  # e.g. the app-db refused the status write: keep serving jobs
                log.exception("job %s: its final state could not be recorded", item.job_id)

    def _run(self, item: _Queued) -> None:
        def progress(step: str, done: int, total: int) -> None:
            self._update(item.job_id, step=step[:200], done=done, total=total)

        self._update(item.job_id, status="running", step="starting")
        try:
            summary = item.work(self.warehouse, progress)
        except TieguardError as exc:
            self._update(item.job_id, status="failed", error=str(exc), finished_at=now())
            self._finish(item, "failed")
            return
        except KeyboardInterrupt:  # stop() interrupted the statement: the server is stopping
            self._update(item.job_id, status="failed", finished_at=now(), error="The server "
                         "stopped while this job ran; its step was rolled back. Start it again.")
            self._finish(item, "failed")
            return
        except Exception as exc:  # a job must never take the worker down; say what failed
            log.exception("job %s failed", item.job_id)
            self._update(item.job_id, status="failed", finished_at=now(),
                         error=f"The job stopped on an unexpected error ({type(exc).__name__}: "
                               f"{exc}). Nothing was half-written; the server log has details.")
            self._finish(item, "failed")
            return
        sentences = summary if isinstance(summary, Summary) else None
        self._update(item.job_id, status="done", step="finished", finished_at=now(),
                     summary=sentences.text() if sentences else summary,
                     summary_message=sentences.to_json() if sentences else None)
        self._finish(item, "done")

    def _finish(self, item: _Queued, status: str) -> None:
        if item.cleanup is not None:
            shutil.rmtree(item.cleanup, ignore_errors=True)
        if self.on_finish:
            self.on_finish(item.job_id, status)

"""Inspecting many connections exports ahead of the engine, in a background thread.

Python's per-file work (reading, SHA-256, decoding, sniffing the head) would otherwise
hold up the engine. For large batches a thread inspects the next files while the
engine (which releases the GIL) loads the current chunk; it keeps only what was
learnt, not the decoded text, so read-ahead costs little memory. A thread rather than
processes: no start-up cost, no re-import of the caller's script, nothing to pickle.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import InputError
from ..settings import SourcesSettings
from .sniff import ConnectionsFile, prepare_for_engine

__all__ = ["inspect_files", "MIN_BACKGROUND_FILES"]

#: From this many files on, inspection runs ahead in a background thread.
MIN_BACKGROUND_FILES = 64
#: Files inspected ahead of the consumer at most.
_AHEAD = 4096
_Result = ConnectionsFile | InputError | BaseException


def _inspect(path: Path, tmp: str, tag: str, keep_text: bool,
             limits: SourcesSettings | None) -> ConnectionsFile | InputError:
    try:
        return prepare_for_engine(path, tmp, tag, keep_text, limits)
    except InputError as exc:
        return exc


@contextmanager
def inspect_files(
    paths: Sequence[Path], tmp: str, background: bool | None = None,
    limits: SourcesSettings | None = None,
) -> Iterator[Iterator[ConnectionsFile | InputError]]:
    """Inspected files (or the error refusing each) in the order of ``paths``.

    ``tmp`` receives UTF-8 copies of files in other encodings. ``background``: inspect
    ahead in a thread (default: for :data:`MIN_BACKGROUND_FILES` files or more).
    """
    if background is None:
        background = len(paths) >= MIN_BACKGROUND_FILES
    if not background:
        yield (_inspect(path, tmp, str(n), True, limits) for n, path in enumerate(paths))
        return
    results: queue.Queue[_Result] = queue.Queue(maxsize=_AHEAD)
    stop = threading.Event()

    def work() -> None:
        for n, path in enumerate(paths):
            if stop.is_set():
                return
            try:
                results.put(_inspect(path, tmp, str(n), False, limits))
            except BaseException as exc:  # handed to the consumer, raised there
                results.put(exc)
                return

    thread = threading.Thread(target=work, name="tieguard-inspect", daemon=True)
    thread.start()
    try:
        yield _consume(results, len(paths))
    finally:
        stop.set()
        while thread.is_alive():  # unblock a full queue so the thread can end
            with suppress(queue.Empty):
                results.get(timeout=0.05)
        thread.join()


def _consume(results: queue.Queue[_Result], count: int) -> Iterator[ConnectionsFile | InputError]:
    for _ in range(count):
        item = results.get()
        if isinstance(item, BaseException) and not isinstance(item, InputError):
            raise item
        yield item

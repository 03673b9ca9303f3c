"""Ctrl-C during a long engine statement: stop within a second, leave the warehouse as it was.

Python runs a SIGINT handler only between bytecodes of the main thread; while the main
thread waits inside a long engine statement, Ctrl-C would be noticed only when the
statement ends (tens of seconds), and the engine may turn it into an ordinary error
that a caller catches. So while an import runs, SIGINT is blocked in every thread but
taken by a watcher thread (``sigwait``), which interrupts the engine's statement and
raises KeyboardInterrupt in the main thread. The open transaction is rolled back by
the engine's ``transaction()`` on the way out; the CLI exits with code 130.
"""

from __future__ import annotations

import _thread
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["interrupt_stops", "EXIT_INTERRUPTED"]

#: Exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def _interrupter(target: object) -> Callable[[], None] | None:
    """The callable that interrupts ``target``'s running statement, if it has one."""
    for holder in (target, getattr(target, "con", None)):
        method = getattr(holder, "interrupt", None)
        if callable(method):
            return method  # type: ignore[no-any-return]
    return None


@contextmanager
def interrupt_stops(engine: object) -> Iterator[None]:
    """Within the block, Ctrl-C interrupts ``engine``'s statement and raises
    KeyboardInterrupt in the main thread at once (see the module docstring)."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "pthread_sigmask"):
        yield
        return
    done = threading.Event()
    interrupt = _interrupter(engine)

    def watch() -> None:
        while True:
            signal.sigwait({signal.SIGINT})
            if done.is_set():
                return
            if interrupt is not None:
                interrupt()
            _thread.interrupt_main()

    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    watcher = threading.Thread(target=watch, name="tieguard-sigint", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        if watcher.ident is not None:
            signal.pthread_kill(watcher.ident, signal.SIGINT)
        watcher.join(timeout=1)
        signal.pthread_sigmask(signal.SIG_SETMASK, old)

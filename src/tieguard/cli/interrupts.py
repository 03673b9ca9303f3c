"""Ctrl-C during a long engine statement: stop within a second, leave the warehouse as it was.

Python runs a SIGINT handler only between bytecodes of the main thread; while the main
thread waits inside a long engine statement, Ctrl-C would be noticed only when the
statement ends (tens of seconds), and the engine may turn it into an ordinary error
that a caller catches. So while an import runs, the signal also writes a byte to a
pipe (``signal.set_wakeup_fd``, done by the C-level handler in whichever thread gets
the signal); a watcher thread reading the pipe interrupts the engine's statement at
once. The main thread then raises KeyboardInterrupt, the engine's ``transaction()``
rolls the open transaction back on the way out, and the CLI exits with code 130.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = ["interrupt_stops", "Stopper", "EXIT_INTERRUPTED"]

#: Exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class Stopper:
    """What Ctrl-C stops: the engine attached (its running statement is interrupted)."""

    def __init__(self) -> None:
        self.fired = threading.Event()
        self._interrupt: Callable[[], None] | None = None

    def attach(self, engine: Engine) -> None:
        self._interrupt = engine.interrupt

    def stop(self) -> None:
        self.fired.set()
        if self._interrupt is not None:
            self._interrupt()


@contextmanager
def interrupt_stops() -> Iterator[Stopper]:
    """Within the block, Ctrl-C interrupts the attached engine's running statement at
    once (see the module docstring); any error the interrupted statement raises instead
    becomes KeyboardInterrupt."""
    stopper = Stopper()
    if threading.current_thread() is not threading.main_thread():
        yield stopper
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    done = threading.Event()

    def watch() -> None:
        while os.read(read_end, 1) and not done.is_set():
            stopper.stop()

    previous_fd = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    watcher = threading.Thread(target=watch, name="tieguard-sigint", daemon=True)
    watcher.start()
    try:
        yield stopper
    except Exception as exc:
        if stopper.fired.is_set():
            raise KeyboardInterrupt from exc
        raise
    finally:
        done.set()
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGINT, previous_handler)
        os.write(write_end, b"\0")
        watcher.join(timeout=1)
        os.close(write_end)
        os.close(read_end)

"""A small pool of connections, driver-free: the engine's read views borrow from it.

Up to ``size`` connections are out at once (a caller beyond that waits for one to come back);
returned ones are kept for the next caller. :meth:`Pool.drain` waits until every borrowed
connection is back and closes them all, so that the engine can swap its database file
(compaction); callers arriving meanwhile wait until :meth:`Pool.resume`. After
:meth:`Pool.close` borrowing fails with a sentence and returned connections are closed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import WarehouseError

__all__ = ["Pool"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class Pool(Generic[T]):
    """Connections made by ``make`` and ended by ``close``, at most ``size`` out at once."""

    def __init__(self, make: Callable[[], T], close: Callable[[T], None], size: int,
                 what: str = "the warehouse") -> None:
        if size < 1:
            raise ValueError(f"a pool needs room for at least one connection, not {size}")
        self._make, self._close, self.size, self.what = make, close, size, what
        self._idle: list[T] = []
        self._out = 0
        self._draining = False
        self._closed = False
        self._cond = threading.Condition()

    def take(self) -> T:
        """A connection: a kept one, a new one, or (all ``size`` out) the next one returned."""
        with self._cond:
            while not self._closed and (self._draining or
                                        (not self._idle and self._out >= self.size)):
                self._cond.wait()
            if self._closed:
                raise WarehouseError(f"{self.what} is closed; no page can read it any more. "
                                     "Restart the server.")
            item = self._idle.pop() if self._idle else self._make()
            self._out += 1
            return item

    def give(self, item: T, *, discard: bool = False) -> None:
        """Return ``item``; it is closed instead of kept if ``discard``, or while draining or
        closed."""
        with self._cond:
            self._out -= 1
            keep = not (discard or self._draining or self._closed)
            if keep:
                self._idle.append(item)
            self._cond.notify_all()
        if not keep:
            self._end(item)

    def drain(self) -> None:
        """Wait until every borrowed connection is back, then close them all; callers wait
        until :meth:`resume`."""
        with self._cond:
            self._draining = True
            while self._out:
                self._cond.wait()
            idle, self._idle = self._idle, []
        for item in idle:
            self._end(item)

    def resume(self) -> None:
        """Lend connections again (new ones, from ``make``) after :meth:`drain`."""
        with self._cond:
            self._draining = False
            self._cond.notify_all()

    def close(self) -> None:
        """Close the kept connections; borrowed ones are closed when they come back."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for item in idle:
            self._end(item)

    def _end(self, item: T) -> None:
        try:
            self._close(item)
        except Exception:  # closing anyway: a connection that fails to close is gone too
            log.warning("a pooled connection to %s failed to close", self.what, exc_info=True)

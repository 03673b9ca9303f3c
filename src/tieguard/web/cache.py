"""Values computed from the warehouse, kept until the warehouse changes.

Every job (import, scan, erasure, ...) that finishes calls :meth:`ScanCache.invalidate`, so a
page shows what the warehouse holds now, while a request between two jobs only reads what the
first request built. Builds run one at a time per key: twenty users asking for the same cold
page wait for one build instead of running twenty, while builds of different keys (twenty
employees' own reports) run at once, each on a read view of its own
(:meth:`tieguard.engine.Engine.reading`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["ScanCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ScanCache(Generic[K, V]):
    """Up to ``max_entries`` values by key (least recently used dropped first)."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._building: dict[K, threading.Lock] = {}
        self._generation = 0
        self._values: OrderedDict[K, V] = OrderedDict()

    def invalidate(self) -> None:
        """Forget every value: the warehouse changed (a build running now is not kept)."""
        with self._lock:
            self._generation += 1
            self._values.clear()

    def peek(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        """The kept value of ``key``, or ``build()`` it (one build per key at a time; others
        asking for the same key wait for it)."""
        cached = self.peek(key)
        if cached is not None:
            return cached
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            cached = self.peek(key)
            if cached is not None:
                return cached
            with self._lock:
                generation = self._generation  # before the build opens its snapshot
            try:
                value = build()
                with self._lock:
                    if generation == self._generation:  # no job finished while it was built
                        self._values[key] = value
                        while len(self._values) > self.max_entries:
                            self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            return value

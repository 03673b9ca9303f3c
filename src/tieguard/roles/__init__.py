"""The ``roles`` stage: job title or headline → seniority, function and buying roles.

See ``docs/roles.md``. Public API: :func:`classify`, :func:`classify_many`,
:class:`Classifier`, :class:`RoleResult`, :func:`run` (the stage over the warehouse).
Importing this package is cheap: the classifier, its model and ``pyarrow.compute`` load
on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Classifier", "RoleResult", "classify", "classify_many", "run"]


def __getattr__(name: str) -> Any:
    if name == "run":
        from .stage import run

        return run
    if name in ("Classifier", "RoleResult", "classify", "classify_many"):
        from . import classifier as module

        return getattr(module, name)
    raise AttributeError(name)

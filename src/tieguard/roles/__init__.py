"""The ``roles`` stage: job title or headline → seniority, function and buying roles.

See ``docs/roles.md``. Public API: :func:`classify`, :func:`classify_many`,
:class:`RoleResult`, :func:`run` (the stage over the warehouse).
"""

from __future__ import annotations

from .classify import Classifier, RoleResult, classify, classify_many

__all__ = ["Classifier", "RoleResult", "classify", "classify_many", "run"]


def __getattr__(name: str) -> object:
    if name == "run":
        from .stage import run

        return run
    raise AttributeError(name)

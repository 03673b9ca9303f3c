"""A job's summary as translatable sentences.

A job's work returns a :class:`Summary`: each sentence is an English message (marked with
``N_()`` so ``make i18n`` extracts it) and its values. The job stores the English text, which
the API shows (its JSON stays English), and the sentences themselves, so a page shows the
summary in the reader's language, whichever language the job was started in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Summary", "translated_summary"]

Value = str | int | float


@dataclass(frozen=True)
class Summary:
    """Sentences (message, values) of a finished job, read in order."""

    sentences: tuple[tuple[str, dict[str, Value]], ...]

    @classmethod
    def of(cls, message: str, **values: Value) -> Summary:
        return cls(((message, values),))

    def __add__(self, other: Summary) -> Summary:
        return Summary(self.sentences + other.sentences)

    def text(self, gettext: Callable[[str], str] = str) -> str:
        """The sentences joined, each message looked up with ``gettext`` (English: as is)."""
        return " ".join(gettext(message) % values if values else gettext(message)
                        for message, values in self.sentences)

    def to_json(self) -> str:
        return json.dumps([[message, values] for message, values in self.sentences])

    @classmethod
    def from_json(cls, stored: str) -> Summary:
        return cls(tuple((str(message), dict(values)) for message, values in json.loads(stored)))


def translated_summary(english: str | None, stored: str | None,
                       gettext: Callable[[str], str]) -> str:
    """A job's summary in the current language (``gettext``): from its stored sentences, else
    (a job from before they were stored, or a summary that is plain text) the English."""
    if stored:
        try:
            return Summary.from_json(stored).text(gettext)
        except (ValueError, TypeError, KeyError):
            pass  # an unreadable record: the English is still right
    return english or ""

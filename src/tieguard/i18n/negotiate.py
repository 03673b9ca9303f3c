"""Which language a reader gets.

Reports and alerts: the explicit choice (``--lang``), else the employee's own language from
the roster, else the organisation's default (``language`` in the settings), else English.
The web app: the signed-in user's choice, else the browser's ``Accept-Language``.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError, negotiate_locale

from .catalog import DEFAULT_LANGUAGE, SUPPORTED, check_language, normalise_language

__all__ = ["choose_language", "from_accept_language"]


def choose_language(explicit: str | None = None, employee: str | None = None,
                    organisation: str | None = None) -> str:
    """The first of explicit choice, employee's language, organisation default, English.

    An explicit choice must be supported (:class:`UnsupportedLanguageError` otherwise); the
    stored values were validated when they were imported or configured, and one that is not
    supported any more is skipped.
    """
    if explicit:
        return check_language(explicit)
    for stored in (employee, organisation):
        code = normalise_language(stored) if stored else None
        if code:
            return code
    return DEFAULT_LANGUAGE


def _parse_accept(header: str) -> list[str]:
    """The tags of an ``Accept-Language`` header, highest quality first (q=0 dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag.replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def from_accept_language(header: str | None, user_choice: str | None = None) -> str:
    """The signed-in user's choice, else the best supported match of ``Accept-Language``."""
    if user_choice and normalise_language(user_choice):
        return check_language(user_choice)
    preferred = _parse_accept(header or "")
    found = negotiate_locale(preferred, list(SUPPORTED), sep="_")
    if found:
        return found
    for tag in preferred:  # a region Babel did not alias (e.g. de_LU) still names its language
        try:
            code = normalise_language(Locale.parse(tag).language)
        except (ValueError, UnknownLocaleError):
            continue
        if code:
            return code
    return DEFAULT_LANGUAGE

"""The message catalogues: gettext translations read from the package's ``.po`` files.

The ``.po`` files under ``tieguard/locale/<lang>/LC_MESSAGES/tieguard.po`` are the only
source of truth. They are compiled in memory with Babel when a language is first used
(a few milliseconds, cached per process), so an installed package needs no build step and
a compiled ``.mo`` can never be older than its ``.po``. English is the source language:
its catalogue holds no translations and ``gettext`` returns the message id.

The current language is a context variable (:func:`use`), so a report rendered in Dutch
and a CLI summary printed in English can run side by side without passing a language
through every function; :func:`gettext` and :func:`ngettext` read it.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import io
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..errors import ConfigError

__all__ = [
    "SUPPORTED", "LANGUAGE_NAMES", "DEFAULT_LANGUAGE", "DOMAIN", "LOCALE_DIR", "UnsupportedLanguageError",
    "Translator", "check_language", "translations", "translator", "use", "current", "gettext",
    "ngettext", "N_", "supported_list", "normalise_language",
    "raw_gettext", "raw_ngettext", "activate", "deactivate",
]

DOMAIN = "tieguard"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "en"
#: The supported languages with their own names (for error sentences and language menus).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "nl": "Nederlands", "de": "Deutsch",
                                  "fr": "français"}
SUPPORTED: tuple[str, ...] = tuple(LANGUAGE_NAMES)

_current: ContextVar[str] = ContextVar("tieguard_language", default=DEFAULT_LANGUAGE)


class UnsupportedLanguageError(ConfigError):
    """A language code tieguard has no catalogue for."""


def supported_list() -> str:
    return ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())


def normalise_language(value: str) -> str | None:
    """``nl``, ``NL``, ``nl-BE``, ``nl_NL.UTF-8`` → ``nl``; None when not supported."""
    code = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGE_NAMES else None


def check_language(value: str, *, where: str = "--lang") -> str:
    """The supported language code for ``value``; :class:`UnsupportedLanguageError` otherwise."""
    code = normalise_language(value)
    if code is None:
        raise UnsupportedLanguageError(
            f"The language {value!r} ({where}) is not supported. Choose one of "
            f"{supported_list()}."
        )
    return code


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the message ids themselves)."""
    lang = check_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@contextlib.contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Make ``lang`` (default English) the current language inside the ``with`` block."""
    code = check_language(lang) if lang else DEFAULT_LANGUAGE
    token = _current.set(code)
    try:
        yield code
    finally:
        _current.reset(token)


def activate(lang: str) -> Token[str]:
    """Make ``lang`` current until :func:`deactivate` (for a whole CLI invocation)."""
    return _current.set(check_language(lang))


def deactivate(token: Token[str]) -> None:
    _current.reset(token)


def current() -> str:
    """The current language code."""
    return _current.get()


def _fill(text: str, values: dict[str, Any]) -> str:
    return text % values if values else text


def gettext(message: str, **values: Any) -> str:
    """``message`` in the current language, its ``%(name)s`` placeholders filled from ``values``."""
    return _fill(translations(current()).gettext(message), values)


def ngettext(singular: str, plural: str, number: int, /, **values: Any) -> str:
    """The plural form for ``number`` in the current language, placeholders filled from
    ``values`` (``%(n)s`` is ``number`` unless given, e.g. already formatted)."""
    values.setdefault("n", number)
    return _fill(translations(current()).ngettext(singular, plural, number), values)


def raw_gettext(message: str) -> str:
    """``message`` in the current language, unformatted (for Jinja's newstyle gettext)."""
    return translations(current()).gettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for ``n`` in the current language, unformatted (for Jinja)."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for extraction without translating it now."""
    return message


@dataclass(frozen=True)
class Translator:
    """``gettext``/``ngettext`` bound to one language (for code that holds a language)."""

    language: str

    def gettext(self, message: str, **values: Any) -> str:
        return _fill(translations(self.language).gettext(message), values)

    def ngettext(self, singular: str, plural: str, number: int, /, **values: Any) -> str:
        values.setdefault("n", number)
        return _fill(translations(self.language).ngettext(singular, plural, number), values)


def translator(lang: str) -> Translator:
    """A :class:`Translator` for ``lang`` (checked)."""
    return Translator(check_language(lang))

"""Internationalisation: message catalogues, language choice and locale-aware formatting.

``from tieguard.i18n import _`` marks and translates a message in the current language
(:func:`use` sets it); :mod:`tieguard.i18n.formats` formats numbers, money, shares, days
and dates for it. Supported: English (source), Dutch, German, French. See docs/i18n.md.
"""

from __future__ import annotations

from .catalog import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    N_,
    SUPPORTED,
    Translator,
    UnsupportedLanguageError,
    check_language,
    current,
    gettext,
    ngettext,
    normalise_language,
    supported_list,
    translations,
    translator,
    use,
)
from .negotiate import choose_language, from_accept_language

_ = gettext

__all__ = [
    "_", "N_", "gettext", "ngettext", "use", "current", "translator", "Translator", "translations",
    "check_language", "normalise_language", "supported_list", "choose_language",
    "from_accept_language", "SUPPORTED", "LANGUAGE_NAMES", "DEFAULT_LANGUAGE",
    "UnsupportedLanguageError",
]

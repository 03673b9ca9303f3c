"""Checks shared by the language tests."""

from __future__ import annotations

import html as html_lib
import re

from tieguard.i18n.check import catalogue


def visible_text(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def english_left_over(lang: str, text: str) -> list[str]:
    """English pieces of translated messages that appear in ``text``."""
    found = []
    for message in catalogue(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for msgid in ids:
            for piece in re.split(r"%\(\w+\)s|<[^>]+>", msgid):
                piece = piece.strip()
                if (len(piece) >= 12 and piece in text and msgid not in forms
                        and not any(piece in form for form in forms)):
                    found.append(piece)
    return found

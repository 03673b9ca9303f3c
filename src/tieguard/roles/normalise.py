"""Title and headline cleaning: from what people type to a key the lexicon and rules can use.

Everything here is cheap string work (C-level ``str`` methods and precompiled
regexes): the rules path must stay near a few microseconds per distinct title.

* headlines: ``Head of Procurement @ Acme | ex-Siemens`` keeps the role part
  (``head of procurement``); ``Inkoper bij Van Dijk B.V.`` drops the employer;
* gender markers ``(m/w/d)``, ``(h/f)``, ``m/f/x`` and doublets
  ``Leiter/Leiterin``, ``Leiter:in``, ``Administrateur / Administratrice`` become
  one form;
* HTML tags and entities, emoji and other symbols are removed; accents are folded
  (``Qualität`` → ``qualitat``); anything longer than :data:`MAX_CHARS` is cut.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["MAX_CHARS", "fold", "normalise", "role_segments", "tokens"]

#: Input beyond this many characters is ignored (a 5,000-character headline is not a title).
MAX_CHARS = 300

_TAG = re.compile(r"<[^>]{0,200}>")
_GENDER = re.compile(
    r"\(\s*(?:[mwfdhxia*]\s*[/|,]\s*){1,3}[mwfdhxia*]\s*\)"
    r"|\b(?:[mwfdh]\s*/\s*){1,3}[mwfdhx]\b(?!\w)"
    r"|\(\s*(?:all genders?|alle geschlechter|gn|mfd|mwd|hf|fh|mvx|m|w|f|h|x|d)\s*\)",
    re.IGNORECASE,
)
# Employer / extra separators of a headline: '@', ' at ', ' bij ', ' bei ', ' chez ', '|', ' - ', '•'
_EMPLOYER = re.compile(
    r"\s(?:at|bij|bei|chez|presso|working at|werkzaam bij|tätig bei)\s+(?=[A-Z0-9])"
)
_HEAD_SPLIT = re.compile(r"\s*(?:\||•|·|–|—|\s-\s|;|,\s)\s*")
_INNER_GENDER = re.compile(r"(?<=\w)(?:\(|\*|:|_|/)(?:innen|in|e|ne|ice|euse|rice|a)\)?(?!\w)", re.IGNORECASE)
_DOUBLET = re.compile(r"\b(\w{3,})\s*/\s*(\w{3,})\b")
_HEADLINE_MARK = re.compile(r"[@|•·–—;]|\s-\s|,\s")
_INNER_MARK = re.compile(r"[*:_/(]")
_SIMPLE = re.compile(r"[A-Za-z0-9 .,'&+-]*")
_EMPLOYER_WORD = re.compile(r" (?:at|bij|bei|chez|presso|working|werkzaam|tätig) ")
_NONWORD = re.compile(r"[^a-z0-9&+]+")


def fold(text: str) -> str:
    """Lowercase, fold accents to ASCII, keep letters, digits, ``&`` and ``+``; single spaces."""
    text = text.lower()
    if not text.isascii():
        text = text.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("œ", "oe")
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NONWORD.sub(" ", text).split())


def _merge_doublet(match: re.Match[str]) -> str:
    """``Leiter/Leiterin`` → ``Leiter``; ``Einkauf/Logistik`` stays two words (a multi-role title)."""
    first, second = match.group(1), match.group(2)
    a, b = first.lower(), second.lower()
    if b.startswith(a[: max(3, len(a) - 3)]) or a.startswith(b[: max(3, len(b) - 3)]):
        return first if len(a) <= len(b) else second
    return f"{first} / {second}"


def _clean(text: str) -> str:
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text and ";" in text:
        text = html.unescape(text)
    if "(" in text or "/" in text:
        text = _GENDER.sub(" ", text)
    if _INNER_MARK.search(text) is not None:
        text = _INNER_GENDER.sub("", text)
    if "/" in text:
        text = _DOUBLET.sub(_merge_doublet, text)
    return text


def role_segments(text: str) -> list[str]:
    """The role parts of a headline, employer and 'ex-…' parts dropped, unfolded."""
    text = _clean(text)
    segments: list[str] = []
    for part in _HEAD_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        low = part.lower()
        if low.startswith(("ex-", "ex ", "formerly", "former ", "previously", "voorheen", "ehemals")):
            continue
        part = _EMPLOYER.split(part.split("@", 1)[0], maxsplit=1)[0].strip()
        if not part:
            continue
        segments.append(part)
        if len(segments) == 3:
            break
    return segments


def normalise(text: str) -> str:
    """The lexicon key of a title or headline: role parts, folded, ``''`` when nothing is left."""
    if not text:
        return ""
    if len(text) < 80 and _HEADLINE_MARK.search(text) is None:
        if _SIMPLE.fullmatch(text) is not None:  # plain ASCII words: the common case
            if " " in text and _EMPLOYER_WORD.search(text) is not None:
                text = _EMPLOYER.split(text, maxsplit=1)[0]
            return " ".join(_NONWORD.sub(" ", text.lower()).split())
        return fold(_EMPLOYER.split(_clean(text), maxsplit=1)[0])
    return " | ".join(s for s in (fold(p) for p in role_segments(text)) if s)


def tokens(key: str) -> list[str]:
    """Tokens of a normalised key (segment separators dropped)."""
    return [t for t in key.split() if t != "|"]

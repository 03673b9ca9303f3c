"""Title and headline cleaning in bulk: Arrow string kernels over all distinct titles at once.

What people type becomes a key the lexicon, the rules and the model can use:

* headlines: ``Head of Procurement @ Acme | ex-Siemens`` keeps the role part
  (``head of procurement``); ``Inkoper bij Van Dijk B.V.`` drops the employer; up to three
  role segments stay, joined by `` | ``;
* gender markers ``(m/w/d)``, ``(h/f)``, ``m/f/x``, ``Leiter:in``, ``Ingeniero/a`` go
  (doublets such as ``Leiter/Leiterin`` collapse later, on the words: see
  :mod:`tieguard.roles.rules`);
* HTML tags and entities, emoji and other symbols are removed; accents are folded
  (``Qualität`` → ``qualitat``); anything beyond :data:`MAX_CHARS` is ignored.

Every step is one ``pyarrow.compute`` kernel (RE2 regular expressions, Unicode
normalisation) over the whole array: no Python loop per title. ``pyarrow.compute`` is
imported on first use, not when :mod:`tieguard.roles` is imported.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

__all__ = ["MAX_CHARS", "fold", "normalise", "normalise_array"]

#: Input beyond this many characters is ignored (a 5,000-character headline is not a title).
MAX_CHARS = 300
MAX_SEGMENTS = 3
_PARALLEL_MIN = 50_000

_TAG = r"<[^>]{0,200}>"
_ENTITY = r"&(?:nbsp|lt|gt|quot|apos|#\d{1,6});"
_GENDER = (
    r"(?i:\(\s*(?:[mwfdhxia*]\s*[/|,]\s*){1,3}[mwfdhxia*]\s*\)"
    r"|\b(?:[mwfdh]\s*/\s*){1,3}[mwfdhx]\b"
    r"|\(\s*(?:all genders?|alle geschlechter|gn|mfd|mwd|hf|fh|mvx|m|w|f|h|x|d)\s*\))"
)
#: ``Leiter:in``, ``Mitarbeiter*innen``, ``Ingeniero/a``, ``Directeur(rice)``: the marker and ending go
_INNER_GENDER = r"(?i)(\w)(?:\(|\*|:|_|/)(?:innen|in|e|ne|ice|euse|rice|a)\)?(\W|$)"
_SEGMENT = r"\s*(?:\||•|·|–|—|\s-\s|;|,\s)\s*"
_FORMER = r"(^|\x1f)\s*(?i:ex-|ex |formerly|former |previously|voorheen|ehemals)[^\x1f]*"
_EMPLOYER = (
    r"(?:@|\s(?:at|bij|bei|chez|presso|working at|werkzaam bij|tätig bei|tatig bei)\s+[\p{Lu}0-9])[^\x1f]*"
)
_FORMER_OR_EMPLOYER_MARK = (
    r"@|\x1f|\s(?:at|bij|bei|chez|presso|working|werkzaam|tätig|tatig)\s|^\s*(?i:ex[- ]|former|previously|voorheen|ehemals)"
)
_NONWORD = r"[^a-z0-9&+\x1f ]+"
#: a title with none of these needs no cleaning beyond folding
_MARKS = r"[<&(/*:_@|•·–—;,]|\s-\s|\s(?:at|bij|bei|chez|presso|working|werkzaam|tätig|tatig)\s|^\s*(?i:ex[- ]|former|previously|voorheen|ehemals)"
_FOLDS = (("ß", "ss"), ("ø", "o"), ("æ", "ae"), ("œ", "oe"), ("ł", "l"), ("đ", "d"))


def _pc() -> Any:
    import pyarrow.compute as pc

    return pc


def _sub(pc: Any, arr: pa.Array, pattern: str, replacement: str) -> pa.Array:
    return pc.replace_substring_regex(arr, pattern=pattern, replacement=replacement)


def _where(pc: Any, arr: pa.Array, mask: pa.Array, step: Any) -> pa.Array:
    """``step`` applied only to the rows where ``mask`` is true (most titles need few steps)."""
    count = pc.sum(mask).as_py() or 0
    if count == 0:
        return arr
    if count == len(arr):
        return step(arr)
    return pc.replace_with_mask(arr, mask, step(arr.filter(mask)))


def _clean(pc: Any, arr: pa.Array) -> pa.Array:
    """Strip markup, gender markers and employers; mark segment borders with ``\x1f``."""
    steps = (
        ("&amp;", None, lambda a: pc.replace_substring(a, pattern="&amp;", replacement="&")),
        (None, r"[<&(/]", lambda a: _sub(pc, a, f"{_TAG}|{_ENTITY}|{_GENDER}", " ")),
        (None, r"\w[(*:_/]", lambda a: _sub(pc, a, _INNER_GENDER, r"\1\2")),
        (None, r"[|•·–—;,]|\s-\s", lambda a: _sub(pc, a, _SEGMENT, "\x1f")),
        (None, _FORMER_OR_EMPLOYER_MARK, lambda a: _sub(pc, a, f"{_FORMER}|{_EMPLOYER}", r"\1")),
    )
    for literal, pattern, step in steps:
        mask = (pc.match_substring(arr, pattern=literal) if literal
                else pc.match_substring_regex(arr, pattern=pattern))
        arr = _where(pc, arr, mask, step)
    return arr


def _fold_non_ascii(pc: Any, arr: pa.Array) -> pa.Array:
    arr = pc.utf8_lower(pc.utf8_normalize(arr, form="NFKD"))
    special = pc.match_substring_regex(arr, pattern="[" + "".join(c for c, _ in _FOLDS) + "]")
    arr = _where(pc, arr, special, lambda a: _fold_special_letters(pc, a))
    return _sub(pc, arr, r"[^\x00-\x7f]+", "")


def _fold_special_letters(pc: Any, arr: pa.Array) -> pa.Array:
    for char, ascii_form in _FOLDS:
        arr = pc.replace_substring(arr, pattern=char, replacement=ascii_form)
    return arr


def _fold(pc: Any, arr: pa.Array) -> pa.Array:
    """Lower case, accents folded to ASCII, only ``a-z0-9&+`` (and segment marks) left."""
    arr = _where(pc, arr, pc.invert(pc.string_is_ascii(arr)), lambda a: _fold_non_ascii(pc, a))
    arr = pc.ascii_lower(arr)
    arr = _where(pc, arr, pc.match_substring_regex(arr, pattern=_NONWORD), lambda a: _sub(pc, a, _NONWORD, " "))
    arr = _where(pc, arr, pc.match_substring(arr, pattern="  "), lambda a: _sub(pc, a, " {2,}", " "))
    return pc.utf8_trim(arr, characters=" ")


_FIRST_SEGMENTS = r"^((?:[^\x1f]*\x1f){" + str(MAX_SEGMENTS - 1) + r"}[^\x1f]*)\x1f.*$"


def _segments(pc: Any, arr: pa.Array) -> pa.Array:
    """Empty segments dropped, at most :data:`MAX_SEGMENTS`, joined by `` | ``."""
    arr = _sub(pc, arr, r"\s*\x1f[\s\x1f]*", "\x1f")
    arr = pc.utf8_trim(arr, characters=" \x1f")
    arr = _sub(pc, arr, _FIRST_SEGMENTS, r"\1")
    return pc.replace_substring(arr, pattern="\x1f", replacement=" | ")


def normalise_array(titles: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Keys of many titles at once (nulls become ``''``); same length and order.

    Large arrays are cut in two halves normalised on two threads (the kernels release the GIL).
    """
    if isinstance(titles, pa.ChunkedArray):
        titles = titles.combine_chunks()
    if titles.type != pa.string():
        titles = titles.cast(pa.string())
    if len(titles) < _PARALLEL_MIN:
        return _normalise(titles)
    from concurrent.futures import ThreadPoolExecutor

    half = len(titles) // 2
    with ThreadPoolExecutor(2) as pool:
        parts = list(pool.map(_normalise, (titles.slice(0, half), titles.slice(half))))
    return pa.concat_arrays(parts)


def _normalise(titles: pa.Array) -> pa.Array:
    pc = _pc()
    arr = pc.fill_null(titles, "")
    arr = _where(pc, arr, pc.greater(pc.utf8_length(arr), MAX_CHARS), lambda a: pc.utf8_slice_codeunits(a, 0, MAX_CHARS))
    arr = _where(pc, arr, pc.match_substring_regex(arr, pattern=_MARKS), lambda a: _clean(pc, a))
    arr = _fold(pc, arr)
    return _where(pc, arr, pc.match_substring(arr, pattern="\x1f"), lambda a: _segments(pc, a))


def fold(text: str) -> str:
    """One word or phrase lower-cased and folded to ASCII (``Qualität`` → ``qualitat``)."""
    pc = _pc()
    folded = _fold(pc, pa.array([text.replace("\x1f", " ")], pa.string()))
    return " ".join(str(folded[0].as_py()).split())


def normalise(text: str) -> str:
    """The key of one title or headline (the bulk path with one element)."""
    return str(normalise_array(pa.array([text], pa.string()))[0].as_py())

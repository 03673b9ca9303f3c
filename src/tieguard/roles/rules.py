"""What one distinct word says: seniority, function, flags for the title-level rules.

:func:`analyse_word` is called once per *distinct word* of a batch (the vocabulary), never
per title; the batch classifier turns the answers into arrays and applies them to every
title at once. Order of analysis:

1. the word is in a table (:mod:`tieguard.roles.tables`);
2. a gendered or plural form of a table word: ``leiterin`` → ``leiter``, ``directrice`` →
   ``directeur``, ``acheteuse`` → ``acheteur``, ``ingeniera`` → ``ingeniero``, ``ingegneri``
   → ``ingegnere``, ``responsables`` → ``responsable``, ``inkopers`` → ``inkoper``;
3. a DE/NL compound: a known ending (``-leiter``, ``-leitung``, ``-manager``, ``-hoofd``,
   ``-inhaber``, ``-geschaftsfuhrer``, ...) gives the level even when the modifier is
   unknown (``zerspanungsleiter`` → head; the model finds the function); a known modifier
   gives the function (``einkaufs|leiter`` → purchasing); ``hoofd|inkoper`` → head;
4. a known modifier at the start of a long word gives its function (``einkaufsabteilung``).

Short risky words are not in the tables but flagged, and decided in context by the batch
rules: ``chief`` (c_level only with ``officer``), ``ad`` (amministratore delegato only in an
Italian title or alone).
"""

from __future__ import annotations

from typing import NamedTuple

from .tables import (
    ASSISTANT,
    COMPOUND_HEADS,
    COMPOUND_MODIFIERS,
    CONTEXT_WORDS,
    DEPUTY,
    EXEC,
    FUNCTION_WORDS,
    HEAD_LENGTHS,
    IC_BEFORE_MANAGER,
    MOD_LENGTHS,
    NON_ROLE_WORDS,
    PREFIX_EXCLUDED,
    SENIORITY_WORDS,
    STOP,
    WEAK_FUNCTION_WORDS,
)

__all__ = ["Flag", "PHRASES", "PHRASE_FIRST", "WordRule", "analyse_word", "gender_root", "split_compound"]


class Flag:
    """Bit flags of a word, OR-ed per title by the batch rules."""

    ASSISTANT = 1
    DEPUTY = 2
    JUNIOR = 4
    EXEC = 8
    TO = 16
    VICE = 32
    IC_BEFORE_MANAGER = 64
    MANAGER = 128
    CHIEF = 256
    OFFICER = 512
    AD = 1024
    NON_ROLE = 2048
    CONTENT = 4096  #: a word no rule explains: the title says more than its level
    DIRECTEUR = 8192
    MODEL = 16384  #: the word feeds the function model (not a pure level, context or stop word)
    WEAK = 32768  #: its function vote is soft (the model may overrule it)


class WordRule(NamedTuple):
    level: str | None
    function: str | None
    flags: int
    root: str  #: shared by gendered forms (``leiterin``, ``leiter``): doublets collapse on it
    evidence: tuple[str, ...]


#: multi-word table entries: phrase → (seniority, function)
PHRASES: dict[str, tuple[str | None, str | None]] = {
    w: (SENIORITY_WORDS.get(w), FUNCTION_WORDS.get(w))
    for w in {*SENIORITY_WORDS, *FUNCTION_WORDS} if " " in w
}
PHRASE_FIRST = frozenset(p.split()[0] for p in PHRASES)
_FORMS: tuple[tuple[str, str], ...] = (
    ("innen", ""), ("in", ""), ("rice", "eur"), ("euse", "eur"), ("ere", "er"), ("eres", "er"),
    ("ora", "or"), ("oras", "or"), ("ores", "or"), ("a", "o"), ("as", "o"), ("os", "o"), ("i", "e"),
    ("i", "o"), ("e", "a"), ("e", ""), ("es", ""), ("s", ""), ("ster", "er"), ("en", ""),
)


def _table_word(word: str) -> str | None:
    """The table word of ``word`` or of one of its gendered/plural forms."""
    if word in SENIORITY_WORDS or word in FUNCTION_WORDS:
        return word
    if len(word) < 5:
        return None
    for ending, replacement in _FORMS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            form = word[: len(word) - len(ending)] + replacement
            if form in SENIORITY_WORDS or form in FUNCTION_WORDS:
                return form
    return None


def _modifier(rest: str) -> tuple[str, str] | None:
    mod = COMPOUND_MODIFIERS.get(rest) or COMPOUND_MODIFIERS.get(rest.rstrip("s-"))
    if mod is None:
        func = FUNCTION_WORDS.get(rest) or FUNCTION_WORDS.get(rest.rstrip("s"))
        mod = ("", func) if func else None
    return mod


def split_compound(word: str) -> tuple[str, str, bool] | None:
    """(seniority, function, whether the function came from the head noun) of a DE/NL compound.

    ``''`` where the compound says nothing; None when it is not one.
    """
    if word.startswith("hoofd") and len(word) > 8:  # hoofdinkoper: the head of the buyers
        rest = word[5:]
        func = FUNCTION_WORDS.get(rest) or (split_compound(rest) or ("", "", False))[1]
        if func:
            return "head", func, False
    for k in HEAD_LENGTHS:
        if len(word) < k + 3:
            continue
        head = COMPOUND_HEADS.get(word[-k:])
        if head is None:
            continue
        mod = _modifier(word[:-k])
        if mod is None:  # unknown modifier: the ending still gives the level
            return (head[0], head[1], True) if head[0] else None
        if head[0] in ("owner", "c_level"):  # Betriebsinhaber, Bereichsgeschaftsfuhrer
            return head[0], head[1], True
        seniority = mod[0] if mod[0] and head[0] in ("head", "manager") else head[0]
        return seniority, mod[1] or head[1], not mod[1]
    return None


def _prefix_function(word: str) -> str:
    for k in MOD_LENGTHS:
        if len(word) > k + 3:
            mod = COMPOUND_MODIFIERS.get(word[:k])
            if mod and mod[1] and word[:k] not in PREFIX_EXCLUDED:
                return mod[1]
    return ""


_FLAG_WORDS: tuple[tuple[frozenset[str], int], ...] = (
    (ASSISTANT, Flag.ASSISTANT), (DEPUTY, Flag.DEPUTY), (frozenset(("junior", "jr")), Flag.JUNIOR),
    (EXEC, Flag.EXEC), (frozenset(("to",)), Flag.TO), (frozenset(("vice", "vp")), Flag.VICE),
    (IC_BEFORE_MANAGER, Flag.IC_BEFORE_MANAGER), (frozenset(("manager",)), Flag.MANAGER),
    (frozenset(("chief",)), Flag.CHIEF), (frozenset(("officer",)), Flag.OFFICER),
    (frozenset(("ad",)), Flag.AD), (NON_ROLE_WORDS, Flag.NON_ROLE),
    (frozenset(("directeur",)), Flag.DIRECTEUR),
)


_ROOTS: tuple[tuple[str, str], ...] = (
    ("innen", ""), ("in", ""), ("rice", "eur"), ("euse", "eur"), ("a", "o"), ("e", ""),
)


def gender_root(word: str) -> str:
    """A root shared by the gendered forms of a word (``leiterin``, ``leiter`` → ``leiter``)."""
    for ending, replacement in _ROOTS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: len(word) - len(ending)] + replacement
    return word


def analyse_word(word: str) -> WordRule:
    """Seniority, function, flags and table form of one folded word."""
    evidence: list[str] = []
    base = _table_word(word)
    from_head = False
    if base is not None:
        level, function = SENIORITY_WORDS.get(base), FUNCTION_WORDS.get(base)
    else:
        level = function = None
        if len(word) > 6:
            split = split_compound(word)
            if split:
                level, function, from_head = split[0] or None, split[1] or None, split[2]
                evidence.append(f"compound:{word}")
            else:
                function = _prefix_function(word) or None
    if level:
        evidence.append(f"seniority:{word}={level}")
    if function:
        evidence.append(f"function:{word}={function}")
    # occupation nouns (``-assistent``, ``-techniker``, ``-meister``) name a trade, not a department
    weak = from_head or base in WEAK_FUNCTION_WORDS or word in WEAK_FUNCTION_WORDS
    flags = Flag.WEAK if function and weak else 0
    for members, flag in _FLAG_WORDS:
        if word in members:
            flags |= flag
    plain = word not in STOP and word not in CONTEXT_WORDS and not flags & (Flag.CHIEF | Flag.AD)
    if level is None and function is None and len(word) > 3 and plain:
        flags |= Flag.CONTENT
    if plain and (function is not None or level is None) and word != "|":
        flags |= Flag.MODEL
    if level is not None and function is None and base is None and len(word) > 8:
        # a compound whose ending gave the level (``zerspanungsleiter``): its modifier is content
        flags |= Flag.MODEL | Flag.CONTENT
    return WordRule(level, function, flags, gender_root(word), tuple(evidence))

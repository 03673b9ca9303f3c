"""Title-level facts and the seniority decision, as array operations over all titles.

The highest level found wins (``owner`` above ``c_level``), with these rules:

* executives beat board membership: ``CCO & Board Member`` is c_level; a board word with
  nothing above director is ``board``;
* ``assistant``/``secretary`` of an executive (``Assistant to the CEO``) is an individual
  in admin (a gatekeeper), unless the title also has a VP or head level;
* interns win over their field up to senior (``Werkstudent Einkauf``); junior caps at
  individual up to manager; a deputy is one level down (``Stellvertretender Einkaufsleiter``);
* ``account/key/project/product/category manager`` is ``senior`` (an individual contributor);
* ``senior``/``associate`` right before ``vice president`` does not count;
* ``chief`` is c_level only with ``officer`` (``Chief Technology Officer``), else head
  (``Chief Engineer``); ``AD`` is amministratore delegato only in an Italian title or alone;
* ``directeur`` alone (NL/FR) is c_level in general management;
* a title with a function but no level word is ``individual``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import CLASSES, LANGS
from .tokens import LEVELS, Flag, Tokens, VocabRules, has_flag

__all__ = ["TitleFacts", "decide_seniority", "title_facts"]

_L = {label: np.int8(i) for i, label in enumerate(LEVELS)}
_BOOL = npt.NDArray[np.bool_]


@dataclass
class TitleFacts:
    rule_votes: npt.NDArray[np.float32]  #: titles × classes: rule words per function (+ bonus for the first)
    ladder: npt.NDArray[np.int8]  #: highest level found (board excluded), -1 none
    flags: npt.NDArray[np.int32]
    has_board: _BOOL
    has_intern: _BOOL
    has_vp_or_head: _BOOL
    has_content: _BOOL
    ic_manager: _BOOL
    top_level: _BOOL  #: c_level/owner/board (or ``directeur``/``AD`` alone)
    ad_executive: _BOOL
    directeur_alone: _BOOL
    assistant_to_executive: _BOOL
    non_role: _BOOL


def _any(n: int, title: npt.NDArray[np.int64], mask: _BOOL) -> _BOOL:
    out = np.zeros(n, bool)
    out[title[mask]] = True
    return out


#: a weak word's vote relative to a table word's (see ``WEAK_FUNCTION_WORDS``)
WEAK_VOTE = 0.05


def _rule_votes(
    n: int, title: npt.NDArray[np.int64], function: npt.NDArray[np.int8], weak: _BOOL
) -> npt.NDArray[np.float32]:
    votes = np.zeros((n, len(CLASSES)), np.float32)
    hit = function >= 0
    np.add.at(votes, (title[hit], function[hit]), np.where(weak[hit], WEAK_VOTE, 1.0).astype(np.float32))
    hit &= ~weak
    first_pos = np.full(n, len(function), np.int64)
    np.minimum.at(first_pos, title[hit], np.flatnonzero(hit))
    has = first_pos < len(function)
    votes[np.flatnonzero(has), function[first_pos[has]]] += 0.25
    return votes


def title_facts(
    tokens: Tokens, rules: VocabRules, keep: _BOOL, keep_model: _BOOL, level: npt.NDArray[np.int8],
    function: npt.NDArray[np.int8], language: npt.NDArray[np.int8],
) -> TitleFacts:
    """Aggregate the token arrays per title (``level``/``function`` after phrases;
    ``keep_model``: the tokens that are content, not level phrases)."""
    n, title = tokens.n_titles, tokens.title
    flags = np.where(keep, rules.flags[tokens.word], 0).astype(np.int32)
    # ``vice`` starting a level phrase (``vice president``) is that level, not a deputy
    in_phrase = has_flag(flags, Flag.DEPUTY) & ((level >= 0) | ~keep_model)
    flags = np.where(in_phrase, flags & ~Flag.DEPUTY, flags).astype(np.int32)
    same_next = np.zeros(len(title), bool)
    same_next[:-1] = (title[1:] == title[:-1]) & (tokens.segment[1:] == tokens.segment[:-1])
    next_flags = np.zeros(len(title), np.int32)
    next_flags[:-1] = np.where(same_next[:-1], flags[1:], 0)
    level = np.where(((level == _L["senior"]) | (level == _L["individual"])) & has_flag(next_flags, Flag.VICE), -1, level)
    prev_flags = np.zeros(len(title), np.int32)
    prev_flags[1:] = np.where(same_next[:-1], flags[:-1], 0)
    title_flags = np.zeros(n, np.int32)
    np.bitwise_or.at(title_flags, title, flags)
    ladder = np.full(n, -1, np.int8)
    np.maximum.at(ladder, title, np.where(level == _L["board"], -1, level).astype(np.int8))
    rule_votes = _rule_votes(n, title, function, has_flag(flags, Flag.WEAK))
    has_rule = rule_votes.any(axis=1)
    has_content = _any(n, title, has_flag(flags, Flag.CONTENT) & keep_model)
    kept_words = np.bincount(title[keep], minlength=n)
    chief = has_flag(title_flags, Flag.CHIEF)
    ladder = np.where(chief, np.maximum(ladder, np.where(has_flag(title_flags, Flag.OFFICER), _L["c_level"], _L["head"])), ladder)
    ad_executive = has_flag(title_flags, Flag.AD) & ((language == LANGS.index("it")) | (kept_words == 1))
    ladder = np.where(ad_executive, np.maximum(ladder, _L["c_level"]), ladder).astype(np.int8)
    has_board = _any(n, title, level == _L["board"])
    directeur_alone = has_flag(title_flags, Flag.DIRECTEUR) & ~has_rule & ~has_content & (ladder == _L["director"])
    top_level = (ladder >= _L["c_level"]) | has_board | directeur_alone
    assistant = has_flag(title_flags, Flag.ASSISTANT) & (has_flag(title_flags, Flag.EXEC) | has_flag(title_flags, Flag.TO))
    has_vp_or_head = _any(n, title, (level == _L["vp"]) | (level == _L["head"]))
    return TitleFacts(
        rule_votes=rule_votes, ladder=ladder, flags=title_flags, has_board=has_board,
        has_intern=_any(n, title, level == _L["intern"]), has_vp_or_head=has_vp_or_head,
        has_content=has_content,
        ic_manager=_any(n, title, has_flag(flags, Flag.MANAGER) & has_flag(prev_flags, Flag.IC_BEFORE_MANAGER)),
        top_level=top_level, ad_executive=ad_executive, directeur_alone=directeur_alone,
        assistant_to_executive=assistant & ~has_vp_or_head,
        non_role=has_flag(title_flags, Flag.NON_ROLE) & (ladder < 0) & ~has_board & ~has_rule,
    )


def decide_seniority(facts: TitleFacts, function: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    """Seniority code per title (index in LEVELS, -1 unknown)."""
    best = facts.ladder.copy()
    flags = facts.flags
    best[facts.has_intern & (best <= _L["senior"])] = _L["intern"]
    junior = has_flag(flags, Flag.JUNIOR) & (best >= 0) & (best <= _L["manager"])
    best[junior] = _L["individual"]
    deputy = has_flag(flags, Flag.DEPUTY) & ((best == _L["head"]) | (best == _L["director"]) | (best == _L["c_level"]))
    best[deputy] = np.where(best[deputy] == _L["c_level"], _L["vp"], best[deputy] - 1)
    best[facts.ic_manager & (best == _L["manager"])] = _L["senior"]
    best[facts.has_board & (best < _L["vp"])] = _L["board"]
    best[facts.directeur_alone] = _L["c_level"]
    best[facts.assistant_to_executive] = _L["individual"]
    best[(best < 0) & (function >= 0)] = _L["individual"]
    return best

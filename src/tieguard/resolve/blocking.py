"""Blocking keys of the person model, and the cap on oversized blocks.

A block is the set of tie-people and contacts sharing one value of a blocking key; it
costs ``people × contacts`` comparisons. Real names repeat (Zipf): ``Zhi Chen`` may be
2,500 tie-people and 400 contacts, a million comparisons in one block. A block above
``resolve.max_block_pairs`` comparisons (or ``resolve.max_block_size`` records on a side)
is *refined*: its records get the key plus a second, tighter component (``REFINE``,
e.g. the first letters of the company), so namesakes are compared within the same
company rather than dropped. A refined block still oversized is capped (its key is
NULL: those records are compared through the other keys only). Every step is counted
in :class:`BlockingSummary`, so capped comparisons never vanish silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..engine import Engine

__all__ = ["BLOCK_KEYS", "REFINE", "BlockingSummary", "cap_blocks", "count_comparisons"]

log = logging.getLogger(__name__)

#: Blocking keys (column -> SQL expression over the feature columns).
BLOCK_KEYS: dict[str, str] = {
    "bk_name": "first_canon || '|' || last_key",
    "bk_last_company": "last_key || '|' || company_rare[1]",
    "bk_first_company": "first_canon || '|' || company_rare[1]",
    "bk_last_initial": "last_key || '|' || substr(first_key, 1, 1)",
    "bk_first_last3": "first_canon || '|' || substr(last_key, 1, 3)",
    "bk_last3_company": "substr(last_key, 1, 3) || '|' || company_rare[1]",
    # typos in both names (first letters kept): same company, same initials
    "bk_company_initials": "company_rare[1] || '|' || substr(first_key, 1, 1) || "
                           "substr(last_key, 1, 1)",
    # names in either order ('Smith John' = 'John Smith'), exact words
    "bk_name_words": "CASE WHEN len(name_tokens) >= 2 THEN "
                     "array_to_string(list_sort(name_tokens), ' ') END",
}
_COMPANY_PREFIX = "coalesce(substr(company_key, 1, 2), '')"
#: The tighter component appended to an oversized block's key: name keys take the
#: company's first letters (namesakes at the same company), company keys more of the name.
REFINE: dict[str, str] = {
    "bk_name": _COMPANY_PREFIX,
    "bk_last_company": "coalesce(substr(first_key, 1, 2), '')",
    "bk_first_company": "coalesce(substr(last_key, 1, 2), '')",
    "bk_last_initial": _COMPANY_PREFIX,
    "bk_first_last3": _COMPANY_PREFIX,
    "bk_last3_company": "coalesce(substr(first_key, 1, 2), '')",
    "bk_company_initials": "coalesce(substr(first_key, 2, 2) || substr(last_key, 2, 2), '')",
    "bk_name_words": _COMPANY_PREFIX,
}


@dataclass
class BlockingSummary:
    """What the cap did: blocks refined and capped per key, and the comparisons involved."""

    capped_blocks: dict[str, int] = field(default_factory=dict)  # oversized blocks per key
    capped_block_pairs: int = 0     # comparisons those blocks would have cost
    refined_block_pairs: int = 0    # comparisons kept by their tighter keys
    dropped_blocks: int = 0         # refined blocks still oversized (key set to NULL)
    dropped_pairs: int = 0          # comparisons of those (left to the other keys)
    largest_capped_block: str = ""  # 'people × contacts' of the largest oversized block

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _block_sizes(key: str) -> str:
    """SELECT k, people, contacts of every block of ``key`` present on both sides."""
    return (f"SELECT k, l.n AS people, r.n AS contacts FROM "
            f"(SELECT {key} AS k, count(*) AS n FROM _rs_people_k WHERE {key} IS NOT NULL "
            f"GROUP BY 1) l JOIN "
            f"(SELECT {key} AS k, count(*) AS n FROM _rs_contacts_k WHERE {key} IS NOT NULL "
            f"GROUP BY 1) r USING (k)")


_OVERSIZED = "people * contacts > $pairs OR greatest(people, contacts) > $size"


def _refine_key(engine: Engine, name: str, limits: dict[str, int],
                summary: BlockingSummary) -> None:
    """Refine the oversized blocks of one key in both side tables; count what happened."""
    engine.scratch("_rs_big", f"SELECT * FROM ({_block_sizes(name)}) WHERE {_OVERSIZED}", limits)
    n, pairs, people, contacts = engine.fetchone(
        "SELECT count(*), coalesce(sum(people * contacts), 0), arg_max(people, people * contacts),"
        " arg_max(contacts, people * contacts) FROM _rs_big") or (0, 0, None, None)
    if not n:
        return
    summary.capped_blocks[name] = int(n)
    summary.capped_block_pairs += int(pairs)
    if people is not None and (not summary.largest_capped_block or int(people) * int(contacts)
                               > _size(summary.largest_capped_block)):
        summary.largest_capped_block = f"{int(people)} × {int(contacts)}"
    for side in ("people", "contacts"):
        engine.execute(f"UPDATE _rs_{side}_k SET {name} = {name} || '#' || {REFINE[name]} "
                       f"WHERE {name} IN (SELECT k FROM _rs_big)")
    engine.scratch("_rs_big", f"SELECT * FROM ({_block_sizes(name)}) "
                   f"WHERE contains(k, '#') AND ({_OVERSIZED})", limits)
    refined = engine.scalar(f"SELECT coalesce(sum(people * contacts), 0) FROM ({_block_sizes(name)}) "
                            "WHERE contains(k, '#')")
    d_n, d_pairs = engine.fetchone(
        "SELECT count(*), coalesce(sum(people * contacts), 0) FROM _rs_big") or (0, 0)
    summary.refined_block_pairs += int(refined or 0) - int(d_pairs)
    summary.dropped_blocks += int(d_n)
    summary.dropped_pairs += int(d_pairs)
    for side in ("people", "contacts"):
        engine.execute(f"UPDATE _rs_{side}_k SET {name} = NULL "
                       f"WHERE {name} IN (SELECT k FROM _rs_big)")
    engine.drop_scratch("_rs_big")


def _size(block: str) -> int:
    people, contacts = block.split(" × ")
    return int(people) * int(contacts)


def cap_blocks(engine: Engine, max_pairs: int, max_size: int) -> BlockingSummary:
    """Refine (then cap) oversized blocks in ``_rs_people_k``/``_rs_contacts_k``."""
    summary = BlockingSummary()
    limits = {"pairs": int(max_pairs), "size": int(max_size)}
    for name in BLOCK_KEYS:
        _refine_key(engine, name, limits, summary)
    if summary.capped_blocks:
        log.warning(
            "resolve: %d oversized blocks (more than %d comparisons or %d records on a side; "
            "largest %s) were refined with a tighter key: %d of their %d comparisons are kept; "
            "%d refined blocks were still oversized and capped (%d comparisons left to the "
            "other keys).", sum(summary.capped_blocks.values()), max_pairs, max_size,
            summary.largest_capped_block, summary.refined_block_pairs,
            summary.capped_block_pairs, summary.dropped_blocks, summary.dropped_pairs)
    return summary


def count_comparisons(engine: Engine, people: str = "_rs_people",
                      contacts: str = "_rs_contacts") -> int:
    """Upper bound of the comparisons: pairs per blocking key, summed over the keys."""
    parts = " UNION ALL ".join(
        f"SELECT sum(l.n * r.n) AS n FROM "
        f"(SELECT {k} AS k, count(*) AS n FROM {people} WHERE {k} IS NOT NULL GROUP BY 1) l "
        f"JOIN (SELECT {k} AS k, count(*) AS n FROM {contacts} WHERE {k} IS NOT NULL "
        f"GROUP BY 1) r USING (k)"
        for k in BLOCK_KEYS
    )
    return int(engine.scalar(f"SELECT coalesce(sum(n), 0) FROM ({parts})") or 0)

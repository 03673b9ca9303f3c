"""The removal guard: an export that would remove many of an employee's ties is held back.

A newer export of an employee is a snapshot: every current tie missing from it is
marked removed. A truncated file, a partial re-save or another person's export would
silently remove hundreds of ties, so a batch file whose snapshot would remove more
than ``sources.max_removed_share`` of the employee's current ties is taken out of the
batch (nothing of it is written) and reported; ``--accept-removals`` lets it through.
The same rule as the loader's (:func:`tieguard.sources.load.write_connections`) decides
which ties a snapshot removes, except that a tie whose person reappears under a new key
(an older export without URLs keyed people by name and company; a current one has
URLs) does not count as removed here.
"""

from __future__ import annotations

from ..engine import Engine

__all__ = ["hold_back_removals", "MIN_REMOVED"]

#: Fewer removals than this never hold an export back, whatever their share: a small
#: old snapshot (a handful of ties keyed by name and company, some of whom changed
#: company since) is not a truncated export.
MIN_REMOVED = 10


def hold_back_removals(engine: Engine, max_share: float) -> dict[int, str]:
    """Take files whose snapshot would remove more than ``max_share`` of their employee's
    current ties out of the batch (``_tg_files``, ``_tg_conn``, ``_tg_ties``); return a
    message per file_idx taken out."""
    rows = engine.fetchall(
        """WITH rekeyed AS (  -- people of the file by name: an older URL-less export
              SELECT DISTINCT file_idx, name_key AS person_key FROM _tg_links)
        SELECT f.file_idx, f.employee_id, count(*) AS current,
               count(*) FILTER (WHERE n.tie_id IS NULL AND r.person_key IS NULL) AS gone
        FROM _tg_files f
        JOIN ties t ON t.employee_id = f.employee_id AND t.network = f.network
        LEFT JOIN (SELECT DISTINCT file_idx, tie_id FROM _tg_ties) n
          ON n.file_idx = f.file_idx AND n.tie_id = t.tie_id
        LEFT JOIN rekeyed r ON r.file_idx = f.file_idx AND r.person_key = t.person_key
        WHERE t.removed_on IS NULL AND t.last_seen_on <= f.exported_on
          AND f.exported_on >= coalesce((SELECT max(s.exported_on) FROM snapshots s
                 WHERE s.employee_id = f.employee_id AND s.network = f.network),
                 DATE '1900-01-01')
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE n.tie_id IS NULL AND r.person_key IS NULL)
                 > greatest(? * count(*), ? - 1)
        ORDER BY f.file_idx""",
        [max_share, MIN_REMOVED],
    )
    held: dict[int, str] = {}
    for file_idx, employee_id, current, gone in rows:
        held[int(file_idx)] = (
            f"This export would mark {gone:,} of the {current:,} current connections of "
            f"{employee_id} as removed ({gone / current:.0%}), more than the "
            f"{max_share:.0%} allowed by the setting sources.max_removed_share; nothing of it "
            "was imported. A truncated or partial export, or another person's file, looks "
            f"like this: check that it is {employee_id}'s complete export. If the connections "
            "were really removed, import it again with --accept-removals."
        )
    if held:
        ids = sorted(held)
        for table in ("_tg_ties", "_tg_files"):  # _tg_conn rows stay (ties refer to their rowid)
            engine.execute(f"DELETE FROM {table} WHERE list_contains(?, file_idx)", [ids])
    return held

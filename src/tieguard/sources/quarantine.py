"""What the quarantine keeps of a rejected row, and for how long.

The quarantine tells the operator which line of which file was rejected and why
(``line``, ``column_name``, ``reason``). A rejected row of a LinkedIn export names a
person who matched no CRM record, so by default its text is kept only as its *shape*:
upper-case letters become ``A``, other letters ``a``, digits ``9``, other symbols and
emoji ``*``; spaces and punctuation (the delimiters and quotes that make a row
unreadable) stay. ``Anna,Müller,05 Jan 2026`` is kept as ``Aaaa,Aaaaaa,99 Aaa 9999``.
The setting ``sources.quarantine_raw`` chooses ``shape`` (default), ``none`` or
``full``; full rows are reduced to their shape ``sources.quarantine_days`` days after
their import, at the next import (:func:`expire_raw_rows`).
"""

from __future__ import annotations

import datetime as dt

from ..engine import Engine
from ..settings import SourcesSettings

__all__ = ["shape_sql", "kept_raw_sql", "expire_raw_rows", "RAW_CHARS"]

#: Characters of a raw row kept at most.
RAW_CHARS = 2000


def shape_sql(expr: str) -> str:
    """SQL giving the shape of the text ``expr`` (see the module docstring)."""
    text = f"left({expr}, {RAW_CHARS})"
    for pattern, letter in (("\\p{Ll}", "a"), ("\\p{Lu}", "A"), ("[\\p{Lt}\\p{Lm}\\p{Lo}]", "a"),
                            ("\\p{N}", "9"), ("[^\\s\\p{P}aA9]", "*")):
        text = f"regexp_replace({text}, '{pattern}', '{letter}', 'g')"
    return text


def kept_raw_sql(expr: str, mode: str) -> str:
    """SQL for what the quarantine keeps of the raw row ``expr``; ``mode`` is an SQL
    expression (a parameter) holding ``full``, ``shape`` or ``none``."""
    return (f"CASE {mode} WHEN 'full' THEN left({expr}, {RAW_CHARS}) "
            f"WHEN 'shape' THEN {shape_sql(expr)} END")


def expire_raw_rows(engine: Engine, limits: SourcesSettings) -> None:
    """Reduce raw rows to what ``limits`` allow: to their shape once older than
    ``quarantine_days`` (or at once unless the setting is ``full``); NULL for ``none``."""
    if limits.quarantine_raw == "none":
        engine.execute("UPDATE quarantine SET raw = NULL WHERE raw IS NOT NULL")
        return
    cutoff = dt.datetime.now() - dt.timedelta(days=limits.quarantine_days)
    engine.execute(
        f"""UPDATE quarantine SET raw = {shape_sql('raw')}
        WHERE raw IS NOT NULL AND (? OR import_id IN (
            SELECT import_id FROM imports WHERE imported_at < ?))""",
        [limits.quarantine_raw != "full", cutoff],
    )

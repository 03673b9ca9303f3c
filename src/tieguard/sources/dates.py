"""Date formats of the LinkedIn export variants, in Python and as SQL.

The importer parses dates set-based in SQL (:func:`date_sql`); the Python functions
exist for the few rows read in Python and for the property tests, and must agree.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["VARIANT_FORMATS", "SQL_FORMATS", "format_date", "parse_date", "date_sql",
           "detect_date_format"]

#: strptime format of ``Connected On`` per LinkedIn export variant.
VARIANT_FORMATS: dict[str, str] = {
    "linkedin_current": "%d %b %Y",        # 05 Jan 2026
    "linkedin_2021": "%d %b %Y",           # 05 Jan 2021
    "linkedin_2018": "%m/%d/%y, %I:%M %p",  # 1/8/18, 6:14 PM
    "spreadsheet_resave": "%d-%b-%y",      # 5-Jan-26
    "spreadsheet_semicolon": "%d.%m.%Y",   # 16.09.2021
    "iso": "%Y-%m-%d",                     # 2026-01-05
}

#: Every format the SQL parser tries, in order (first match wins).
SQL_FORMATS: list[str] = list(dict.fromkeys(VARIANT_FORMATS.values()))

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("linkedin_current", re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4}$")),
    ("linkedin_2018", re.compile(r"^\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2} [AP]M$")),
    ("spreadsheet_resave", re.compile(r"^\d{1,2}-[A-Za-z]{3}-\d{2}$")),
    ("spreadsheet_semicolon", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$")),
    ("iso", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
]


#: All patterns in one expression (first alternative that matches wins, as in a loop).
_ANY_PATTERN = re.compile("|".join(f"(?P<{name}>{p.pattern})" for name, p in _PATTERNS))


def detect_date_format(values: list[str]) -> str | None:
    """The variant whose date pattern most of ``values`` follow (None if none does)."""
    votes: dict[str, int] = {}
    match = _ANY_PATTERN.match
    for value in values:
        found = match(value.strip())
        if found is not None and found.lastgroup is not None:
            votes[found.lastgroup] = votes.get(found.lastgroup, 0) + 1
    return max(votes, key=lambda k: votes[k]) if votes else None


def format_date(value: dt.datetime | dt.date, variant: str) -> str:
    """Write ``value`` as the given export variant writes it (no locale dependence)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    month = _MONTHS[value.month - 1]
    if variant in ("linkedin_current", "linkedin_2021"):
        return f"{value.day:02d} {month} {value.year:04d}"
    if variant == "linkedin_2018":
        hour = value.hour % 12 or 12
        ampm = "AM" if value.hour < 12 else "PM"
        return f"{value.month}/{value.day}/{value.year % 100:02d}, {hour}:{value.minute:02d} {ampm}"
    if variant == "spreadsheet_resave":
        return f"{value.day}-{month}-{value.year % 100:02d}"
    if variant == "spreadsheet_semicolon":
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    if variant == "iso":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    raise ValueError(f"unknown date variant {variant!r}")


def parse_date(text: str | None) -> dt.date | None:
    """Parse a ``Connected On`` value of any variant; None if it is empty or impossible."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    for name, pattern in _PATTERNS:
        if pattern.match(value):
            fmt = VARIANT_FORMATS[name]
            try:
                return dt.datetime.strptime(_title_month(value), fmt).date()
            except ValueError:
                return None
    return None


def _title_month(value: str) -> str:
    return re.sub(r"[A-Za-z]{3}", lambda m: m.group(0).title(), value)


def date_sql(column: str, first: str | None = None) -> str:
    """SQL expression parsing ``column`` (VARCHAR) into a DATE, NULL when impossible.

    ``first``: a format of :data:`SQL_FORMATS` to try first (the formats exclude each
    other, so the order only changes the speed).
    """
    order = ([first] if first in SQL_FORMATS else []) + [f for f in SQL_FORMATS if f != first]
    formats = ", ".join("'" + f.replace("'", "''") + "'" for f in order)
    return f"CAST(try_strptime(trim({column}), [{formats}]) AS DATE)"

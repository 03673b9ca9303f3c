"""A fresh demo warehouse keeps no plaintext identifier of a person who matched no CRM record.

The identifiers come from the exports the demo imported (not from our tables): every
profile URL and full name in the Connections.csv and Invitations.csv files, less those of
people the warehouse may keep (resolved or under review, CRM contacts, employees). Every
text column of every declared table, and the raw bytes of the file, are searched.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tieguard import schema
from tieguard.engine import Engine
from tieguard.warehouse import open_warehouse

_SLUG = re.compile(rb"linkedin\.com/in/([A-Za-z0-9\-_%]+)")


def _url(value: str | None) -> str:
    """A profile URL reduced to its slug (scheme, host, case and trailing slash ignored)."""
    match = re.search(r"/in/([^/?#]+)", value or "")
    return match.group(1).lower() if match else ""


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of an export in any of the demo's variants (encoding, delimiter, preamble)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("First Name", "From")))
    delimiter = ";" if lines[start].count(";") > lines[start].count(",") else ","
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter))


def _exported_people(data: Path) -> tuple[set[str], set[str]]:
    """(URL slugs, lower-case full names) of every person in the demo's personal exports."""
    urls, names = set(), set()
    for path in data.glob("linkedin/*/Connections.csv"):
        for row in _rows(path):
            urls.add(_url(row.get("URL")))
            names.add(f"{row['First Name']} {row['Last Name']}".strip().lower())
    for path in data.glob("linkedin/*/Invitations.csv"):
        for row in _rows(path):
            for side, url in (("From", "inviterProfileUrl"), ("To", "inviteeProfileUrl")):
                urls.add(_url(row.get(url)))
                names.add(row[side].strip().lower())
    return urls - {""}, names - {""}


def _kept_people(engine: Engine) -> tuple[set[str], set[str]]:
    """Identifiers the warehouse may hold: resolved/under-review people, contacts, staff."""
    rows = engine.fetchall(  # lower-cased in Python, like the exports' names
        "SELECT profile_url, trim(concat_ws(' ', first_name, last_name)) FROM tie_people "
        "WHERE NOT coalesce(is_pseudonymised, FALSE) "
        "UNION ALL SELECT NULL, trim(concat_ws(' ', first_name, last_name)) FROM contacts "
        "UNION ALL SELECT NULL, trim(full_name) FROM employees "
        "UNION ALL SELECT profile_url, NULL FROM profiles")
    return {_url(r[0]) for r in rows} - {""}, {r[1].lower() for r in rows if r[1]}


@pytest.fixture(scope="module")
def scanned(demo_run: tuple[Path, dict]) -> tuple[Path, set[str], set[str], set[str]]:
    db = demo_run[0] / "tieguard.duckdb"
    engine = open_warehouse(db, read_only=True)
    try:
        urls, names = _exported_people(demo_run[0] / "data")
        kept_urls, kept_names = _kept_people(engine)
    finally:
        engine.close()
    return db, urls - kept_urls, names - kept_names, kept_urls


def test_the_demo_has_unmatched_people_to_protect(scanned: tuple[Path, set[str], set[str], set[str]]) -> None:
    _, urls, names, kept = scanned
    assert len(urls) > 500 and len(names) > 500 and len(kept) > 50


def test_no_text_column_holds_an_unmatched_person(scanned: tuple[Path, set[str], set[str], set[str]]) -> None:
    db, urls, names, _ = scanned
    engine = open_warehouse(db, read_only=True)
    hits: list[str] = []
    try:
        for table in schema.TABLES:
            text_columns = [c.name for c in table.columns if c.type == "VARCHAR"]
            for column in text_columns:
                values = engine.fetchall(
                    f'SELECT DISTINCT "{column}" FROM "{table.name}" WHERE "{column}" IS NOT NULL')
                for (value,) in values:
                    low = str(value).lower()
                    if _url(low) in urls or low.strip() in names or any(
                            m.group(1).decode().lower() in urls
                            for m in _SLUG.finditer(low.encode())):
                        hits.append(f"{table.name}.{column}: {value}"[:120])
            if {"first_name", "last_name"} <= set(table.column_names()):
                pairs = engine.fetchall(
                    f'SELECT trim(concat_ws(\' \', first_name, last_name)) FROM "{table.name}" '
                    "WHERE first_name IS NOT NULL OR last_name IS NOT NULL")
                hits += [f"{table.name}: {p[0]}" for p in pairs if p[0].lower() in names]
    finally:
        engine.close()
    assert hits == []


def test_the_raw_file_holds_no_unmatched_profile(scanned: tuple[Path, set[str], set[str], set[str]]) -> None:
    db, urls, _, kept = scanned
    raw = db.read_bytes()
    slugs = {m.group(1).decode(errors="replace").lower() for m in _SLUG.finditer(raw)}
    assert slugs & kept, "the scan finds the profiles the warehouse keeps (it can see plaintext)"
    assert sorted(slugs & urls) == []

"""Property tests: date formats round-trip; CSV variants written then read back equal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.settings import SourcesSettings
from tieguard.sources import import_connections
from tieguard.sources.dates import VARIANT_FORMATS, detect_date_format, format_date, parse_date
from tieguard.sources.decode import repair_mojibake
from tieguard.warehouse import open_warehouse

DATES = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2068, 12, 31))
VARIANTS = st.sampled_from(sorted(VARIANT_FORMATS))


@given(DATES, VARIANTS)
def test_date_format_then_parse_round_trips(when: dt.datetime, variant: str) -> None:
    text = format_date(when, variant)
    assert parse_date(text) == when.date()
    expected = "linkedin_current" if variant == "linkedin_2021" else variant
    assert detect_date_format([text]) == expected


@given(DATES, VARIANTS)
@settings(max_examples=30, deadline=None)
def test_sql_date_parser_agrees(when: dt.datetime, variant: str) -> None:
    import duckdb

    from tieguard.sources.dates import date_sql

    con = duckdb.connect()
    text = format_date(when, variant)
    assert con.execute(f"SELECT {date_sql('?')}", [text]).fetchone() == (when.date(),)
    con.close()


@given(st.text(min_size=1, max_size=12))
def test_parse_date_never_raises(text: str) -> None:
    parse_date(text)


NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from(['"', ",", ";", "\n", "🚀", "𝐌", "é", "'"]),
    min_size=1, max_size=15,
).map(str.strip).filter(bool).filter(lambda s: repair_mojibake(s)[0] == s)

LAYOUTS = st.sampled_from([
    ("linkedin_current", ",", True, True), ("linkedin_2021", ",", False, False),
    ("linkedin_2018", ",", False, False), ("spreadsheet_resave", ",", False, True),
    ("spreadsheet_semicolon", ";", False, False),
])


def _write(rows: list[tuple[str, str, str, dt.date]], layout: tuple[str, str, bool, bool],
           crlf: bool, bom: bool) -> str:
    variant, delimiter, preamble, with_url = layout
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    header = ["First Name", "Last Name"] + (["URL"] if with_url else []) + \
        ["Email Address", "Company", "Position", "Connected On"]
    writer.writerow(header)
    for i, (first, last, company, when) in enumerate(rows):
        url = [f"https://www.linkedin.com/in/p{i}"] if with_url else []
        writer.writerow([f"{i}{first}", last, *url, "", company, "Buyer",
                         format_date(when, variant)])
    text = buf.getvalue()
    if preamble:
        text = 'Notes:\n"Some notes, with commas."\n\n' + text.rstrip("\r\n")
    return ("\ufeff" if bom else "") + text


@given(st.lists(st.tuples(NAME, NAME, NAME, DATES.map(lambda d: d.date())), min_size=1,
                max_size=6), LAYOUTS, st.booleans(), st.booleans())
@settings(max_examples=20, deadline=None)
def test_csv_variant_round_trip(rows: list[tuple[str, str, str, dt.date]],
                                layout: tuple[str, str, bool, bool], crlf: bool,
                                bom: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Connections.csv"
        path.write_text(_write(rows, layout, crlf, bom), encoding="utf-8", newline="")
        engine = open_warehouse(":memory:")
        report = import_connections(engine, path, "E1")
        assert report.format == layout[0]
        got = sorted(engine.fetchall(
            "SELECT p.first_name, p.last_name, p.company, t.connected_on FROM ties t "
            "JOIN tie_people p USING (person_key)"))
        engine.close()
    limits = SourcesSettings()
    latest = dt.date.today() + dt.timedelta(days=limits.latest_days_ahead)
    want = sorted((f"{i}{first}", last, company, when)
                  for i, (first, last, company, when) in enumerate(rows)
                  if limits.earliest_date <= when <= latest)
    assert got == want and report.ties == len(want)
    # every other row is quarantined for its date, on its own line
    assert report.quarantined == len(rows) - len(want)
    assert all(p.column == "Connected On" and "lies outside" in p.message
               for p in report.problems)

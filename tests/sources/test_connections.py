"""LinkedIn Connections.csv: every variant, the broken corpus, snapshots, idempotence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tieguard.errors import EmptyInputError, InputError, UnrecognisedFormatError
from tieguard.sources import ConnectionsJob, import_connections, import_connections_batch
from tieguard.warehouse import table_counts

# file -> (format, encoding, rows, ties, hidden, earliest, latest)
VARIANTS = {
    "current.csv": ("linkedin_current", "utf-8", 7, 5, 2, "2021-03-12", "2026-01-05"),
    "current_bom_crlf.csv": ("linkedin_current", "utf-8", 7, 5, 2, "2021-03-12", "2026-01-05"),
    "v2021.csv": ("linkedin_2021", "utf-8", 3, 2, 1, "2019-02-03", "2021-01-05"),
    "v2018.csv": ("linkedin_2018", "utf-8", 2, 2, 0, "2017-12-24", "2018-01-08"),
    "resave.csv": ("spreadsheet_resave", "utf-8", 2, 2, 0, "2020-09-14", "2026-01-05"),
    "semicolon_cp1252.csv": ("spreadsheet_semicolon", "cp1252", 3, 2, 1, "2019-03-03",
                             "2021-09-16"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_dry_run_json(engine, fixtures: Path, name: str) -> None:
    before = table_counts(engine)
    data = import_connections(engine, fixtures / name, "E1", dry_run=True).to_json()
    got = tuple(data[k] for k in ("format", "encoding", "rows", "ties", "hidden_members",
                                  "earliest", "latest"))
    assert got == VARIANTS[name]
    assert table_counts(engine) == before, "a dry run must store nothing"


def test_quirky_names_survive(engine, fixtures: Path) -> None:
    import_connections(engine, fixtures / "current.csv", "E1")
    names = {r[0] for r in engine.fetchall("SELECT first_name || ' ' || last_name FROM tie_people")}
    assert 'Sam "The Hammer" O\'Neil, Jr.' in names
    assert "𝐌𝐚𝐫𝐢𝐚 🚀 Rossi" in names
    companies = {r[0] for r in engine.fetchall("SELECT company FROM tie_people")}
    assert "Acme, Inc." in companies


def test_hidden_members_kept_never_keyed(engine, fixtures: Path) -> None:
    import_connections(engine, fixtures / "current.csv", "E1")
    rows = engine.fetchall("SELECT person_key, connected_on FROM ties WHERE is_hidden_member")
    assert len(rows) == 2 and all(r[0] is None for r in rows)


def test_cp1252_decoded_with_warning(engine, fixtures: Path) -> None:
    report = import_connections(engine, fixtures / "semicolon_cp1252.csv", "E1")
    assert any(p.severity == "warning" and "cp1252" in p.message for p in report.problems)
    names = {r[0] for r in engine.fetchall("SELECT last_name FROM tie_people")}
    assert {"Lefèvre", "Weiß"} <= names


def test_mixed_encodings_decode_both(engine, fixtures: Path) -> None:
    report = import_connections(engine, fixtures / "mixed_encodings.csv", "E1")
    assert report.encoding == "utf-8+cp1252" and report.problems[0].line == 3
    names = {r[0] for r in engine.fetchall("SELECT last_name FROM tie_people")}
    assert names == {"Müller", "Weiß"}


@pytest.mark.parametrize(("name", "error", "needle"), [
    ("binary.csv", InputError, "binary"),
    ("empty.csv", EmptyInputError, "empty"),
    ("headerless.csv", UnrecognisedFormatError, "header line is missing"),
    ("wrong_delimiter.csv", UnrecognisedFormatError, "delimiter"),
    ("not_connections.csv", UnrecognisedFormatError, "First Name,Last Name,URL"),
    ("duplicate_column.csv", InputError, "Company twice"),
    ("Invitations.csv", UnrecognisedFormatError, "Invitations.csv"),
])
def test_refused_files_leave_warehouse_unchanged(engine, fixtures: Path, name: str,
                                                 error: type[Exception], needle: str) -> None:
    before = table_counts(engine)
    with pytest.raises(error) as info:
        import_connections(engine, fixtures / name, "E1")
    assert needle in str(info.value) and name in str(info.value)
    assert table_counts(engine) == before


@pytest.mark.parametrize(("name", "lines"), [
    ("impossible_dates.csv", [2, 4, 5]),
    ("duplicated_header.csv", [3]),
    ("short_row.csv", [3]),
    ("truncated.csv", [3]),
])
def test_bad_rows_quarantined_with_line(engine, fixtures: Path, name: str,
                                        lines: list[int]) -> None:
    report = import_connections(engine, fixtures / name, "E1")
    errors = [p for p in report.problems if p.severity == "error"]
    assert [p.line for p in errors] == lines
    stored = engine.fetchall("SELECT line, reason, raw FROM quarantine ORDER BY line")
    assert [r[0] for r in stored] == lines
    assert all(r[1] and r[2] for r in stored)
    assert report.quarantined == len(lines)
    assert report.rows == report.ties + report.hidden_members + report.quarantined


def test_enormous_field_quarantined(engine, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    big = "x" * 1_100_000
    path.write_text("First Name,Last Name,Email Address,Company,Position,Connected On\n"
                    f"Anna,Berg,,Acme,Buyer,05 Jan 2021\nBo,{big},,Acme,Buyer,06 Jan 2021\n")
    report = import_connections(engine, path, "E1")
    assert report.ties == 1 and [p.line for p in report.problems] == [3]
    assert "longer than" in report.problems[0].message


def test_same_file_twice_changes_nothing(engine, fixtures: Path) -> None:
    first = import_connections(engine, fixtures / "current.csv", "E1")
    counts = table_counts(engine)
    again = import_connections(engine, fixtures / "current.csv", "E1")
    assert not first.already_imported and again.already_imported
    assert table_counts(engine) == counts


def test_newer_export_is_a_snapshot_with_removals(engine, fixtures: Path, tmp_path: Path) -> None:
    old = fixtures / "current.csv"
    lines = old.read_text(encoding="utf-8").split("\n")
    new = tmp_path / "Connections.csv"
    # drop Pierre Dubois (last line) and add a new connection on top
    new.write_text("\n".join(lines[:4] + ["Nina,Nieuw,https://www.linkedin.com/in/nina,,N B.V.,"
                                          "Buyer,01 Feb 2026"] + lines[4:-1]), encoding="utf-8")
    import_connections(engine, old, "E1", exported_on=dt.date(2026, 1, 10))
    report = import_connections(engine, new, "E1", exported_on=dt.date(2026, 2, 10))
    assert report.removed == 1
    removed = engine.fetchall("SELECT p.last_name, t.removed_on FROM ties t "
                              "JOIN tie_people p USING (person_key) WHERE t.removed_on IS NOT NULL")
    assert removed == [("Dubois", dt.date(2026, 2, 10))]
    assert engine.scalar("SELECT count(*) FROM snapshots WHERE employee_id = 'E1'") == 2
    assert engine.scalar("SELECT count(*) FROM ties WHERE last_seen_on = DATE '2026-02-10'") == 7
    # importing the older export again later is idempotent and removes nothing more
    assert import_connections(engine, old, "E1").already_imported


def test_same_person_two_employees_same_key(engine, fixtures: Path) -> None:
    import_connections(engine, fixtures / "current.csv", "E1")
    import_connections(engine, fixtures / "resave.csv", "E2")
    shared = engine.fetchall("SELECT person_key FROM ties GROUP BY person_key "
                             "HAVING count(DISTINCT employee_id) = 2")
    assert len(shared) == 1  # Anneke de Vries, same profile URL


def test_batch_keeps_snapshots_in_order_and_reports_refusals(engine, fixtures: Path) -> None:
    jobs = [ConnectionsJob(fixtures / "v2021.csv", "E1", dt.date(2021, 2, 1)),
            ConnectionsJob(fixtures / "binary.csv", "E2"),
            ConnectionsJob(fixtures / "resave.csv", "E1", dt.date(2026, 2, 1))]
    reports = import_connections_batch(engine, jobs, accept_removals=True)
    assert [r.error is not None for r in reports] == [False, True, False]
    # the 2021 people (no URLs) are linked by name and company to the newer rows with URLs:
    # only the hidden member is gone
    assert reports[2].removed == 1
    assert engine.scalar("SELECT count(*) FROM tie_people") == 2
    imports = engine.fetchall("SELECT supplied_by, basis, kind FROM imports")
    assert len(imports) == 2 and all(r[1] == "consent" and r[0] for r in imports)


def test_newest_values_win_for_tie_people(engine, fixtures: Path, tmp_path: Path) -> None:
    old = fixtures / "current.csv"
    text = old.read_text(encoding="utf-8")
    promoted = tmp_path / "promoted.csv"
    promoted.write_text(text.replace("Inkoper", "Hoofd Inkoop"), encoding="utf-8")
    import_connections(engine, old, "E1", exported_on=dt.date(2026, 1, 10))
    import_connections(engine, promoted, "E1", exported_on=dt.date(2026, 3, 1))
    position = "SELECT position FROM tie_people WHERE last_name = 'de Vries'"
    assert engine.scalar(position) == "Hoofd Inkoop"
    # an older export of another employee does not overwrite newer values
    import_connections(engine, old, "E2", exported_on=dt.date(2025, 12, 1))
    assert engine.scalar(position) == "Hoofd Inkoop"
    # a newer one does
    import_connections(engine, old, "E3", exported_on=dt.date(2026, 4, 1))
    assert engine.scalar(position) == "Inkoper"

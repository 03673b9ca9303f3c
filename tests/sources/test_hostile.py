"""Hostile and odd files: encodings, line endings, special files, caps, dates, URLs, disk full."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.errors import InputError
from tieguard.settings import SourcesSettings
from tieguard.sources import import_connections, import_directory
from tieguard.sources.decode import decode_bytes
from tieguard.sources.quarantine import expire_raw_rows
from tieguard.sources.safe_io import Deadline
from tieguard.warehouse import table_counts

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
ROW = "Anna,Berg,https://www.linkedin.com/in/anna,,Acme,Buyer,05 Jan 2021"
ROW2 = "Bö,Lund,https://www.linkedin.com/in/bo,,Acme,Buyer,06 Jan 2021"


def _csv(tmp_path: Path, body: str, name: str = "Connections.csv") -> Path:
    path = tmp_path / name
    path.write_text(f"{HEADER}\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_wide_encodings_with_and_without_bom(engine, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(f"{HEADER}\n{ROW}\n{ROW2}\n".encode(encoding))
    report = import_connections(engine, path, "E1")
    assert (report.ties, report.quarantined) == (2, 0)
    assert ("Bö", "Lund") in engine.fetchall("SELECT first_name, last_name FROM tie_people")


def test_truncated_utf16_keeps_the_whole_rows_and_warns(engine, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(f"{HEADER}\n{ROW}\n{ROW2}".encode("utf-16")[:-3])
    report = import_connections(engine, path, "E1")
    assert report.ties == 1 and report.quarantined == 1
    assert any(p.severity == "warning" and "truncated" in p.message for p in report.problems)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@given(TEXT, st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                              "utf-32-be", "utf-8", "utf-8-sig"]))
@settings(max_examples=150, deadline=None, derandomize=True)
def test_decoding_recovers_the_text(text: str, encoding: str) -> None:
    """Any text of a CSV export (a header line first, as every export has) comes back
    unchanged from its bytes in any Unicode encoding, with or without a BOM."""
    content = f"{HEADER}\n{text}"
    decoded = decode_bytes(Path("x.csv"), content.encode(encoding), Deadline(Path("x"), 5))
    expected = content.replace("\r\n", "\n").replace("\r", "\n") if "\r" in content else content
    from tieguard.sources.decode import repair_mojibake

    assert decoded.text == repair_mojibake(expected)[0]


def test_cr_only_file_has_right_line_numbers(engine, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(f"{HEADER}\r{ROW}\rX,Y,,,Acme,Buyer,32 Jan 2021\r{ROW2}".encode())
    report = import_connections(engine, path, "E1")
    assert report.ties == 2 and [p.line for p in report.problems] == [3]


@pytest.mark.parametrize("kind", ["fifo", "device", "loop", "directory"])
def test_special_files_refused_with_a_sentence(engine, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "Connections.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "loop":
        os.symlink(tmp_path / "b.csv", path)
        os.symlink(path, tmp_path / "b.csv")
    else:
        path.mkdir()
    before = table_counts(engine)
    with pytest.raises(InputError) as info:
        import_connections(engine, path, "E1")
    words = {"fifo": "named pipe", "device": "character device", "loop": "symbolic link",
             "directory": "directory"}
    assert words[kind] in str(info.value) and str(path) in str(info.value)
    assert table_counts(engine) == before


def test_caps_refuse_large_files_and_wide_headers(engine, tmp_path: Path) -> None:
    path = _csv(tmp_path, "\n".join([ROW] * 20_000))
    with pytest.raises(InputError, match="sources.max_file_mb"):
        import_connections(engine, path, "E1", limits=SourcesSettings(max_file_mb=1))
    wide = tmp_path / "wide.csv"
    wide.write_text(HEADER + "," * 500 + f"\n{ROW}\n", encoding="utf-8")
    with pytest.raises(InputError, match="sources.max_columns"):
        import_connections(engine, wide, "E1")


def test_wide_and_long_rows_are_quarantined(engine, tmp_path: Path) -> None:
    path = _csv(tmp_path, f"{ROW}\n" + "a," * 1_000_000 + f"\nBo,{'x' * 70_000},,,A,B,06 Jan 2021")
    report = import_connections(engine, path, "E1")
    assert report.ties == 1 and [p.line for p in report.problems] == [3, 4]
    assert "1000001" in report.problems[0].message
    assert "sources.max_field_chars" in report.problems[1].message


def test_sniffing_has_a_time_limit(engine, tmp_path: Path) -> None:
    path = _csv(tmp_path, ROW)
    with pytest.raises(InputError, match="sources.sniff_seconds"):
        import_connections(engine, path, "E1", limits=SourcesSettings(sniff_seconds=1e-9))


def test_dates_out_of_range_are_quarantined_as_a_shape(engine, tmp_path: Path) -> None:
    path = _csv(tmp_path, f"{ROW}\nBo,Lund,,,Acme,Buyer,05 Jan 0000\nCy,Ek,,,Acme,Buyer,"
                          "05 Jan 2999\nDi,Fo,,,Acme,Buyer,05 Jan 1989")
    report = import_connections(engine, path, "E1")
    assert report.ties == 1 and [p.line for p in report.problems] == [3, 4, 5]
    assert engine.fetchall("SELECT connected_on FROM ties") == [(dt.date(2021, 1, 5),)]
    raws = [r[0] for r in engine.fetchall("SELECT raw FROM quarantine ORDER BY line")]
    assert raws[0] == "Aa,Aaaa,,,Aaaa,Aaaaa,99 Aaa 9999"


def test_quarantine_modes_and_time_limit(engine, tmp_path: Path) -> None:
    path = _csv(tmp_path, f"{ROW}\nBo,Lund,,,Acme,Buyer,05 Jan 0000")
    import_connections(engine, path, "E1", limits=SourcesSettings(quarantine_raw="full"))
    assert engine.scalar("SELECT raw FROM quarantine") == "Bo,Lund,,,Acme,Buyer,05 Jan 0000"
    expire_raw_rows(engine, SourcesSettings(quarantine_raw="full", quarantine_days=30))
    assert engine.scalar("SELECT raw FROM quarantine").startswith("Bo,")  # still young
    engine.execute("UPDATE imports SET imported_at = imported_at - INTERVAL 31 DAY")
    expire_raw_rows(engine, SourcesSettings(quarantine_raw="full", quarantine_days=30))
    assert engine.scalar("SELECT raw FROM quarantine") == "Aa,Aaaa,,,Aaaa,Aaaaa,99 Aaa 9999"
    expire_raw_rows(engine, SourcesSettings(quarantine_raw="none"))
    assert engine.scalar("SELECT raw FROM quarantine") is None
    assert engine.scalar("SELECT reason FROM quarantine").startswith("The Connected On date")


def test_bad_url_escape_does_not_abort_a_directory_batch(engine, tmp_path: Path) -> None:
    _csv(tmp_path, ROW.replace("/anna", "/anna%C3%28"), "a.csv")
    _csv(tmp_path, ROW2, "b.csv")
    (tmp_path / "manifest.json").write_text(json.dumps({"linkedin": [
        {"employee": "E1", "path": "a.csv"}, {"employee": "E2", "path": "b.csv"}]}))
    reports = import_directory(engine, tmp_path, basis="consent")
    assert [(r.error, r.ties) for r in reports] == [(None, 1), (None, 1)]
    urls = {r[0] for r in engine.fetchall("SELECT profile_url FROM tie_people")}
    assert "https://www.linkedin.com/in/anna%C3%28" in urls


def test_disk_full_while_writing_a_work_copy_is_a_sentence(engine, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(f"{HEADER}\n{ROW2}\n".encode("cp1252"))  # needs a UTF-8 work copy

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    before = table_counts(engine)
    with pytest.raises(InputError, match="disk is full"):
        import_connections(engine, path, "E1")
    assert table_counts(engine) == before


def test_a_row_without_name_or_usable_url_is_quarantined(engine, tmp_path: Path) -> None:
    """A row whose URL normalises to nothing and that has no name has no person key: it is
    quarantined with its reason, and the rest of the batch is imported (it failed the whole
    batch on the NOT NULL tie key)."""
    head = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(head + "Anna,Berg,https://www.linkedin.com/in/ab,,Acme,Buyer,05 Jan 2024\n"
                   ",,?,,Acme,Buyer,05 Jan 2024\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(head + "Jan,Smit,https://www.linkedin.com/in/js,,Acme,Buyer,05 Jan 2024\n",
                    encoding="utf-8")
    report = import_connections(engine, bad, "E1")
    assert (report.rows, report.ties, report.quarantined) == (2, 1, 1)
    assert [p.line for p in report.problems] == [3]
    assert "not a profile address" in report.problems[0].message
    assert import_connections(engine, good, "E2").ties == 1
    assert table_counts(engine)["ties"] == 2

"""Joining small exports into one file for the engine: same results as one file at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tieguard.sources import ConnectionsJob, import_connections_batch, linkedin
from tieguard.sources.joined import rows_of, write_joined
from tieguard.sources.sniff import inspect_connections
from tieguard.warehouse import open_warehouse

from .test_bulk import _state

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
PREAMBLE = 'Notes:\n"When exporting your connection data, you may notice..."\n\n'


def _row(n: int, first: str = "Anna", company: str = "Acme") -> str:
    return f"{first},Berg {n},https://www.linkedin.com/in/ab-{n},,{company},Buyer,0{n % 9 + 1} Jan 2024"


#: name -> file text: clean ones and each thing that must keep a file out of the join
EXPORTS = {
    "clean": PREAMBLE + HEADER + "\n" + "\n".join(_row(n) for n in range(5)),
    "clean_crlf_final_newline": HEADER + "\r\n" + "\r\n".join(_row(n) for n in range(3)) + "\r\n",
    "quoted_comma": HEADER + "\n" + _row(1, company='"Acme, Inc."') + "\n" + _row(2),
    "quoted_line_break": HEADER + "\n" + _row(1, company='"Acme\nInc."') + "\n" + _row(2),
    "open_quote_at_end": HEADER + "\n" + _row(1) + "\n" + _row(2, company='"Acme'),
    "blank_line": HEADER + "\n" + _row(1) + "\n\n" + _row(2),
    "whitespace_line": HEADER + "\n" + _row(1) + "\n   \n" + _row(2),
    "header_only": HEADER,
    "short_row": HEADER + "\n" + _row(1) + "\nAnna,Berg,x\n" + _row(3),
    "bad_date": HEADER + "\n" + _row(1).replace("Jan 2024", "Foo 2024") + "\n" + _row(2),
}


def test_rows_of_drops_the_head_and_refuses_open_quotes() -> None:
    data = (PREAMBLE + HEADER + "\na,b\nc,d\n\n").encode()
    assert rows_of(data, 3) == b"a,b\nc,d"
    assert rows_of(HEADER.encode(), 0) == b""
    assert rows_of((HEADER + '\na,"b\n').encode(), 0) is None  # open in the rows
    assert rows_of(('"x\n' + HEADER + "\na").encode(), 1) is None  # open in the head


def test_write_joined_prefixes_every_line_and_skips_unsafe_files(tmp_path: Path) -> None:
    files = []
    for n, (name, text) in enumerate(EXPORTS.items()):
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        cf = inspect_connections(path)
        cf.file_idx, cf.read_path = n, str(path)
        files.append(cf)
    joined = write_joined(files, tmp_path / "joined.csv", ",")
    names = {Path(cf.read_path).stem for cf in joined}
    # a line of spaces is joined: the engine rejects that row, its file is read in Python
    assert names == {"clean", "clean_crlf_final_newline", "quoted_comma", "quoted_line_break",
                     "whitespace_line", "header_only", "short_row", "bad_date"}
    lines = (tmp_path / "joined.csv").read_bytes().split(b"\n")[:-1]
    assert lines[0] == b"0," + _row(0).encode() and len(lines) == 5 + 3 + 2 + 3 + 3 + 3 + 2
    assert all(line.split(b",", 1)[0].isdigit() for line in lines)


@pytest.mark.parametrize(("copies", "spaces"), [(2, False), (5, False), (2, True)])
def test_a_joined_batch_matches_one_file_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  copies: int, spaces: bool) -> None:
    jobs = []
    for n in range(copies):
        for name, text in EXPORTS.items():
            if name == "whitespace_line" and not spaces:
                continue
            path = tmp_path / f"{name}-{n}.csv"
            path.write_text(text, encoding="utf-8")
            jobs.append(ConnectionsJob(path, f"{name}-{n}"))
    one_by_one: list[str] = []
    original = linkedin._bulk_read_or_split

    def per_file(engine, group, *args):  # type: ignore[no-untyped-def]
        one_by_one.extend(Path(cf.raw.path).stem.rsplit("-", 1)[0] for cf in group)
        return original(engine, group, *args)

    monkeypatch.setattr(linkedin, "_bulk_read_or_split", per_file)
    batch = open_warehouse(":memory:")
    reports = import_connections_batch(batch, jobs, background=False)
    # only the unsafe files are read one by one; rows the joined read rejects (a line of
    # spaces, a short row) send their files to the exact Python reader
    assert set(one_by_one) == {"open_quote_at_end", "blank_line"}
    monkeypatch.undo()
    single = open_warehouse(":memory:")
    alone = [import_connections_batch(single, [job], background=False)[0] for job in jobs]
    assert _state(batch) == _state(single)
    assert [(r.rows, r.quarantined, r.ties, [p.message for p in r.problems]) for r in reports] == \
        [(r.rows, r.quarantined, r.ties, [p.message for p in r.problems]) for r in alone]
    assert sum(r.quarantined for r in reports) >= copies  # the broken rows are still found
    batch.close()
    single.close()

"""Many vCards in one batch: the result of importing them one by one, in order."""

from __future__ import annotations

from pathlib import Path

from tieguard.sources import import_vcard
from tieguard.sources.vcard import import_vcards
from tieguard.warehouse import open_warehouse

from .test_bulk import _state


def _card(first: str, last: str, rev: str, title: str = "Buyer") -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last};{first};;;\r\nFN:{first} {last}\r\n"
            f"ORG:Acme GmbH\r\nTITLE:{title}\r\nREV:{rev}\r\nEND:VCARD\r\n")


def _files(tmp_path: Path) -> list[tuple[Path, str]]:
    """vCards of three employees; E1 sends two files naming the same person (a later
    date and title), E2 the same file twice; one file is not a vCard at all."""
    texts = {
        "e1a.vcf": ("E1", _card("Ann", "Lee", "20230105") + _card("Bo", "Berg", "20230201")),
        "e2.vcf": ("E2", _card("Ann", "Lee", "20220101")),
        "e1b.vcf": ("E1", _card("Ann", "Lee", "20240301", "Head of Purchasing")),
        "e2again.vcf": ("E2", _card("Ann", "Lee", "20220101")),
        "broken.vcf": ("E3", "not a card\n"),
        "e3.vcf": ("E3", _card("Cy", "Dahl", "2021-13-45") + "BEGIN:VCARD\r\nbroken\r\n"),
    }
    jobs = []
    for name, (employee, text) in texts.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        jobs.append((path, employee))
    return jobs


def test_a_batch_of_vcards_matches_one_at_a_time(tmp_path: Path) -> None:
    jobs = _files(tmp_path)
    batch = open_warehouse(":memory:")
    reports = import_vcards(batch, jobs)
    single = open_warehouse(":memory:")
    alone = []
    for path, employee in jobs:
        try:
            alone.append(import_vcard(single, path, employee))
        except Exception as exc:  # the one-file API raises what the batch reports
            alone.append(str(exc))
    assert _state(batch) == _state(single)
    view = [(r.error if r.error else (r.rows, r.ties, r.quarantined, r.already_imported,
                                      [p.message for p in r.problems])) for r in reports]
    expected = [(a if isinstance(a, str) else (a.rows, a.ties, a.quarantined,
                                               a.already_imported, [p.message for p in a.problems]))
                for a in alone]
    assert view == expected
    assert reports[3].already_imported and "not a vCard" in (reports[4].error or "")
    # E1's second file is the newest sighting of Ann Lee: her title follows it
    assert batch.scalar("SELECT position FROM tie_people WHERE last_name = 'Lee'") == \
        "Head of Purchasing"
    batch.close()
    single.close()

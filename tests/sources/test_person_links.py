"""One person, one key: export variants with and without profile URLs are linked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tieguard.engine import Engine
from tieguard.errors import InputError
from tieguard.sources import import_connections
from tieguard.sources.connections import ConnectionsJob, import_connections_batch
from tieguard.warehouse import open_warehouse

WITH_URL = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
NO_URL = "First Name,Last Name,Email Address,Company,Position,Connected On\n"  # 2021 variant
PEOPLE = [("Anna", "Berg", "anna-berg-1"), ("Jürgen", "Müller", "jm-2"), ("Zoë", "Ng", "zn")]


def _current(path: Path, people: list[tuple[str, str, str]], date: str = "05 Jan 2021") -> Path:
    rows = [f"{f},{last},https://www.linkedin.com/in/{u},,Acme GmbH,Buyer,{date}"
            for f, last, u in people]
    path.write_text(WITH_URL + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _v2021(path: Path, people: list[tuple[str, str, str]], date: str = "05 Jan 2021") -> Path:
    rows = [f"{f},{last},,Acme GmbH,Buyer,{date}" for f, last, _ in people]
    path.write_text(NO_URL + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _people(engine: Engine) -> int:
    return int(engine.scalar("SELECT count(*) FROM tie_people"))


def _keys_of(engine: Engine, employee: str) -> set[str]:
    return {r[0] for r in engine.fetchall(
        "SELECT person_key FROM ties WHERE employee_id = ? AND removed_on IS NULL", [employee])}


def test_with_url_first_then_without(engine: Engine, tmp_path: Path) -> None:
    import_connections(engine, _current(tmp_path / "a.csv", PEOPLE), "E1")
    import_connections(engine, _v2021(tmp_path / "b.csv", PEOPLE), "E2")
    assert _people(engine) == 3 and _keys_of(engine, "E1") == _keys_of(engine, "E2")


def test_without_url_first_then_with(engine: Engine, tmp_path: Path) -> None:
    import_connections(engine, _v2021(tmp_path / "b.csv", PEOPLE), "E2")
    import_connections(engine, _current(tmp_path / "a.csv", PEOPLE), "E1")
    assert _people(engine) == 3 and _keys_of(engine, "E1") == _keys_of(engine, "E2")
    # the URL is kept on the person, and a third export with URLs finds them by URL
    assert engine.scalar("SELECT count(*) FROM tie_people WHERE profile_url IS NOT NULL") == 3
    import_connections(engine, _current(tmp_path / "c.csv", PEOPLE), "E3")
    assert _people(engine) == 3 and _keys_of(engine, "E3") == _keys_of(engine, "E1")


def test_both_variants_in_one_batch(engine: Engine, tmp_path: Path) -> None:
    jobs = [ConnectionsJob(_v2021(tmp_path / "b.csv", PEOPLE), "E2", None, "linkedin", None),
            ConnectionsJob(_current(tmp_path / "a.csv", PEOPLE), "E1", None, "linkedin", None)]
    import_connections_batch(engine, jobs, raise_errors=True)
    assert _people(engine) == 3 and _keys_of(engine, "E1") == _keys_of(engine, "E2")


def test_a_newer_export_with_urls_keeps_the_employees_ties(engine: Engine, tmp_path: Path) -> None:
    """An employee's 2021 export, then the current one: the same connections, none removed."""
    old = import_connections(engine, _v2021(tmp_path / "old.csv", PEOPLE), "E1",
                             exported_on=dt.date(2021, 3, 1))
    new = import_connections(engine, _current(tmp_path / "new.csv", PEOPLE), "E1",
                             exported_on=dt.date(2026, 1, 1))
    assert old.ties == new.ties == 3 and new.removed == 0
    assert engine.scalar("SELECT count(*) FROM ties") == 3
    assert engine.scalar("SELECT count(*) FROM ties WHERE removed_on IS NOT NULL") == 0


def test_a_common_name_with_two_urls_stays_apart(engine: Engine, tmp_path: Path) -> None:
    twins = [("Jan", "de Vries", "jan-de-vries-1"), ("Jan", "de Vries", "jan-de-vries-2")]
    import_connections(engine, _current(tmp_path / "a.csv", twins[:1]), "E1")
    import_connections(engine, _current(tmp_path / "b.csv", twins[1:]), "E2")
    import_connections(engine, _v2021(tmp_path / "c.csv", twins[:1]), "E3")
    # two URL people share the name: the URL-less row is not evidence for either
    assert _people(engine) == 3
    assert not _keys_of(engine, "E3") & (_keys_of(engine, "E1") | _keys_of(engine, "E2"))


def test_two_urls_never_adopt_the_same_stored_person(engine: Engine, tmp_path: Path) -> None:
    import_connections(engine, _v2021(tmp_path / "c.csv", [("Jan", "de Vries", "")]), "E3")
    twins = [("Jan", "de Vries", "jan-de-vries-1"), ("Jan", "de Vries", "jan-de-vries-2")]
    jobs = [ConnectionsJob(_current(tmp_path / f"{i}.csv", [t]), f"E{i}", None, "linkedin",
                           None) for i, t in enumerate(twins)]
    import_connections_batch(engine, jobs, raise_errors=True)
    assert _people(engine) == 3
    assert _keys_of(engine, "E0") != _keys_of(engine, "E1")


def test_keys_hold_no_plain_text(engine: Engine, tmp_path: Path) -> None:
    import_connections(engine, _current(tmp_path / "a.csv", PEOPLE), "E1")
    for name_key, url_key in engine.fetchall("SELECT name_key, url_key FROM tie_people"):
        assert len(name_key) == len(url_key) == 32
        assert all(part.lower() not in (name_key + url_key) for part in ("anna", "berg"))


def test_a_held_back_export_leaves_no_link_key(engine: Engine, tmp_path: Path) -> None:
    """An export the removal guard holds back writes nothing, not even the URL key its
    rows would give a stored URL-less person (it would decide later linking)."""
    crowd = [(f"Person{i}", "Berg", f"person-{i}") for i in range(20)]
    import_connections(engine, _v2021(tmp_path / "old.csv", crowd), "E1",
                       exported_on=dt.date(2021, 3, 1))
    with pytest.raises(InputError, match="removed"):
        import_connections(engine, _current(tmp_path / "new.csv", crowd[:1]), "E1",
                           exported_on=dt.date(2026, 1, 1))
    assert engine.scalar("SELECT count(*) FROM tie_people WHERE url_key IS NOT NULL") == 0
    assert engine.scalar("SELECT count(*) FROM tie_people WHERE name_key IS NOT NULL") == 20


def test_new_people_get_their_link_keys_with_their_row(engine: Engine, tmp_path: Path) -> None:
    """Both variants in one import: every person carries the keys of the rows seen, the
    URL person its URL key and the name key of its name and company."""
    import_connections(engine, _current(tmp_path / "a.csv", PEOPLE), "E1")
    import_connections(engine, _v2021(tmp_path / "b.csv", [("Nur", "Ohne", "x")]), "E2")
    rows = engine.fetchall("SELECT person_key, name_key, url_key FROM tie_people")
    with_url = [r for r in rows if r[2] is not None]
    assert len(rows) == 4 and len(with_url) == 3
    assert all(r[0] == r[2] and r[1] not in (None, r[0]) for r in with_url)
    assert [(r[0] == r[1], r[2]) for r in rows if r[2] is None] == [(True, None)]


def test_an_adopted_person_is_found_by_url_later(engine: Engine, tmp_path: Path) -> None:
    """A stored URL-less person adopted by a URL keeps that URL's key (``url_key``): a
    later export with the same URL finds them even when a namesake's URL arrives in the
    same batch (the name alone is then not evidence enough)."""
    anna, namesake = ("Anna", "Berg", "anna-berg-1"), ("Anna", "Berg", "anna-berg-2")
    import_connections(engine, _v2021(tmp_path / "a.csv", [anna]), "E1")
    import_connections(engine, _current(tmp_path / "b.csv", [anna]), "E2")
    jobs = [ConnectionsJob(_current(tmp_path / "c.csv", [anna]), "E3", None, "linkedin", None),
            ConnectionsJob(_current(tmp_path / "d.csv", [namesake]), "E4", None, "linkedin", None)]
    import_connections_batch(engine, jobs, raise_errors=True)
    assert _keys_of(engine, "E3") == _keys_of(engine, "E2") == _keys_of(engine, "E1")
    assert _people(engine) == 2 and _keys_of(engine, "E4") != _keys_of(engine, "E1")


def test_a_batch_keeps_the_keys_of_a_persons_first_export(tmp_path: Path) -> None:
    """One person (URL) under two name texts, and one export with an e-mail older than the
    newest: a batch stores the name key of the first export and the newest e-mail, as
    importing the files one by one does (the batch's rows are read in any order)."""
    anna = [("Anna", "Berg", "anna-berg-1")]
    paths = [_current(tmp_path / f"{n}.csv", anna, date=f"0{n + 1} Jan 2021") for n in range(4)]
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace(",,Acme GmbH", ",anna@example.com,Acme GmbH"),
                        encoding="utf-8")
    paths[2].write_text(paths[2].read_text(encoding="utf-8").replace("Acme GmbH", "Acme AG"),
                        encoding="utf-8")
    jobs = [ConnectionsJob(p, f"E{n}", None, "linkedin", None) for n, p in enumerate(paths)]
    states = []
    for batches in ([jobs], [[job] for job in jobs]):
        engine = open_warehouse(":memory:")
        for batch in batches:
            import_connections_batch(engine, batch, raise_errors=True)
        states.append(engine.fetchall("SELECT * FROM tie_people"))
        engine.close()
    assert states[0] == states[1] and len(states[0]) == 1
    assert states[0][0][1:7] == ("Anna", "Berg", "Buyer", "Acme GmbH",
                                 "https://www.linkedin.com/in/anna-berg-1", "anna@example.com")

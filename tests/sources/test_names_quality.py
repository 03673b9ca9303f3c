"""Names must not get worse: mojibake repaired, damaged re-saves never overwrite good names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.sources import import_connections
from tieguard.sources.decode import repair_mojibake

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = [("Jürgen", "Müller", "jm"), ("Zoë", "Åse", "za"), ("Łukasz", "Wołek", "lw"),
        ("Anna", "Berg", "ab")]


def _export(path: Path, rows: list[tuple[str, str, str]], encoding: str = "utf-8") -> Path:
    lines = [f"{f},{last},https://www.linkedin.com/in/{u},,Acme,Buyer,05 Jan 2021"
             for f, last, u in rows]
    path.write_bytes((HEADER + "\n".join(lines) + "\n").encode(encoding, errors="replace"))
    return path


def _names(engine) -> set[tuple[str, str]]:
    return set(engine.fetchall("SELECT first_name, last_name FROM tie_people"))


def test_double_encoded_names_are_repaired_with_a_warning(engine, tmp_path: Path) -> None:
    # UTF-8 bytes read as cp1252 and saved as UTF-8 again: 'MÃ¼ller'
    text = _export(tmp_path / "a.csv", ROWS).read_text(encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text(text.encode("utf-8").decode("sloppy-windows-1252"), encoding="utf-8")
    report = import_connections(engine, twice, "E1")
    assert _names(engine) == {(f, last) for f, last, _ in ROWS}
    warnings = [p for p in report.problems if p.severity == "warning"]
    assert len(warnings) == 1 and "encoded twice" in warnings[0].message
    assert warnings[0].line == 2 and report.quarantined == 0


def test_a_later_damaged_resave_keeps_the_good_names(engine, tmp_path: Path) -> None:
    good = _export(tmp_path / "good.csv", ROWS)
    # a cp1252 re-save loses what cp1252 cannot hold ('Łukasz' -> '?ukasz'), and a
    # re-save without accents strips them
    lossy = _export(tmp_path / "lossy.csv", ROWS, "cp1252")
    plain = _export(tmp_path / "plain.csv", [("Jurgen", "Muller", "jm"), *ROWS[1:]])
    import_connections(engine, good, "E1", exported_on=dt.date(2026, 1, 1))
    import_connections(engine, lossy, "E2", exported_on=dt.date(2026, 2, 1))
    import_connections(engine, plain, "E3", exported_on=dt.date(2026, 3, 1))
    assert _names(engine) == {(f, last) for f, last, _ in ROWS}
    # a real change still wins
    renamed = _export(tmp_path / "renamed.csv", [("Anna", "Berg-Lund", "ab"), *ROWS[:3]])
    import_connections(engine, renamed, "E4", exported_on=dt.date(2026, 4, 1))
    assert ("Anna", "Berg-Lund") in _names(engine)


NAMES = st.text(alphabet=st.sampled_from(list("aeiouüößéèçñåøłźŁ ÉÜ-'") + ["🚀", "李"]),
                min_size=1, max_size=20)


@given(NAMES)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_repair_never_makes_a_name_worse(name: str) -> None:
    assert repair_mojibake(name) == (name, [])  # clean text is never touched
    twice = name.encode("utf-8").decode("sloppy-windows-1252")
    # ftfy repairs only what it is sure of: the result is the name or left as it was
    assert repair_mojibake(twice)[0] in (name, twice)


#: Characters around the first and second characters the mojibake pattern looks for.
_NEAR_MOJIBAKE = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x00A0, max_codepoint=0x0200),
    st.characters(min_codepoint=0x2010, max_codepoint=0x2130),
    st.sampled_from(list("aZ\n\r,\"") + ["李", "🚀"])), max_size=30)


@given(st.one_of(_NEAR_MOJIBAKE, NAMES.map(lambda n: n.encode("utf-8").decode(
    "sloppy-windows-1252"))))
@settings(max_examples=400, deadline=None, derandomize=True)
def test_the_byte_prefilter_never_misses_a_candidate(text: str) -> None:
    # the import skips the text pattern when the file's UTF-8 bytes hold no candidate:
    # that must never skip a text the pattern would match
    from tieguard.sources.decode import _MOJIBAKE, _MOJIBAKE_BYTES

    if _MOJIBAKE.search(text):
        assert _MOJIBAKE_BYTES.search(text.encode("utf-8"))

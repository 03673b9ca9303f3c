"""Regenerate the shipped role lexicon from the reference data in ``../shared/data``.

Run from the repository root::

    python -m tieguard.roles.build_lexicon [--data ../shared/data] [--out src/tieguard/data/roles]

Sources: ESCO occupation labels in six languages (with their ISCO-08 groups) and the
O*NET alternate titles (English), whose O*NET-SOC codes are carried to ISCO groups
through the official ESCO–O*NET crosswalk. Each label's ISCO group is mapped to a
tieguard function with ``isco_function_map.csv`` (longest prefix). The O*NET
occupation titles themselves are *not* used: they are the queries of the MELO
English evaluation set.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import logging
from collections import Counter, defaultdict
from pathlib import Path

from .evidence import write_evidence
from .lexicon import entries_from_rows, read_rows
from .normalise import normalise

__all__ = ["LANGS", "build", "isco_functions", "load_isco_map"]

log = logging.getLogger(__name__)

LANGS: tuple[str, ...] = ("en", "nl", "de", "fr", "es", "it")
_REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = _REPO / ".." / "shared" / "data"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "roles"


def load_isco_map(data: Path) -> dict[str, str]:
    """ISCO prefix → ``a|b`` function string."""
    with (data / "isco_function_map.csv").open(encoding="utf-8") as fh:
        return {row["isco_prefix"]: row["functions"] for row in csv.DictReader(fh)}


def isco_functions(isco: str, isco_map: dict[str, str]) -> str:
    """Longest-prefix function(s) of an ISCO code, ``other`` when nothing matches."""
    for end in range(len(isco), 0, -1):
        found = isco_map.get(isco[:end])
        if found:
            return found
    return "other"


def _esco_rows(data: Path) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    rows: list[tuple[str, str, str]] = []
    uri_isco: dict[str, str] = {}
    for lang in LANGS:
        with (data / "esco" / f"esco_labels_{lang}.tsv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                isco = (row["isco_group"] or "").strip()
                if not isco:
                    continue
                uri_isco[row["esco_uri"]] = isco
                rows.append((row["label"], lang, isco))
    return rows, uri_isco


def _onet_rows(data: Path, uri_isco: dict[str, str]) -> list[tuple[str, str, str]]:
    soc_votes: dict[str, Counter[str]] = defaultdict(Counter)
    with (data / "crosswalk" / "esco_onet_crosswalk.csv").open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        for cells in reader:
            if len(cells) >= 4 and cells[3] in uri_isco:
                soc_votes[cells[0]][uri_isco[cells[3]]] += 1
    rows: list[tuple[str, str, str]] = []
    with (data / "onet" / "alternate_titles.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            votes = soc_votes.get(row["O*NET-SOC Code"])
            if votes:
                rows.append((row["Alternate Title"], "en", votes.most_common(1)[0][0]))
    return rows


def build(data: Path = DEFAULT_DATA, out: Path = DEFAULT_OUT) -> Path:
    """Write ``lexicon.tsv.gz`` (key, lang, isco, functions) and ``evidence.npz``; return the lexicon path."""
    isco_map = load_isco_map(data)
    esco, uri_isco = _esco_rows(data)
    rows = esco + _onet_rows(data, uri_isco)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for label, lang, isco in rows:
        key = normalise(label)
        if key and "|" not in key:
            votes[(key, lang)][isco] += 1
    out.mkdir(parents=True, exist_ok=True)
    path = out / "lexicon.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("key\tlang\tisco\tfunctions\n")
        for (key, lang), counter in sorted(votes.items()):
            isco = counter.most_common(1)[0][0]
            fh.write(f"{key}\t{lang}\t{isco}\t{isco_functions(isco, isco_map)}\n")
    log.info("wrote %d lexicon entries to %s", len(votes), path)
    write_evidence(entries_from_rows(read_rows(path)), out / "evidence.npz")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build(args.data, args.out)


if __name__ == "__main__":
    main()

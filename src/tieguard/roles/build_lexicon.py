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

import pyarrow as pa

from .model import LANGS as MODEL_LANGS
from .model import save_model
from .normalise import normalise_array
from .tokens import collapse_doublets
from .train import train_model

__all__ = ["LANGS", "build", "isco_functions", "load_isco_map", "read_entries"]

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
    """Write ``lexicon.tsv.gz`` (key, lang, isco, functions) and ``model.npz``; return the lexicon path."""
    isco_map = load_isco_map(data)
    esco, uri_isco = _esco_rows(data)
    rows = esco + _onet_rows(data, uri_isco)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    keys = collapse_doublets(normalise_array(pa.array([label for label, _, _ in rows], pa.string()))).to_pylist()
    for key, (_, lang, isco) in zip(keys, rows, strict=True):
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
    entries, token_langs = read_entries(path)
    save_model(train_model(entries, token_langs), out / "model.npz")
    log.info("wrote the function model to %s", out / "model.npz")
    return path


def _ordered(functions: str) -> tuple[str, ...]:
    """ISCO 1324 (supply, distribution and related managers) is supply chain first:
    the title's own purchasing words make it purchasing."""
    parts = tuple(functions.split("|"))
    return ("supply_chain", "purchasing") if set(parts) == {"purchasing", "supply_chain"} else parts


def read_entries(path: Path) -> tuple[dict[str, tuple[str, tuple[str, ...]]], dict[str, int]]:
    """Key → (language, functions), a non-English label winning over an English one; word → language bits."""
    entries: dict[str, tuple[str, tuple[str, ...]]] = {}
    token_langs: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            key, lang, _, functions = line.rstrip("\n").split("\t")
            bit = 1 << MODEL_LANGS.index(lang)
            for word in key.split():
                token_langs[word] = token_langs.get(word, 0) | bit
            if key not in entries or (lang != "en" and entries[key][0] == "en"):
                entries[key] = (lang, _ordered(functions))
    return entries, token_langs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build(args.data, args.out)


if __name__ == "__main__":
    main()

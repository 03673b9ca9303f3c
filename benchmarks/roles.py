"""Benchmark of the roles stage: accuracy (MELO dev halves, hand-labelled sets) and speed.

    .venv/bin/python benchmarks/roles.py [--data ../shared/data] [--markdown FILE] [--sizes 10000,100000,1000000]

Speed is measured as a new user would: a cold ``tieguard roles classify --in F --column title
--out O`` process per run (process start, model load, CSV read and write included) over
*distinct* generated titles, three runs, median, peak memory of the process (``/usr/bin/time``),
and the load average beside each figure (the machine is shared). A warm in-process row
(classifier built, titles already in memory) follows. Accuracy: function per language on both
halves of the MELO dev split (the ``tune`` half was used to choose the rule and exact-label
weights, the ``held-out`` half was not), per-class precision/recall, and seniority, function and
purchasing precision on the hand-labelled sets in ``tests/roles/data``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from tieguard.labels import seniority_rank
from tieguard.roles.build_lexicon import isco_functions, load_isco_map
from tieguard.roles.classifier import Classifier

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("TIEGUARD_SHARED_DATA", REPO / ".." / "shared" / "data"))
SETS = REPO / "tests" / "roles" / "data"
LANGS = ("nl", "de", "fr", "es", "it", "en")
CLASSES = ("purchasing", "supply_chain", "finance", "it", "sales", "engineering", "production", "quality")
TIEGUARD = Path(sys.executable).parent / "tieguard"
PREFIXES = ("", "Senior ", "Head of ", "Leiter ", "Junior ", "Lead ", "Interim ", "Responsable ", "Hoofd ")
SUFFIXES = ("", " @ Acme GmbH", " | ex-Siemens", " (m/w/d)", " 🚀", " bij Van Dijk B.V.", ", EMEA")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def melo_half(row: dict[str, str]) -> str:
    """The fixed split of the MELO dev set: ``tune`` (weights chosen on it) or ``held-out``."""
    return "tune" if zlib.crc32(row["query_id"].encode()) % 2 == 0 else "held-out"


def gold_functions(isco_groups: str, isco_map: dict[str, str]) -> set[str]:
    gold: set[str] = set()
    for isco in isco_groups.split("|"):
        if isco.strip():
            gold.update(isco_functions(isco.strip(), isco_map).split("|"))
    return gold


def per_class(pairs: list[tuple[str, set[str]]], label: str) -> str:
    support = sum(1 for _, g in pairs if label in g)
    predicted = [(p, g) for p, g in pairs if p == label]
    if not support and not predicted:
        return "- (0)"
    precision = f"{sum(1 for p, g in predicted if p in g) / len(predicted):.2f}" if predicted else "-"
    recall = f"{sum(1 for p, g in pairs if label in g and p == label) / support:.2f}" if support else "-"
    return f"{precision}/{recall} ({support})"


def function_tables(clf: Classifier, data: Path, lines: list[str]) -> None:
    isco_map = load_isco_map(data)
    fast = Classifier(fuzzy=False)
    for half in ("tune", "held-out"):
        lines += [f"### Function accuracy, MELO dev, {half} half", "",
                  "| lang | n | tieguard | fuzzy = false | unknown | " + " | ".join(f"{c} P/R (n)" for c in CLASSES) + " |",
                  "|---" * (5 + len(CLASSES)) + "|"]
        for lang in LANGS:
            rows = [r for r in read_tsv(data / "eval" / f"melo_dev_{lang}.tsv") if melo_half(r) == half]
            titles = [r["title"] for r in rows]
            golds = [gold_functions(r["gold_isco_groups"], isco_map) for r in rows]
            pred = clf.classify_array(titles).column("function").to_pylist()
            rules = fast.classify_array(titles).column("function").to_pylist()
            pairs = list(zip(pred, golds, strict=True))
            acc = sum(p in g for p, g in pairs) / len(pairs)
            acc_rules = sum(p in g for p, g in zip(rules, golds, strict=True)) / len(pairs)
            lines.append(f"| {lang} | {len(rows)} | {acc:.3f} | {acc_rules:.3f} | {pred.count('unknown')} | "
                         + " | ".join(per_class(pairs, c) for c in CLASSES) + " |")
        lines.append("")


def labelled_set(clf: Classifier, name: str, title: str, lines: list[str]) -> None:
    """Seniority (and, where labelled, function and purchasing precision) per language."""
    rows = read_tsv(SETS / name)
    table = clf.classify_array([r["title"] for r in rows]).to_pylist()
    has_function = "function" in rows[0]
    lines += [f"### {title} (`tests/roles/data/{name}`)", "",
              "| lang | n | seniority | within one | " + ("function | purchasing P/R |" if has_function else ""),
              "|---|---|---|---|" + ("---|---|" if has_function else "")]
    groups: dict[str, list[tuple[dict[str, str], dict[str, object]]]] = {}
    for row, out in zip(rows, table, strict=True):
        groups.setdefault(row["lang"], []).append((row, out))
        groups.setdefault("all", []).append((row, out))
    for lang, pairs in sorted(groups.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        exact = sum(o["seniority"] == r["seniority"] for r, o in pairs) / len(pairs)
        near = sum(_near(str(o["seniority"]), r["seniority"]) for r, o in pairs) / len(pairs)
        cells = f"| {lang} | {len(pairs)} | {exact:.3f} | {near:.3f} |"
        if has_function:
            func = sum(o["function"] == r["function"] for r, o in pairs) / len(pairs)
            cells += f" {func:.3f} | {_purchasing(pairs)} |"
        lines.append(cells)
    lines.append("")


def _near(pred: str, gold: str) -> bool:
    return pred == gold or ("unknown" not in (pred, gold) and abs(seniority_rank(pred) - seniority_rank(gold)) <= 1)


def _purchasing(pairs: list[tuple[dict[str, str], dict[str, object]]]) -> str:
    predicted = [r for r, o in pairs if o["function"] == "purchasing"]
    support = sum(r["function"] == "purchasing" for r, _ in pairs)
    right = sum(r["function"] == "purchasing" for r in predicted)
    precision = f"{right / len(predicted):.2f}" if predicted else "-"
    recall = f"{right / support:.2f}" if support else "-"
    return f"{precision}/{recall} ({len(predicted)} predicted, {support} gold)"


def distinct_titles(data: Path, n: int, seed: int = 11) -> list[str]:
    """``n`` distinct real-looking titles: ESCO labels (six languages) with level prefixes and headline suffixes."""
    labels: list[str] = []
    for lang in LANGS:
        labels += [r["label"] for r in read_tsv(data / "esco" / f"esco_labels_{lang}.tsv")]
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    combos = [(p, s) for p in PREFIXES for s in SUFFIXES]
    while len(seen) < n:
        rng.shuffle(combos)
        for prefix, suffix in combos:
            for label in rng.sample(labels, min(len(labels), n - len(seen))):
                seen.setdefault(f"{prefix}{label}{suffix}")
                if len(seen) >= n:
                    break
            if len(seen) >= n:
                break
    return list(seen)


def write_titles(path: Path, titles: Iterable[str]) -> None:
    import pyarrow.csv as pacsv

    titles = list(titles)
    pacsv.write_csv(pa.table({"id": pa.array(range(len(titles))), "title": pa.array(titles, pa.string())}), str(path))


def cold_run(src: Path, dest: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds (user + system) of one ``tieguard roles classify`` process."""
    stats = dest.with_suffix(".time")
    cmd = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(stats), str(TIEGUARD), "roles", "classify",
           "--in", str(src), "--column", "title", "--out", str(dest)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds, kb, user, system = stats.read_text().split()[-4:]
    return float(seconds), int(kb) / 1024, float(user) + float(system)


def speed_table(data: Path, sizes: list[int], lines: list[str]) -> None:
    lines += ["### Speed: distinct titles, cold process, CSV in and out", "",
              "`tieguard roles classify --in titles.csv --column title --out labels.csv`; three runs, median; "
              "peak = maximum resident set of the process (`/usr/bin/time`).", "",
              "| distinct titles | wall s (median of 3) | titles/s | CPU s (user+sys) | titles per CPU-second | peak MB | "
              "load average (1/5/15 min) before the runs |",
              "|---|---|---|---|---|---|---|"]
    warm: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            src, dest = Path(tmp) / f"titles_{n}.csv", Path(tmp) / f"labels_{n}.csv"
            titles = distinct_titles(data, n)
            write_titles(src, titles)
            load = loadavg()
            runs = [cold_run(src, dest) for _ in range(3)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[2] for r in runs)
            peak = max(r[1] for r in runs)
            lines.append(f"| {n:,} | {wall:.2f} | {n / wall:,.0f} | {cpu:.2f} | {n / cpu:,.0f} | {peak:,.0f} | {load} |")
            warm.append(_warm_row(titles))
    lines += ["", "### Speed: warm, in process (classifier built, titles in memory; no I/O)", "",
              "| distinct titles | wall s (median of 3) | titles/s | CPU s | titles per CPU-second | load average |",
              "|---|---|---|---|---|---|", *warm, ""]


def _warm_row(titles: list[str]) -> str:
    clf = Classifier()
    array = pa.array(titles, pa.string())
    clf.classify_array(array[:1000])
    load = loadavg()
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        clf.classify_array(array)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    return f"| {len(titles):,} | {wall:.2f} | {len(titles) / wall:,.0f} | {cpu:.2f} | {len(titles) / cpu:,.0f} | {load} |"


def startup_table(lines: list[str]) -> None:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([str(TIEGUARD), "roles", "classify", "--help"], check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    lines += ["### Start-up", "", "| command | wall s (median of 3) | load average |", "|---|---|---|",
              f"| `tieguard roles classify --help` | {statistics.median(runs):.2f} | {loadavg()} |", ""]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not (args.data / "eval").exists():
        sys.exit(f"reference data not found at {args.data}; pass --data or set TIEGUARD_SHARED_DATA")
    lines: list[str] = []
    clf = Classifier()
    function_tables(clf, args.data, lines)
    labelled_set(clf, "linkedin_like.tsv", "LinkedIn-like positions, labelled before any output was seen", lines)
    labelled_set(clf, "seniority_holdout.tsv", "Seniority holdout (written after the old rules were frozen)", lines)
    labelled_set(clf, "seniority_check.tsv", "Seniority check set (rules were adjusted on it: optimistic)", lines)
    if not args.skip_speed:
        startup_table(lines)
        speed_table(args.data, [int(s) for s in args.sizes.split(",")], lines)
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

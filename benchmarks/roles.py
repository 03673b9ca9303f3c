"""Benchmark of the roles stage: function accuracy on MELO dev, seniority on the check set, speed.

    .venv/bin/python benchmarks/roles.py [--markdown docs/benchmarks/roles.md]

Prints one table per measurement. The char 3-5-gram TF-IDF nearest-neighbour baseline
over ``esco_labels_<lang>.tsv`` runs in the same process for comparison.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import sys
import time
from pathlib import Path

from tieguard.labels import seniority_rank
from tieguard.roles.build_lexicon import isco_functions, load_isco_map
from tieguard.roles.classifier import Classifier
from tieguard.roles.fuzzy import NgramIndex
from tieguard.roles.normalise import normalise

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"
CHECK = REPO / "tests" / "roles" / "data" / "seniority_check.tsv"
HOLDOUT = REPO / "tests" / "roles" / "data" / "seniority_holdout.tsv"
LANGS = ("nl", "de", "fr", "es", "it", "en")
CLASSES = ("purchasing", "finance", "it", "sales", "engineering")
PUBLISHED_BASELINE = {"nl": 0.78, "de": 0.83, "fr": 0.92, "es": 0.81, "it": 0.78, "en": 0.89}


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def gold_functions(isco_groups: str, isco_map: dict[str, str]) -> set[str]:
    gold: set[str] = set()
    for isco in isco_groups.split("|"):
        if isco.strip():
            gold.update(isco_functions(isco.strip(), isco_map).split("|"))
    return gold


def baseline_predictor(lang: str, isco_map: dict[str, str]):  # type: ignore[no-untyped-def]
    rows = read_tsv(DATA / "esco" / f"esco_labels_{lang}.tsv")
    rows = [r for r in rows if r["isco_group"]]
    index = NgramIndex([normalise(r["label"]) for r in rows])

    def predict(title: str) -> str:
        top = index.query(normalise(title), 1)
        return isco_functions(rows[top[0][0]]["isco_group"], isco_map).split("|")[0] if top else "unknown"

    return predict


def per_class(pairs: list[tuple[str, set[str]]], label: str) -> tuple[float, float, int]:
    support = sum(1 for _, g in pairs if label in g)
    predicted = [(p, g) for p, g in pairs if p == label]
    precision = sum(1 for p, g in predicted if p in g) / len(predicted) if predicted else float("nan")
    recall = sum(1 for p, g in pairs if label in g and p == label) / support if support else float("nan")
    return precision, recall, support


def function_table(clf: Classifier, lines: list[str]) -> None:
    isco_map = load_isco_map(DATA)
    fast = Classifier(fuzzy=False)
    lines += ["## Function accuracy, MELO dev", "",
              "tieguard = the default classifier (exact label, rules, word evidence + fuzzy neighbours); "
              "rules path = `fuzzy = false` (exact label, rules, word evidence; no n-gram index). "
              "P/R columns are for the default classifier.", "",
              "| lang | n | tieguard | rules path | TF-IDF 1-NN baseline (this run) | published baseline | unknown | "
              + " | ".join(f"{c} P/R (n)" for c in CLASSES) + " |",
              "|---" * (7 + len(CLASSES)) + "|"]
    for lang in LANGS:
        rows = read_tsv(DATA / "eval" / f"melo_dev_{lang}.tsv")
        base = baseline_predictor(lang, isco_map)
        pairs, base_ok, fast_ok, unknown = [], 0, 0, 0
        for row in rows:
            gold = gold_functions(row["gold_isco_groups"], isco_map)
            pred = clf.classify(row["title"]).function
            unknown += pred == "unknown"
            pairs.append((pred, gold))
            base_ok += base(row["title"]) in gold
            fast_ok += fast.classify(row["title"]).function in gold
        acc = sum(1 for p, g in pairs if p in g) / len(pairs)
        cells = []
        for c in CLASSES:
            p, r, n = per_class(pairs, c)
            cells.append(("-" if p != p else f"{p:.2f}") + f"/{r:.2f} ({n})" if n else "- (0)")
        lines.append(f"| {lang} | {len(rows)} | {acc:.3f} | {fast_ok / len(rows):.3f} | {base_ok / len(rows):.3f} | "
                     f"{PUBLISHED_BASELINE[lang]:.2f} | {unknown} | " + " | ".join(cells) + " |")
    lines.append("")


def seniority_table(clf: Classifier, lines: list[str], path: Path, title: str) -> None:
    if not path.exists():
        lines += [f"(seniority set {path} missing)", ""]
        return
    rows = read_tsv(path)
    lines += [f"## Seniority, {title}", "",
              "| lang | n | accuracy | within one level | unknown |", "|---|---|---|---|---|"]
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        pred = clf.classify(row["title"]).seniority
        by_lang.setdefault(row["lang"], []).append((pred, row["seniority"]))
        by_lang.setdefault("all", []).append((pred, row["seniority"]))
    for lang, pairs in sorted(by_lang.items(), key=lambda kv: kv[0] == "all"):
        exact = sum(p == g for p, g in pairs) / len(pairs)
        near = sum(
            p == g or (p != "unknown" and g != "unknown" and abs(seniority_rank(p) - seniority_rank(g)) <= 1)
            for p, g in pairs
        ) / len(pairs)
        unknown = sum(p == "unknown" for p, _ in pairs)
        lines.append(f"| {lang} | {len(pairs)} | {exact:.3f} | {near:.3f} | {unknown} |")
    lines.append("")


def _cpu(make, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Best CPU seconds of ``make()()`` over ``repeat`` runs (shared machine: take the least
    disturbed run), cyclic GC paused as ``Classifier.classify_many`` does."""
    best = float("inf")
    for _ in range(repeat):
        fn = make()
        gc.disable()
        try:
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _variants(titles: list[str], rng: random.Random) -> list[str]:
    raw = list(dict.fromkeys(f"{t}{s}" for t in titles for s in ("", " (m/w/d)", " @ Acme", " | ex-Siemens")))
    rng.shuffle(raw)
    return raw


def _rules_rows(label: str, raw: list[str], lines: list[str]) -> None:
    keys = list(dict.fromkeys(normalise(t) for t in raw))

    def classify_keys():  # type: ignore[no-untyped-def]
        clf = Classifier(fuzzy=False)
        return lambda: [clf._classify_key(k) for k in keys]

    def end_to_end():  # type: ignore[no-untyped-def]
        clf = Classifier(fuzzy=False)
        return lambda: clf.classify_many(raw)

    def classify_keys_no_evidence():  # type: ignore[no-untyped-def]
        clf = Classifier(fuzzy=False, evidence=False)
        return lambda: [clf._classify_key(k) for k in keys]

    took = _cpu(classify_keys)
    lines.append(f"| {label}: rules path, distinct normalised titles, classification | {len(keys)} | {took:.3f} | {len(keys) / took:,.0f} |")
    took = _cpu(classify_keys_no_evidence)
    lines.append(f"| {label}: same without the word-evidence fallback | {len(keys)} | {took:.3f} | {len(keys) / took:,.0f} |")
    took = _cpu(lambda: lambda: [normalise(t) for t in raw])
    lines.append(f"| {label}: normalisation of distinct raw titles/headlines | {len(raw)} | {took:.3f} | {len(raw) / took:,.0f} |")
    took = _cpu(end_to_end)
    lines.append(f"| {label}: rules path end to end, distinct raw titles, empty result caches | {len(raw)} | {took:.3f} | {len(raw) / took:,.0f} |")


def speed_table(lines: list[str]) -> None:
    """CPU seconds of one process (the machine is shared: wall time would mislead)."""
    rng = random.Random(7)
    base = [r["title"] for r in read_tsv(CHECK)] + [r["title"] for r in read_tsv(HOLDOUT)]
    regions = ("", " EMEA", " DACH", " Benelux", " Nordics", " Europe", " Global", " Automotive", " Industrial")
    linkedin = [f"{prefix}{t}{r}" for t in base for r in regions for prefix in ("", "Interim ")]
    melo: list[str] = []
    for lang in LANGS:
        melo += [r["title"] for r in read_tsv(DATA / "eval" / f"melo_dev_{lang}.tsv")]
    lines += ["## Speed (CPU time of one core)", "", "| what | items | CPU s | per second |", "|---|---|---|---|"]
    _rules_rows("check-set titles (LinkedIn style)", _variants(linkedin, rng), lines)
    raw = _variants(melo + linkedin, rng)
    _rules_rows("MELO + check-set titles", raw, lines)
    fresh = Classifier(fuzzy=False)
    fresh.classify_many(raw)
    feed = [rng.choice(raw) for _ in range(1_000_000)]
    took = _cpu(lambda: lambda: fresh.classify_many(feed))
    lines.append(f"| cached: feed of 1M repeated titles | {len(feed)} | {took:.3f} | {len(feed) / took:,.0f} |")
    full = Classifier(fuzzy=True)
    full.lexicon._index = None
    took = _cpu(lambda: full.lexicon.fuzzy_index, repeat=1)
    lines.append(f"| fuzzy index build (once per process) | {len(full.lexicon.entries)} labels | {took:.3f} | - |")
    sample = raw[:5000]
    took = _cpu(lambda: lambda: full.classify_many(sample), repeat=1)
    fuzzy = full.stats["fuzzy_queries"]
    lines.append(f"| full path incl. fuzzy fallback ({fuzzy} fuzzy queries) | {len(sample)} | {took:.3f} | {len(sample) / took:,.0f} |")
    lines.append("")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"reference data not found at {DATA}; this benchmark needs ../shared/data")
    lines: list[str] = []
    clf = Classifier()
    function_table(clf, lines)
    seniority_table(clf, lines, CHECK, "hand-labelled check set (rules were adjusted on it)")
    seniority_table(clf, lines, HOLDOUT, "hand-labelled holdout (written after the rules were frozen)")
    if not args.skip_speed:
        speed_table(lines)
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

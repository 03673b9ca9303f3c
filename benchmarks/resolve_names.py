"""Name comparisons on labelled pairs our generator did not make (issue 10 figures).

Per data set: precision / recall / F1 at each method's default threshold and at its best
threshold, and AUC, for

* tieguard (this tree): ``score-pairs``' comparisons and calibrated probability, default
  threshold = best F1 on the dev sets (historical_50k dev, companies_real_dev);
* the model before issue 10 (commit a8367f2, ``--base DIR`` holds its ``src``), threshold 0.9;
* exact: equal after transliteration, lowercasing and (companies) rigour's legal forms out;
* rapidfuzz WRatio on transliterated lowercase names (companies: rigour legal forms out),
  default threshold 0.9;
* Splink default comparisons (``NameComparison`` on first name and surname; companies
  ``JaroWinklerAtThresholds``), m from the dev labels and u from random pairs like ours,
  prior = the dev match share, threshold 0.5.

Held-out sets (historical_50k holdout, fake_1000, FEBRL, companies_real_holdout) are never
fitted on. Also prints the reliability table of tieguard's person probabilities.

    .venv/bin/python benchmarks/resolve_names.py [--base /tmp/tg_base/src] [--write]
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rigour.names.org_types import remove_org_types
from unidecode import unidecode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import resolve_calibrate as rc  # noqa: E402
import resolve_pairs as rp  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import Linker, SettingsCreator  # noqa: E402

from tieguard.engine import open_engine  # noqa: E402
from tieguard.resolve.scoring import default_threshold, score_pairs  # noqa: E402
from tieguard.resolve.training import fit_m, fit_u  # noqa: E402

START, END = "<!-- names:start -->", "<!-- names:end -->"


def _plain(s: str) -> str:
    return " ".join(unidecode(str(s or "")).lower().split())


def _plain_company(s: str) -> str:
    return " ".join(remove_org_types(_plain(s), replacement=" ").split())


def exact(pairs: pd.DataFrame, kind: str) -> np.ndarray:
    f = _plain_company if kind == "company" else _plain
    return np.array([float(f(a) == f(b) and f(a) != "") for a, b in zip(pairs.name1, pairs.name2, strict=True)])


def rapidfuzz(pairs: pd.DataFrame, kind: str) -> np.ndarray:
    f = _plain_company if kind == "company" else _plain
    return np.array([fuzz.WRatio(f(a), f(b)) / 100 for a, b in zip(pairs.name1, pairs.name2, strict=True)])


def tieguard(pairs: pd.DataFrame, kind: str) -> np.ndarray:
    rows = [{"name1": str(a), "name2": str(b)} for a, b in zip(pairs.name1, pairs.name2, strict=True)]
    return np.array([r["match_probability"] for r in score_pairs(rows, kind)])  # type: ignore[arg-type]


def before(pairs: pd.DataFrame, kind: str, base: Path) -> np.ndarray:
    """The model before issue 10, in a subprocess on its own source tree."""
    code = ("import sys, json; from tieguard.resolve.scoring import score_pairs; "
            "rows = json.load(sys.stdin); "
            f"print(json.dumps([r['match_probability'] for r in score_pairs(rows, '{kind}')]))")
    rows = [{"name1": str(a), "name2": str(b)} for a, b in zip(pairs.name1, pairs.name2, strict=True)]
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(rows), text=True,
                         capture_output=True, check=True, env=os.environ | {"PYTHONPATH": str(base)})
    return np.array(json.loads(out.stdout.strip().splitlines()[-1]))


def _split(name: str) -> tuple[str, str]:
    words = _plain(name).split()
    return (words[0] if words else ""), " ".join(words[1:])


def _splink_records(names: list[str], kind: str) -> pd.DataFrame:
    if kind == "company":
        return pd.DataFrame({"unique_id": range(len(names)),
                             "name": [_plain_company(n) or None for n in names]})
    parts = [_split(n) for n in names]
    return pd.DataFrame({"unique_id": range(len(names)),
                         "first_name": [p[0] or None for p in parts],
                         "surname": [p[1] or None for p in parts]})


def _splink_vectors(pairs: pd.DataFrame, kind: str, model: dict[str, Any]) -> pd.DataFrame:
    engine = open_engine(":memory:")
    try:
        api = engine.splink_api()
        left = api.register(_splink_records(list(pairs.name1), kind), dataset_display_name="a")
        right = api.register(_splink_records(list(pairs.name2), kind), dataset_display_name="b")
        linker = Linker([left, right], copy.deepcopy(model), log_level=logging.WARNING)
        out = linker.inference.predict(warning_mode="never").as_pandas_dataframe()  # type: ignore[no-untyped-call]
    finally:
        engine.close()
    return out.set_index("unique_id_l").reindex(range(len(pairs)))


def splink_default_model(kind: str, dev: pd.DataFrame, random: pd.DataFrame) -> dict[str, Any]:
    comparisons = ([cl.JaroWinklerAtThresholds("name")] if kind == "company" else
                   [cl.NameComparison("first_name"), cl.NameComparison("surname")])
    settings = SettingsCreator(link_type="link_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=["l.unique_id = r.unique_id"],
                               retain_intermediate_calculation_columns=True)
    model: dict[str, Any] = settings.get_settings("duckdb").as_dict()
    names = [c["output_column_name"] for c in model["comparisons"]]

    def gammas(frame: pd.DataFrame) -> dict[str, np.ndarray]:
        v = _splink_vectors(frame, kind, model)
        return {n: v[f"gamma_{n}"].fillna(-1).to_numpy() for n in names}

    model = fit_u(model, gammas(random), strength=1.0)
    model = fit_m(model, {k: g[dev.label.to_numpy()] for k, g in gammas(dev).items()}, strength=1.0)
    model["probability_two_random_records_match"] = float(dev.label.mean())
    return model


def splink_default(pairs: pd.DataFrame, kind: str, model: dict[str, Any]) -> np.ndarray:
    return _splink_vectors(pairs, kind, model)["match_probability"].fillna(0.0).to_numpy()


def _row(name: str, p: np.ndarray, y: np.ndarray, t: float) -> str:
    m = rc.metrics(p, y, t)
    return (f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
            f"{m['best_f1']:.3f} @ {m['best_threshold']:.2f} | {m['auc']:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, default=Path("/tmp/tg_base/src"))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    person_sets = {"historical_50k dev (fitted on)": rp.historical("dev"),
                   "historical_50k holdout": rp.historical("holdout"),
                   "fake_1000 labelled pairs (holdout)": rp.fake_1000(),
                   "FEBRL 4a/4b (holdout)": rp.febrl()}
    company_sets = {"companies_real dev (fitted on)": rp.companies("dev"),
                    "companies_real holdout": rp.companies("holdout")}
    dev_c = rp.companies("dev")
    shuffled = dev_c.assign(name2=dev_c.name2.sample(frac=1, random_state=1).to_numpy(), label=False)
    models = {"person": splink_default_model("person", rp.historical("dev"), rp.random_pairs("dev")),
              "company": splink_default_model("company", dev_c, shuffled)}
    lines = ["## Name comparisons on labelled pairs our generator did not make", "",
             "Command: `.venv/bin/python benchmarks/resolve_names.py --base /tmp/tg_base/src "
             "--write` (base = `git archive a8367f2 src`). P/R/F1 at each method's default "
             "threshold; best F1 with its threshold; AUC.", ""]
    reliability: list[str] = []
    for kind, sets in (("person", person_sets), ("company", company_sets)):
        for title, pairs in sets.items():
            if pairs.empty:
                continue
            y = pairs.label.to_numpy().astype(bool)
            ours = tieguard(pairs, kind)

            lines += [f"### {kind}s: {title} ({len(pairs):,} pairs, {y.mean():.0%} matches)", "",
                      "| method | P | R | F1 | best F1 | AUC |", "|---|---|---|---|---|---|",
                      _row("tieguard", ours, y, default_threshold(kind)),  # type: ignore[arg-type]
                      _row("before issue 10", before(pairs, kind, args.base), y, 0.9),
                      _row("exact", exact(pairs, kind), y, 0.5),
                      _row("rapidfuzz WRatio (+rigour)", rapidfuzz(pairs, kind), y, 0.9),
                      _row("Splink default comparisons", splink_default(pairs, kind, models[kind]), y, 0.5),
                      ""]
            if kind == "person" and "fitted" not in title:
                reliability += [f"{title}:", "", "| predicted | pairs | mean predicted | observed |",
                                "|---|---|---|---|"]
                reliability += [f"| {b} | {n} | {mp:.2f} | {ob:.2f} |"
                                for b, n, mp, ob in rc.reliability(ours, y)]
                reliability.append("")
            print("\n".join(lines[-9:]), flush=True)
    lines += ["### Reliability of tieguard's person probabilities (held-out pairs)", "",
              *reliability, f"Run time {time.perf_counter() - started:.0f} s, load average "
              f"{Path('/proc/loadavg').read_text().split()[0]} (shared machine).", ""]
    text = "\n".join(lines)
    print(text)
    if args.write:
        rp.write_block(rp.DOC, START, END, text)


if __name__ == "__main__":
    main()

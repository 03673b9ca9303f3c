"""The demo: synthetic organisation → real readers → every stage → report.

Library code (no printing); ``tieguard demo`` is the CLI over :func:`run_demo`.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import choose_language, use

if TYPE_CHECKING:  # `tieguard demo --help` needs DemoSize only, not the engine
    from .settings import Settings

__all__ = ["DemoSize", "run_demo", "headline_figures", "demo_secret", "write_demo_secret"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]


class DemoSize(enum.StrEnum):
    small = "small"
    default = "default"
    large = "large"


def run_demo(
    out_dir: Path,
    *,
    size: DemoSize | str = DemoSize.default,
    seed: int = 7,
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """Run the whole demo into ``out_dir`` and return the headline and paths.

    The report is in ``lang`` (default English); the headline figures and sentences returned
    stay English (JSON), ``said`` holds the sentences in the report's language."""
    from . import alerts, policy, report, sources, synth
    from .pipeline import run_scan
    from .settings import Settings, with_overrides
    from .warehouse import open_warehouse

    size_name = size.value if isinstance(size, DemoSize) else str(size)
    out_dir.mkdir(parents=True, exist_ok=True)
    data_dir = out_dir / "data"
    db_path = out_dir / "tieguard.duckdb"
    for stale in (db_path, db_path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    secret_file = write_demo_secret(out_dir, seed)
    settings = with_overrides(settings or Settings(), {"warehouse.db": db_path,
                                                       "privacy.secret_file": secret_file})

    synth.generate(data_dir, size=size_name, seed=seed, on_progress=on_progress)
    engine = open_warehouse(
        db_path,
        threads=settings.warehouse.threads,
        memory_limit=settings.warehouse.memory_limit or None,
        secret_file=secret_file,
    )
    try:
        imports = sources.import_directory(engine, data_dir, on_progress=on_progress,
                                           basis="consent")
        scan = run_scan(engine, settings, on_progress=on_progress)
        stages = {r.name: r.as_json() for r in scan.stages}
        policy.whatif(engine, settings, policy.builtin_policies(), on_progress=on_progress)
        raised = alerts.raise_alerts(engine, settings)  # what the last exports would have raised
        report_path = report.write_report(engine, settings, out_dir / "report",
                                          on_progress=on_progress, lang=lang)
        headline = headline_figures(stages, report.headline_data(engine, settings))
        with use(choose_language(lang, None, settings.language)) as language:
            said = headline_figures(stages, report.headline_data(engine, settings))
    finally:
        engine.close()
    return {
        "headline": headline,
        "report": str(report_path),
        "imports": len(imports),
        "stages": stages,
        "alerts": raised.as_json(),
        "language": language,
        "said": {k: said[k] for k in ("sentence", "countermeasures")},
    }


def demo_secret(seed: int) -> str:
    """The demo's pseudonym secret: derived from the seed, so that the same seed gives the
    same figures on every machine (keyed hashes drive tie-breaks and the watcher's draws).
    Anyone can derive it: a demo warehouse must never hold real data."""
    return hashlib.sha256(f"tieguard demo secret, seed {seed}".encode()).hexdigest()


def write_demo_secret(out_dir: Path, seed: int) -> Path:
    """``out_dir/demo.secret`` (0600), and ``tieguard.toml`` beside the warehouse naming it,
    so that later commands on the demo warehouse find the same secret."""
    path = (out_dir / "demo.secret").resolve()
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(demo_secret(seed) + "\n")
    (out_dir / "tieguard.toml").write_text(
        f"# written by tieguard demo\n[privacy]\nsecret_file = {json.dumps(str(path))}\n",
        encoding="utf-8")
    return path


def headline_figures(stages: dict[str, dict[str, Any]], headline: dict[str, Any]) -> dict[str, Any]:
    """The figures ``tieguard demo`` prints, with the report's headline sentences."""
    exposure = stages.get("exposure", {})
    keys = (
        "deals_revealed", "deals_revealed_value", "revealed_opportunities", "opportunities",
        "opportunities_value", "head_start_days_median", "head_start_days_p25",
        "head_start_days_p75", "account_visibility", "account_head_start_days_median",
        "customer_accounts_visible", "customer_accounts", "lead_precision", "leads",
        "accounts_revealed",
    )
    figures: dict[str, Any] = {k: exposure.get(k) for k in keys if k in exposure}
    resolve = stages.get("resolve", {})
    for key in ("matched", "review", "unmatched"):
        if key in resolve:
            figures[f"ties_{key}"] = resolve[key]
    capital = stages.get("capital", {})
    for key, value in capital.items():
        if key.startswith("accounts_") and isinstance(value, int | float):
            figures[f"capital_{key}"] = value
    figures["sentence"] = headline.get("sentence") or str(exposure.get("sentence", ""))
    figures["countermeasures"] = " ".join(
        part for part in (headline.get("whatif_sentence"), headline.get("cost_sentence")) if part
    )
    figures["whatif"] = {
        str(w["policy"]): {"after": w["after"], "difference": w["difference"]}
        for w in headline.get("whatif", [])
    }
    return figures

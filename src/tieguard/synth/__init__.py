"""Synthetic organisation: an international industrial B2B supplier, its CRM and its staff's networks.

``generate(out_dir)`` writes exactly the files of ``docs/inputs.md`` (so the demo goes
through the real readers) plus ``truth/`` (ground truth). Deterministic from ``seed``.
See ``docs/synthetic-organisation.md``.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .config import SIZES, scaled
from .crm import write_hubspot, write_salesforce
from .organisation import build_organisation
from .output import write_networks, write_vcards
from .people import KINDS
from .truth import write_truth_tables
from .writers import snapshot_paths, write_organisation, write_roster

__all__ = ["generate", "SIZES"]

log = logging.getLogger(__name__)
ProgressCallback = Callable[[str, int, int], None]


def generate(out_dir: Path | str, size: str = "default", seed: int = 0, hard: bool = False,
             on_progress: ProgressCallback | None = None, crm: str = "salesforce",
             employees: int | None = None) -> dict[str, Any]:
    """Write the synthetic organisation into ``out_dir``; return the manifest summary.

    ``employees``: scale ``size``'s proportions to this many employees (growth benchmarks).
    """
    if size not in SIZES:
        raise ConfigError(f"Unknown size {size!r}: use one of {', '.join(SIZES)} (option --size).")
    if crm not in ("salesforce", "hubspot"):
        raise ConfigError(f"Unknown CRM format {crm!r}: use salesforce or hubspot.")
    out = Path(out_dir)
    for sub in ("linkedin", "vcards", "crm", "truth"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    step = _stepper(on_progress)
    spec = SIZES[size] if employees is None else scaled(size, employees)
    org = build_organisation(spec, seed, hard, step)
    r, ties, snaps, rng, emp = org.renderer, org.ties, org.snaps, org.rng, org.renderer.emp
    step("write CRM and roster")
    write_organisation(out)
    write_roster(out, r, emp)
    (write_salesforce if crm == "salesforce" else write_hubspot)(out / "crm" / crm, r)
    listing = write_networks(out, r, ties, snaps, crm, rng, on_progress)
    vcards = write_vcards(out, r, ties, crm, spec.vcard_employees, spec.vcards_per_employee, rng)
    write_truth_tables(out / "truth", r, crm)
    summary = _summary(size, seed, hard, crm, emp.n, r.crm, ties, r.people, r.companies)
    manifest = {"organisation": "organisation.toml", "roster": ["roster.csv", "privacy.csv"],
                "crm": {"format": crm, "dir": f"crm/{crm}"}, "linkedin": snapshot_paths(emp, snaps),
                "invitations": listing["invitations"], "vcards": vcards,
                "truth": {"ties": "truth/ties.csv", "xing_ties": "truth/xing_ties.csv", "titles": "truth/titles.csv",
                          "contacts": "truth/contacts.csv", "accounts": "truth/accounts.csv"},
                "generator": summary}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    step("done")
    return summary


def _stepper(on_progress: ProgressCallback | None) -> Callable[[str], None]:
    names = ["build name pools", "build CRM", "build connection timelines", "write CRM and roster", "done"]

    def step(name: str) -> None:
        log.info("synth: %s", name)
        if on_progress:
            on_progress("synthetic organisation", names.index(name), len(names) - 1)
    return step


def _summary(size: str, seed: int, hard: bool, crm: str, n_emp: int, c: Any, ties: Any, people: Any,
             companies: Any) -> dict[str, Any]:
    kinds = np.where(ties.person >= 0, people.kind[np.maximum(ties.person, 0)], KINDS.index("hidden_member"))
    counts = np.bincount(kinds, minlength=len(KINDS))
    return {"size": size, "seed": seed, "hard": hard, "crm_format": crm, "employees": n_emp,
            "accounts": int(c.n_accounts), "countries": int(np.unique(companies.country[: c.n_accounts]).size),
            "contacts": int(c.con_account.size), "opportunities": int(c.opp_account.size),
            "open_opportunities": int((c.opp_stage < 4).sum()), "ties": int(ties.emp.size),
            "ties_by_kind": {k: int(n) for k, n in zip(KINDS, counts, strict=True)}}

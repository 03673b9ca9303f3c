"""``organisation.toml``: our own company and the known competitors."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import InputError
from .report import ImportReport
from .safe_io import MB, read_input_bytes
from .tabular import SmallImport, TableWrite, run_small_import

__all__ = ["import_organisation"]


def import_organisation(
    engine: Engine, path: str | Path, *, supplied_by: str | None = None,
    basis: str = "contract", dry_run: bool = False,
) -> ImportReport:
    """Import ``[organisation] name, domain, country`` and ``[[competitors]] name, domain``."""
    path = Path(path)
    data = read_input_bytes(path, MB)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid UTF-8 TOML ({exc}). Fix the file.") from exc
    org = doc.get("organisation")
    if not isinstance(org, dict) or not org.get("name"):
        raise InputError(f"{path} has no [organisation] table with a name. Add "
                         "'[organisation]' and 'name = \"Your Company\"'.")
    settings: list[dict[str, Any]] = [
        {"key": f"own_{k}", "value": str(v)} for k, v in org.items() if v is not None
    ]
    competitors = [
        {"name": str(c["name"]).strip(), "domain": c.get("domain")}
        for c in doc.get("competitors", []) if isinstance(c, dict) and c.get("name")
    ]
    imp = SmallImport(str(path), "organisation", "organisation_toml",
                      hashlib.sha256(data).hexdigest(), "utf-8", 1 + len(competitors),
                      [TableWrite("organisation", settings, ["key"]),
                       TableWrite("competitors", competitors, ["name"])], [])
    return run_small_import(engine, imp, supplied_by=supplied_by, basis=basis, dry_run=dry_run)

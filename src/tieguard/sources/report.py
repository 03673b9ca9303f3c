"""What an import reports: the dry-run JSON and the CLI summary come from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Problem", "ImportReport"]


@dataclass(frozen=True)
class Problem:
    """One problem in an input file; ``line`` is the physical line number (1-based)."""

    line: int | None
    column: str | None
    message: str
    severity: str = "error"  # error (row quarantined) | warning (row kept)

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message,
                "severity": self.severity}


@dataclass
class ImportReport:
    """Summary of importing one file (or one CRM directory)."""

    file: str
    kind: str
    format: str = "unknown"
    encoding: str | None = None
    employee_id: str | None = None
    rows: int = 0
    ties: int = 0
    hidden_members: int = 0
    earliest: dt.date | None = None
    latest: dt.date | None = None
    exported_on: dt.date | None = None
    quarantined: int = 0
    already_imported: bool = False
    dry_run: bool = False
    import_id: str | None = None
    removed: int = 0
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("earliest", "latest", "exported_on"):
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        data["problems"] = [p.to_json() for p in self.problems]
        return data

"""The ``report`` stage: the shared HTML report, its exports, and personal reports.

``write_report`` writes ``out_dir/index.html`` (self-contained, opens offline) and
``out_dir/exports/`` (CSV and JSON of each shared table, plus ``headline.json``).
``write_employee_report`` writes ``out_dir/employees/<id>.html`` for one employee.
The shared report aggregates by team and never shows a per-employee figure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import StageNotRunError
from ..i18n import _, choose_language, use
from ..settings import Settings
from ..warehouse import stage_ran
from .employee import write_employee_page
from .exports import write_exports
from .headline import headline_data
from .render import build_sections, render_report

__all__ = [
    "ReportResult", "REQUIRED_STAGES", "require_scan", "build_report", "write_report", "write_employee_report", "headline_data",
]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]


@dataclass
class ReportResult:
    path: Path
    exports: list[Path] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    language: str = "en"
    sentence: str = ""  # the headline sentence in the report's language (for people)

    def summary(self) -> dict[str, Any]:
        """A JSON-able summary (for ``tieguard report --json``)."""
        return {
            "report": str(self.path),
            "exports": [str(p) for p in self.exports],
            "sections": self.sections,
            "skipped": self.skipped,
            "sentence": self.headline.get("sentence", ""),
            "cost_sentence": self.headline.get("cost_sentence", ""),
            "metrics": self.headline.get("metrics", {}),
        }


#: Stages whose output the shared report cannot do without (capital is optional).
REQUIRED_STAGES = ("watch", "exposure")


def require_scan(engine: Engine, command: str) -> None:
    """:class:`StageNotRunError` naming every required stage that has not run."""
    missing = [s for s in REQUIRED_STAGES if not stage_ran(engine, s)]
    if missing:
        raise StageNotRunError(
            f"`{command}` needs the output of the {' and '.join(missing)} "
            f"stage{'s' if len(missing) > 1 else ''}, which "
            f"{'have' if len(missing) > 1 else 'has'} not run on the warehouse {engine.path}. "
            f"Run `tieguard scan --db {engine.path}` first."
        )


def build_report(
    engine: Engine, settings: Settings, out_dir: Path, on_progress: ProgressCallback | None = None,
    *, lang: str | None = None,
) -> ReportResult:
    """Write the shared report and its exports; return where and what was written.

    The HTML is in ``lang`` (default: the organisation's ``language`` setting); exports and
    ``headline.json`` stay English, whatever the language.
    """
    require_scan(engine, "tieguard report")
    language = choose_language(lang, None, settings.language)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with use(language):
        sections, skipped = build_sections(engine, settings, on_progress)
        html = render_report(
            sections, skipped, title=_("What our public networks give away"),
            subtitle=_("Which customer relationships a competitor can read from our staff's "
                       "public connections, how early, and what each countermeasure would save."),
        )
        sentence = next((p for s in sections if s.key == "headline" for p in s.paragraphs[:1]), "")
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    if on_progress:
        on_progress("report exports", 0, 1)
    exports = write_exports(engine, settings, out_dir / "exports",
                            min_group=settings.privacy.k_anonymity)
    if on_progress:
        on_progress("report exports", 1, 1)
    log.info("report written to %s (%d sections, %d skipped)", path, len(sections), len(skipped))
    return ReportResult(path, exports, [s.key for s in sections], skipped,
                        headline_data(engine, settings), language, sentence)


def write_report(
    engine: Engine, settings: Settings, out_dir: Path, on_progress: ProgressCallback | None = None,
    *, lang: str | None = None,
) -> Path:
    """Write ``out_dir/index.html`` and ``out_dir/exports/``; return the HTML path."""
    return build_report(engine, settings, out_dir, on_progress, lang=lang).path


def write_employee_report(
    engine: Engine, settings: Settings, employee_id: str, out_dir: Path, *, lang: str | None = None
) -> Path:
    """Write ``out_dir/employees/<id>.html``, the employee's personal report, in ``lang``
    (default: the employee's roster language, else the organisation's).

    Raises :class:`~tieguard.errors.NotFoundError` for an unknown employee id.
    """
    return write_employee_page(engine, settings, employee_id, Path(out_dir), lang=lang)

"""The leadership dashboard: the shared report's sections (headline, charts, tables), cached.

The dashboard shows exactly what the shared HTML report shows (``tieguard.report.sections``):
organisation-wide figures and teams of at least ``privacy.k_anonymity`` people, never a
per-employee figure. Building it runs a dozen warehouse queries and draws the plotly figures,
so it is built once per warehouse state and language and kept until a job (import, scan,
erasure, ...) finishes: the page then costs a template render. It is built on a read view
(:meth:`tieguard.engine.Engine.reading`): one committed snapshot, never a running job's
uncommitted rows, and without waiting for the job's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from plotly import __version__ as plotly_version

from ..engine import ReadEngine
from ..i18n import current
from ..report.data import has_rows, teams_params, teams_sql
from ..report.headline import headline_data
from ..report.model import Table
from ..report.render import build_sections, figure_html
from ..report.sections import SECTIONS
from ..session import Session
from ..settings import Settings
from .cache import ScanCache

__all__ = ["PLOTLY_URL", "Dashboard", "DashboardCache", "ChartHtml", "SectionHtml", "build_dashboard", "teams"]

#: plotly.js as bundled with the plotly package (offline, no CDN), versioned for caching.
PLOTLY_URL = f"/assets/plotly-{plotly_version}.min.js"
#: The report's sections the dashboard shows (the settings table is on the settings page).
DASHBOARD_SECTIONS = [s for s in SECTIONS if s.__name__ != "settings_section"]


@dataclass(frozen=True)
class ChartHtml:
    key: str
    html: Markup
    caption: str


@dataclass(frozen=True)
class SectionHtml:
    """A report section with its figures already drawn (plotly's div and script)."""

    key: str
    title: str
    paragraphs: list[str]
    highlights: list[tuple[str, str]]
    charts: list[ChartHtml]
    tables: list[Table]


@dataclass(frozen=True)
class Dashboard:
    scan_ran: bool
    sections: list[SectionHtml] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    teams: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_charts(self) -> bool:
        return any(s.charts for s in self.sections)


def teams(engine: ReadEngine, settings: Settings) -> list[dict[str, Any]]:
    """Teams of at least ``privacy.k_anonymity`` people; smaller ones merged (or withheld)."""
    if not has_rows(engine, "exposure_teams"):
        return []
    sql = (f"SELECT * FROM ({teams_sql()}) WHERE scenario = 'baseline' "
           "ORDER BY revealed_value DESC NULLS LAST, team")
    return engine.fetch_records(sql, teams_params(settings.privacy.k_anonymity))


def build_dashboard(warehouse: Session) -> Dashboard:
    """Organisation-wide figures only: the report's headline, charts and k-anonymous teams,
    all from one snapshot."""
    with warehouse.engine.reading() as engine:
        return _build(engine, warehouse.settings)


def _build(engine: ReadEngine, settings: Settings) -> Dashboard:
    if not has_rows(engine, "exposure_headline"):
        return Dashboard(scan_ran=False)
    sections, _ = build_sections(engine, settings, builders=DASHBOARD_SECTIONS)
    drawn = [SectionHtml(s.key, s.title, s.paragraphs, s.highlights,
                         [ChartHtml(f.key, figure_html(f), f.caption) for f in s.figures],
                         s.tables) for s in sections]
    return Dashboard(True, drawn, headline_data(engine, settings), teams(engine, settings))


class DashboardCache(ScanCache[str, Dashboard]):
    """The dashboard of the current warehouse state in each language, and its HTML;
    :meth:`invalidate` after every write."""

    def __init__(self) -> None:
        super().__init__()
        self._pages: ScanCache[str, tuple[Dashboard, Markup]] = ScanCache()

    def invalidate(self) -> None:
        super().invalidate()
        self._pages.invalidate()

    def get(self, warehouse: Session) -> Dashboard:
        """The kept dashboard in the request's language, or build it (one build at a time)."""
        return self.get_or_build(current(), lambda: build_dashboard(warehouse))

    def peek_page(self) -> tuple[Dashboard, Markup] | None:
        """The dashboard and its HTML in the request's language, if built already."""
        return self._pages.peek(current())

    def page(self, warehouse: Session,
             render: Callable[[Dashboard], str]) -> tuple[Dashboard, Markup]:
        """The dashboard and its HTML (what goes inside the page layout) in the request's
        language: ``render(dashboard)`` runs once per warehouse state and language."""
        def build() -> tuple[Dashboard, Markup]:
            data = self.get(warehouse)
            return data, Markup(render(data))
        return self._pages.get_or_build(current(), build)

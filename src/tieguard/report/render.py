"""HTML rendering: Jinja2 templates, plotly figures as inline HTML, plotly.js embedded once.

The output is one self-contained file: CSS inline, plotly.js inline in ``<head>``
(no CDN), every figure drawn with ``include_plotlyjs=False``. Nothing is fetched
when the file is opened.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__
from ..engine import ReadEngine
from ..i18n import current
from ..i18n.catalog import raw_gettext, raw_ngettext
from ..settings import Settings
from . import fmt
from .model import Figure, Section
from .names import section_name
from .sections import SECTIONS, SectionBuilder

__all__ = ["environment", "figure_html", "build_sections", "render_report", "render_template"]

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["sendDataToCloud", "lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
ProgressCallback = Callable[[str, int, int], None]


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    # The callables read the current language (tieguard.i18n.use), so one cached
    # environment renders every language.
    env.install_gettext_callables(raw_gettext, raw_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["figure_html"] = figure_html
    env.globals["lang"] = current
    return env


def figure_html(fig: Figure) -> Markup:
    """A figure as a ``<div>`` plus the script that draws it (plotly.js not included)."""
    height = fig.figure.layout.height or 360
    html = fig.figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=f"chart-{fig.key}",
        config=PLOTLY_CONFIG,
        default_height=f"{height}px",
        default_width="100%",
    )
    return Markup(html)  # noqa: S704 - plotly's own serialisation of our figure


@functools.cache
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def build_sections(
    engine: ReadEngine,
    settings: Settings,
    on_progress: ProgressCallback | None = None,
    builders: list[SectionBuilder] | None = None,
) -> tuple[list[Section], list[str]]:
    """Run each section builder; return the sections built and the names of those skipped."""
    builders = SECTIONS if builders is None else builders
    built: list[Section] = []
    skipped: list[str] = []
    for i, builder in enumerate(builders):
        if on_progress:
            on_progress("report sections", i, len(builders))
        section = builder(engine, settings)
        name = builder.__name__.removesuffix("_section").replace("_", " ")
        if section is None:
            log.info("report section %s skipped: its tables are absent or empty", name)
            skipped.append(name)
        else:
            built.append(section)
    if on_progress:
        on_progress("report sections", len(builders), len(builders))
    return built, skipped


def render_template(name: str, **context: Any) -> str:
    """Render a template in the current language (:func:`tieguard.i18n.use`)."""
    context.setdefault("version", __version__)
    context.setdefault("generated", f"{fmt.date(dt.date.today())} {dt.datetime.now():%H:%M}")
    return environment().get_template(name).render(**context)


def render_report(
    sections: list[Section], skipped: list[str], *, title: str, subtitle: str
) -> str:
    """The shared report as one HTML document."""
    has_figures = any(s.figures for s in sections)
    return render_template(
        "report.html.j2",
        title=title,
        subtitle=subtitle,
        sections=sections,
        skipped=[section_name(name) for name in skipped],
        has_findings=any(s.key == "headline" for s in sections),
        plotly_js=Markup(plotly_js()) if has_figures else "",  # noqa: S704 - vendored library
    )

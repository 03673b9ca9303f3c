"""Plotly figures of the shared report, built from plain records (lists of dicts).

Every figure uses the same restrained style; none needs the network (no maps, no
web fonts). The HTML is produced in :mod:`tieguard.report.render` with plotly.js
embedded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ..i18n import _, current
from ..policy.names import policy_description
from . import fmt
from .names import buying_role_name

__all__ = [
    "exposure_over_time", "head_start_histogram", "top_accounts_bar", "whatif_bars",
    "coverage_over_time", "roles_reached_bar",
]

ACCENT = "#1f4e79"
ACCENT_LIGHT = "#8fb3d9"
WARN = "#c0392b"
MUTED = "#7f8c8d"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
Records = Sequence[dict[str, Any]]
#: plotly's decimal and thousands separators per language
SEPARATORS = {"en": ".,", "nl": ",.", "de": ",.", "fr": ",\u202f"}


def _euro_axis() -> dict[str, str]:
    """Where the euro sign goes on a money axis: "€1,000", "€ 1.000", "1.000 €"."""
    lang = current()
    if lang == "en":
        return {"tickprefix": "€"}
    if lang == "nl":
        return {"tickprefix": "€ "}
    return {"ticksuffix": " €"}


def _style(fig: go.Figure, *, height: int = 360, **layout: Any) -> go.Figure:
    layout.setdefault("margin", {"l": 60, "r": 30, "t": 30, "b": 50})
    fig.update_layout(
        template="simple_white",
        height=height,
        font={"family": FONT, "size": 13, "color": "#2c3e50"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT}},
        separators=SEPARATORS.get(current(), ".,"),
        **layout,
    )
    return fig


def _count_axis(title: str, values: Sequence[float], **extra: Any) -> dict[str, Any]:
    """A count axis with whole-number ticks (dtick 1 when the counts are small)."""
    axis: dict[str, Any] = {"title": title, "rangemode": "tozero", "tickformat": ",d", **extra}
    if max(values, default=0) <= 6:
        axis["dtick"] = 1
    return axis


def _wrap(text: str, width: int = 18) -> str:
    """Wrap a category label onto several lines with ``<br>`` for plotly."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def exposure_over_time(monthly: Records) -> go.Figure:
    """Competitor leads per month (bars) and accounts newly revealed (line)."""
    months = [fmt.date(r["month"])[:7] for r in monthly]
    leads = [r.get("leads") or 0 for r in monthly]
    revealed = [r.get("new_accounts_revealed") or 0 for r in monthly]
    fig = go.Figure()
    fig.add_bar(x=months, y=leads, name=_("Competitor leads"), marker_color=ACCENT_LIGHT)
    fig.add_scatter(
        x=months, y=revealed,
        name=_("Accounts newly revealed"), mode="lines+markers", line={"color": WARN, "width": 2},
        yaxis="y2",
    )
    return _style(
        fig,
        xaxis={"title": _("Month"), "type": "category"},
        yaxis=_count_axis(_("Leads"), leads),
        yaxis2=_count_axis(_("Accounts"), revealed, overlaying="y", side="right", showgrid=False),
    )


def head_start_histogram(
    bins: Sequence[tuple[float, int]], width: int, median: float | None
) -> go.Figure:
    """Distribution of the days between the competitor's first sight and the close.

    ``bins`` are ``(first day of the bin, opportunities)`` counted in SQL, so the figure
    stays small however many opportunities there are.
    """
    counts = [c for _, c in bins]
    fig = go.Figure(go.Bar(
        x=[start + width / 2 for start, _ in bins], y=counts, width=[width * 0.95] * len(bins),
        marker_color=ACCENT, name=_("Opportunities"),
        customdata=[[int(start), int(start) + width - 1] for start, _c in bins],
        hovertemplate=_("%(first)s–%(last)s days: %(n)s opportunities", first="%{customdata[0]}",
                        last="%{customdata[1]}", n="%{y:,}") + "<extra></extra>",
    ))
    if median is not None:
        fig.add_vline(
            x=median, line_dash="dash", line_color=WARN,
            annotation_text=_("median %(days)s", days=fmt.days(median)),
            annotation_position="top right",
        )
    return _style(
        fig, showlegend=False,
        xaxis={"title": _("Head start: days between first sight and close")},
        yaxis=_count_axis(_("Opportunities"), counts),
    )


def top_accounts_bar(accounts: Records) -> go.Figure:
    """Accounts by revealed value (largest on top)."""
    rows = list(reversed(accounts))
    names = [str(r.get("account_name") or r.get("account_id")) for r in rows]
    if len(set(names)) < len(names):  # same name twice: plotly would merge the bars
        names = [f"{n} ({r.get('account_id')})" if names.count(n) > 1 else n
                 for n, r in zip(names, rows, strict=True)]
    values = [float(r.get("revealed_value") or 0) for r in rows]
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h", marker_color=ACCENT,
        text=[fmt.money(v, compact=True) for v in values], textposition="outside",
        cliponaxis=False, customdata=[fmt.money(v) for v in values],
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    ))
    return _style(
        fig, height=max(300, 26 * len(rows) + 80), showlegend=False,
        xaxis={"title": _("Revealed deal value (€)"), "tickformat": ",.0f", **_euro_axis()},
        yaxis={"automargin": True},
        margin={"l": 10, "r": 80, "t": 20, "b": 50},
    )


def whatif_bars(baseline: float | None, policies: Records, metric_label: str) -> go.Figure:
    """The headline metric today and after each countermeasure (fractions as %)."""
    names = [_wrap(_("Today (no countermeasure)"))] + [
        _wrap(policy_description(str(p["policy"]), p.get("description"))) for p in policies
    ]
    values = [baseline] + [p.get("after") for p in policies]
    colors = [WARN] + [ACCENT] * len(policies)
    fig = go.Figure(go.Bar(
        x=names, y=[0 if v is None else v for v in values], marker_color=colors,
        text=[fmt.share(v) for v in values], textposition="outside", cliponaxis=False,
        hovertemplate="%{y:.1%}<extra></extra>",
    ))
    return _style(
        fig, showlegend=False,
        xaxis={"title": "", "automargin": True},
        yaxis={"title": metric_label, "tickformat": ".0%", "rangemode": "tozero"},
    )


def coverage_over_time(monthly: Records) -> go.Figure:
    """Accounts with at least one tie and buying-committee roles covered, per month."""
    months = [fmt.date(r["month"])[:7] for r in monthly]
    covered = [r.get("accounts_covered") or 0 for r in monthly]
    roles = [r.get("roles_covered") or 0 for r in monthly]
    fig = go.Figure()
    fig.add_scatter(
        x=months, y=covered, name=_("Accounts covered"),
        mode="lines", line={"color": ACCENT, "width": 2},
    )
    fig.add_scatter(
        x=months, y=roles, name=_("Buying roles covered"),
        mode="lines", line={"color": MUTED, "width": 2, "dash": "dot"}, yaxis="y2",
    )
    return _style(
        fig,
        xaxis={"title": _("Month"), "type": "category"},
        yaxis=_count_axis(_("Accounts"), covered),
        yaxis2=_count_axis(_("Roles"), roles, overlaying="y", side="right", showgrid=False),
    )


def roles_reached_bar(roles: Records) -> go.Figure:
    """Share of accounts whose buying-committee role we reach, per role."""
    names = [buying_role_name(str(r["buying_role"])) for r in roles]
    shares = [float(r.get("reached_share") or 0) for r in roles]
    fig = go.Figure(go.Bar(
        x=names, y=shares, marker_color=ACCENT, text=[fmt.share(s) for s in shares],
        textposition="outside", hovertemplate="%{x}: %{y:.0%}<extra></extra>",
    ))
    return _style(
        fig, showlegend=False, height=320,
        yaxis={"title": _("Accounts reached"), "tickformat": ".0%", "range": [0, 1.1]},
    )

"""What a report section is made of: text, plotly figures and formatted tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Column", "Table", "Figure", "Section"]


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass
class Table:
    """A table whose cells are already formatted strings."""

    columns: list[Column]
    rows: list[list[str]]
    caption: str = ""
    note: str = ""


@dataclass
class Figure:
    """A plotly figure with a stable element id and an accessible caption."""

    key: str
    figure: Any  # plotly.graph_objects.Figure
    caption: str = ""


@dataclass
class Section:
    """One section of the shared report; paragraphs are plain text (escaped on render)."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    highlights: list[tuple[str, str]] = field(default_factory=list)  # (value, label) tiles

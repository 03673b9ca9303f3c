"""Helpers for the report tests: references to remote resources, text outside plotly.js."""

from __future__ import annotations

from html.parser import HTMLParser

from tieguard.report.render import plotly_js

URL_ATTRIBUTES = {"src", "href", "data", "action", "poster", "srcset", "formaction"}


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self.scripts_with_src: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name in URL_ATTRIBUTES and v.startswith(("http:", "https:", "//", "ftp:")):
                self.remote.append(f"<{tag} {name}={value}>")
            if tag == "script" and name == "src":
                self.scripts_with_src.append(value or "")


def remote_references(html: str) -> list[str]:
    """Tags that would make the browser fetch something from the network."""
    parser = _Refs()
    parser.feed(html)
    found = parser.remote + [f"script src={s}" for s in parser.scripts_with_src]
    lowered = html.replace(plotly_js(), "").lower()
    for marker in ("@import url(http", "url(http", "url(//"):
        if marker in lowered:
            found.append(marker)
    return found


def without_plotly_bundle(html: str) -> str:
    """The document minus the embedded plotly.js library (our own text and chart data)."""
    return html.replace(plotly_js(), "")

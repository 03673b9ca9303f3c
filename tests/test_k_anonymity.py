"""No shared output names a team of fewer than k people (k = privacy.k_anonymity, 3)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app

K = 3
_LABEL = re.compile(r"\s*([^,(]+?) \((\d+)\)")


def _labels(text: str) -> list[tuple[str, int]]:
    return [(m.group(1).strip(), int(m.group(2))) for m in _LABEL.finditer(text or "")]


def _small(labels: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(team, n) for team, n in labels if n < K and team != "smaller teams"]


def _roster_teams(demo: Path) -> set[str]:
    with (demo / "data" / "roster.csv").open(encoding="utf-8") as fh:
        return {row["team"] for row in csv.DictReader(fh) if row.get("team")}


def test_csv_exports_name_no_small_team(demo_run: tuple[Path, dict]) -> None:
    exports = demo_run[0] / "report" / "exports"
    seen = 0
    for path in sorted(exports.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for column in ("teams", "holder_team"):
                    labels = _labels(row.get(column, ""))
                    seen += len(labels)
                    assert _small(labels) == [], (path.name, row.get(column))
                if path.name == "exposure_teams.csv":
                    assert int(row["employees"]) >= K, row
    assert seen > 0  # the exports do carry team labels: the check can fail


def test_the_html_report_names_no_small_team(demo_run: tuple[Path, dict]) -> None:
    html = (demo_run[0] / "report" / "index.html").read_text(encoding="utf-8")
    teams = _roster_teams(demo_run[0])
    small = [(t, n) for t, n in _labels(re.sub(r"<[^>]+>", " ", html)) if t in teams and n < K]
    assert small == []


@pytest.mark.parametrize("command", ["accounts", "risk"])
def test_capital_cli_names_no_small_team(demo_run: tuple[Path, dict], command: str) -> None:
    db = demo_run[0] / "tieguard.duckdb"
    result = CliRunner().invoke(app, ["capital", command, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["accounts"]
    labels = [label for r in rows for key in ("teams", "holder_team") if r.get(key)
              for label in _labels(r[key])]
    assert labels and _small(labels) == []
    assert any(team == "smaller teams" for team, _ in labels)  # small teams were there
    table = CliRunner().invoke(app, ["capital", command, "--db", str(db), "--limit", "200"])
    teams = _roster_teams(demo_run[0])
    printed = [(t, n) for t, n in _labels(table.stdout) if t in teams]
    assert _small(printed) == []

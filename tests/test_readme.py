"""Every README example marked ``<!-- readme-test: run -->`` runs on a demo's output.

Files marked ``<!-- readme-test: file NAME -->`` are written first (e.g. the CRM mapping).
The examples name the demo's ids and paths (``tieguard-demo/...``); the test runs them in a
directory holding a copy of the session's demo under that name.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"<!-- readme-test: (run|file ([\w.\-]+)) -->\s*```\w*\n(.*?)```", re.S)


def _blocks() -> tuple[list[str], dict[str, str]]:
    commands: list[str] = []
    files: dict[str, str] = {}
    for kind, name, body in _BLOCK.findall(README.read_text(encoding="utf-8")):
        if kind == "run":
            commands += [line.split(" #")[0].strip() for line in body.splitlines()
                         if line.strip() and not line.lstrip().startswith("#")]
        else:
            files[name] = body
    return commands, files


def test_the_readme_marks_its_examples() -> None:
    commands, files = _blocks()
    assert len(commands) >= 10 and "mycrm.yaml" in files
    assert all(c.startswith("tieguard ") for c in commands)
    for needed in ("scan", "whatif", "report employee", "capital intro", "privacy erase"):
        assert any(f"tieguard {needed}" in c for c in commands), needed


def test_every_readme_example_runs_on_the_demo(
    demo_run: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = demo_run
    shutil.copytree(out, tmp_path / "tieguard-demo", ignore=shutil.ignore_patterns("report"))
    commands, files = _blocks()
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        assert "Traceback" not in result.output
    assert (tmp_path / "tieguard-demo" / "report" / "employees" / "E00002.html").is_file()

"""The command starts light: help and option errors never load the engine or the models.

Every command's module imports the library's heavy parts (DuckDB, Arrow, pandas, Splink,
the report's templates) inside the command, so ``tieguard --help``, ``tieguard X --help``
and a mistyped option answer in a fraction of a second on a loaded machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("duckdb", "pyarrow", "pandas", "splink", "jinja2", "numpy", "tieguard.engine",
         "tieguard.session")

#: Runs the CLI in-process with the given arguments, then prints which heavy modules loaded.
PROBE = """
import json, sys
sys.argv = ["tieguard", *json.loads(sys.argv[1])]
from tieguard.cli.main import run
try:
    run()
except SystemExit:
    pass
print("LOADED=" + json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def _loaded(args: list[str]) -> tuple[list[str], str]:
    code = PROBE % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", code, json.dumps(args)],
                          capture_output=True, text=True, timeout=120)
    marker = [line for line in done.stdout.splitlines() if line.startswith("LOADED=")]
    assert marker, done.stdout + done.stderr
    return json.loads(marker[-1].removeprefix("LOADED=")), done.stdout + done.stderr


COMMANDS = [
    [], ["import"], ["import", "linkedin"], ["import", "dir"], ["import", "crm"], ["demo"],
    ["roles"], ["roles", "classify"], ["resolve"], ["resolve", "review"], ["scan"], ["whatif"],
    ["capital"], ["capital", "risk"], ["report"], ["privacy"], ["privacy", "erase"],
    ["alerts"], ["alerts", "list"], ["serve"], ["settings"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tieguard")
def test_help_loads_no_engine(command: list[str]) -> None:
    loaded, output = _loaded([*command, "--help"])
    assert "Usage:" in output and "Example" in output  # the help itself, with its example
    assert loaded == [], f"`tieguard {' '.join(command)} --help` loaded {loaded}"


def test_a_mistyped_option_is_refused_before_anything_loads() -> None:
    loaded, output = _loaded(["scan", "--no-such-option"])
    assert "No such option" in output
    assert loaded == []


def test_a_command_that_works_loads_what_it_needs(tmp_path: Path) -> None:
    """The probe is not blind: a command that opens a warehouse loads the engine."""
    loaded, output = _loaded(["privacy", "show", "E1", "--db", str(tmp_path / "none.duckdb")])
    assert "duckdb" in loaded and "tieguard.engine" in loaded, output

"""``make`` finds a supported interpreter where only ``python3`` exists, and refuses others."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def _make(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([str(MAKE), "-s", "-C", str(ROOT), *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_only_python3_is_enough(tmp_path: Path) -> None:
    (tmp_path / "python3").symlink_to(sys.executable)
    result = _make(tmp_path, "python")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python3"


def test_the_newest_supported_interpreter_wins(tmp_path: Path) -> None:
    (tmp_path / "python3").symlink_to(sys.executable)
    (tmp_path / "python3.12").symlink_to(sys.executable)
    assert _make(tmp_path, "python").stdout.strip() == "python3.12"


def test_an_unsupported_python_is_refused_with_a_sentence(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")  # answers "not 3.11-3.13" to the version check
    fake.chmod(0o755)
    result = _make(tmp_path, "setup", "VENV=" + str(tmp_path / "venv"))
    assert result.returncode != 0
    assert "No Python 3.11, 3.12 or 3.13 found on PATH" in result.stdout + result.stderr
    assert not (tmp_path / "venv").exists()

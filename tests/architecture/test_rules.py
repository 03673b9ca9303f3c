"""The architecture's rules, checked on the source (docs/architecture.md explains each).

``PENDING`` lists modules not yet migrated to a rule; each entry must still break the rule
(so the list stays true) and the list may only shrink.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "tieguard"

#: Modules that still break a rule, by rule. Remove a module once it is migrated.
PENDING: dict[str, set[str]] = {
    "creates_tables": set(),
    "temp_tables_outside_engine": set(),
    "values_in_sql_literals": set(),
    "quotes_sql_by_hand": set(),
    "imports_the_driver": set(),
    "probes_the_catalogue": set(),
}

_CREATE_TABLE = re.compile(r"CREATE\s+(OR\s+REPLACE\s+)?TABLE", re.I)
_CREATE_TEMP = re.compile(r"CREATE\s+(OR\s+REPLACE\s+)?TEMP(ORARY)?\s+TABLE", re.I)
_SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|CREATE|SET)\b")
_PROBE = re.compile(r"information_schema|table_exists\(|duckdb_tables|duckdb_columns")
_OWNERS = {"engine.py", "engine_api.py", "engine_splink.py", "warehouse.py",
           "schema/__init__.py"}


def _modules() -> dict[str, str]:
    return {str(p.relative_to(SRC)): p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}


def _fstring_sql_literals(source: str) -> list[str]:
    """Text of f-strings that look like SQL and put a {value} inside a '...' literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str)
                           else "{}" for v in node.values)
            if _SQL_WORD.search(text) and re.search(r"'[^']*\{\}[^']*'", text):
                found.append(text[:80])
    return found


def _violations(rule: str) -> set[str]:
    hits = set()
    for name, text in _modules().items():
        if name in _OWNERS:
            continue
        if rule == "creates_tables":
            bad = [m for m in _CREATE_TABLE.finditer(text) if not _CREATE_TEMP.match(m.group(0))]
            bad = [m for m in bad if "TEMP" not in text[m.start():m.end() + 6].upper()]
        elif rule == "temp_tables_outside_engine":
            bad = list(_CREATE_TEMP.finditer(text))
        elif rule == "values_in_sql_literals":
            bad = _fstring_sql_literals(text)  # type: ignore[assignment]
        elif rule == "quotes_sql_by_hand":
            bad = re.findall(r"def _?(?:quote|lit|literal|sql_str)\w*\(", text)
        elif rule == "imports_the_driver":
            bad = [1] if _imports_duckdb(text) else []  # type: ignore[list-item]
        else:
            bad = list(_PROBE.finditer(text)) if not name.startswith(("cli/",)) else []
        if bad:
            hits.add(name)
    return hits


@pytest.mark.parametrize("rule", sorted(PENDING))
def test_rule_holds_outside_the_pending_list(rule: str) -> None:
    broken = _violations(rule)
    assert broken - PENDING[rule] == set(), f"new modules break {rule}: {sorted(broken - PENDING[rule])}"
    assert PENDING[rule] - broken == set(), (
        f"{sorted(PENDING[rule] - broken)} no longer break {rule}: remove them from PENDING"
    )


def _imports_duckdb(text: str) -> bool:
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "duckdb" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "duckdb":
            return True
    return False


def test_the_engine_imports_the_driver() -> None:
    assert _imports_duckdb(_modules()["engine.py"])


def test_the_pipeline_and_cli_import_stages_plainly() -> None:
    for name, text in _modules().items():
        if name in {"pipeline.py", "stages.py"} or name.startswith("cli/"):
            assert "importlib" not in text, f"{name} loads modules by name"


"""tieguard: which customer relationships do your people's public network connections
give away to competitors, how fast, and what would each countermeasure save?

The public API is deliberately small; stages live in modules named for them. Names are
loaded on first use, so that ``import tieguard.roles`` does not start the SQL engine.

    from tieguard import open_session, run_scan
    with open_session(Path("tieguard.duckdb")) as session:
        result = run_scan(session.engine, session.settings)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Engine": "engine", "DuckDBEngine": "engine", "open_engine": "engine",
    "open_warehouse": "warehouse", "migrate": "warehouse",
    "Session": "session", "open_session": "session",
    "Settings": "settings", "load_settings": "settings",
    "Stage": "stages", "StageResult": "stages", "SCAN_STAGES": "stages",
    "ScanResult": "pipeline", "run_scan": "pipeline",
    "find_employee": "employees", "Employee": "employees",
    "TieguardError": "errors", "ConfigError": "errors", "InputError": "errors",
    "UnrecognisedFormatError": "errors", "WarehouseError": "errors",
    "SchemaVersionError": "errors", "ResolveError": "errors", "PolicyError": "errors",
    "NotFoundError": "errors", "StageNotRunError": "errors",
}

__all__ = [
    "__version__", "Engine", "DuckDBEngine", "open_engine", "open_warehouse", "migrate",
    "Session", "open_session", "Settings", "load_settings", "Stage", "StageResult", "SCAN_STAGES",
    "ScanResult", "run_scan", "find_employee", "Employee", "TieguardError", "ConfigError",
    "InputError", "UnrecognisedFormatError", "WarehouseError", "SchemaVersionError",
    "ResolveError", "PolicyError", "NotFoundError", "StageNotRunError",
]

if TYPE_CHECKING:
    from .employees import Employee, find_employee
    from .engine import DuckDBEngine, Engine, open_engine
    from .errors import (
        ConfigError,
        InputError,
        NotFoundError,
        PolicyError,
        ResolveError,
        SchemaVersionError,
        StageNotRunError,
        TieguardError,
        UnrecognisedFormatError,
        WarehouseError,
    )
    from .pipeline import ScanResult, run_scan
    from .session import Session, open_session
    from .settings import Settings, load_settings
    from .stages import SCAN_STAGES, Stage, StageResult
    from .warehouse import migrate, open_warehouse


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tieguard' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)

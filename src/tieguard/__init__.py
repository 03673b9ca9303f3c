"""tieguard: which customer relationships do your people's public network connections
give away to competitors, how fast, and what would each countermeasure save?

The public API is deliberately small; stages live in modules named for them.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import DuckDBEngine, Engine, open_engine
from .errors import (
    ConfigError,
    InputError,
    NotFoundError,
    PolicyError,
    ResolveError,
    SchemaVersionError,
    TieguardError,
    UnrecognisedFormatError,
    WarehouseError,
)
from .settings import Settings, load_settings
from .warehouse import migrate, open_warehouse

__all__ = [
    "__version__",
    "Engine",
    "DuckDBEngine",
    "open_engine",
    "open_warehouse",
    "migrate",
    "Settings",
    "load_settings",
    "TieguardError",
    "ConfigError",
    "InputError",
    "UnrecognisedFormatError",
    "WarehouseError",
    "SchemaVersionError",
    "ResolveError",
    "PolicyError",
    "NotFoundError",
]

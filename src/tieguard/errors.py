"""The one exception tree of tieguard.

Every error the library raises on purpose derives from :class:`TieguardError`.
Messages are full sentences that name the file, column or option at fault and
say how to fix it. The CLI (and later the API) translate these at the edge into
an exit code and a readable message; inside the library they propagate.

    TieguardError
    ├── ConfigError            bad settings file, option or policy definition
    ├── InputError             a user-supplied file cannot be read at all
    │   ├── UnrecognisedFormatError   header does not match any known export
    │   └── EmptyInputError           file has no data rows / no header
    ├── WarehouseError         the store cannot be opened, migrated or written
    │   ├── SchemaVersionError        store is newer than this tieguard
    │   ├── WarehouseBusyError        another process holds the store
    │   ├── WarehouseMissingError     no store at the path (and none may be created)
    │   ├── WarehouseMissingTableError a table or column is missing
    │   ├── StageNotRunError          a command needs a stage that has not run
    │   └── DiskFullError             no space left while writing
    ├── ResolveError           record linkage cannot run (e.g. no CRM loaded)
    ├── PolicyError            a countermeasure definition is invalid
    └── NotFoundError          an employee, account or target does not exist
"""

from __future__ import annotations

__all__ = [
    "TieguardError",
    "ConfigError",
    "InputError",
    "UnrecognisedFormatError",
    "EmptyInputError",
    "WarehouseError",
    "SchemaVersionError",
    "WarehouseBusyError",
    "WarehouseMissingError",
    "WarehouseMissingTableError",
    "StageNotRunError",
    "DiskFullError",
    "ResolveError",
    "PolicyError",
    "NotFoundError",
]


class TieguardError(Exception):
    """Base class of every error tieguard raises on purpose."""

    exit_code = 1


class ConfigError(TieguardError):
    """A settings file, CLI option or mapping file is invalid."""

    exit_code = 2


class InputError(TieguardError):
    """A user-supplied file cannot be read at all (not a single row)."""

    exit_code = 3


class UnrecognisedFormatError(InputError):
    """The file's header matches none of the formats tieguard reads."""


class EmptyInputError(InputError):
    """The file is empty or holds only a header."""


class WarehouseError(TieguardError):
    """The warehouse cannot be opened, migrated or written."""

    exit_code = 4


class SchemaVersionError(WarehouseError):
    """The warehouse was written by a newer tieguard."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse open for writing."""


class WarehouseMissingError(WarehouseError):
    """No warehouse exists at the path, and the command may not create one."""


class WarehouseMissingTableError(WarehouseError):
    """The warehouse lacks a table or column (older file, or a stage has not run)."""


class StageNotRunError(WarehouseError):
    """A command needs the output of a stage that has not run on this warehouse."""


class DiskFullError(WarehouseError):
    """The disk filled up while the warehouse or a report was being written."""


class ResolveError(TieguardError):
    """Record linkage cannot run on what the warehouse holds."""

    exit_code = 5


class PolicyError(ConfigError):
    """A countermeasure (policy) definition is invalid."""


class NotFoundError(TieguardError):
    """An employee, account or other named thing does not exist."""

    exit_code = 6

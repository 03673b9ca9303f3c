"""The declaration types: one :class:`Table` per warehouse table.

Every table the warehouse holds is declared exactly once, in the module of
``tieguard.schema`` named for the stage that owns (writes) it. Migrations,
``docs/stage-outputs.md``, erasure coverage and test fixtures are derived from
these declarations; nothing else creates a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Column", "Table", "Erasure", "Owner"]

#: The stage (or module) that writes a table; nobody else may.
Owner = Literal[
    "warehouse", "sources", "roles", "resolve", "watch", "exposure", "policy", "capital",
    "privacy", "alerts",
]

#: How ``tieguard privacy erase EMPLOYEE`` reaches a table:
#: ``employee`` rows with ``employee_column`` = the employee are deleted;
#: ``import`` rows of the employee's imports (``import_id``) are deleted;
#: ``person`` rows of outside people no longer tied to anyone are deleted;
#: ``derived`` an aggregate that still mixes the employee in: recomputed after an erasure;
#: ``kept`` holds the employee on purpose (the roster, the erasure log);
#: ``none`` holds nothing about employees' networks (CRM, settings, versions).
Erasure = Literal["employee", "import", "person", "derived", "kept", "none"]


@dataclass(frozen=True)
class Column:
    """One column: name, SQL type, one-line meaning."""

    name: str
    type: str
    doc: str = ""
    not_null: bool = False
    default: str | None = None  # a SQL constant, e.g. "FALSE"


@dataclass(frozen=True)
class Table:
    """One warehouse table and its contract.

    ``key`` is unique in every warehouse (tests check it on the demo); ``enforced``
    says whether the engine also enforces it with a PRIMARY KEY (bulk-loaded tables
    leave that to the loader's anti-join, because an index slows bulk loads).
    ``personal`` marks tables that hold data about a person (an employee or one of
    their connections); erasure coverage is checked for each of them.
    """

    name: str
    owner: Owner
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    doc: str
    personal: bool = False
    erasure: Erasure = "none"
    employee_column: str = "employee_id"
    enforced: bool = False

    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    def __post_init__(self) -> None:
        names = self.column_names()
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name} declares a column twice")
        missing = [k for k in self.key if k not in names]
        if missing:
            raise ValueError(f"table {self.name}: key columns {missing} are not declared")
        if self.erasure == "employee" and self.employee_column not in names:
            raise ValueError(f"table {self.name}: erasure by {self.employee_column}, not declared")
        if self.erasure == "import" and "import_id" not in names:
            raise ValueError(f"table {self.name}: erasure by import_id, not declared")
        if self.erasure == "person" and "person_key" not in names:
            raise ValueError(f"table {self.name}: erasure by person_key, not declared")
        if self.personal and self.erasure == "none":
            raise ValueError(f"table {self.name} is personal but erasure does not reach it")


def col(name: str, type_: str = "VARCHAR", doc: str = "", not_null: bool = False,
        default: str | None = None) -> Column:
    """Shorthand used by the declaration modules."""
    return Column(name, type_, doc, not_null, default)

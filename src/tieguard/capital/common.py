"""Shared pieces of the capital stage: the as-of date, role lists, optional inputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..engine import Engine
from ..errors import ConfigError
from ..labels import BUYING_ROLES
from ..settings import Settings

__all__ = ["CapitalParams", "params_from", "sql_list", "role_position"]

#: Evidence weights of relationship strength; they sum to 1.0 (see docs/capital.md).
STRENGTH_WEIGHTS: dict[str, float] = {
    "connection": 0.20,
    "initiated_by_employee": 0.10,
    "initiated_by_contact": 0.05,
    "invitation_message": 0.05,
    "crm_owner": 0.20,
    "owns_account_opportunity": 0.20,
    "opportunity_with_contact": 0.20,
    "won_with_contact": 0.05,
}
#: An introduction through a colleague of the target person counts this share of the path.
SAME_ACCOUNT_FACTOR = 0.5
#: Decay assumed when a relationship has no dated evidence at all (one half-life).
UNDATED_DECAY = 0.5


@dataclass(frozen=True)
class CapitalParams:
    """The resolved settings of one capital run."""

    as_of: dt.date
    half_life_days: int
    value_years: int
    key_roles: tuple[str, ...]

    @property
    def as_of_sql(self) -> str:
        """The as-of date as a SQL literal (a validated date, safe to inline)."""
        return f"DATE '{self.as_of.isoformat()}'"


def params_from(settings: Settings) -> CapitalParams:
    """Validate the capital settings into :class:`CapitalParams`."""
    cfg = settings.capital
    unknown = [r for r in cfg.key_roles if r not in BUYING_ROLES]
    if unknown:
        raise ConfigError(
            f"capital.key_roles names unknown buying roles {unknown}; "
            f"use only {', '.join(BUYING_ROLES)}."
        )
    if cfg.as_of:
        try:
            as_of = dt.date.fromisoformat(cfg.as_of)
        except ValueError as exc:
            raise ConfigError(
                f"capital.as_of {cfg.as_of!r} is not an ISO date; write it like 2026-11-30."
            ) from exc
    else:
        as_of = dt.date.today()
    return CapitalParams(as_of, cfg.half_life_days, cfg.value_years, tuple(cfg.key_roles))


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    """A SQL list literal of label strings (labels are fixed identifiers, no quotes)."""
    for v in values:
        if "'" in v:
            raise ConfigError(f"The label {v!r} contains a quote; labels are plain identifiers.")
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def role_position(column: str) -> str:
    """SQL ordering expression putting buying roles in the label-set order."""
    return f"list_position({sql_list(BUYING_ROLES)}, {column})"


def optional_table(engine: Engine, name: str, columns: str, empty: str) -> str:
    """``name`` if the derived table exists, else an empty relation with ``columns``."""
    if engine.table_exists(name):
        return f"(SELECT {columns} FROM {name})"
    return f"(SELECT {empty} WHERE false)"

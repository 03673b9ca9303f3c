"""Shared pieces of the capital stage: the as-of date, role lists, optional inputs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..labels import BUYING_ROLES
from ..settings import Settings

__all__ = ["CapitalParams", "params_from", "bind", "ROLE_POSITION", "team_labels_sql"]

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
    k: int = 3  # privacy.k_anonymity: the smallest group a shared view may name

    def values(self) -> dict[str, Any]:
        """Every value the capital SQL may bind, by parameter name (``$as_of``, ...)."""
        return {
            "as_of": self.as_of, "half_life_days": self.half_life_days,
            "value_years": self.value_years, "key_roles": list(self.key_roles),
            "buying_roles": list(BUYING_ROLES), "k": self.k,
        }


#: SQL ordering expression putting ``buying_role`` in the label-set order (binds $buying_roles).
ROLE_POSITION = "list_position($buying_roles, buying_role)"


def bind(sql: str, p: CapitalParams | None = None, **extra: Any) -> dict[str, Any]:
    """The named parameters ``sql`` uses, from ``p`` and ``extra`` (the driver refuses extras)."""
    values = (p.values() if p is not None else {"buying_roles": list(BUYING_ROLES)}) | extra
    return {k: v for k, v in values.items() if re.search(rf"\${k}\b", sql)}


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
    return CapitalParams(as_of, cfg.half_life_days, cfg.value_years, tuple(cfg.key_roles),
                         settings.privacy.k_anonymity)


def team_labels_sql(counts: str, key: str) -> str:
    """Per ``key``, the teams of ``counts`` (columns key, team, n = distinct employees) that
    have at least ``$k`` people, as ``"Team (n), ..."``, plus ``"smaller teams (m)"`` for the
    rest: no shared view names a team behind which fewer than k people stand (binds $k)."""
    return f"""
        SELECT {key}, nullif(concat_ws(', ',
                   string_agg(team || ' (' || n || ')', ', ' ORDER BY n DESC, team)
                       FILTER (WHERE n >= $k),
                   'smaller teams (' || sum(n) FILTER (WHERE n < $k) || ')'), '') AS teams
        FROM {counts} GROUP BY {key}
    """

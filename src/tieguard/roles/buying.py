"""(function, seniority) → buying roles with scores: configurable per product.

The default table suits an industrial B2B supplier selling components, materials and
equipment: purchasing people are the procurement role (and hold the budget from
director upwards), plant, engineering and quality people evaluate and use the product,
general management decides. A product overrides it with a YAML or TOML file of the
same shape as :data:`DEFAULT_TABLE`::

    rules:
      - function: purchasing            # a function label, or "*"
        seniority: [manager, head]      # labels, "*", or a range "manager+" / "senior-"
        roles: {procurement: 0.9, decision_maker: 0.5}

Every matching rule contributes; a role's score is the highest any rule gives it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..labels import BUYING_ROLES, FUNCTIONS, SENIORITY, SENIORITY_ORDER, seniority_rank

__all__ = ["DEFAULT_TABLE", "BuyingTable", "load_buying_table"]

DEFAULT_TABLE: dict[str, Any] = {"rules": [
    {"function": "purchasing", "seniority": "intern", "roles": {"procurement": 0.4}},
    {"function": "purchasing", "seniority": ["individual", "senior"], "roles": {"procurement": 0.9, "user": 0.3}},
    {"function": "purchasing", "seniority": "manager+",
     "roles": {"procurement": 0.9, "economic_buyer": 0.6, "decision_maker": 0.6}},
    {"function": "purchasing", "seniority": "director+",
     "roles": {"economic_buyer": 0.8, "decision_maker": 0.8}},
    {"function": "supply_chain", "seniority": ["individual", "senior"], "roles": {"user": 0.6, "procurement": 0.4}},
    {"function": "supply_chain", "seniority": "manager+",
     "roles": {"procurement": 0.5, "user": 0.4, "decision_maker": 0.4}},
    {"function": ["engineering", "production", "quality", "it"], "seniority": ["individual", "senior"],
     "roles": {"technical_evaluator": 0.8, "user": 0.7}},
    {"function": ["engineering", "production", "quality", "it", "supply_chain"], "seniority": "intern",
     "roles": {"user": 0.4}},
    {"function": ["engineering", "production", "quality", "it"], "seniority": "manager+",
     "roles": {"technical_evaluator": 0.7, "decision_maker": 0.5, "user": 0.3}},
    {"function": ["engineering", "production", "quality", "it"], "seniority": "director+",
     "roles": {"decision_maker": 0.8, "economic_buyer": 0.5}},
    {"function": "finance", "seniority": "director+", "roles": {"economic_buyer": 0.8}},
    {"function": "finance", "seniority": ["manager", "head"], "roles": {"economic_buyer": 0.4}},
    {"function": "general_management", "seniority": "director+",
     "roles": {"decision_maker": 0.9, "economic_buyer": 0.8}},
    {"function": "general_management", "seniority": ["manager", "head"],
     "roles": {"decision_maker": 0.5}},
    {"function": "*", "seniority": ["c_level", "owner"],
     "roles": {"decision_maker": 0.8, "economic_buyer": 0.7}},
    {"function": "*", "seniority": "board", "roles": {"decision_maker": 0.4}},
    {"function": "admin", "seniority": "*", "roles": {"gatekeeper": 0.8}},
]}


def _seniorities(spec: Any, where: str) -> list[str]:
    if spec == "*":
        return [s for s in SENIORITY if s != "unknown"]
    if isinstance(spec, str) and spec[-1:] in "+-" and spec[:-1] in SENIORITY_ORDER:
        rank = seniority_rank(spec[:-1])
        up = spec.endswith("+")
        chosen = [s for s in SENIORITY_ORDER if (seniority_rank(s) >= rank) == up or s == spec[:-1]]
        return chosen + (["owner"] if up and rank <= seniority_rank("c_level") else [])
    values = [spec] if isinstance(spec, str) else list(spec)
    for value in values:
        if value not in SENIORITY:
            raise ConfigError(
                f"{where}: seniority {value!r} is not a seniority label; use one of "
                f"{', '.join(SENIORITY)}, '*', or a range such as 'manager+'."
            )
    return values


def _functions(spec: Any, where: str) -> list[str]:
    values = [f for f in FUNCTIONS if f != "unknown"] if spec == "*" else (
        [spec] if isinstance(spec, str) else list(spec)
    )
    for value in values:
        if value not in FUNCTIONS:
            raise ConfigError(
                f"{where}: function {value!r} is not a function label; use one of {', '.join(FUNCTIONS)} or '*'."
            )
    return values


@dataclass(frozen=True)
class BuyingTable:
    """Flattened (function, seniority) → {role: score}."""

    cells: dict[tuple[str, str], dict[str, float]]
    _memo: dict[tuple[tuple[str, ...], str], dict[str, float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "buying-role table") -> BuyingTable:
        rules = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(rules, list):
            raise ConfigError(f"{source}: expected a top-level 'rules' list of {{function, seniority, roles}}.")
        cells: dict[tuple[str, str], dict[str, float]] = {}
        for n, rule in enumerate(rules, 1):
            where = f"{source}, rule {n}"
            if not isinstance(rule, dict) or not isinstance(rule.get("roles"), dict):
                raise ConfigError(f"{where}: each rule needs 'function', 'seniority' and a 'roles' mapping.")
            for role, score in rule["roles"].items():
                if role not in BUYING_ROLES or not isinstance(score, (int, float)) or not 0 <= score <= 1:
                    raise ConfigError(
                        f"{where}: {role}={score!r} is invalid; roles are {', '.join(BUYING_ROLES)} "
                        "with scores between 0 and 1."
                    )
            for function in _functions(rule.get("function", "*"), where):
                for seniority in _seniorities(rule.get("seniority", "*"), where):
                    cell = cells.setdefault((function, seniority), {})
                    for role, score in rule["roles"].items():
                        cell[role] = max(cell.get(role, 0.0), float(score))
        return cls(cells)

    def roles(self, functions: list[str] | tuple[str, ...], seniority: str) -> dict[str, float]:
        """Union over the functions; the highest score per role, best first (memoised)."""
        memo_key = (tuple(functions), seniority)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = self._roles(functions, seniority)
        return found

    def _roles(self, functions: list[str] | tuple[str, ...], seniority: str) -> dict[str, float]:
        merged: dict[str, float] = {}
        for function in functions or ("unknown",):
            for role, score in self.cells.get((function, seniority), {}).items():
                merged[role] = max(merged.get(role, 0.0), score)
        return dict(sorted(merged.items(), key=lambda kv: -kv[1]))


def load_buying_table(path: Path | None = None) -> BuyingTable:
    """The default table, or the one in a ``.yaml``/``.yml``/``.toml`` file."""
    if path is None:
        return BuyingTable.from_dict(DEFAULT_TABLE, "default buying-role table")
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text) if str(path).endswith(".toml") else yaml.safe_load(text)
    except FileNotFoundError as exc:
        raise ConfigError(f"The buying-role table {path} does not exist; check roles.buying_table.") from exc
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"The buying-role table {path} cannot be parsed: {exc}.") from exc
    return BuyingTable.from_dict(data, str(path))

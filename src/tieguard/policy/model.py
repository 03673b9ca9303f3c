"""Countermeasures as declarative policies, and the loader for policy files.

A policy is a transformation of the timeline (privacy settings, connection
dates, profiles) applied to a deterministic adopting subset of a group of
employees. Files are TOML or YAML: one policy as top-level keys, or several as
``[[policy]]`` (TOML) / ``policies:`` (YAML). Example (TOML)::

    name = "hide_lists_sales"
    kind = "hide_lists"
    description = "Sales staff hide their connection list"
    adoption = 0.9
    from_date = 2025-01-01
    [group]
    sales = true
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..errors import PolicyError

__all__ = [
    "Group", "HideLists", "ConnectAfterClose", "CompanyOffProfile", "Training",
    "BlockSocialAtWork", "ActOnAlerts", "Policy", "KINDS", "load_policy_file", "builtin_policies",
    "resolve_policies", "parse_policies",
]

Behaviour = Literal["hide_lists", "connect_after_close", "company_off_profile"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Strict):
    """Who the policy addresses; empty criteria mean everyone. Criteria combine with AND."""

    sales: bool = Field(default=False, description="Only sales roles (job_role containing 'sales').")
    teams: list[str] = Field(default_factory=list, description="Only these teams.")
    job_roles: list[str] = Field(default_factory=list, description="Only these job roles.")
    countries: list[str] = Field(default_factory=list, description="Only employees in these countries.")
    employees: list[str] = Field(default_factory=list, description="Only these employee ids.")


class _PolicyBase(_Strict):
    name: str = Field(..., min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$",
                      description="Short identifier, also the scenario name.")
    description: str = ""
    adoption: float = Field(default=1.0, ge=0, le=1, description="Share of the group that follows the policy.")
    group: Group = Field(default_factory=lambda: Group())
    from_date: dt.date | None = Field(
        default=None, description="Date from which the policy applies; empty: from the start of the timeline."
    )


class HideLists(_PolicyBase):
    """Adopters set their connection list to "Only you" from ``from_date``."""

    kind: Literal["hide_lists"]


class ConnectAfterClose(_PolicyBase):
    """Adopters connect with people at accounts with an open deal only once it closes (or reaches a stage)."""

    kind: Literal["connect_after_close"]
    scope: Literal["account", "contacts"] = Field(
        "account", description="account: anyone at the deal's account; contacts: the deal's contacts only."
    )
    after_stage: str | None = Field(
        None, description="Connect once the deal reaches this CRM stage instead of waiting for the close."
    )


class CompanyOffProfile(_PolicyBase):
    """Adopters remove our company name from their public profile."""

    kind: Literal["company_off_profile"]


class Training(_PolicyBase):
    """Workgroups/training: adopters (rate = adoption) take up a set of behaviours."""

    kind: Literal["training"]
    behaviours: list[Behaviour] = Field(
        default=["hide_lists", "connect_after_close"], min_length=1
    )
    scope: Literal["account", "contacts"] = "account"


class BlockSocialAtWork(_PolicyBase):
    """Social sites blocked at work: connections made at work move to after hours."""

    kind: Literal["block_social_at_work"]
    fraction_elsewhere: float = Field(
        0.6, ge=0, le=1, description="Share of connections made elsewhere anyway (phone, home)."
    )
    delay_days: int = Field(2, ge=0, le=365, description="Delay of a connection moved to after hours.")
    abandoned_share: float = Field(
        0.1, ge=0, le=1, description="Share of blocked connections never made at all."
    )


class ActOnAlerts(_PolicyBase):
    """Adopters hide their connection list within ``within_days`` of their first alert.

    An alert fires for a new connection into an account with a deal open that day
    (``tieguard alerts``); the list stays hidden from then on.
    """

    kind: Literal["act_on_alerts"]
    within_days: int = Field(
        2, ge=0, le=365, description="Days from the alerted connection until the list is hidden."
    )


Policy = Annotated[
    HideLists | ConnectAfterClose | CompanyOffProfile | Training | BlockSocialAtWork | ActOnAlerts,
    Field(discriminator="kind"),
]
KINDS = ("hide_lists", "connect_after_close", "company_off_profile", "training",
         "block_social_at_work", "act_on_alerts")
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Policy)


def _explain(origin: str, name: str, exc: ValidationError) -> PolicyError:
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"] if p not in KINDS) or "(policy)"
        if err["type"] == "union_tag_invalid" or field == "kind":
            fix = f"set kind to one of: {', '.join(KINDS)}"
        elif err["type"] == "extra_forbidden":
            fix = "remove it or check its spelling (see docs/competitor-model.md#countermeasures)"
        elif err["type"] == "missing":
            fix = "add it"
        else:
            fix = f"got {err.get('input')!r}; correct the value"
        problems.append(f"field '{field}': {err['msg']} ({fix})")
    return PolicyError(f"The policy '{name}' in {origin} is invalid: " + "; ".join(problems) + ".")


def parse_policies(data: Any, origin: str, default_name: str) -> list[Any]:
    """Validate the parsed content of a policy file (a mapping or a list of mappings)."""
    if isinstance(data, dict) and ("policy" in data or "policies" in data):
        data = data.get("policy", data.get("policies"))
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise PolicyError(
            f"The policy file {origin} holds no policy. Write one policy as top-level keys "
            "(name, kind, adoption, ...) or several under [[policy]] (TOML) or policies: (YAML)."
        )
    out = []
    for i, item in enumerate(items):
        item = dict(item)
        if "name" not in item:
            item["name"] = default_name if len(items) == 1 else f"{default_name}_{i + 1}"
        if "kind" not in item:
            raise PolicyError(
                f"The policy '{item['name']}' in {origin} has no field 'kind'. "
                f"Add kind = one of: {', '.join(KINDS)}."
            )
        try:
            out.append(_ADAPTER.validate_python(item))
        except ValidationError as exc:
            raise _explain(origin, str(item["name"]), exc) from None
    return out


def _read(text: str, origin: str, suffix: str) -> Any:
    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        kind = "TOML" if suffix == ".toml" else "YAML"
        raise PolicyError(f"The policy file {origin} is not valid {kind}: {exc}. Fix the syntax.") from None


def load_policy_file(path: str | Path) -> list[Any]:
    """Load and validate the policies of a ``.toml``, ``.yaml`` or ``.yml`` file."""
    p = Path(path)
    if p.suffix.lower() not in (".toml", ".yaml", ".yml"):
        raise PolicyError(
            f"The policy file {p} has an unknown extension; name it *.toml, *.yaml or *.yml."
        )
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"Cannot read the policy file {p}: {exc.strerror}. Check the path.") from None
    return parse_policies(_read(text, str(p), p.suffix.lower()), str(p), p.stem)


def builtin_policies() -> dict[str, Any]:
    """The built-in countermeasures, by name (from ``policy/builtin/*.toml``)."""
    found: dict[str, Any] = {}
    folder = resources.files("tieguard.policy") / "builtin"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            origin = f"built-in {entry.name}"
            for pol in parse_policies(_read(entry.read_text(encoding="utf-8"), origin, ".toml"),
                                      origin, entry.name.removesuffix(".toml")):
                found[pol.name] = pol
    return found


def resolve_policies(specs: list[str] | None) -> list[Any]:
    """Built-in names or file paths to policies; none given means every built-in."""
    builtins = builtin_policies()
    if not specs:
        return list(builtins.values())
    out: list[Any] = []
    for spec in specs:
        if spec in builtins:
            out.append(builtins[spec])
        elif Path(spec).exists():
            out.extend(load_policy_file(spec))
        else:
            raise PolicyError(
                f"No built-in policy or file named {spec!r}. Built-ins: {', '.join(builtins)}; "
                "or give the path of a .toml/.yaml policy file."
            )
    names = [p.name for p in out]
    dupes = sorted({n for n in names if names.count(n) > 1} | ({"baseline"} & set(names)))
    if dupes:
        raise PolicyError(
            f"Policy names must be unique and not 'baseline'; rename: {', '.join(dupes)}."
        )
    return out

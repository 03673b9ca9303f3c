"""Every warehouse table, declared once, and what is derived from the declarations.

A declaration (:class:`~tieguard.schema.model.Table`) names the table, its columns and
types, its key, the stage that owns it, whether it holds personal data and how an
erasure reaches it. From :data:`TABLES` come:

- the migrations (:func:`tieguard.warehouse.migrate` creates and alters tables to match);
- ``docs/stage-outputs.md`` (:func:`stage_outputs_markdown`, tested for staleness);
- erasure coverage (:mod:`tieguard.privacy` walks :func:`personal_tables`);
- test fixtures (:func:`create_sql` builds any table in its current shape).

Add a table by declaring it in the module named for its owning stage and bumping
:data:`SCHEMA_VERSION`; never create a table anywhere else.
"""

from __future__ import annotations

from . import alerts, capital, exposure, policy, privacy, resolve, roles, sources, warehouse, watch
from .model import Column, Erasure, Owner, Table

__all__ = [
    "Column", "Table", "Erasure", "Owner", "TABLES", "SCHEMA_VERSION", "table", "is_declared",
    "tables_owned_by", "personal_tables", "create_sql", "stage_outputs_markdown",
]

#: Bump when a declaration changes; a warehouse written by a newer tieguard is refused.
SCHEMA_VERSION = 8

TABLES: tuple[Table, ...] = (
    *warehouse.TABLES, *sources.TABLES, *roles.TABLES, *resolve.TABLES, *watch.TABLES,
    *exposure.TABLES, *policy.TABLES, *capital.TABLES, *privacy.TABLES,
    *alerts.TABLES,
)

_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
if len(_BY_NAME) != len(TABLES):  # pragma: no cover - a declaration bug
    raise RuntimeError("a table is declared twice in tieguard.schema")


def table(name: str) -> Table:
    """The declaration of ``name``; KeyError if it is not declared."""
    return _BY_NAME[name]


def is_declared(name: str) -> bool:
    return name in _BY_NAME


def tables_owned_by(owner: Owner) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.owner == owner)


def personal_tables() -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.personal)


def column_sql(column: Column) -> str:
    sql = f'"{column.name}" {column.type}'
    if column.default is not None:
        sql += f" DEFAULT {column.default}"
    return sql + (" NOT NULL" if column.not_null else "")


def create_sql(decl: Table, name: str | None = None) -> str:
    """``CREATE TABLE`` for ``decl`` (under ``name`` if given, e.g. a rebuild's new copy)."""
    parts = [column_sql(c) for c in decl.columns]
    if decl.enforced and decl.key:
        parts.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in decl.key) + ")")
    body = ",\n    ".join(parts)
    return f'CREATE TABLE "{name or decl.name}" (\n    {body}\n)'


_STAGE_ORDER: tuple[Owner, ...] = (
    "sources", "roles", "resolve", "watch", "exposure", "policy", "capital", "privacy",
    "alerts", "warehouse",
)


def stage_outputs_markdown() -> str:
    """``docs/stage-outputs.md``: every table by owning stage, with key and erasure."""
    lines = [
        "# Tables: the contract between stages",
        "",
        "Generated from `tieguard.schema` (`python -m tieguard.schema > docs/stage-outputs.md`);",
        "a test fails when this file is stale. Each table is written only by its owning stage,",
        "with delete-and-insert inside one transaction. **key** is unique in every warehouse;",
        "**personal** tables hold data about a person; **erasure** says how",
        "`tieguard privacy erase` reaches the table (see `tieguard/schema/model.py`).",
        "`scenario` is `baseline` for the observed timeline and the policy name for a what-if run.",
    ]
    for owner in _STAGE_ORDER:
        owned = tables_owned_by(owner)
        if not owned:
            continue
        lines += ["", f"## {owner}", ""]
        for t in owned:
            flags = ["personal" if t.personal else "", f"erasure: {t.erasure}"]
            key = ", ".join(t.key)
            lines.append(f"### `{t.name}`")
            lines.append("")
            lines.append(f"{t.doc} Key: ({key}){' enforced' if t.enforced else ''}; "
                         + "; ".join(f for f in flags if f) + ".")
            lines.append("")
            lines.append("| column | type | meaning |")
            lines.append("|---|---|---|")
            for c in t.columns:
                lines.append(f"| `{c.name}` | {c.type}{' not null' if c.not_null else ''} | {c.doc} |")
    return "\n".join(lines) + "\n"

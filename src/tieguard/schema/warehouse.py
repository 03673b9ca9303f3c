"""Tables owned by ``tieguard.warehouse``: schema versions and stage runs."""

from __future__ import annotations

from .model import Table
from .model import col as c

TABLES: tuple[Table, ...] = (
    Table("schema_version", "warehouse", (
        c("version", "INTEGER", not_null=True), c("description"), c("applied_at", "TIMESTAMP"),
    ), key=("version",), enforced=True, doc="Schema versions applied to this warehouse."),
    Table("stage_runs", "warehouse", (
        c("stage", not_null=True), c("ran_at", "TIMESTAMP", not_null=True),
        c("seconds", "DOUBLE"), c("figures", doc="JSON summary of the run"),
    ), key=("stage",), enforced=True,
        doc="The last run of each stage: commands that need a stage's output check it here."),
)

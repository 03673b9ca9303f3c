"""Tables owned by ``tieguard.policy``: what-if results."""

from __future__ import annotations

from .model import Table
from .model import col as c

TABLES: tuple[Table, ...] = (
    Table("whatif_results", "policy", (
        c("policy", not_null=True), c("kind"), c("description"), c("metric", not_null=True),
        c("before", "DOUBLE"), c("after", "DOUBLE"), c("difference", "DOUBLE"),
    ), key=("policy", "metric"), erasure="derived",
        doc="Exposure before and after each countermeasure."),
    Table("whatif_costs", "policy", (
        c("policy", not_null=True), c("kind"), c("adoption", "DOUBLE"), c("adopters", "BIGINT"),
        c("ties_delayed", "BIGINT"), c("ties_hidden", "BIGINT"), c("ties_never_made", "BIGINT"),
        c("ties_seen_later", "BIGINT"), c("median_delay_days", "DOUBLE"), c("notes"),
    ), key=("policy",), erasure="derived", doc="What each countermeasure costs."),
)

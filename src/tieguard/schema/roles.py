"""Tables owned by ``tieguard.roles``: labels derived from titles."""

from __future__ import annotations

from .model import Column, Table
from .model import col as c

_LABELS: tuple[Column, ...] = (
    c("seniority", doc="seniority label (PRODUCT.md label set)"),
    c("function", doc="function label"),
    c("buying_roles", doc="'|'-separated buying-role labels"),
    c("role_confidence", "DOUBLE"),
    c("is_buying_role", "BOOLEAN"),
)

TABLES: tuple[Table, ...] = (
    Table("person_roles", "roles", (c("person_key", not_null=True), *_LABELS),
          key=("person_key",), personal=True, erasure="person",
          doc="Role labels of each tie-person (kept after pseudonymisation)."),
    Table("contact_title_roles", "roles", (c("contact_id", not_null=True), *_LABELS),
          key=("contact_id",), doc="Role labels of each CRM contact's title."),
)

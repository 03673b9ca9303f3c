"""Tables owned by ``tieguard.privacy``: employees' own choices and the erasure log."""

from __future__ import annotations

from .model import Table
from .model import col as c

TABLES: tuple[Table, ...] = (
    Table("private_marks", "privacy", (
        c("employee_id", not_null=True), c("contact_id", not_null=True), c("marked_at", "TIMESTAMP"),
    ), key=("employee_id", "contact_id"), enforced=True, personal=True, erasure="employee",
        doc="Contacts an employee took out of the shared relationship views."),
    Table("erasures", "privacy", (
        c("employee_id", not_null=True), c("erased_at", "TIMESTAMP", not_null=True),
        c("requested_by"), c("ties_erased", "BIGINT"), c("people_erased", "BIGINT"),
        c("tables", doc="comma-separated tables touched"),
    ), key=("employee_id", "erased_at"), personal=True, erasure="kept",
        doc="The erasure log: who, when, how much; never the erased content."),
)

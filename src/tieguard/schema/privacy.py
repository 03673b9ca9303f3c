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
        c("recomputed", doc="stages re-run to recompute derived aggregates"),
        c("invalidated", doc="derived tables emptied (their stage must run again)"),
    ), key=("employee_id", "erased_at"), personal=True, erasure="kept",
        doc="The erasure log: who, when, how much; never the erased content."),
    Table("erasure_tombstones", "privacy", (
        c("employee_id", not_null=True), c("content_sha256", not_null=True,
                                           doc="sha256 of an erased export file"),
        c("erased_at", "TIMESTAMP", not_null=True),
        c("lifted_at", "TIMESTAMP", doc="when the employee's new consent was recorded"),
        c("lifted_by"),
    ), key=("employee_id", "content_sha256"), enforced=True, personal=True, erasure="kept",
        doc="Erased exports (content hashes): importing them again needs the employee's new consent."),
    Table("pseudonym_keys", "privacy", (
        c("key_id", not_null=True, doc="one-way id of the installation secret (not the secret)"),
        c("created_at", "TIMESTAMP", not_null=True),
    ), key=("key_id",),
        doc="Which secret keys this warehouse's person keys (a different one is refused)."),
)

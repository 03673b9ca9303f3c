"""Tables owned by ``tieguard.watch``: what the modelled competitor saw."""

from __future__ import annotations

from .model import Table
from .model import col as c

TABLES: tuple[Table, ...] = (
    Table("competitor_sightings", "watch", (
        c("scenario", doc="baseline, or a what-if policy name", not_null=True),
        c("tie_id", not_null=True),
        c("employee_id"),
        c("person_key"),
        c("connected_on", "DATE", "ground truth only; the competitor knows seen_on"),
        c("seen_on", "DATE", "first poll at which the tie was visible and new"),
        c("channel", doc="list | shared"),
    ), key=("scenario", "tie_id"), personal=True, erasure="employee",
        doc="One row per tie the competitor saw, at the first poll it was visible and new."),
    Table("competitor_leads", "watch", (
        c("scenario", not_null=True),
        c("seen_on", "DATE"),
        c("tie_id", not_null=True),
        c("employee_id"),
        c("person_key"),
        c("account_id"),
        c("contact_id"),
        c("company"),
        c("position"),
        c("seniority"),
        c("function"),
        c("buying_roles"),
        c("channel"),
        c("match_probability", "DOUBLE"),
        c("is_buying_role", "BOOLEAN"),
        c("is_lead", "BOOLEAN", "the competitor's lead rule fired"),
        c("is_pipeline", "BOOLEAN"),
        c("is_customer_contact", "BOOLEAN"),
        c("opportunity_id"),
        c("is_first_tie_into_account", "BOOLEAN"),
    ), key=("scenario", "tie_id"), personal=True, erasure="employee",
        doc="Every sighting with the competitor's lead decision and our ground truth beside it."),
    Table("competitor_connections", "watch", (
        c("person_key", doc="a person the competitor's rep is connected to", not_null=True),
    ), key=("person_key",), personal=True, erasure="person",
        doc="Optional input: people the watching competitor's rep is itself connected to "
            "(shared connections). Empty: the model draws a share watch.shared_fraction."),
)

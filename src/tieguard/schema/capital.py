"""Tables owned by ``tieguard.capital``: the relationship registry."""

from __future__ import annotations

from .model import Table
from .model import col as c

TABLES: tuple[Table, ...] = (
    Table("relationship_strength", "capital", (
        c("employee_id", not_null=True), c("team"), c("contact_id", not_null=True), c("account_id"),
        c("connected_on", "DATE"), c("last_evidence_on", "DATE"), c("raw_strength", "DOUBLE"),
        c("decay", "DOUBLE"), c("strength", "DOUBLE"), c("evidence", doc="JSON"),
    ), key=("employee_id", "contact_id"), personal=True, erasure="employee",
        doc="Strength of each employee-contact relationship (current staff, not private)."),
    Table("capital_contact_roles", "capital", (
        c("contact_id", not_null=True), c("buying_role", not_null=True),
        c("role_source", doc="crm | crm_title | profile_title"),
    ), key=("contact_id", "buying_role"), doc="Buying roles of CRM contacts and their source."),
    Table("capital_coverage", "capital", (
        c("account_id", not_null=True), c("account_name"), c("buying_role", not_null=True),
        c("reached", "BOOLEAN"), c("contacts", "BIGINT"), c("employees", "BIGINT"), c("teams"),
        c("since", "DATE"), c("strength", "DOUBLE"), c("from_crm", "BOOLEAN"),
    ), key=("account_id", "buying_role"), erasure="derived",
        doc="One row per listed account and buying role: reached or not."),
    Table("capital_accounts", "capital", (
        c("account_id", not_null=True), c("account_name"), c("account_type"),
        c("pipeline_value", "DOUBLE"), c("won_value", "DOUBLE"), c("value", "DOUBLE"),
        c("contacts_reached", "BIGINT"), c("employees", "BIGINT"), c("teams"), c("since", "DATE"),
        c("strength", "DOUBLE"), c("roles_reached", "VARCHAR[]"), c("roles_missing", "VARCHAR[]"),
    ), key=("account_id",), erasure="derived", doc="Buying-committee coverage per account."),
    Table("capital_risk", "capital", (
        c("account_id", not_null=True), c("account_name"), c("account_type"),
        c("pipeline_value", "DOUBLE"), c("won_value", "DOUBLE"), c("value", "DOUBLE"),
        c("key_contacts", "BIGINT"), c("single_holder_contacts", "BIGINT"),
        c("key_holders", "BIGINT"), c("holder_team"), c("at_risk", "BOOLEAN"),
        c("risk_score", "DOUBLE"),
    ), key=("account_id",), erasure="derived",
        doc="Key-person risk: accounts whose key contacts are known by one employee only."),
    Table("capital_monthly", "capital", (
        c("month", "DATE", not_null=True), c("accounts_covered", "BIGINT"),
        c("roles_covered", "BIGINT"), c("ties", "BIGINT"),
    ), key=("month",), erasure="derived", doc="Registry coverage over time."),
)

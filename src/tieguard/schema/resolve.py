"""Tables owned by ``tieguard.resolve``: links from tie-people to the CRM."""

from __future__ import annotations

from .model import Table
from .model import col as c

TABLES: tuple[Table, ...] = (
    Table("tie_matches", "resolve", (
        c("person_key", not_null=True),
        c("contact_id"),
        c("account_id"),
        c("match_probability", "DOUBLE"),
        c("method", doc="profile_url, email, probabilistic, review"),
        c("evidence", doc="JSON: the comparison levels that decided"),
        c("job_change", "BOOLEAN", default="FALSE"),
        c("status", doc="matched | review | unmatched"),
    ), key=("person_key",), personal=True, erasure="person",
        doc="Each tie-person's best CRM contact and account, with evidence."),
    Table("review_decisions", "resolve", (
        c("person_key", not_null=True),
        c("candidate_id", doc="contact_id or account_id", not_null=True),
        c("candidate_kind", doc="contact | account", not_null=True),
        c("decision", doc="match | no_match", not_null=True),
        c("decided_by"),
        c("decided_at", "TIMESTAMP"),
    ), key=("person_key", "candidate_id"), enforced=True, personal=True, erasure="person",
        doc="Reviewers' decisions; they win over the model."),
    Table("resolve_model_cache", "resolve", (
        c("fingerprint", doc="digest of the CRM and model options", not_null=True),
        c("trained_at", "TIMESTAMP"),
        c("model", doc="Splink settings JSON with trained parameters"),
    ), key=("fingerprint",),
        doc="Trained person-model parameters, reused while the CRM is unchanged."),
    Table("resolve_labelled_model", "resolve", (
        c("trained_at", "TIMESTAMP", not_null=True),
        c("labels", "INTEGER", doc="labelled pairs it learned from (reviews and --labels file)"),
        c("model", doc="Splink settings JSON with m-probabilities learned from the labels"),
        c("calibration", doc="JSON: slope, intercept and best-F1 threshold fitted on the labels"),
    ), key=("trained_at",),
        doc="The person model taught by `tieguard resolve train`; used instead of EM when present."),
)

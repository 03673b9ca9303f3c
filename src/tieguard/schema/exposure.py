"""Tables owned by ``tieguard.exposure``: the exposure figures."""

from __future__ import annotations

from .model import Table
from .model import col as c

_SCEN = c("scenario", doc="baseline, or a what-if policy name", not_null=True)

TABLES: tuple[Table, ...] = (
    Table("exposure_headline", "exposure", (
        _SCEN, c("metric", not_null=True), c("value", "DOUBLE"),
    ), key=("scenario", "metric"), erasure="derived",
        doc="Headline figures per scenario (docs/competitor-model.md defines each metric)."),
    Table("exposure_runs", "exposure", (
        _SCEN, c("fingerprint", doc="digest of inputs and settings"), c("ran_at", "TIMESTAMPTZ"),
    ), key=("scenario",), doc="Which inputs and settings the stored baseline describes."),
    Table("exposure_opportunities", "exposure", (
        _SCEN, c("opportunity_id", not_null=True), c("account_id"), c("amount", "DOUBLE"),
        c("is_won", "BOOLEAN"), c("is_closed", "BOOLEAN"), c("close_date", "DATE"),
        c("window_from", "DATE", "start of the deal's reveal window (ties made from then count)"),
        c("account_first_seen_on", "DATE", "first sighting of any tie into the account before close"),
        c("account_head_start_days", "BIGINT", "close date - account_first_seen_on"),
        c("account_visible", "BOOLEAN", "the account had a visible tie before close, old or new"),
        c("revealed_on", "DATE", "first sighting of a new buying-role tie while the account was unknown"),
        c("head_start_days", "BIGINT", "close date - revealed_on"),
        c("revealed", "BOOLEAN", "a new tie revealed the deal to the competitor"),
        c("in_window", "BOOLEAN", "in the headline window (closed in the lookback, or open)"),
    ), key=("scenario", "opportunity_id"), erasure="derived",
        doc="Per opportunity: whether and when a new tie revealed it, account visibility, head start."),
    Table("exposure_head_start", "exposure", (
        _SCEN, c("bucket_order", "INTEGER", not_null=True), c("bucket"),
        c("opportunities", "BIGINT"), c("value", "DOUBLE"),
    ), key=("scenario", "bucket_order"), erasure="derived",
        doc="Distribution of the head start of revealed in-window opportunities."),
    Table("exposure_accounts", "exposure", (
        _SCEN, c("account_id", not_null=True), c("account_name"), c("country"),
        c("ties_visible", "BIGINT"), c("leads", "BIGINT"), c("first_seen_on", "DATE"),
        c("revealed_opportunities", "BIGINT"), c("revealed_value", "DOUBLE"),
        c("opportunities", "BIGINT"), c("opportunities_value", "DOUBLE"), c("score", "DOUBLE"),
    ), key=("scenario", "account_id"), erasure="derived", doc="Exposure per account."),
    Table("exposure_monthly", "exposure", (
        _SCEN, c("month", "DATE", not_null=True), c("leads", "BIGINT"),
        c("new_accounts_revealed", "BIGINT"), c("opportunities", "BIGINT"),
        c("revealed_opportunities", "BIGINT"), c("opportunities_value", "DOUBLE"),
        c("revealed_value", "DOUBLE"),
    ), key=("scenario", "month"), erasure="derived", doc="Exposure by month (opportunities by close month)."),
    Table("exposure_teams", "exposure", (
        _SCEN, c("team", not_null=True), c("employees", "BIGINT"), c("leads", "BIGINT"),
        c("revealed_opportunities", "BIGINT"), c("revealed_value", "DOUBLE"),
    ), key=("scenario", "team"), erasure="derived",
        doc="Exposure per team (small teams merged; no per-employee table)."),
    Table("exposure_countries", "exposure", (
        _SCEN, c("country", not_null=True), c("opportunities", "BIGINT"),
        c("revealed_opportunities", "BIGINT"), c("opportunities_value", "DOUBLE"),
        c("revealed_value", "DOUBLE"), c("leads", "BIGINT"),
    ), key=("scenario", "country"), erasure="derived", doc="Exposure by account country."),
    Table("tie_exposure", "exposure", (
        c("tie_id", not_null=True), c("employee_id"), c("account_id"), c("seen_on", "DATE"),
        c("channel"), c("score", "DOUBLE"), c("visibility", "DOUBLE"),
        c("match_probability", "DOUBLE"), c("buying_role_weight", "DOUBLE"),
        c("value_weight", "DOUBLE"), c("novelty", "DOUBLE"),
    ), key=("tie_id",), personal=True, erasure="employee",
        doc="Baseline exposure score of each sighted tie into an account."),
)

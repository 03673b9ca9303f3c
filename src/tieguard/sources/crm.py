"""CRM exports: Salesforce (API-name headers), HubSpot (display labels), generic mapping.

Each format is a mapping from canonical table to (file, canonical column -> source
column); the generic format reads that mapping from a small YAML file::

    source: mycrm
    tables:
      accounts: {file: companies.csv, columns: {account_id: id, name: company_name}}
      contacts: {file: people.csv, columns: {contact_id: id, account_id: company_id, ...}}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from ..engine import Engine
from ..errors import ConfigError, InputError
from ..settings import SourcesSettings
from .csvfile import read_table
from .report import ImportReport, Problem
from .tabular import (
    SmallImport,
    TableWrite,
    combined_sha256,
    parse_amount,
    parse_bool,
    parse_iso_date,
    run_small_import,
)

__all__ = ["import_crm", "buying_role", "SALESFORCE", "HUBSPOT", "load_mapping"]

Mapping = dict[str, tuple[str, dict[str, str]]]

SALESFORCE: Mapping = {
    "accounts": ("Account.csv", {"account_id": "Id", "name": "Name", "domain": "Website",
                                 "country": "BillingCountry", "account_type": "Type",
                                 "industry": "Industry", "owner_employee_id": "OwnerId"}),
    "contacts": ("Contact.csv", {"contact_id": "Id", "account_id": "AccountId",
                                 "first_name": "FirstName", "last_name": "LastName",
                                 "title": "Title", "email": "Email", "phone": "Phone",
                                 "country": "MailingCountry", "owner_employee_id": "OwnerId"}),
    "opportunities": ("Opportunity.csv", {
        "opportunity_id": "Id", "account_id": "AccountId", "name": "Name", "stage": "StageName",
        "amount": "Amount", "currency": "CurrencyIsoCode", "close_date": "CloseDate",
        "is_closed": "IsClosed", "is_won": "IsWon", "created_on": "CreatedDate",
        "owner_employee_id": "OwnerId"}),
    "contact_roles": ("OpportunityContactRole.csv", {
        "opportunity_id": "OpportunityId", "contact_id": "ContactId", "role": "Role",
        "is_primary": "IsPrimary"}),
    "opportunity_stages": ("OpportunityHistory.csv", {
        "opportunity_id": "OpportunityId", "stage": "StageName", "changed_on": "CreatedDate"}),
}
HUBSPOT: Mapping = {
    "accounts": ("companies.csv", {"account_id": "Record ID", "name": "Company name",
                                   "domain": "Company Domain Name", "country": "Country/Region",
                                   "industry": "Industry", "account_type": "Type",
                                   "owner_employee_id": "Company owner"}),
    "contacts": ("contacts.csv", {"contact_id": "Record ID", "account_id": "Associated Company IDs",
                                  "first_name": "First Name", "last_name": "Last Name",
                                  "email": "Email", "title": "Job Title", "phone": "Phone Number",
                                  "country": "Country/Region", "owner_employee_id": "Contact owner",
                                  "role": "Buying Role"}),
    "opportunities": ("deals.csv", {"opportunity_id": "Record ID", "name": "Deal Name",
                                    "stage": "Deal Stage", "amount": "Amount",
                                    "close_date": "Close Date", "created_on": "Create Date",
                                    "owner_employee_id": "Deal owner",
                                    "account_id": "Associated Company IDs",
                                    "contact_ids": "Associated Contact IDs"}),
}
KEYS = {"accounts": ["account_id"], "contacts": ["contact_id"],
        "opportunities": ["opportunity_id"], "contact_roles": ["opportunity_id", "contact_id"],
        "opportunity_stages": ["opportunity_id", "stage", "changed_on"]}
OPTIONAL_TABLES = {"opportunity_stages", "contact_roles"}
DATES, BOOLS, AMOUNTS = {"close_date", "created_on", "changed_on"}, \
    {"is_closed", "is_won", "is_primary"}, {"amount"}
TABLE_COLUMNS = {  # canonical columns each table accepts (plus its keys)
    "accounts": ["name", "domain", "country", "industry", "account_type", "owner_employee_id"],
    "contacts": ["account_id", "first_name", "last_name", "title", "email", "phone",
                 "profile_url", "country", "owner_employee_id"],
    "opportunities": ["account_id", "name", "stage", "amount", "currency", "created_on",
                      "close_date", "is_closed", "is_won", "owner_employee_id"],
    "contact_roles": ["role", "buying_role", "is_primary"],
    "opportunity_stages": [],
}
_ROLE_RULES: list[tuple[str, str]] = [
    (r"decision|executive sponsor|sponsor", "decision_maker"),
    (r"economic|budget", "economic_buyer"),
    (r"evaluator|technical", "technical_evaluator"),
    (r"procure|purchas|einkauf|inkoop|achat", "procurement"),
    (r"gatekeeper|assistant", "gatekeeper"),
    (r"business user|end user|^user$|influencer|champion", "user"),
]


def buying_role(role: str | None) -> str | None:
    """CRM contact role -> tieguard buying role label; None when unknown."""
    text = (role or "").strip().lower()
    for pattern, label in _ROLE_RULES:
        if text and re.search(pattern, text):
            return label
    return None


def load_mapping(path: Path) -> tuple[str, Mapping]:
    """Read a generic CRM mapping file (YAML)."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the mapping file {path}: {exc}. Check --mapping.") from exc
    tables = doc.get("tables") if isinstance(doc, dict) else None
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"The mapping file {path} needs a 'tables:' section naming, per "
                          "canonical table, a 'file' and its 'columns'.")
    mapping: Mapping = {}
    for table, spec in tables.items():
        if table not in KEYS or not isinstance(spec, dict) or "file" not in spec:
            raise ConfigError(f"The mapping file {path}: '{table}' must be one of "
                              f"{', '.join(KEYS)} with a 'file' and 'columns'.")
        columns = {str(k): str(v) for k, v in (spec.get("columns") or {}).items()}
        mapping[table] = (str(spec["file"]), columns)
    return str(doc.get("source") or "generic"), mapping


def import_crm(
    engine: Engine, directory: str | Path, format: str = "salesforce", *,
    mapping: str | Path | None = None, supplied_by: str | None = None,
    basis: str = "legitimate_interest", dry_run: bool = False,
    limits: SourcesSettings | None = None,
) -> ImportReport:
    """Import a directory of CRM CSV exports into accounts, contacts, opportunities, roles."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory} is not a directory. Name the folder holding the CRM CSVs.")
    source, spec = _spec(format, mapping)
    owners = _owner_lookup(engine, directory, format)
    writes, problems, rows_read, paths = [], [], 0, []
    for table, (file_name, columns) in spec.items():
        path = directory / file_name
        if not path.exists():
            if table in OPTIONAL_TABLES:
                continue
            raise InputError(f"The {format} export in {directory} lacks {file_name} (for "
                             f"{table}). Export it too, or fix the mapping.")
        paths.append(path)
        rows, file_problems, count = _read_crm_table(path, table, columns, owners, limits)
        problems += file_problems
        rows_read += count
        writes.append((table, rows))
    if format == "hubspot":
        writes = _hubspot_roles(writes)
    table_writes = [_table_write(t, rows, source) for t, rows in writes]
    imp = SmallImport(str(directory), "crm", format, combined_sha256(paths), "utf-8", rows_read,
                      table_writes, problems)
    return run_small_import(engine, imp, supplied_by=supplied_by, basis=basis, dry_run=dry_run)


def _spec(format: str, mapping: str | Path | None) -> tuple[str, Mapping]:
    if format == "salesforce":
        return "salesforce", SALESFORCE
    if format == "hubspot":
        return "hubspot", HUBSPOT
    if format == "generic":
        if mapping is None:
            raise ConfigError("The generic CRM format needs --mapping FILE (a YAML file naming "
                              "the file and columns of each canonical table).")
        return load_mapping(Path(mapping))
    raise ConfigError(f"Unknown CRM format {format!r}; use salesforce, hubspot or generic.")


def _owner_lookup(engine: Engine, directory: Path, format: str) -> dict[str, str]:
    """CRM owner id / e-mail / name -> roster employee_id."""
    lookup: dict[str, str] = {}
    for employee_id, email, name in engine.fetchall(
            "SELECT employee_id, email, full_name FROM employees"):
        for key in (email, name):
            if key:
                lookup[str(key).strip().lower()] = employee_id
    users = directory / "User.csv"
    if format == "salesforce" and users.exists():
        for _, rec in read_table(users, ["Id", "Email"], "Salesforce User export").rows:
            employee = lookup.get(rec.get("Email", "").strip().lower())
            if employee:
                lookup[rec["Id"].strip().lower()] = employee
    return lookup


def _read_crm_table(
    path: Path, table: str, columns: dict[str, str], owners: dict[str, str],
    limits: SourcesSettings | None,
) -> tuple[list[dict[str, Any]], list[Problem], int]:
    keys = KEYS[table]
    required = [columns[k] for k in keys if k in columns]
    if len(required) < len(keys):
        raise ConfigError(f"The mapping for {table} must name the column(s) {', '.join(keys)}.")
    data = read_table(path, required, f"{table} export", limits)
    problems = [Problem(p.line, p.column, f"{path.name}: {p.message}", p.severity)
                for p in data.problems]
    missing = [src for src in columns.values() if src not in data.header]
    if missing:
        problems.append(Problem(None, None, f"{path.name}: no column(s) {', '.join(missing)}; "
                                "they stay empty.", "warning"))
    rows = []
    for line, rec in data.rows:
        try:
            rows.append(_convert(rec, columns, owners))
        except ValueError as exc:
            problems.append(Problem(line, None, f"{path.name}: {exc}; row quarantined."))
    return rows, problems, len(data.rows)


def _convert(rec: dict[str, str], columns: dict[str, str],
             owners: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for canonical, source in columns.items():
        text = (rec.get(source) or "").strip()
        value: Any = text or None
        if canonical in DATES:
            value = parse_iso_date(text)
        elif canonical in BOOLS:
            value = parse_bool(text)
        elif canonical in AMOUNTS:
            value = parse_amount(text)
        elif canonical == "owner_employee_id" and text:
            value = owners.get(text.lower(), text)
        elif canonical == "account_id" and text:
            value = text.split(";")[0].strip()
        elif canonical == "domain" and text:
            value = re.sub(r"^(https?://)?(www\.)?", "", text.lower()).split("/")[0]
        row[canonical] = value
    return row


def _hubspot_roles(writes: list[tuple[str, list[dict[str, Any]]]]
                   ) -> list[tuple[str, list[dict[str, Any]]]]:
    """Deals' associated contacts become contact roles with the contact's Buying Role."""
    by_table = dict(writes)
    role_of = {c["contact_id"]: c.get("role") for c in by_table.get("contacts", [])}
    roles = []
    for deal in by_table.get("opportunities", []):
        text = deal.get("contact_ids") or ""
        for contact_id in filter(None, (c.strip() for c in text.split(";"))):
            roles.append({"opportunity_id": deal["opportunity_id"], "contact_id": contact_id,
                          "role": role_of.get(contact_id), "is_primary": None})
        stage = (deal.get("stage") or "").lower().replace(" ", "")
        deal["is_won"] = "closedwon" in stage
        deal["is_closed"] = deal["is_won"] or "closedlost" in stage
    return [*writes, ("contact_roles", roles)]


def _table_write(table: str, rows: list[dict[str, Any]], source: str) -> TableWrite:
    allowed = KEYS[table] + TABLE_COLUMNS[table]
    out = []
    for row in rows:
        if any(row.get(k) is None for k in KEYS[table]):
            continue
        clean = {c: row.get(c) for c in allowed if c != "buying_role"}
        if table == "contact_roles":
            clean["buying_role"] = buying_role(row.get("role"))
        if table not in ("contact_roles", "opportunity_stages"):
            clean["source"] = source
        out.append(clean)
    types = {c: pa.date32() for c in DATES} | {c: pa.bool_() for c in BOOLS} | \
        {"amount": pa.float64()}
    return TableWrite(table, out, KEYS[table], types)

"""Invitations, vCard, CRM, roster, organisation and manifest-driven directory imports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tieguard.errors import ConfigError, InputError, UnrecognisedFormatError
from tieguard.sources import (
    import_crm,
    import_directory,
    import_invitations,
    import_organisation,
    import_roster,
    import_vcard,
)
from tieguard.sources.crm import buying_role
from tieguard.warehouse import table_counts

VCARDS = """BEGIN:VCARD\r
VERSION:3.0\r
N:Weiß;Jürgen;;;\r
FN:Jürgen Weiß\r
ORG:Weiß Maschinenbau GmbH\r
TITLE:Leiter Einkauf\r
URL:https://www.xing.com/profile/Juergen_Weiss\r
REV:20240301T101500Z\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
FN:Marie Curie\r
ORG:Radium SAS\r
END:VCARD\r
"""


def test_invitations(engine, fixtures: Path) -> None:
    report = import_invitations(engine, fixtures / "Invitations.csv", "E1")
    rows = engine.fetchall("SELECT direction, counterpart_name, has_message FROM invitations "
                           "ORDER BY sent_at")
    assert rows == [("incoming", "Lars Andersson", True), ("outgoing", "Anneke de Vries", False)]
    assert report.earliest.isoformat() == "2025-12-24"
    assert import_invitations(engine, fixtures / "Invitations.csv", "E1").already_imported


def test_vcard_ties_without_removals(engine, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_text(VCARDS, encoding="utf-8")
    report = import_vcard(engine, path, "E1")
    assert (report.rows, report.ties, report.latest.isoformat()) == (2, 2, "2024-03-01")
    people = engine.fetchall("SELECT last_name, company FROM tie_people ORDER BY last_name")
    assert people == [("Curie", "Radium SAS"), ("Weiß", "Weiß Maschinenbau GmbH")]
    assert engine.fetchall("SELECT DISTINCT network FROM ties") == [("xing",)]


def test_vcard_refuses_other_files(engine, fixtures: Path) -> None:
    with pytest.raises(UnrecognisedFormatError):
        import_vcard(engine, fixtures / "v2021.csv", "E1")


def test_salesforce(engine, fixtures: Path) -> None:
    import_roster(engine, fixtures / "roster.csv")
    report = import_crm(engine, fixtures / "salesforce", "salesforce")
    assert report.counts["opportunity_stages"] == 3
    assert [p.line for p in report.problems] == [4]  # amount 'lots'
    roles = dict(engine.fetchall("SELECT role, buying_role FROM contact_roles"))
    assert roles == {"Economic Buyer": "economic_buyer", "Decision Maker": "decision_maker",
                     "Technical Buyer": "technical_evaluator", "Chief Happiness Officer": None}
    owner = engine.scalar("SELECT owner_employee_id FROM opportunities WHERE opportunity_id='006A'")
    assert owner == "E1"  # OwnerId -> User.csv e-mail -> roster
    won = engine.fetchall("SELECT is_closed, is_won, amount FROM opportunities "
                          "WHERE opportunity_id = '006A'")
    assert won == [(True, True, 125000.5)]


def test_hubspot_associations(engine, fixtures: Path) -> None:
    import_crm(engine, fixtures / "hubspot", "hubspot")
    roles = engine.fetchall("SELECT opportunity_id, contact_id, buying_role FROM contact_roles "
                            "ORDER BY 1, 2")
    assert roles == [("301", "201", "economic_buyer"), ("301", "202", "decision_maker"),
                     ("302", "202", "decision_maker")]
    assert engine.scalar("SELECT account_id FROM contacts WHERE contact_id = '202'") == "101"


def test_generic_mapping(engine, fixtures: Path, tmp_path: Path) -> None:
    crm = tmp_path / "crm"
    shutil.copytree(fixtures / "salesforce", crm)
    import_crm(engine, crm, "generic", mapping=fixtures / "generic_mapping.yaml")
    assert engine.fetchall("SELECT DISTINCT source FROM accounts") == [("mycrm",)]
    assert engine.scalar("SELECT count(*) FROM contacts") == 3
    with pytest.raises(ConfigError):
        import_crm(engine, crm, "generic")
    with pytest.raises(InputError):
        import_crm(engine, tmp_path / "missing", "salesforce")


@pytest.mark.parametrize(("raw", "label"), [
    ("Decision Maker", "decision_maker"), ("Economic Buyer", "economic_buyer"),
    ("Evaluator", "technical_evaluator"), ("Technical Buyer", "technical_evaluator"),
    ("Executive Sponsor", "decision_maker"), ("Business User", "user"), ("End User", "user"),
    ("Influencer", "user"), ("Procurement", "procurement"), ("Purchasing", "procurement"),
    ("Gatekeeper", "gatekeeper"), ("Assistant", "gatekeeper"), ("Other", None), ("", None),
])
def test_buying_role_mapping(raw: str, label: str | None) -> None:
    assert buying_role(raw) == label


def test_roster_and_privacy(engine, fixtures: Path) -> None:
    roster = import_roster(engine, fixtures / "roster.csv")
    privacy = import_roster(engine, fixtures / "privacy.csv")
    assert (roster.format, privacy.format) == ("roster", "privacy")
    assert [p.line for p in roster.problems] == [4] and [p.line for p in privacy.problems] == [4]
    assert engine.scalar("SELECT country FROM employees WHERE employee_id = 'E1'") == "NL"
    assert engine.fetchall("SELECT connections_visibility FROM privacy_settings "
                           "ORDER BY valid_from") == [("connections",), ("only_me",)]
    assert engine.scalar("SELECT count(*) FROM quarantine") == 2


def test_organisation(engine, fixtures: Path) -> None:
    import_organisation(engine, fixtures / "organisation.toml")
    assert engine.scalar("SELECT value FROM organisation WHERE key='own_name'") == \
        "OurCo Industrial B.V."
    assert engine.fetchall("SELECT name FROM competitors") == [("Rival Pumps GmbH",)]


def test_directory_manifest(engine, fixtures: Path, tmp_path: Path) -> None:
    for name in ("roster.csv", "privacy.csv", "organisation.toml", "current.csv", "v2021.csv",
                 "binary.csv", "Invitations.csv"):
        shutil.copy(fixtures / name, tmp_path / name)
    shutil.copytree(fixtures / "salesforce", tmp_path / "crm")
    (tmp_path / "manifest.json").write_text(json.dumps({
        "organisation": "organisation.toml", "roster": ["roster.csv", "privacy.csv"],
        "crm": {"format": "salesforce", "dir": "crm"},
        "linkedin": [{"employee": "E1", "path": "v2021.csv", "exported_on": "2021-02-01"},
                     {"employee": "M1", "path": "current.csv"},
                     {"employee": "E1", "path": "binary.csv"}],
        "invitations": [{"employee": "E1", "path": "Invitations.csv"}]}))
    steps: list[str] = []
    reports = import_directory(engine, tmp_path, lambda s, d, t: steps.append(s), basis="consent")
    assert len(reports) == 8 and steps
    assert [r.file.endswith("binary.csv") for r in reports if r.error] == [True]
    counts = table_counts(engine)
    again = import_directory(engine, tmp_path, basis="consent")
    assert table_counts(engine) == counts
    assert all(r.already_imported or r.error for r in again)

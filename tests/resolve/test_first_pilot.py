"""A first pilot: a few real-looking exports, a CRM they barely overlap, one scan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tieguard.cli.main import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"

ROSTER = """employee_id,name,email,team,role,country,manager_id,hired_on,left_on,linkedin_url,profile_names_company
E1,Eva Employee,eva@ourco.example,Benelux inside sales,inside_sales,nl,,2019-04-01,,,true
E2,Erik Example,erik@ourco.example,Nordics sales,field_sales,se,,2017-01-01,,,true
E3,Emma Sample,emma@ourco.example,Benelux inside sales,inside_sales,nl,,2016-05-01,,,true
"""
PRIVACY = "employee_id,network,valid_from,connections_visibility\nE1,linkedin,2019-04-01,connections\n"
# A CRM that knows one of the exports' people (under a nickname-free variant) and
# otherwise people nobody is connected to; no e-mail addresses at all.
CRM = {
    "Account.csv": "Id,Name,Website,BillingCountry,Type,Industry,OwnerId\n"
                   "001A,Van Leeuwen Buizen,https://vanleeuwen.example,NL,Customer,Steel,005X\n"
                   "001B,Bolt Valves Ltd,,GB,Prospect,Valves,005X\n",
    "Contact.csv": "Id,AccountId,FirstName,LastName,Title,Email,Phone,MailingCountry,OwnerId\n"
                   "003A,001A,Anneke,Vries,Inkoper,,,NL,005X\n"
                   "003B,001B,Oliver,Bennett,Buyer,,,GB,005X\n"
                   "003C,001B,Amelia,Hughes,Engineer,,,GB,005X\n",
    "Opportunity.csv": "Id,AccountId,Name,StageName,Amount,CurrencyIsoCode,CloseDate,IsClosed,"
                       "IsWon,CreatedDate,OwnerId\n"
                       "006A,001A,Pipes,Closed Won,1000,EUR,2025-06-30,true,true,"
                       "2024-11-02T09:00:00.000Z,005X\n",
    "User.csv": "Id,Name,Email\n005X,Eva Employee,eva@ourco.example\n",
}


def test_first_pilot_scans_without_error(tmp_path: Path) -> None:
    db = str(tmp_path / "pilot.duckdb")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "privacy.csv").write_text(PRIVACY, encoding="utf-8")
    crm = tmp_path / "crm"
    crm.mkdir()
    for name, text in CRM.items():
        (crm / name).write_text(text, encoding="utf-8")
    calls = [["roster", str(tmp_path / "roster.csv"), str(tmp_path / "privacy.csv")],
             ["org", str(FIXTURES / "organisation.toml")],
             ["crm", str(crm), "--format", "salesforce"]]
    for employee, export in (("E1", "current.csv"), ("E2", "v2021.csv"), ("E3", "v2018.csv")):
        shutil.copy(FIXTURES / export, tmp_path / f"{employee}.csv")
        calls.append(["linkedin", str(tmp_path / f"{employee}.csv"), "--employee", employee,
                      "--basis", "consent"])
    for call in calls:
        result = runner.invoke(app, ["import", *call, "--db", db, "--create", "--json"])
        assert result.exit_code == 0, (call, result.output)
    result = runner.invoke(app, ["scan", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["resolve", "review", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    queue = json.loads(result.stdout)
    result = runner.invoke(app, ["resolve", "--db", db, "--json"])
    summary = json.loads(result.stdout)
    assert summary["person_model"] == "shipped"
    linked = summary["matched"] + queue["count"]
    assert linked >= 1  # Anneke de Vries is the one person both sides know

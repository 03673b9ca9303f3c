"""Write the CRM as Salesforce (API-name headers) or HubSpot (display-label headers) CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .config import date_of
from .countries import COUNTRIES
from .pipeline import INDUSTRIES, PRODUCTS, STAGES
from .render import Renderer
from .titles import ROLE_KEYS, ROLES

SF_ROLE = {"decision_maker": "Decision Maker", "economic_buyer": "Economic Buyer", "procurement": "Influencer",
           "technical_evaluator": "Technical Buyer", "user": "Business User", "gatekeeper": "Other"}
HS_ROLE = {"decision_maker": "Decision Maker", "economic_buyer": "Budget Holder", "procurement": "Influencer",
           "technical_evaluator": "Influencer", "user": "End User", "gatekeeper": "Blocker"}
HS_STAGE = ("Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Contract Sent",
            "Closed Won", "Closed Lost")


def sf_id(prefix: str, i: int) -> str:
    return f"{prefix}5g{i:010d}AAB"


def hs_id(base: int, i: int) -> str:
    return str(base + i * 3)


def contact_id(crm_format: str, c: int) -> str:
    return sf_id("003", c) if crm_format == "salesforce" else hs_id(5_100_000_000, c)


def account_id(crm_format: str, a: int) -> str:
    return sf_id("001", a) if crm_format == "salesforce" else hs_id(8_200_000_000, a)


def _primary_role(role: int) -> str:
    buying = ROLES[ROLE_KEYS[role]][2]
    return buying[0] if buying else ""


_DIAL = {"NL": 31, "BE": 32, "DE": 49, "AT": 43, "CH": 41, "FR": 33, "ES": 34, "PT": 351, "IT": 39, "GB": 44,
         "IE": 353, "US": 1, "CA": 1, "MX": 52, "BR": 55, "SE": 46, "DK": 45, "NO": 47, "FI": 358, "PL": 48,
         "CZ": 420, "HU": 36, "RO": 40, "TR": 90, "AU": 61}


def _phone(country: int, h: int) -> str:
    return f"+{_DIAL.get(COUNTRIES[country].code, 44)} {h % 900 + 100} {h * 7 % 9000 + 1000}"


def write_salesforce(out: Path, r: Renderer) -> None:
    crm, reg, emp = r.crm, r.companies, r.emp
    out.mkdir(parents=True, exist_ok=True)
    user = [sf_id("005", i) for i in range(emp.n)]
    rows = [[user[i], f"{r.names.first[emp.first[i]]} {r.names.last[emp.last[i]]}", emp.emails[i]] for i in range(emp.n)]
    _dump(out / "User.csv", ["Id", "Name", "Email"], rows)
    rows = [[sf_id("001", a), reg.crm_name[a], f"www.{reg.domain[a]}", COUNTRIES[int(reg.country[a])].name,
             "Customer" if crm.acc_customer[a] else "Prospect", INDUSTRIES[int(crm.acc_industry[a])],
             user[int(crm.acc_owner[a])]] for a in range(crm.n_accounts)]
    _dump(out / "Account.csv", ["Id", "Name", "Website", "BillingCountry", "Type", "Industry", "OwnerId"], rows)
    rows = []
    for c in range(crm.con_account.size):
        a = int(crm.con_account[c])
        t = int(crm.con_crm_title[c])
        rows.append([sf_id("003", c), sf_id("001", a), r.names.first[crm.con_first[c]], r.names.last[crm.con_last[c]],
                     "" if t < 0 else r.titles.title[t], r.contact_email(c) if crm.con_has_email[c] else "",
                     _phone(int(reg.country[a]), c * 2654435761 % 99991), COUNTRIES[int(reg.country[a])].name,
                     user[int(crm.acc_owner[a])]])
    _dump(out / "Contact.csv", ["Id", "AccountId", "FirstName", "LastName", "Title", "Email", "Phone",
                                "MailingCountry", "OwnerId"], rows)
    rows = []
    for o in range(crm.opp_account.size):
        a, st = int(crm.opp_account[o]), int(crm.opp_stage[o])
        rows.append([sf_id("006", o), sf_id("001", a), f"{reg.base[a]} - {PRODUCTS[int(crm.opp_product[o])]}",
                     STAGES[st], f"{crm.opp_amount[o]:.2f}", "EUR", date_of(int(crm.opp_close[o])).isoformat(),
                     _b(st >= 4), _b(st == 4), f"{date_of(int(crm.opp_created[o])).isoformat()}T09:00:00.000Z",
                     user[int(crm.opp_owner[o])]])
    _dump(out / "Opportunity.csv", ["Id", "AccountId", "Name", "StageName", "Amount", "CurrencyIsoCode", "CloseDate",
                                    "IsClosed", "IsWon", "CreatedDate", "OwnerId"], rows)
    rows = [[sf_id("00K", k), sf_id("006", int(o)), sf_id("003", int(c)),
             SF_ROLE.get(_primary_role(int(crm.con_role[c])), "Other"), _b(bool(p))]
            for k, (o, c, p) in enumerate(zip(crm.ocr_opp, crm.ocr_contact, crm.ocr_primary, strict=True))]
    _dump(out / "OpportunityContactRole.csv", ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"], rows)
    rows = [[sf_id("006", int(o)), STAGES[int(s)], f"{date_of(int(d)).isoformat()}T09:00:00.000Z",
             f"{crm.opp_amount[o]:.2f}", date_of(int(crm.opp_close[o])).isoformat()]
            for o, s, d in zip(crm.stage_opp, crm.stage_idx, crm.stage_on, strict=True)]
    _dump(out / "OpportunityHistory.csv", ["OpportunityId", "StageName", "CreatedDate", "Amount", "CloseDate"], rows)


def write_hubspot(out: Path, r: Renderer) -> None:
    crm, reg, emp = r.crm, r.companies, r.emp
    out.mkdir(parents=True, exist_ok=True)
    rows = [[hs_id(8_200_000_000, a), reg.crm_name[a], reg.domain[a], COUNTRIES[int(reg.country[a])].name,
             INDUSTRIES[int(crm.acc_industry[a])].upper().replace(" & ", "_AND_").replace(" ", "_"),
             "Customer" if crm.acc_customer[a] else "Prospect", emp.emails[int(crm.acc_owner[a])]]
            for a in range(crm.n_accounts)]
    _dump(out / "companies.csv", ["Record ID", "Company name", "Company Domain Name", "Country/Region", "Industry",
                                  "Type", "Company owner"], rows, quote_all=False)
    rows = []
    for c in range(crm.con_account.size):
        a, t = int(crm.con_account[c]), int(crm.con_crm_title[c])
        role = _primary_role(int(crm.con_role[c]))
        rows.append([hs_id(5_100_000_000, c), r.names.first[crm.con_first[c]], r.names.last[crm.con_last[c]],
                     r.contact_email(c) if crm.con_has_email[c] else "", "" if t < 0 else r.titles.title[t],
                     _phone(int(reg.country[a]), c * 2654435761 % 99991), COUNTRIES[int(reg.country[a])].name,
                     HS_ROLE.get(role, ""), hs_id(8_200_000_000, a), emp.emails[int(crm.acc_owner[a])]])
    _dump(out / "contacts.csv", ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Phone Number",
                                 "Country/Region", "Buying Role", "Associated Company IDs", "Contact owner"],
          rows, quote_all=False)
    by_opp = np.searchsorted(crm.ocr_opp, np.arange(crm.opp_account.size + 1))
    rows = []
    for o in range(crm.opp_account.size):
        a, st = int(crm.opp_account[o]), int(crm.opp_stage[o])
        contacts = ";".join(hs_id(5_100_000_000, int(c)) for c in crm.ocr_contact[by_opp[o]:by_opp[o + 1]])
        rows.append([hs_id(9_300_000_000, o), f"{reg.base[a]} - {PRODUCTS[int(crm.opp_product[o])]}", HS_STAGE[st],
                     f"{crm.opp_amount[o]:.2f}", f"{date_of(int(crm.opp_close[o])).isoformat()} 00:00",
                     f"{date_of(int(crm.opp_created[o])).isoformat()} 09:00", "Sales Pipeline",
                     emp.emails[int(crm.opp_owner[o])], hs_id(8_200_000_000, a), contacts])
    _dump(out / "deals.csv", ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Create Date",
                              "Pipeline", "Deal owner", "Associated Company IDs", "Associated Contact IDs"],
          rows, quote_all=False)


def _b(flag: bool) -> str:
    return "true" if flag else "false"


def _dump(path: Path, header: list[str], rows: list[list[str]], quote_all: bool = True) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)

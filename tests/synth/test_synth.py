"""The synthetic organisation: determinism, sizes, variants, truth consistent with the files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from tieguard.errors import ConfigError
from tieguard.synth import generate

VARIANTS = {"linkedin_current", "linkedin_2021", "linkedin_2018", "spreadsheet_resave", "spreadsheet_semicolon"}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate(out, size="small", seed=3)
    return out


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _read_connections(path: Path, fmt: str) -> list[dict[str, str]]:
    raw = path.read_bytes()
    text = raw.decode("cp1252") if fmt == "spreadsheet_semicolon" else raw.decode("utf-8-sig")
    lines = text.splitlines()
    if fmt == "linkedin_current":
        assert lines[0] == "Notes:" and lines[2] == ""
        assert not text.endswith("\n")
        lines = lines[3:]
    delim = ";" if fmt == "spreadsheet_semicolon" else ","
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delim))


def _truth(root: Path, name: str = "ties.csv") -> list[dict[str, str]]:
    with (root / "truth" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_gives_identical_files(small: Path, tmp_path: Path) -> None:
    generate(tmp_path, size="small", seed=3)
    assert _digest(tmp_path) == _digest(small)


def test_other_seed_gives_other_organisation(small: Path, tmp_path: Path) -> None:
    generate(tmp_path, size="small", seed=4)
    assert (tmp_path / "roster.csv").read_bytes() != (small / "roster.csv").read_bytes()


def test_small_size_is_roughly_right(small: Path) -> None:
    summary = json.loads((small / "manifest.json").read_text())["generator"]
    assert summary["employees"] == 20
    assert 1_500 <= summary["ties"] <= 6_000
    assert summary["countries"] >= 20
    assert summary["open_opportunities"] > 0
    assert all(summary["ties_by_kind"][k] > 0 for k in ("customer_contact", "colleague", "recruiter",
                                                        "competitor_staff", "supplier", "friend", "alumni"))


def test_every_linkedin_variant_appears(small: Path) -> None:
    manifest = json.loads((small / "manifest.json").read_text())
    assert {e["format"] for e in manifest["linkedin"]} == VARIANTS
    for entry in manifest["linkedin"]:
        assert (small / entry["path"]).is_file()
    assert manifest["invitations"] and manifest["vcards"]
    assert (small / manifest["vcards"][0]["path"]).read_text().startswith("BEGIN:VCARD")


def test_truth_ties_are_the_rows_of_each_file(small: Path) -> None:
    manifest = json.loads((small / "manifest.json").read_text())
    truth = _truth(small)
    for entry in manifest["linkedin"]:
        rows = _read_connections(small / entry["path"], entry["format"])
        latest = not entry["path"].split("/")[2].startswith("export-")
        column = "in_latest_export" if latest else "in_older_export"
        expected = [t for t in truth if t["employee_id"] == entry["employee"] and t[column] == "true"]
        assert len(rows) == len(expected)
        if latest:  # names and companies as exported
            got = Counter((r["First Name"], r["Last Name"], r["Company"]) for r in rows)
            want = Counter((t["first_name"], t["last_name"], t["company_as_exported"]) for t in expected)
            assert got == want
        hidden = sum(1 for r in rows if not r["First Name"] and not r["Last Name"])
        assert hidden == sum(1 for t in expected if t["kind"] == "hidden_member")


def test_contact_ties_follow_the_pipeline(small: Path) -> None:
    crm = small / "crm" / "salesforce"
    with (crm / "Opportunity.csv").open() as fh:
        opps = {r["Id"]: r for r in csv.DictReader(fh)}
    first_opp: dict[str, str] = {}
    with (crm / "OpportunityContactRole.csv").open() as fh:
        for r in csv.DictReader(fh):
            created = opps[r["OpportunityId"]]["CreatedDate"][:10]
            first_opp[r["ContactId"]] = min(first_opp.get(r["ContactId"], "9999"), created)
    ties = [t for t in _truth(small) if t["kind"] == "customer_contact" and t["truth_contact_id"] in first_opp]
    assert len(ties) > 50
    after = sum(t["connected_on"] >= first_opp[t["truth_contact_id"]] for t in ties)
    assert 0.6 < after / len(ties) < 0.98  # most after the deal starts, some before


def test_legal_forms_and_name_variants(small: Path) -> None:
    accounts = _truth(small, "accounts.csv")
    assert len({a["legal_form"] for a in accounts}) >= 15
    assert len({a["country"] for a in accounts}) >= 20
    assert {"exact", "no_legal_form", "typo", "abbreviated"} <= {a["variant"] for a in accounts}
    assert any(a["crm_name"] != a["linkedin_name"] for a in accounts)


def test_emails_in_connections_match_the_crm(small: Path) -> None:
    with (small / "crm" / "salesforce" / "Contact.csv").open() as fh:
        crm_email = {r["Id"]: r["Email"] for r in csv.DictReader(fh)}
    shown = [t for t in _truth(small) if t["email"] and t["truth_contact_id"]]
    for t in shown:
        if crm_email[t["truth_contact_id"]]:
            assert t["email"] == crm_email[t["truth_contact_id"]]


def test_colleagues_carry_the_roster_profile_url(small: Path) -> None:
    with (small / "roster.csv").open() as fh:
        urls = {r["linkedin_url"] for r in csv.DictReader(fh)}
    colleagues = [t for t in _truth(small) if t["kind"] == "colleague" and t["profile_url"]]
    assert colleagues and all(t["profile_url"] in urls for t in colleagues)


def test_truth_labels_are_the_contract(small: Path) -> None:
    from tieguard.labels import BUYING_ROLES, FUNCTIONS, SENIORITY

    for t in _truth(small, "titles.csv") + _truth(small):
        assert t.get("seniority", t.get("true_seniority")) in SENIORITY
        assert t.get("function", t.get("true_function")) in FUNCTIONS
        roles = t.get("buying_roles", t.get("true_buying_roles")) or ""
        assert all(r in BUYING_ROLES for r in roles.split("|") if r)


def test_hubspot_and_hard_mode(tmp_path: Path, small: Path) -> None:
    generate(tmp_path, size="small", seed=3, hard=True, crm="hubspot")
    with (tmp_path / "crm" / "hubspot" / "deals.csv").open() as fh:
        deals = list(csv.DictReader(fh))
    assert deals and {"Deal Stage", "Associated Contact IDs"} <= set(deals[0])
    changed = sum(c["name_variant"] != "none" for c in _truth(tmp_path, "contacts.csv"))
    changed_default = sum(c["name_variant"] != "none" for c in _truth(small, "contacts.csv"))
    assert changed > 2 * changed_default


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="size"):
        generate(tmp_path, size="huge")


def test_scaled_organisation_keeps_the_proportions(tmp_path: Path, small: Path) -> None:
    base = json.loads((small / "manifest.json").read_text())["generator"]
    summary = generate(tmp_path, size="small", seed=3, employees=60)
    assert summary["employees"] == 60
    assert 2.2 < summary["ties"] / base["ties"] < 3.8  # three times the staff, about three times the ties
    assert 2.2 < summary["accounts"] / base["accounts"] < 3.8

"""The LinkedIn export zip, imported directly; hostile zips refused."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tieguard.cli.main import app
from tieguard.errors import InputError
from tieguard.sources import import_connections, import_linkedin_zip, import_organisation
from tieguard.sources.linkedin_zip import employment_from_positions
from tieguard.warehouse import table_counts

CONNECTIONS = ("Notes:\n\"When exporting...\"\n\n"
               "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
               "Anna,Berg,https://www.linkedin.com/in/anna,,Acme,Buyer,05 Jan 2026\n"
               "Bo,Lund,https://www.linkedin.com/in/bo,,Acme,Buyer,04 Jan 2025")
INVITATIONS = ("From,To,Sent At,Message,Direction\n"
               "Eva Example,Anna Berg,\"1/3/26, 6:14 PM\",,OUTGOING\n")
PROFILE = ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry\n"
           "Eva,Example,,,,Key account manager at Tiegard Industries GmbH,,Machinery\n")
POSITIONS = ("Company Name,Title,Description,Location,Started On,Finished On\n"
             "Tiegard Industries,Key account manager,,,Mar 2019,\n"
             "Tiegard Industries GmbH,Sales engineer,,,Jan 2017,Feb 2019\n"
             "Other AG,Intern,,,Jun 2015,Dec 2016\n")


def _zip(path: Path, members: dict[str, str | bytes], **kwargs: object) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content, **kwargs)  # type: ignore[arg-type]
    return path


def _setup(engine, tmp_path: Path, hired_on: str = "") -> None:
    org = tmp_path / "organisation.toml"
    org.write_text('[organisation]\nname = "Tiegard Industries GmbH"\n', encoding="utf-8")
    import_organisation(engine, org)
    roster = tmp_path / "roster.csv"
    roster.write_text(f"employee_id,name,hired_on\nE1,Eva Example,{hired_on}\n", encoding="utf-8")
    from tieguard.sources import import_roster

    import_roster(engine, roster)


def test_the_export_zip_imports_its_members(engine, tmp_path: Path) -> None:
    _setup(engine, tmp_path)
    export = _zip(tmp_path / "Complete_LinkedInDataExport_01-05-2026.zip", {
        "Connections.csv": CONNECTIONS, "Invitations.csv": INVITATIONS,
        "Profile.csv": PROFILE, "Positions.csv": POSITIONS, "messages.csv": "x"})
    reports = import_linkedin_zip(engine, export, "E1")
    assert [r.kind for r in reports] == ["linkedin_connections", "linkedin_invitations",
                                         "linkedin_profile"]
    assert reports[0].ties == 2 and reports[0].file.endswith(".zip!Connections.csv")
    assert engine.scalar("SELECT count(*) FROM invitations") == 1
    assert engine.fetchone("SELECT hired_on, left_on FROM employees") == (dt.date(2017, 1, 1),
                                                                          None)
    assert engine.scalar("SELECT shows_company FROM profiles WHERE employee_id = 'E1'") is True
    # the same zip again, or its Connections.csv alone, changes nothing
    counts = table_counts(engine)
    assert import_linkedin_zip(engine, export, "E1")[0].already_imported
    loose = tmp_path / "Connections.csv"
    loose.write_text(CONNECTIONS, encoding="utf-8")
    assert import_connections(engine, loose, "E1").already_imported
    assert table_counts(engine) == counts


def test_the_roster_wins_over_positions(engine, tmp_path: Path) -> None:
    _setup(engine, tmp_path, hired_on="2018-06-01")
    export = _zip(tmp_path / "Basic_LinkedInDataExport.zip",
                  {"Connections.csv": CONNECTIONS, "Positions.csv": POSITIONS})
    import_linkedin_zip(engine, export, "E1")
    assert engine.scalar("SELECT hired_on FROM employees") == dt.date(2018, 6, 1)


def test_positions_give_employment_at_our_company() -> None:
    rows = [{"Company Name": "Tiegard Industries", "Started On": "Mar 2019",
             "Finished On": "Feb 2021"},
            {"Company Name": "tiegard industries gmbh", "Started On": "2017",
             "Finished On": "Jan 2019"},
            {"Company Name": "Tiegardener Ltd", "Started On": "Jan 2010", "Finished On": ""}]
    hired, left, problems = employment_from_positions(rows, "Tiegard Industries GmbH")
    assert (hired, left, problems) == (dt.date(2017, 1, 1), dt.date(2021, 2, 28), [])


@pytest.mark.parametrize(("members", "needle"), [
    ({"../../evil/Connections.csv": CONNECTIONS}, "path traversal"),
    ({"/etc/Connections.csv": CONNECTIONS}, "path traversal"),
    ({"Connections.csv": CONNECTIONS + "\n" + "a" * 5_000_000}, "zip bomb"),
    ({"Messages.csv": "x"}, "holds no Connections.csv"),
])
def test_hostile_zips_are_refused(engine, tmp_path: Path, members: dict[str, str],
                                  needle: str) -> None:
    export = _zip(tmp_path / "export.zip", members)
    before = table_counts(engine)
    with pytest.raises(InputError, match=needle):
        import_linkedin_zip(engine, export, "E1")
    assert table_counts(engine) == before


def test_cli_takes_the_zip_and_other_commands_say_unzip_it(tmp_path: Path) -> None:
    export = _zip(tmp_path / "export.zip", {"Connections.csv": CONNECTIONS})
    db = str(tmp_path / "w.duckdb")
    runner = CliRunner()
    result = runner.invoke(app, ["import", "linkedin", "--basis", "consent", str(export), "--employee", "E1",
                                 "--db", db, "--create", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ties"] == 2
    wrong = runner.invoke(app, ["import", "invitations", "--basis", "consent", str(export), "--employee", "E1",
                                "--db", db])
    assert wrong.exit_code == 3 and "unzip it" in wrong.output.lower().replace("\n", " ")

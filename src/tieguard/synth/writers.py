"""Write LinkedIn exports (every variant), invitations, vCards, roster and organisation files."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .config import COMPETITORS, OWN_COMPANY, date_of
from .network import OLD_VARIANTS, PRIMARY_VARIANTS, Snapshots
from .org import TEAMS, Employees
from .render import Renderer

NOTES = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses '
         "are missing. You will only see email addresses for connections who have allowed their connections "
         "to see or download their email address using this setting "
         'https://www.linkedin.com/psettings/privacy/email. You can learn more here '
         'https://www.linkedin.com/help/linkedin/answer/261"\n\n')
HEAD7 = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
HEAD6 = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Row = tuple[str, str, str, str, str, str]


def format_date(variant: str, d: dt.date, h: int) -> str:
    """``Connected On`` as the variant writes it (``h`` picks a time of day for 2018)."""
    if variant in ("linkedin_current", "linkedin_2021"):
        return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}"
    if variant == "linkedin_2018":
        hour, minute = 7 + h % 12, (h // 12) % 60
        return f"{d.month}/{d.day}/{d.year % 100:02d}, {(hour - 1) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"
    if variant == "spreadsheet_resave":
        return f"{d.day}-{_MONTHS[d.month - 1]}-{d.year % 100:02d}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def as_exported(variant: str, value: str) -> str:
    """The string a reader finds in the file (cp1252 files lose what cp1252 cannot hold)."""
    if variant == "spreadsheet_semicolon":
        return value.encode("cp1252", errors="replace").decode("cp1252")
    return value


def _vesc(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard_text(row: Row, country: str, connected: dt.date, xing_slug: str) -> str:
    first, last, _, email, company, position = row
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{_vesc(last)};{_vesc(first)};;;", f"FN:{_vesc(f'{first} {last}')}"]
    if company:
        lines.append(f"ORG:{_vesc(company)}")
    if position:
        lines.append(f"TITLE:{_vesc(position)}")
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{email}")
    lines += [f"URL:https://www.xing.com/profile/{xing_slug}", f"ADR;TYPE=WORK:;;;;;;{_vesc(country)}",
              f"REV:{connected.isoformat()}T00:00:00Z", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def write_roster(out: Path, r: Renderer, emp: Employees) -> None:
    from .countries import COUNTRIES

    with (out / "roster.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["employee_id", "name", "email", "team", "role", "country", "manager_id", "hired_on",
                    "left_on", "linkedin_url", "profile_names_company"])
        for i in range(emp.n):
            w.writerow([emp.ids[i], f"{r.names.first[emp.first[i]]} {r.names.last[emp.last[i]]}", emp.emails[i],
                        TEAMS[int(emp.team[i])][0], emp.role(i), COUNTRIES[int(emp.country[i])].code, emp.manager[i],
                        date_of(int(emp.hired[i])).isoformat(),
                        date_of(int(emp.left[i])).isoformat() if emp.left[i] >= 0 else "",
                        f"https://www.linkedin.com/in/{emp.slugs[i]}", "true" if emp.names_company[i] else "false"])
    with (out / "privacy.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["employee_id", "network", "valid_from", "connections_visibility"])
        for eid, valid_from, vis in emp.privacy:
            w.writerow([eid, "linkedin", valid_from, vis])


def write_organisation(out: Path) -> None:
    name, domain = OWN_COMPANY
    lines = ["[organisation]", f'name = "{name}"', f'domain = "{domain}"', 'country = "NL"', ""]
    for c_name, c_domain in COMPETITORS:
        lines += ["[[competitors]]", f'name = "{c_name}"', f'domain = "{c_domain}"', ""]
    (out / "organisation.toml").write_text("\n".join(lines), encoding="utf-8")


def snapshot_paths(emp: Employees, snaps: Snapshots) -> list[dict[str, str]]:
    """Manifest entries for every LinkedIn export, older snapshots first."""
    entries: list[dict[str, str]] = []
    for e in range(emp.n):
        eid = emp.ids[e]
        if snaps.old_on[e] >= 0:
            on = date_of(int(snaps.old_on[e])).isoformat()
            entries.append({"employee": eid, "path": f"linkedin/{eid}/export-{on}/Connections.csv",
                            "exported_on": on, "format": OLD_VARIANTS[int(snaps.old_variant[e])]})
        entries.append({"employee": eid, "path": f"linkedin/{eid}/Connections.csv",
                        "exported_on": date_of(int(snaps.end[e])).isoformat(),
                        "format": PRIMARY_VARIANTS[int(snaps.variant[e])]})
    return entries


ProgressFn = Callable[[str, int, int], None] | None

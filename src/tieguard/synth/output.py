"""Write every employee's exports and the ground truth in one streaming pass."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from .companies import ACCOUNT
from .config import date_of
from .countries import COUNTRIES
from .crm import account_id, contact_id
from .exports import Block, FileOptions, connection_files, invitation_files, truth_lines
from .network import Snapshots, Ties
from .people import KINDS
from .render import Renderer, _h
from .texts import people_text
from .titles import truth_of
from .writers import ProgressFn, vcard_text

TIE_COLUMNS = ["employee_id", "network", "person_id", "first_name", "last_name", "company_as_exported",
               "position_as_exported", "profile_url", "email", "connected_on", "kind", "truth_contact_id",
               "truth_account_id", "current_account_id", "true_seniority", "true_function", "true_buying_roles",
               "initiated_by", "in_latest_export", "in_older_export", "removed_on"]
_CHUNK = 500  # employees per block of rendered rows


class TruthWriter:
    def __init__(self, r: Renderer, crm_format: str, path: Path) -> None:
        self.r, self.fmt = r, crm_format
        self.fh = path.open("w", newline="", encoding="utf-8")
        self.w = csv.writer(self.fh, lineterminator="\n")
        self.w.writerow(TIE_COLUMNS)

    def person_truth(self, p: int) -> list[str]:
        if p < 0:
            return ["", "hidden_member", "", "", "", "unknown", "unknown", ""]
        pe = self.r.people
        con, acc, comp, title = int(pe.contact[p]), int(pe.account[p]), int(pe.company[p]), int(pe.title[p])
        current = comp if comp >= 0 and self.r.companies.kind[comp] == ACCOUNT else -1
        sen, fun, roles = truth_of(int(self.r.titles.role[title])) if title >= 0 else ("unknown", "unknown", "")
        return [str(p), KINDS[int(pe.kind[p])], contact_id(self.fmt, con) if con >= 0 else "",
                account_id(self.fmt, acc) if acc >= 0 else "",
                account_id(self.fmt, current) if current >= 0 else "", sen, fun, roles]

    def close(self) -> None:
        self.fh.close()


def write_networks(out: Path, r: Renderer, ties: Ties, snaps: Snapshots, crm_format: str,
                   rng: np.random.Generator, on_progress: ProgressFn) -> dict[str, Any]:
    """Connections.csv (+ older snapshots), Invitations.csv, truth/ties.csv. Returns manifest lists.

    Employees are written in blocks: the block's rows are rendered a column at a time
    (:mod:`.exports`), from every person's strings made once (:mod:`.texts`)."""
    emp = r.emp
    invited = rng.random(emp.n) < 0.3
    invited[: min(3, emp.n)] = True
    inv_urls = rng.random(emp.n) < 0.6
    bom = rng.random(emp.n) < 0.15
    crlf = rng.random(emp.n) < 0.2
    names = [f"{r.names.first[emp.first[i]]} {r.names.last[emp.last[i]]}" for i in range(emp.n)]
    opts = FileOptions(emp.ids, names, emp.slugs, bom, crlf, invited, inv_urls)
    text = people_text(r, crm_format)
    bounds = np.searchsorted(ties.emp, np.arange(emp.n + 1))
    invitations: list[dict[str, str]] = []
    with (out / "truth" / "ties.csv").open("wb") as truth:
        truth.write((",".join(TIE_COLUMNS) + "\n").encode())
        for first in range(0, emp.n, _CHUNK):
            if on_progress:
                on_progress("write exports", first, emp.n)
            stop = min(first + _CHUNK, emp.n)
            block = Block.of(ties, text, first, stop, int(bounds[first]), int(bounds[stop]))
            connection_files(out, text, block, snaps, opts)
            truth.write(truth_lines(text, block, snaps, opts))
            invitations += invitation_files(out, text, block, snaps, opts)
    if on_progress:
        on_progress("write exports", emp.n, emp.n)
    return {"invitations": invitations}


def write_vcards(out: Path, r: Renderer, ties: Ties, crm_format: str, count: int, per_employee: int,
                 rng: np.random.Generator) -> list[dict[str, str]]:
    """A few XING single-contact vCards, preferably from staff in DACH; truth rows appended."""
    emp = r.emp
    dach = [i for i in range(emp.n) if COUNTRIES[int(emp.country[i])].code in ("DE", "AT", "CH")]
    rest = [i for i in range(emp.n) if i not in set(dach)]
    chosen = (dach + rest)[:count]
    truth = TruthWriter(r, crm_format, out / "truth" / "xing_ties.csv")
    entries: list[dict[str, str]] = []
    bounds = np.searchsorted(ties.emp, np.arange(emp.n + 1))
    for e in chosen:
        idx = np.arange(bounds[e], bounds[e + 1])
        idx = idx[(ties.person[idx] >= 0) & ties.in_primary[idx]]
        if idx.size == 0:
            continue
        pick = rng.choice(idx, size=min(per_employee, idx.size), replace=False)
        for k in sorted(pick.tolist()):
            p = int(ties.person[k])
            row = r.row(p)
            d = date_of(int(ties.date[k]) - _h(p) % 90)
            slug = f"{row[0]}_{row[1]}".replace(" ", "_")
            slug = "".join(ch for ch in slug if ch.isalnum() or ch == "_")[:40] + f"{_h(p) % 1000}"
            path = f"vcards/{emp.ids[e]}/{p}.vcf"
            country = COUNTRIES[int(r.people.country[p])].name
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(vcard_text(row, country, d, slug).encode("utf-8"))
            entries.append({"employee": emp.ids[e], "path": path})
            pt = truth.person_truth(p)
            truth.w.writerow([emp.ids[e], "xing", pt[0], row[0], row[1], row[4], row[5],
                              f"https://www.xing.com/profile/{slug}", row[3], d.isoformat(), *pt[1:],
                              "employee", "true", "false", ""])
    truth.close()
    return entries

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
from .network import OLD_VARIANTS, PRIMARY_VARIANTS, Snapshots, Ties
from .people import KINDS
from .render import Renderer, _h
from .titles import truth_of
from .writers import (
    ProgressFn,
    Row,
    as_exported,
    connections_text,
    employee_slices,
    format_date,
    invitation_rows,
    invitations_text,
    vcard_text,
    write_text,
)

TIE_COLUMNS = ["employee_id", "network", "person_id", "first_name", "last_name", "company_as_exported",
               "position_as_exported", "profile_url", "email", "connected_on", "kind", "truth_contact_id",
               "truth_account_id", "current_account_id", "true_seniority", "true_function", "true_buying_roles",
               "initiated_by", "in_latest_export", "in_older_export", "removed_on"]
_CHUNK = 250  # employees per render cache


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
    """Connections.csv (+ older snapshots), Invitations.csv, truth/ties.csv. Returns manifest lists."""
    emp = r.emp
    truth = TruthWriter(r, crm_format, out / "truth" / "ties.csv")
    invited = rng.random(emp.n) < 0.3
    invited[: min(3, emp.n)] = True
    inv_urls = rng.random(emp.n) < 0.6
    bom = rng.random(emp.n) < 0.15
    crlf = rng.random(emp.n) < 0.2
    invitations: list[dict[str, str]] = []
    cache: dict[int, Row] = {}
    for e, lo, hi in employee_slices(ties, emp.n):
        if e % _CHUNK == 0:
            cache.clear()
            if on_progress:
                on_progress("write exports", e, emp.n)
        t = ties.take(np.arange(lo, hi))
        rows = [cache[p] if p in cache else cache.setdefault(p, r.row(p)) for p in t.person.tolist()]
        _write_snapshots(out, r, e, t, rows, snaps, bool(bom[e]), bool(crlf[e]), truth)
        if invited[e]:
            recent = (t.date >= snaps.end[e] - 365) & (t.person >= 0) & t.in_primary
            if recent.any():
                text = invitations_text(invitation_rows(r, emp, e, t.person[recent], t.date[recent],
                                                        t.by_employee[recent], bool(inv_urls[e])), bool(inv_urls[e]))
                path = f"linkedin/{emp.ids[e]}/Invitations.csv"
                write_text(out / path, text, "linkedin_current", False)
                invitations.append({"employee": emp.ids[e], "path": path})
    truth.close()
    if on_progress:
        on_progress("write exports", emp.n, emp.n)
    return {"invitations": invitations}


def _write_snapshots(out: Path, r: Renderer, e: int, t: Ties, rows: list[Row], snaps: Snapshots,
                     bom: bool, crlf: bool, truth: TruthWriter) -> None:
    eid = r.emp.ids[e]
    variant = PRIMARY_VARIANTS[int(snaps.variant[e])]
    old_variant = OLD_VARIANTS[int(snaps.old_variant[e])] if snaps.old_on[e] >= 0 else ""
    dates = [date_of(d) for d in t.date.tolist()]
    hs = [_h(p + e) for p in t.person.tolist()]
    keep = t.in_primary.tolist()
    text = connections_text(variant, [x for x, k in zip(rows, keep, strict=True) if k],
                            [format_date(variant, d, h) for d, h, k in zip(dates, hs, keep, strict=True) if k],
                            crlf or variant.startswith("spreadsheet"))
    write_text(out / f"linkedin/{eid}/Connections.csv", text, variant, bom and variant != "spreadsheet_semicolon")
    if old_variant:
        old = t.in_old.tolist()
        on = date_of(int(snaps.old_on[e])).isoformat()
        text = connections_text(old_variant, [x for x, k in zip(rows, old, strict=True) if k],
                                [format_date(old_variant, d, h) for d, h, k in zip(dates, hs, old, strict=True) if k],
                                crlf)
        write_text(out / f"linkedin/{eid}/export-{on}/Connections.csv", text, old_variant, False)
    end = date_of(int(snaps.end[e])).isoformat()
    for i, p in enumerate(t.person.tolist()):
        first, last, url, email, company, position = rows[i]
        v = variant if keep[i] else old_variant
        if v in ("linkedin_2021", "linkedin_2018"):
            url = ""
        pt = truth.person_truth(p)
        truth.w.writerow([eid, "linkedin", pt[0], as_exported(v, first), as_exported(v, last),
                          as_exported(v, company), as_exported(v, position), url, email, dates[i].isoformat(),
                          *pt[1:], "employee" if t.by_employee[i] else "other",
                          "true" if keep[i] else "false", "true" if t.in_old[i] else "false",
                          "" if keep[i] else end])


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

"""The generator's earlier row-by-row writers, kept as the reference for the bulk writers.

Every function here renders one row at a time through
:class:`tieguard.synth.render.Renderer` and Python's ``csv.writer``, as the generator did
before it wrote whole columns (``tieguard.synth.exports``); the tests require the two to
produce the same bytes.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from tieguard.synth.config import date_of
from tieguard.synth.exports import FileOptions
from tieguard.synth.network import OLD_VARIANTS, PRIMARY_VARIANTS, Snapshots, Ties
from tieguard.synth.output import TruthWriter
from tieguard.synth.render import Renderer, _h
from tieguard.synth.writers import HEAD6, HEAD7, NOTES, Row, as_exported, format_date


def connections_text(variant: str, rows: list[Row], dates: list[str], crlf: bool) -> str:
    """One Connections.csv as text, rows already newest first."""
    buf = io.StringIO()
    eol = "\r\n" if crlf else "\n"
    delim = ";" if variant == "spreadsheet_semicolon" else ","
    writer = csv.writer(buf, delimiter=delim, lineterminator=eol)
    six = variant in ("linkedin_2021", "linkedin_2018")
    writer.writerow(HEAD6 if six else HEAD7)
    for (first, last, url, email, company, position), date in zip(rows, dates, strict=True):
        if six:
            writer.writerow([first, last, email, company, position, date])
        else:
            writer.writerow([first, last, url, email, company, position, date])
    text = buf.getvalue()
    if variant == "linkedin_current":
        text = NOTES.replace("\n", eol) + text[: -len(eol)]  # no final newline
    return text


def file_bytes(text: str, variant: str, bom: bool) -> bytes:
    if variant == "spreadsheet_semicolon":
        return text.encode("cp1252", errors="replace")
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def employee_files(r: Renderer, ties: Ties, snaps: Snapshots, opts: FileOptions, e: int) -> dict[str, bytes]:
    """Path -> bytes of employee ``e``'s Connections.csv files."""
    idx = np.flatnonzero(ties.emp == e)
    t = ties.take(idx)
    rows = [r.row(p) for p in t.person.tolist()]
    dates = [date_of(d) for d in t.date.tolist()]
    hs = [_h(p + e) for p in t.person.tolist()]
    eid = r.emp.ids[e]
    variant = PRIMARY_VARIANTS[int(snaps.variant[e])]
    out: dict[str, bytes] = {}
    for name, v, mask, crlf, bom in (
        ("Connections.csv", variant, t.in_primary, bool(opts.crlf[e]) or variant.startswith("spreadsheet"),
         bool(opts.bom[e]) and variant != "spreadsheet_semicolon"),
        (f"export-{date_of(int(snaps.old_on[e])).isoformat()}/Connections.csv",
         OLD_VARIANTS[int(snaps.old_variant[e])], t.in_old, bool(opts.crlf[e]), False),
    ):
        if name.startswith("export-") and snaps.old_on[e] < 0:
            continue
        keep = mask.tolist()
        text = connections_text(v, [x for x, k in zip(rows, keep, strict=True) if k],
                                [format_date(v, d, h) for d, h, k in zip(dates, hs, keep, strict=True) if k], crlf)
        out[f"linkedin/{eid}/{name}"] = file_bytes(text, v, bom)
    return out


def truth_rows(r: Renderer, ties: Ties, snaps: Snapshots, crm_format: str, e: int) -> list[list[str]]:
    """Employee ``e``'s rows of truth/ties.csv."""
    writer = TruthWriter.__new__(TruthWriter)
    writer.r, writer.fmt = r, crm_format
    t = ties.take(np.flatnonzero(ties.emp == e))
    variant = PRIMARY_VARIANTS[int(snaps.variant[e])]
    old_variant = OLD_VARIANTS[int(snaps.old_variant[e])] if snaps.old_on[e] >= 0 else ""
    end = date_of(int(snaps.end[e])).isoformat()
    out = []
    for i, p in enumerate(t.person.tolist()):
        first, last, url, email, company, position = r.row(p)
        keep = bool(t.in_primary[i])
        v = variant if keep else old_variant
        if v in ("linkedin_2021", "linkedin_2018"):
            url = ""
        pt = writer.person_truth(p)
        out.append([r.emp.ids[e], "linkedin", pt[0], as_exported(v, first), as_exported(v, last),
                    as_exported(v, company), as_exported(v, position), url, email,
                    date_of(int(t.date[i])).isoformat(), *pt[1:], "employee" if t.by_employee[i] else "other",
                    "true" if keep else "false", "true" if t.in_old[i] else "false", "" if keep else end])
    return out


def invitations_file(r: Renderer, ties: Ties, snaps: Snapshots, opts: FileOptions, e: int) -> bytes | None:
    """Employee ``e``'s Invitations.csv (None when not invited or nobody recent)."""
    t = ties.take(np.flatnonzero(ties.emp == e))
    recent = (t.date >= snaps.end[e] - 365) & (t.person >= 0) & t.in_primary
    if not opts.invited[e] or not recent.any():
        return None
    emp, with_urls = r.emp, bool(opts.invitation_urls[e])
    me = f"{r.names.first[emp.first[e]]} {r.names.last[emp.last[e]]}"
    my_url = f"https://www.linkedin.com/in/{emp.slugs[e]}"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["From", "To", "Sent At", "Message", "Direction"]
                    + (["inviterProfileUrl", "inviteeProfileUrl"] if with_urls else []))
    for p, d, mine in zip(t.person[recent].tolist(), t.date[recent].tolist(), t.by_employee[recent].tolist(),
                          strict=True):
        first, last = r.name(p)
        other, url = f"{first} {last}", r.url(p)
        h = (p * 7919 + e) & 0xFFFF
        stamp = format_date("linkedin_2018", date_of(d - h % 6), h)
        msg = "" if h % 5 else f"Hi {first}, great to meet you at the trade fair, let's stay in touch."
        row = [me, other, stamp, msg, "OUTGOING"] if mine else [other, me, stamp, msg, "INCOMING"]
        if with_urls:
            row += [my_url, url] if mine else [url, my_url]
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")

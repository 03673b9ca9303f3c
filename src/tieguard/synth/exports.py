"""LinkedIn exports and ``truth/ties.csv`` of a block of employees, a column at a time.

Byte for byte what Python's ``csv.writer`` makes of the rows one at a time (the
row-by-row writer of earlier versions is kept in ``tests/synth`` as the reference the
files are compared with). The rows of a block of employees are rendered together, and
each file is a slice of the rendered lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .bulk import TRUE_FALSE, byte_slices, csv_lines, day_lookup, h32, strings, take
from .config import date_of
from .network import OLD_VARIANTS, PRIMARY_VARIANTS, Snapshots, Ties
from .texts import PeopleText
from .writers import HEAD6, HEAD7, NOTES, as_exported, format_date

__all__ = ["Block", "FileOptions", "connection_files", "truth_lines", "invitation_files"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SIX = ("linkedin_2021", "linkedin_2018")


@dataclass(frozen=True)
class FileOptions:
    """Per employee: export quirks drawn once for the organisation."""

    ids: list[str]
    names: list[str]  # full names (invitations)
    slugs: list[str]
    bom: np.ndarray
    crlf: np.ndarray
    invited: np.ndarray
    invitation_urls: np.ndarray


@dataclass(frozen=True)
class Block:
    """The ties of employees ``first..stop-1`` (contiguous in ``Ties``, newest first)."""

    first: int
    stop: int
    emp: np.ndarray
    person: np.ndarray
    rows: np.ndarray  # PeopleText row of each tie
    date: np.ndarray
    by_employee: np.ndarray
    in_primary: np.ndarray
    in_old: np.ndarray

    @staticmethod
    def of(ties: Ties, text: PeopleText, first: int, stop: int, lo: int, hi: int) -> Block:
        person = ties.person[lo:hi]
        return Block(first, stop, ties.emp[lo:hi], person, text.rows(person), ties.date[lo:hi],
                     ties.by_employee[lo:hi], ties.in_primary[lo:hi], ties.in_old[lo:hi])


def _date_2018(days: np.ndarray, h: np.ndarray) -> pa.Array:
    """``format_date("linkedin_2018", day, h)`` for each row (date part, then time of day)."""
    dates = day_lookup(days, lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}, ")
    times = strings([f"{(hour - 1) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"
                     for hour in range(7, 19) for minute in range(60)])
    return pc.binary_join_element_wise(dates, take(times, (h % 12) * 60 + (h // 12) % 60), "")


def connected_on(variant: str, days: np.ndarray, h: np.ndarray) -> pa.Array:
    """``Connected On`` as the variant writes it, for each row."""
    if variant == "linkedin_2018":
        return _date_2018(days, h)
    return day_lookup(days, lambda d: format_date(variant, d, 0))


def _lines(text: PeopleText, b: Block, sel: np.ndarray, variant: str, eol: str) -> pa.Array:
    rows, person = b.rows[sel], b.person[sel]
    columns = [take(text.first, rows), take(text.last, rows)]
    if variant not in _SIX:
        columns.append(take(text.url, rows))
    columns += [take(getattr(text, c), rows) for c in ("email", "company", "position")]
    columns.append(connected_on(variant, b.date[sel], h32(person.astype(np.int64) + b.emp[sel])))
    return csv_lines(columns, ";" if variant == "spreadsheet_semicolon" else ",", eol)


def _file_bytes(body: bytes, variant: str, eol: str, bom: bool) -> bytes:
    delim = ";" if variant == "spreadsheet_semicolon" else ","
    text = (delim.join(HEAD6 if variant in _SIX else HEAD7) + eol).encode() + body
    if variant == "linkedin_current":
        text = NOTES.replace("\n", eol).encode() + text[: -len(eol)]
    if variant == "spreadsheet_semicolon":
        return text.decode("utf-8").encode("cp1252", errors="replace")
    return (b"\xef\xbb\xbf" if bom else b"") + text


def _employee_slices(b: Block, sel: np.ndarray, employees: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    emp = b.emp[sel]
    return np.searchsorted(emp, employees, "left"), np.searchsorted(emp, employees, "right")


def connection_files(out: Path, text: PeopleText, b: Block, snaps: Snapshots, opts: FileOptions) -> None:
    """Write every ``Connections.csv`` (primary and older snapshot) of the block's employees."""
    employees = np.arange(b.first, b.stop)
    primary = [(PRIMARY_VARIANTS[int(v)], "\r\n" if c or v > 0 else "\n", False)
               for v, c in zip(snaps.variant[employees], opts.crlf[employees], strict=True)]
    has_old = snaps.old_on[employees] >= 0
    for old in (False, True):
        keys = primary if not old else [
            (OLD_VARIANTS[int(snaps.old_variant[e])], "\r\n" if opts.crlf[e] else "\n", True)
            for e in employees[has_old]]
        group_emps = employees if not old else employees[has_old]
        for key in sorted(set(keys)):
            variant, eol, _ = key
            chosen = group_emps[np.array([k == key for k in keys], bool)]
            sel = (b.in_old if old else b.in_primary) & np.isin(b.emp, chosen)
            starts, stops = _employee_slices(b, sel, chosen)
            bodies = byte_slices(_lines(text, b, sel, variant, eol), starts, stops)
            for e, body in zip(chosen.tolist(), bodies, strict=True):
                eid = opts.ids[e]
                if old:
                    path = out / f"linkedin/{eid}/export-{date_of(int(snaps.old_on[e])).isoformat()}/Connections.csv"
                else:
                    path = out / f"linkedin/{eid}/Connections.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(_file_bytes(body, variant, eol, bool(opts.bom[e]) and not old))


def _semicolon_text(column: pa.Array, semicolon: np.ndarray) -> pa.Array:
    """``as_exported("spreadsheet_semicolon", value)`` where ``semicolon`` (cp1252 loses
    what it cannot hold; ASCII text is unchanged)."""
    rows = semicolon & ~pc.string_is_ascii(column).to_numpy(zero_copy_only=False)
    if not rows.any():
        return column
    idx = np.flatnonzero(rows)
    subset = take(column, idx)
    distinct = pc.unique(subset)
    mapped = strings([as_exported("spreadsheet_semicolon", v) for v in distinct.to_pylist()])
    return pc.replace_with_mask(column, pa.array(rows), pc.take(mapped, pc.index_in(subset, value_set=distinct)))


def truth_lines(text: PeopleText, b: Block, snaps: Snapshots, opts: FileOptions) -> bytes:
    """The block's rows of ``truth/ties.csv`` (see :data:`tieguard.synth.output.TIE_COLUMNS`)."""
    keep = b.in_primary
    semicolon = keep & (snaps.variant[b.emp] == PRIMARY_VARIANTS.index("spreadsheet_semicolon"))
    r = b.rows
    shown = [_semicolon_text(take(getattr(text, c), r), semicolon)
             for c in ("first", "last", "company", "position")]
    url = pc.if_else(pa.array(keep), take(text.url, r), "")
    end = day_lookup(snaps.end[b.emp], lambda d: d.isoformat())
    columns = [take(strings(opts.ids), b.emp), take(strings(["linkedin"]), np.zeros(b.emp.size, np.int64)),
               take(text.person_id, r), *shown, url, take(text.email, r),
               day_lookup(b.date, lambda d: d.isoformat()),
               *(take(getattr(text, c), r) for c in ("kind", "contact_id", "account_id", "current_account_id",
                                                      "seniority", "function", "buying_roles")),
               take(strings(["other", "employee"]), b.by_employee.astype(np.int64)),
               take(TRUE_FALSE, keep.astype(np.int64)), take(TRUE_FALSE, b.in_old.astype(np.int64)),
               pc.if_else(pa.array(keep), "", end)]
    lines = csv_lines(columns, ",", "\n")
    return byte_slices(lines, np.array([0]), np.array([len(lines)]))[0]


def invitation_files(out: Path, text: PeopleText, b: Block, snaps: Snapshots,
                     opts: FileOptions) -> list[dict[str, str]]:
    """``Invitations.csv`` of the block's invited employees (connections of their last year)."""
    recent = (b.date >= snaps.end[b.emp] - 365) & (b.person >= 0) & b.in_primary & opts.invited[b.emp]
    emps = np.unique(b.emp[recent])
    written: list[tuple[int, str]] = []
    if emps.size == 0:
        return []
    sel = np.flatnonzero(recent)
    e, person, mine = b.emp[sel], b.person[sel].astype(np.int64), b.by_employee[sel]
    r = b.rows[sel]
    first = take(text.first, r)
    other = pc.binary_join_element_wise(first, take(text.last, r), " ")
    me = take(strings(opts.names), e)
    h = (person * 7919 + e) & 0xFFFF
    msg = pc.binary_join_element_wise("Hi ", first, ", great to meet you at the trade fair, let's stay in touch.", "")
    msg = pc.if_else(pa.array(h % 5 == 0), msg, "")
    stamp = _date_2018(b.date[sel] - h % 6, h)
    m = pa.array(mine)
    my_url = take(strings(["https://www.linkedin.com/in/" + s for s in opts.slugs]), e)
    url = take(text.url, r)
    columns = [pc.if_else(m, me, other), pc.if_else(m, other, me), stamp, msg,
               pc.if_else(m, "OUTGOING", "INCOMING"), pc.if_else(m, my_url, url), pc.if_else(m, url, my_url)]
    with_urls = csv_lines(columns, ",", "\n")
    without = csv_lines(columns[:5], ",", "\n")
    starts, stops = np.searchsorted(e, emps, "left"), np.searchsorted(e, emps, "right")
    head = ["From", "To", "Sent At", "Message", "Direction"]
    for urls, lines in ((True, with_urls), (False, without)):
        chosen = opts.invitation_urls[emps] == urls
        bodies = byte_slices(lines, starts[chosen], stops[chosen])
        header = ",".join(head + (["inviterProfileUrl", "inviteeProfileUrl"] if urls else [])) + "\n"
        for k, body in zip(emps[chosen].tolist(), bodies, strict=True):
            path = f"linkedin/{opts.ids[k]}/Invitations.csv"
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(header.encode() + body)
            written.append((k, path))
    return [{"employee": opts.ids[k], "path": path} for k, path in sorted(written)]

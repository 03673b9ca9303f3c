"""Every person's LinkedIn strings and ground truth as Arrow columns, made once.

The same strings :class:`~tieguard.synth.render.Renderer` makes one person at a time
(it stays the reference; ``tests/synth`` compares the two on every person), built a
column at a time: the plain cases by array lookups, the few special ones (name
variants, profile quirks, company spellings, visible e-mails) through the renderer.
Row ``n`` (one past the last person) is the hidden member: empty strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .bulk import h32, hex8, strings, take
from .companies import ACCOUNT
from .crm import account_id, contact_id
from .names import slug_part
from .people import KINDS
from .render import Renderer
from .titles import ROLE_KEYS, truth_of

__all__ = ["PeopleText", "people_text", "crm_ids"]

_PROFILE = "https://www.linkedin.com/in/"


@dataclass(frozen=True)
class PeopleText:
    """Columns of ``n + 1`` strings; row ``n`` is a hidden member."""

    first: pa.Array
    last: pa.Array
    url: pa.Array
    email: pa.Array
    company: pa.Array
    position: pa.Array
    # ground truth (truth/ties.csv)
    person_id: pa.Array
    kind: pa.Array
    contact_id: pa.Array
    account_id: pa.Array
    current_account_id: pa.Array
    seniority: pa.Array
    function: pa.Array
    buying_roles: pa.Array

    def rows(self, person: np.ndarray) -> np.ndarray:
        """Row index of each person (``-1``, a hidden member, to the empty row)."""
        hidden = len(self.first) - 1
        return np.where(person >= 0, person, hidden).astype(np.int64)


def _patched(column: pa.Array, rows: np.ndarray, values: list[str]) -> pa.Array:
    if rows.size == 0:
        return column
    mask = np.zeros(len(column), bool)
    mask[rows] = True
    return pc.replace_with_mask(column, pa.array(mask), strings(values))


def _with_hidden(column: pa.Array, hidden: str = "") -> pa.Array:
    return pa.concat_arrays([column, strings([hidden])])


def _names(r: Renderer) -> tuple[pa.Array, pa.Array]:
    p = r.people
    first = take(strings(r.names.first), p.first)
    last = take(strings(r.names.last), p.last)
    special = np.flatnonzero((p.name_mut != 0) | (p.quirk != 0))
    pairs = [r.name(int(i)) for i in special]
    return (_patched(first, special, [a for a, _ in pairs]),
            _patched(last, special, [b for _, b in pairs]))


def _urls(r: Renderer) -> pa.Array:
    p = r.people
    first_slug = strings([slug_part(v) for v in r.names.first_ascii])
    last_slug = strings([slug_part(v) for v in r.names.last_ascii])
    own = hex8(h32(np.arange(p.n)))
    urls = pc.binary_join_element_wise(_PROFILE, take(first_slug, p.first), "-",
                                       take(last_slug, p.last), "-", own, "")
    staff = np.flatnonzero(p.employee >= 0)
    slugs = take(strings(r.emp.slugs), p.employee[staff])
    return _patched(urls, staff, [_PROFILE + s for s in slugs.to_pylist()])


def _companies(r: Renderer) -> pa.Array:
    p, reg = r.people, r.companies
    names = _with_hidden(strings(reg.linkedin_name))
    index = np.where(p.company >= 0, p.company, len(reg.linkedin_name))
    column = take(names, index)
    special = np.flatnonzero(p.company_var & (p.company >= 0))
    return _patched(column, special, [r.company(int(i)) for i in special])


def _emails(r: Renderer) -> pa.Array:
    p = r.people
    visible = np.flatnonzero(p.email_visible)
    return _patched(strings([""] * p.n), visible, [r.email(int(i)) for i in visible])


def crm_ids(crm_format: str, index: np.ndarray, contact: bool) -> pa.Array:
    """Contact or account ids of ``index`` (``""`` where negative), as :mod:`.crm` writes them."""
    make = contact_id if contact else account_id
    ok = np.flatnonzero(index >= 0)
    if crm_format == "salesforce":
        prefix = make(crm_format, 0)[:5]
        digits = pc.utf8_lpad(pc.cast(pa.array(index[ok].astype(np.int64)), pa.string()), 10, "0")
        values = pc.binary_join_element_wise(prefix, digits, "AAB", "")
    else:
        base = int(make(crm_format, 0))
        values = pc.cast(pa.array(base + index[ok].astype(np.int64) * 3), pa.string())
    return _patched(strings([""] * index.size), ok, values.to_pylist())


def _truth(r: Renderer, crm_format: str) -> dict[str, pa.Array]:
    p = r.people
    comp = p.company
    is_account = np.zeros(comp.size, bool)
    known = comp >= 0
    is_account[known] = r.companies.kind[comp[known]] == ACCOUNT
    role = np.where(p.title >= 0, r.titles.role[np.maximum(p.title, 0)].astype(np.int64), len(ROLE_KEYS))
    truths = [truth_of(k) for k in range(len(ROLE_KEYS))] + [("unknown", "unknown", "")]
    hidden = ("", "hidden_member", "", "", "", "unknown", "unknown", "")
    columns = {
        "person_id": pc.cast(pa.array(np.arange(p.n)), pa.string()),
        "kind": take(strings(KINDS), p.kind),
        "contact_id": crm_ids(crm_format, p.contact, True),
        "account_id": crm_ids(crm_format, p.account, False),
        "current_account_id": crm_ids(crm_format, np.where(is_account, comp, -1), False),
        "seniority": take(strings([t[0] for t in truths]), role),
        "function": take(strings([t[1] for t in truths]), role),
        "buying_roles": take(strings([t[2] for t in truths]), role),
    }
    return {k: _with_hidden(v, h) for (k, v), h in zip(columns.items(), hidden, strict=True)}


def people_text(r: Renderer, crm_format: str) -> PeopleText:
    """Every person's strings (see the module docstring)."""
    p = r.people
    first, last = _names(r)
    position = take(_with_hidden(strings(r.titles.title)), np.where(p.title >= 0, p.title, r.titles.title.size))
    return PeopleText(first=_with_hidden(first), last=_with_hidden(last), url=_with_hidden(_urls(r)),
                      email=_with_hidden(_emails(r)), company=_with_hidden(_companies(r)),
                      position=_with_hidden(position), **_truth(r, crm_format))

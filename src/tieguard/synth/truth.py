"""Ground-truth tables beside the exports (never read by the pipeline)."""

from __future__ import annotations

import csv
from pathlib import Path

from .countries import COUNTRIES
from .crm import account_id, contact_id
from .people import KINDS, NAME_MUTATIONS
from .render import Renderer
from .titles import truth_of


def _dump(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_truth_tables(out: Path, r: Renderer, crm_format: str) -> None:
    """truth/titles.csv, truth/accounts.csv, truth/contacts.csv."""
    t = r.titles
    _dump(out / "titles.csv", ["title", "language", "seniority", "function", "buying_roles"],
          [[str(t.title[i]), str(t.lang[i]), *truth_of(int(t.role[i]))] for i in range(t.title.size)])
    reg, crm = r.companies, r.crm
    _dump(out / "accounts.csv", ["account_id", "crm_name", "linkedin_name", "variant", "legal_form", "country"],
          [[account_id(crm_format, a), reg.crm_name[a], reg.linkedin_name[a], reg.variant[a], reg.legal_form[a],
            COUNTRIES[int(reg.country[a])].code] for a in range(crm.n_accounts)])
    rows = []
    pe = r.people
    for c in range(crm.con_account.size):
        first, last = r.name(c)
        sen, fun, roles = truth_of(int(crm.con_role[c]))
        rows.append([contact_id(crm_format, c), account_id(crm_format, int(crm.con_account[c])), str(c),
                     str(r.names.first[crm.con_first[c]]), str(r.names.last[crm.con_last[c]]), first, last,
                     NAME_MUTATIONS[int(pe.name_mut[c])], KINDS[int(pe.kind[c])], r.company(c), r.position(c),
                     r.url(c), sen, fun, roles])
    _dump(out / "contacts.csv", ["contact_id", "account_id", "person_id", "crm_first_name", "crm_last_name",
                                 "linkedin_first_name", "linkedin_last_name", "name_variant", "kind",
                                 "linkedin_company", "linkedin_position", "profile_url", "seniority", "function",
                                 "buying_roles"], rows)

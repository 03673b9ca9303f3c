"""Turn people (int arrays) into the strings LinkedIn shows: names, company, position, URL, e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from unidecode import unidecode

from .companies import OWN, Companies
from .names import NICKNAMES, NamePools, slug_part
from .org import Employees
from .people import People
from .pipeline import Crm
from .titles import TitleTable

_EMOJI = ("🚀", "🌱", "☀️", "🔧", "⚡")
_PRONOUNS = ("(she/her)", "(he/him)", "(they/them)")
_SUFFIX = (", MBA", ", PhD", ", Dipl.-Ing.", ", CPIM")
_MAILERS = ("gmail.com", "outlook.com", "hotmail.com", "web.de", "yahoo.fr", "libero.it", "ziggo.nl")
_OWN_VARIANTS = ("{base}", "{full}", "Brakel Group", "Brakel Industrial Solutions GmbH")


def _h(i: int) -> int:
    return (i * 2654435761 + 12345) & 0xFFFFFFFF


def math_bold(text: str) -> str:
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D400 + ord(ch) - 65))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D41A + ord(ch) - 97))
        else:
            out.append(ch)
    return "".join(out)


def typo(text: str, h: int) -> str:
    if len(text) < 4:
        return text
    i = 1 + h % (len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:] if h & 1 else text[:i] + text[i + 1:]


def crm_email(names: NamePools, first: int, last: int, domain: str) -> str:
    local = f"{slug_part(names.first_ascii[first])}.{slug_part(names.last_ascii[last]).replace('-', '')}"
    return f"{local}@{domain}"


@dataclass
class Renderer:
    names: NamePools
    companies: Companies
    titles: TitleTable
    emp: Employees
    crm: Crm
    people: People

    def name(self, i: int) -> tuple[str, str]:
        p, h = self.people, _h(i)
        first, last = str(self.names.first[p.first[i]]), str(self.names.last[p.last[i]])
        mut = int(p.name_mut[i])
        if mut == 1 and first in NICKNAMES:
            nicks = NICKNAMES[first]
            first = nicks[h % len(nicks)]
        elif mut == 2:
            first, last = unidecode(first), unidecode(last)
        elif mut == 3:
            alt = str(self.names.last[p.alt_last[i]])
            last = f"{alt}-{last}" if h & 2 else alt
        elif mut == 4:
            last = typo(last, h)
        quirk = int(p.quirk[i])
        if quirk == 1:
            last = f"{last} {_EMOJI[h % len(_EMOJI)]}"
        elif quirk == 2:
            first = math_bold(first)
        elif quirk == 3:
            last = f"{last} {_PRONOUNS[h % 3]}"
        elif quirk == 4:
            last = f"{last}{_SUFFIX[h % len(_SUFFIX)]}"
        elif quirk == 5:
            short = NICKNAMES.get(first, (first.split("-")[0][:4],))[0]
            first = f'{first} "{short}"'
        return first, last

    def company(self, i: int) -> str:
        c = int(self.people.company[i])
        if c < 0:
            return ""
        reg = self.companies
        if not self.people.company_var[i]:
            return reg.linkedin_name[c]
        if reg.kind[c] == OWN:
            v = _OWN_VARIANTS[_h(i) % len(_OWN_VARIANTS)]
            return v.format(base=reg.linkedin_name[c], full=reg.crm_name[c])
        shown = reg.linkedin_name[c]
        return reg.base[c] if shown != reg.base[c] else reg.crm_name[c]

    def position(self, i: int) -> str:
        t = int(self.people.title[i])
        return "" if t < 0 else str(self.titles.title[t])

    def url(self, i: int) -> str:
        e = int(self.people.employee[i])
        if e >= 0:
            return f"https://www.linkedin.com/in/{self.emp.slugs[e]}"
        p = self.people
        slug = f"{slug_part(self.names.first_ascii[p.first[i]])}-{slug_part(self.names.last_ascii[p.last[i]])}"
        return f"https://www.linkedin.com/in/{slug}-{_h(i):08x}"

    def email(self, i: int) -> str:
        p = self.people
        if not p.email_visible[i]:
            return ""
        e, c = int(p.employee[i]), int(p.contact[i])
        if e >= 0:
            return self.emp.emails[e]
        if c >= 0 and self.crm.con_has_email[c]:
            return self.contact_email(c)
        local = f"{slug_part(self.names.first_ascii[p.first[i]])}.{slug_part(self.names.last_ascii[p.last[i]])}"
        return f"{local.replace('-', '')}{_h(i) % 97}@{_MAILERS[_h(i) % len(_MAILERS)]}"

    def contact_email(self, c: int) -> str:
        """The CRM e-mail of contact ``c`` (the same string LinkedIn shows when it shows one)."""
        crm = self.crm
        return crm_email(self.names, int(crm.con_first[c]), int(crm.con_last[c]),
                         self.companies.domain[int(crm.con_account[c])])

    def row(self, i: int) -> tuple[str, str, str, str, str, str]:
        """(first, last, url, email, company, position) of person ``i``."""
        if i < 0:
            return ("", "", "", "", "", "")
        first, last = self.name(i)
        return first, last, self.url(i), self.email(i), self.company(i), self.position(i)

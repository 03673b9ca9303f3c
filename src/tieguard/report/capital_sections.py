"""The report's relationship-capital section (coverage, key-person risk, coverage over time)."""

from __future__ import annotations

from ..engine import ReadEngine
from ..i18n import _, ngettext
from ..settings import Settings
from . import charts, fmt
from .data import has_rows, records
from .model import Column, Figure, Section, Table
from .names import buying_role_name

__all__ = ["capital_section"]

TOP_ACCOUNTS = 20


def capital_section(engine: ReadEngine, settings: Settings) -> Section | None:
    parts = [p for p in (_coverage_part(engine), _risk_part(engine), _capital_monthly_part(engine))
             if p is not None]
    if not parts:
        return None
    section = Section("capital", _("Our relationship capital"))
    section.paragraphs.append(_(
        "Which buying committees the organisation reaches through its people, and which "
        "accounts hang on a single person (key-person risk)."
    ))
    for part in parts:
        section.paragraphs += part.paragraphs
        section.figures += part.figures
        section.tables += part.tables
        section.highlights += part.highlights
    return section


def _coverage_part(engine: ReadEngine) -> Section | None:
    if not has_rows(engine, "capital_coverage"):
        return None
    roles = records(
        engine,
        "SELECT buying_role, count(DISTINCT account_id) AS accounts, "
        "count(DISTINCT account_id) FILTER (WHERE reached) AS reached_accounts, "
        "avg(strength) FILTER (WHERE reached) AS mean_strength FROM capital_coverage "
        "GROUP BY buying_role ORDER BY buying_role",
    )
    if not roles:
        return None
    for r in roles:
        r["reached_share"] = (r["reached_accounts"] or 0) / r["accounts"] if r["accounts"] else 0
    n_accounts = engine.scalar("SELECT count(DISTINCT account_id) FROM capital_coverage")
    full = engine.scalar(
        "SELECT count(*) FROM (SELECT account_id FROM capital_coverage GROUP BY account_id "
        "HAVING bool_and(reached))"
    )
    part = Section("coverage", "")
    part.highlights.append((fmt.count(n_accounts), _("accounts in the registry")))
    part.highlights.append((fmt.count(full), _("with the whole buying committee reached")))
    part.figures.append(Figure("roles-reached", charts.roles_reached_bar(roles),
                               _("Share of accounts whose buying role we reach")))
    part.tables.append(Table(
        [Column(_("Buying role")), Column(_("Accounts reached"), True), Column(_("Share"), True),
         Column(_("Mean strength"), True)],
        [[buying_role_name(str(r["buying_role"])), fmt.count(r["reached_accounts"]),
          fmt.share(r["reached_share"]), fmt.number(r["mean_strength"])] for r in roles],
        caption=_("Buying-committee coverage"),
    ))
    return part


def _risk_part(engine: ReadEngine) -> Section | None:
    if not has_rows(engine, "capital_risk"):
        return None
    top = records(
        engine,
        "SELECT account_name, account_id, value, key_contacts, single_holder_contacts, "
        "holder_team, risk_score FROM capital_risk WHERE single_holder_contacts > 0 "
        "ORDER BY risk_score DESC NULLS LAST, value DESC NULLS LAST LIMIT ?",
        [TOP_ACCOUNTS],
    )
    at_risk = engine.fetchone(
        "SELECT count(*), coalesce(sum(value), 0) FROM capital_risk WHERE at_risk"
    ) or (0, 0)
    part = Section("risk", "")
    part.paragraphs.append(ngettext(
        "%(n)s account (%(value)s of pipeline and customer value) hangs on a single person: every "
        "key buying-role contact we reach there is known to the same one employee.",
        "%(n)s accounts (%(value)s of pipeline and customer value) hang on a single person: every "
        "key buying-role contact we reach there is known to the same one employee.",
        int(at_risk[0]), n=fmt.count(at_risk[0]), value=fmt.money(at_risk[1], compact=True)))
    part.highlights.append((fmt.money(at_risk[1], compact=True), _("value hanging on one person")))
    if top:
        part.tables.append(Table(
            [Column(_("Account")), Column(_("Value"), True), Column(_("Key contacts"), True),
             Column(_("Held by one person"), True), Column(_("Holder's team")),
             Column(_("Risk"), True)],
            [[str(r["account_name"] or r["account_id"]), fmt.money(r["value"]),
              fmt.count(r["key_contacts"]), fmt.count(r["single_holder_contacts"]),
              str(r["holder_team"] or "–"), fmt.number(r["risk_score"])] for r in top],
            caption=_("Key-person risk: top accounts"),
            note=_("Key contacts: buying-role contacts we reach. Held by one person: of those, "
                   "known to a single employee only. Risk: the capital stage's key-person risk "
                   "score (docs/capital.md): higher when more value hangs on fewer people."),
        ))
    return part


def _capital_monthly_part(engine: ReadEngine) -> Section | None:
    if not has_rows(engine, "capital_monthly"):
        return None
    monthly = records(
        engine, "SELECT month, accounts_covered, roles_covered FROM capital_monthly ORDER BY month"
    )
    if not monthly:
        return None
    part = Section("capital-monthly", "")
    part.figures.append(Figure("coverage-over-time", charts.coverage_over_time(monthly),
                               _("Coverage over time")))
    return part

"""Guard rails for importing an employee's network: whose, on what basis, with consent.

:func:`check_personal_import` runs before a personal export (connections, invitations,
vCards) is read:

- the legal basis must be one of :data:`BASES`; without ``--basis`` the organisation
  file's ``import_basis`` is used, else the import is refused (there is no default basis:
  someone must decide it);
- an employee id not in the roster is refused (its leads would count in the headline but
  belong to no team) unless ``allow_unknown``; before any roster is imported it is a warning;
- an employee whose network was erased is refused unless ``reconsent`` records their new
  consent (:mod:`.erasure`).
"""

from __future__ import annotations

from ..employees import employee_exists
from ..engine import Engine
from ..errors import ConfigError, InputError
from .erasure import import_refusal, record_reconsent

__all__ = ["BASES", "resolve_basis", "check_personal_import", "check_erased_employees"]

#: Legal bases of processing an import may name (GDPR art. 6(1) a, b, c, f).
BASES = ("consent", "contract", "legal_obligation", "legitimate_interest")


def resolve_basis(engine: Engine, basis: str | None,
                  configured: str | None = None) -> tuple[str, list[str]]:
    """The basis to record: ``basis`` (``--basis``), else ``configured`` or the imported
    organisation file's ``import_basis``; refused (:class:`ConfigError`) when none is given
    or it is not one of :data:`BASES`. The list is for warnings (none at present)."""
    if basis is None:
        configured = configured or engine.scalar(
            "SELECT value FROM organisation WHERE key = 'own_import_basis'")
        if not configured:
            raise ConfigError(
                "This import holds personal data and needs a legal basis: pass --basis with "
                f"one of {', '.join(BASES)} (GDPR art. 6(1) a, b, c, f; docs/privacy.md), or "
                "set import_basis under [organisation] in organisation.toml. Nothing was "
                "imported.")
        basis = str(configured)
    if not basis.strip():
        raise ConfigError(f"--basis is empty; give one of {', '.join(BASES)} (docs/privacy.md). "
                          "Nothing was imported.")
    basis = basis.strip()
    if basis not in BASES:
        raise ConfigError(
            f"--basis {basis!r} is not a documented legal basis; use one of {', '.join(BASES)} "
            "(docs/privacy.md). Nothing was imported.")
    return basis, []


def check_personal_import(engine: Engine, employee_id: str, basis: str | None, *,
                          allow_unknown: bool = False, reconsent: bool = False,
                          given_by: str = "") -> tuple[str, list[str]]:
    """Refuse (:class:`InputError`) or allow an import of ``employee_id``'s network.

    Returns the basis to record and warnings for the operator.
    """
    chosen, warnings = resolve_basis(engine, basis)
    if not employee_exists(engine, employee_id) and not allow_unknown:
        if engine.scalar("SELECT count(*) FROM employees"):
            raise InputError(
                f"Employee {employee_id!r} is not in the roster; their leads would count but "
                "belong to no team. Check --employee against the roster's employee_id, import "
                "the roster first, or pass --allow-unknown-employee.")
        warnings.append(f"No roster is imported yet, so employee {employee_id!r} cannot be "
                        "checked; import the roster first (tieguard import roster).")
    refusal = import_refusal(engine, employee_id)
    if refusal and not reconsent:
        raise InputError(refusal)
    if refusal:
        record_reconsent(engine, employee_id, given_by or "unknown")
        warnings.append(f"New consent of {employee_id} recorded (--reconsent).")
    return chosen, warnings


def check_erased_employees(engine: Engine, employee_ids: list[str], *, reconsent: bool = False,
                           given_by: str = "") -> list[str]:
    """Refuse a batch (``import dir``) naming an erased employee unless ``reconsent``."""
    erased = [e for e in employee_ids if import_refusal(engine, e)]
    if erased and not reconsent:
        raise InputError(
            f"The network data of {', '.join(erased[:10])} was erased; tieguard refuses to "
            "import it again unless they consent anew. Remove their exports from the manifest, "
            "or with their new consent run the import with --reconsent (recorded).")
    for employee_id in erased:
        record_reconsent(engine, employee_id, given_by or "unknown")
    return [f"New consent of {e} recorded (--reconsent)." for e in erased]

"""Our own organisation's facts as the organisation import stores them.

``tieguard import organisation organisation.toml`` stores ``[organisation] name`` under the key
:data:`OWN_NAME` (``own_name``; ``domain`` as ``own_domain`` and so on) in the ``organisation``
table. Every stage that asks "is this company ours?" reads the name through this module, so the
key is spelt once; the ``own_company`` setting adds a name as it appears on profiles.
"""

from __future__ import annotations

from .engine import Engine

__all__ = ["OWN_NAME", "OWN_NAMES_SQL", "own_company_names"]

#: The key of our company's name in the ``organisation`` table.
OWN_NAME = "own_name"

#: SELECT of our company's names, lower-cased (parameter ``$own_company``: the setting,
#: lower-cased and stripped, '' when unset).
OWN_NAMES_SQL = (
    "SELECT lower(trim(value)) AS name FROM organisation "
    "WHERE key = 'own_name' AND value IS NOT NULL "  # OWN_NAME (a test checks they agree)
    "UNION SELECT $own_company WHERE $own_company <> ''"
)


def own_company_names(engine: Engine, own_company: str = "") -> list[str]:
    """Our company's names as written: the organisation file's name and the setting."""
    names = [str(r[0]) for r in engine.fetchall(
        "SELECT value FROM organisation WHERE key = ? AND value IS NOT NULL", [OWN_NAME])]
    setting = own_company.strip()
    return names + [setting] if setting and setting not in names else names

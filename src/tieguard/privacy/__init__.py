"""An employee's rights over their own network data, and the installation's pseudonyms.

Employees' networks are personal data (PRODUCT.md, privacy by design; threat model and
works-council summary in docs/privacy.md). This package is the library behind
``tieguard privacy``:

- :mod:`.rights`: see one's data (:func:`employee_data`), mark contacts private;
- :mod:`.erasure`: erase a network for good (:func:`erase_employee`), tombstones and
  new consent (:func:`import_refusal`, :func:`record_reconsent`);
- :mod:`.rekey`: re-derive every keyed pseudonym under a new secret (:func:`rekey`).
"""

from __future__ import annotations

from .erasure import ErasureResult, erase_employee, import_refusal, record_reconsent
from .rights import EmployeeData, employee_data, employee_id_for, mark_private, unmark_private

__all__ = [
    "EmployeeData", "ErasureResult", "employee_data", "employee_id_for", "erase_employee",
    "import_refusal", "mark_private", "record_reconsent", "unmark_private",
]

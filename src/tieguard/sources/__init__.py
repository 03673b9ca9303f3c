"""The ``sources`` stage: readers for every input format into the canonical tables.

Every reader parses by header name, reports every problem at once (file, line,
column, message), quarantines bad rows with their reason, and records the import
(file, content hash, who supplied it, on what basis) so that importing the same
file twice changes nothing. See docs/inputs.md and docs/data-model.md.
"""

from __future__ import annotations

from .connections import ConnectionsJob, import_connections, import_connections_batch
from .crm import import_crm
from .directory import import_directory
from .invitations import import_invitations
from .linkedin_zip import import_linkedin_zip, is_zip
from .organisation import import_organisation
from .report import ImportReport, Problem
from .roster import import_roster
from .vcard import import_vcard

__all__ = [
    "ImportReport", "Problem", "ConnectionsJob", "import_connections", "import_connections_batch",
    "import_invitations", "import_vcard", "import_crm", "import_roster", "import_organisation",
    "import_directory", "import_linkedin_zip", "is_zip",
]

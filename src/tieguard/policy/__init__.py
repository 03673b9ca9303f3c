"""Countermeasures: declarative policies, timeline transformations and what-if runs."""

from __future__ import annotations

from .model import (
    KINDS,
    BlockSocialAtWork,
    CompanyOffProfile,
    ConnectAfterClose,
    Group,
    HideLists,
    Policy,
    Training,
    builtin_policies,
    load_policy_file,
    parse_policies,
    resolve_policies,
)
from .transforms import apply_policy
from .whatif import COMPARED_METRICS, whatif

__all__ = [
    "KINDS", "Policy", "Group", "HideLists", "ConnectAfterClose", "CompanyOffProfile", "Training",
    "BlockSocialAtWork", "builtin_policies", "load_policy_file", "parse_policies",
    "resolve_policies", "apply_policy", "whatif", "COMPARED_METRICS",
]

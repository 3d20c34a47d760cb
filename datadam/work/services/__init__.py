"""Claiming, releasing and submitting work: the hot path, constant work per request.

How an item is handed out exactly once is written down in docs/concurrency.md.
"""

from .claiming import assignment_claim
from .leases import CLAIM_ATTEMPTS, leases_expire
from .submitting import MAX_DURATION_MS, assignment_release, assignment_submit

__all__ = [
    "CLAIM_ATTEMPTS",
    "MAX_DURATION_MS",
    "assignment_claim",
    "assignment_release",
    "assignment_submit",
    "leases_expire",
]

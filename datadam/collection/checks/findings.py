"""One automatic check's outcome, as the worker, the reviewer and the export see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Finding:
    """What one check measured, the limit it was held to, and a sentence saying what to do.

    ``check`` names the check ("resolution", "blur", "dark", "duration", "silence",
    "clipping", "noise"); ``message`` is written in the language active when the check ran
    (the capture keeps it as found), and says how to fix the capture when it failed.
    """

    check: str
    passed: bool
    value: float
    limit: float
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``Capture.checks`` stores it."""
        return {
            "check": self.check,
            "passed": self.passed,
            "value": self.value,
            "limit": self.limit,
            "message": self.message,
        }

"""Domain errors raised by services; the API and views turn them into 4xx answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from ninja import Schema


class DomainError(Exception):
    """A request the domain refuses. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class ErrorOut(Schema):
    """Every refusal the API sends: a code to branch on, a message for people, and the
    individual problems where there are several (a body that misses the schema)."""

    error: str
    message: str
    details: Any = None


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class QuotaReached(DomainError):
    """The worker has given a project all the answers it takes from one person."""

    status = 409
    code = "quota_reached"


class InsufficientFunds(DomainError):
    status = 402
    code = "insufficient_funds"


def whole_number(name: str, value: Any, low: int, high: int) -> int:
    """``value`` when it is an int (not a bool) from ``low`` to ``high``; else InvalidInput
    naming the field and its range. The services check their numeric fields with this."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            gettext("%(name)s must be a whole number from %(low)s to %(high)s")
            % {"name": name, "low": low, "high": high}
        )
    return value

"""The two failures of a model backend: the server failed us, or its data does not fit ours."""

from __future__ import annotations


class BackendError(Exception):
    """The backend could not be used: unreachable, too slow, an HTTP error, an answer that
    is not JSON or not in the protocol's shape. ``code`` says which (for callers that show
    their own, translated message); ``status`` is the HTTP status when there was one."""

    def __init__(self, message: str, *, code: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class ConversionError(ValueError):
    """Label Studio regions that do not make one of our answers (or the reverse)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

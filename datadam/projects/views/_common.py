"""What every console view shares: the role check, project lookup and sample items."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from datadam.errors import DomainError, InsufficientFunds, NotFound
from datadam.kinds import get_kind
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager


def sample_item(slug: str) -> dict[str, Any]:
    """An item to show in the live preview of a kind's task page (the kind's own)."""
    return get_kind(slug).sample_item()


def example_item(slug: str) -> dict[str, Any]:
    """An item as a client would write it in an import file (for the format help)."""
    return get_kind(slug).example_item()


def managed_project(request: HttpRequest, project_id: int) -> Project:
    """The project if the user may manage it; another organization's project is a 404."""
    try:
        return project_for_manager(user=request.user, project_id=project_id)
    except NotFound:
        raise Http404 from None


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def error_message(exc: DomainError) -> str:
    """The message to show for a refused action; a shortage of points says what is missing."""
    if isinstance(exc, InsufficientFunds):
        details = exc.details or {}
        return _(
            "Not enough points: this needs %(need)s points and the organization has %(have)s. "
            "Ask an operator to top up the account, then try again."
        ) % {"need": details.get("need", "?"), "have": details.get("have", "?")}
    return exc.message

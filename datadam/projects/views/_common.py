"""What every console view shares: the role check, project lookup and sample items."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from datadam.errors import DomainError, InsufficientFunds, NotFound
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager

# A small drawing, so the image preview needs no network and no uploaded file.
_SAMPLE_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='320' height='200' viewBox='0 0 320 200'>"
    "<rect width='320' height='200' fill='#e8f0fe'/>"
    "<circle cx='110' cy='100' r='55' fill='#0b57d0'/>"
    "<rect x='180' y='50' width='100' height='100' fill='#0b7a3b'/></svg>"
)
SAMPLE_ITEMS: dict[str, dict[str, Any]] = {
    # Translated when shown (sample_item), so a Korean client previews a Korean text.
    "text_classification": {
        "text": gettext_noop("The delivery was quick and the staff were friendly.")
    },
    "image_classification": {"image": "data:image/svg+xml," + quote(_SAMPLE_SVG)},
}
EXAMPLE_LINES: dict[str, dict[str, Any]] = {
    "text_classification": {"text": "The delivery was quick and the staff were friendly."},
    "image_classification": {"image": "https://example.com/images/0001.jpg"},
}


def sample_item(slug: str) -> dict[str, Any]:
    """An item to show in the live preview of a kind's task page."""
    item = dict(SAMPLE_ITEMS.get(slug, {}))
    if "text" in item:
        item["text"] = _(item["text"])
    return item


def example_item(slug: str) -> dict[str, Any]:
    """An item as a client would write it in an import file (for the format help)."""
    return dict(EXAMPLE_LINES.get(slug, {}))


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

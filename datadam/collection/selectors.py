"""Reading captures, scoped to who may see them: the worker who made one, the project's
reviewers and its client's members, operators."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from datadam.errors import NotFound
from datadam.projects.selectors import project_visible
from datadam.review.services import may_review

from .models import Capture
from .services import refusals


def capture_visible(user: Any, capture_id: int) -> Capture:
    """The capture if ``user`` may see it, else NotFound (never says it exists)."""
    capture = Capture.objects.select_related("project").filter(pk=capture_id).first()
    if capture is None or not user.is_authenticated:
        raise NotFound(_("capture not found"))
    if capture.worker_id == user.pk or may_review(user, capture.project):
        return capture
    raise NotFound(_("capture not found"))


def capture_view(capture: Capture) -> dict[str, Any]:
    """A capture as the API and the widget show it: its files, checks and near-duplicates,
    each marked blocking or not by the project's settings."""
    config = capture.project.config or {}
    blocking = set(config.get("blocking") or ())
    return {
        "id": capture.pk, "assignment": capture.assignment_id, "item": capture.item_id,
        "media_kind": capture.media_kind, "source": capture.source,
        "url": reverse("capture_file", args=[capture.pk]),
        "thumb_url": reverse("capture_thumb", args=[capture.pk]) if capture.thumb_key else "",
        "width": capture.width, "height": capture.height, "duration": capture.duration,
        "size": capture.size, "content_type": capture.content_type,
        "metadata": capture.metadata,
        "checks": [{**c, "blocking": c["check"] in blocking} for c in capture.checks],
        "duplicates": capture.duplicates,
        "consent": capture.consent_id,
        "submission": capture.submission_id,
        "blocked": bool(refusals(capture, config)),
        "message": " ".join(refusals(capture, config)),
        "created_at": capture.created_at.isoformat(),
    }


def project_captures(*, user: Any, project_id: int, after: int = 0, limit: int = 100
                     ) -> tuple[list[Capture], int | None]:
    """The project's submitted captures for its client (keyset pages by id)."""
    project = project_visible(user, project_id)
    if not (user.is_operator or user.is_client):
        raise NotFound(_("project not found"))
    limit = max(1, min(int(limit), 1000))
    rows = list(Capture.objects.select_related("project")
                .filter(project=project, submission__isnull=False, id__gt=after)
                .order_by("id")[:limit])
    return rows, (rows[-1].pk if len(rows) == limit else None)


#: Filters of the client's captures page.
FILTERS = ("all", "flagged", "duplicates", "withdrawn")


def captures_gallery(*, user: Any, project_id: int, show: str = "all", after: int = 0,
                     limit: int = 48) -> dict[str, Any]:
    """A page of a project's submitted captures for its client: each with its status, failed
    checks, near-duplicates and consent; ``show`` narrows to the flagged ones (a failed
    check or a near-duplicate), the duplicates or those whose consent was withdrawn."""
    project = project_visible(user, project_id)
    if not (user.is_operator or user.is_client):
        raise NotFound(_("project not found"))
    rows = (Capture.objects.filter(project=project, submission__isnull=False, id__gt=after)
            .select_related("assignment", "consent").order_by("id"))
    if show == "duplicates":
        rows = rows.exclude(duplicates=[])
    elif show == "withdrawn":
        rows = rows.filter(consent__withdrawn_at__isnull=False)
    page: list[Capture] = []
    scanned = 0
    # "flagged" reads the checks in Python (a JSON list): scan a bounded window per page.
    for capture in rows[: limit * 20 if show == "flagged" else limit]:
        scanned += 1
        failed = [c for c in capture.checks if not c.get("passed")]
        if show == "flagged" and not (failed or capture.duplicates):
            continue
        capture.failed = failed
        page.append(capture)
        if len(page) == limit:
            break
    last = page[-1].pk if page else None
    more = len(page) == limit
    return {"project": project, "captures": page, "show": show, "filters": FILTERS,
            "next_after": last if more else None}

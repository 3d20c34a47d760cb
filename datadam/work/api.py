"""API: the worker's loop — feed, next task, submit, skip, my work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from datadam.assist.selectors import suggestion_for_item
from datadam.errors import PermissionDenied
from datadam.projects.selectors import project_visible

from . import services
from .models import Assignment
from .selectors import feed_projects, latest_review, my_assignments

router = Router(tags=["work"])


class FeedOut(Schema):
    id: int
    name: str
    kind: str
    reward: int
    overlap: int
    lease_seconds: int
    instructions: str
    config: dict[str, Any]


class AssignmentOut(Schema):
    id: int
    project_id: int
    item_id: int
    status: str
    data: Any
    leased_at: datetime
    expires_at: datetime
    revisions: int


class SuggestionOut(Schema):
    """A model's proposed answer, to check and correct (never the right answer by itself)."""

    answer: Any
    score: float | None
    model_version: str


class NextOut(Schema):
    assignment: AssignmentOut | None
    #: the model's suggestion for the item, where the project has a model and the bias rules
    #: allow it (never on gold; in "assist" mode only when one worker answers each item)
    suggestion: SuggestionOut | None = None
    message: str = ""


class SubmitIn(Schema):
    answer: Any
    idempotency_key: str = ""
    duration_ms: int | None = None


class SubmissionOut(Schema):
    id: int
    assignment_id: int
    revision: int
    answer: Any
    duration_ms: int
    created_at: datetime
    replayed: bool = False


class ReviewNoteOut(Schema):
    decision: str
    reason_code: str
    comment: str


class MyAssignmentOut(AssignmentOut):
    project_name: str
    review: ReviewNoteOut | None


def _assignment_out(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "project_id": a.project_id,
        "item_id": a.item_id,
        "status": a.status,
        "data": a.item.data,
        "leased_at": a.leased_at,
        "expires_at": a.expires_at,
        "revisions": a.revisions,
    }


# What orjson leaves to Python (datetimes, passed through) is written as the rest of the API
# writes it: by ninja's encoder (Django's: milliseconds, 'Z').
_ENCODE_REST = NinjaJSONEncoder().default


def _fast_json(body: dict[str, Any], status: int = 200) -> Any:
    """The hot endpoints' answer, encoded once with orjson.

    Their bodies are built from typed values already, so validating them again against the
    response schema (still declared, for the OpenAPI document) and encoding them with the
    json module cost more than the rest of the view. Anything orjson cannot encode (say an
    integer beyond 64 bits in item data) goes the ordinary way instead.
    """
    try:
        content = orjson.dumps(
            body, default=_ENCODE_REST, option=orjson.OPT_PASSTHROUGH_DATETIME
        )
    except TypeError:
        return body if status == 200 else Status(status, body)
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


def _worker(request: HttpRequest) -> Any:
    if not request.auth.is_worker:
        raise PermissionDenied(_("only workers take tasks"))
    return request.auth


@router.get("/feed", response=list[FeedOut])
def feed(request: HttpRequest):
    """Open projects this worker may take, best paid first."""
    return list(feed_projects(worker=_worker(request))[:200])


@router.post("/projects/{project_id}/next", response=NextOut)
def next_task(request: HttpRequest, project_id: int):
    """Lease the next item of a project (or get back the lease already held)."""
    assignment = services.assignment_claim(worker=_worker(request), project_id=project_id)
    if assignment is None:
        return {"assignment": None, "message": _("no more tasks for you in this project")}
    # The claim read whether the project has a model: without one, no query for it.
    suggestion = suggestion_for_item(project_id=assignment.project_id,
                                     item_id=assignment.item_id
                                     ) if getattr(assignment, "assisted", True) else None
    return _fast_json({"assignment": _assignment_out(assignment), "suggestion": suggestion,
                       "message": ""})


@router.post(
    "/assignments/{assignment_id}/submit", response={201: SubmissionOut, 200: SubmissionOut}
)
def submit(request: HttpRequest, assignment_id: int, payload: SubmitIn):
    """Submit (or resubmit after a return) an answer. Retries with the same key are safe."""
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    submission, created = services.assignment_submit(
        worker=_worker(request),
        assignment_id=assignment_id,
        answer=payload.answer,
        idempotency_key=key,
        client_duration_ms=payload.duration_ms,
    )
    out = {
        "id": submission.pk,
        "assignment_id": submission.assignment_id,
        "revision": submission.revision,
        "answer": submission.answer,
        "duration_ms": submission.duration_ms,
        "created_at": submission.created_at,
        "replayed": not created,
    }
    return _fast_json(out, 201 if created else 200)


@router.post("/assignments/{assignment_id}/release", response=AssignmentOut)
def release(request: HttpRequest, assignment_id: int):
    """Skip the item: the lease ends and the item goes to somebody else."""
    a = services.assignment_release(worker=_worker(request), assignment_id=assignment_id)
    a = Assignment.objects.select_related("item").get(pk=a.pk)
    return _assignment_out(a)


@router.get("/assignments", response=list[MyAssignmentOut])
def mine(
    request: HttpRequest, status: str = "", project_id: int = 0, before: int = 0, limit: int = 100
):
    """My work, newest first, each with the reviewer's reason when there is one."""
    out = []
    for a in my_assignments(
        worker=_worker(request), status=status, project_id=project_id, after=before, limit=limit
    ):
        row = _assignment_out(a)
        review = latest_review(a) if a.status in ("returned", "rejected", "approved") else None
        row["project_name"] = a.project.name
        row["review"] = review and {
            "decision": review.decision,
            "reason_code": review.reason_code,
            "comment": review.comment,
        }
        out.append(row)
    return out


@router.get("/projects/{project_id}/brief", response=FeedOut)
def brief(request: HttpRequest, project_id: int):
    """A project's instructions and labels, as a worker sees them."""
    return project_visible(request.auth, project_id)

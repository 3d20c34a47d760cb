"""My work: every assignment with its state and the reviewer's notes, one answer on its own
page (where ledger lines lead), revising returned work."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.accounts.access import worker_required
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.kinds import get_kind
from datadam.review.models import ReasonCode

from ..models import AssignmentStatus
from ..selectors import (
    latest_review,
    latest_reviews,
    latest_submissions,
    my_assignments,
    worker_assignment,
)
from ..services import assignment_submit
from ._common import client_duration, has_answer, to_int

PAGE_SIZE = 24
# The filter tabs, in the order a worker cares about them.
FILTERS = [
    ("", gettext_lazy("All")),
    (AssignmentStatus.RETURNED, gettext_lazy("To revise")),
    (AssignmentStatus.SUBMITTED, gettext_lazy("Awaiting review")),
    (AssignmentStatus.APPROVED, gettext_lazy("Approved")),
    (AssignmentStatus.REJECTED, gettext_lazy("Rejected")),
    (AssignmentStatus.LEASED, gettext_lazy("In progress")),
    (AssignmentStatus.RELEASED, gettext_lazy("Skipped")),
    (AssignmentStatus.STOPPED, gettext_lazy("Stopped")),
    (AssignmentStatus.EXPIRED, gettext_lazy("Expired")),
]
# States whose card shows the reviewer's reason and comment.
WITH_NOTES = {AssignmentStatus.RETURNED, AssignmentStatus.REJECTED}
# What the worker (or the clock) did with an item they gave back unanswered.
LEFT_NOTES = {
    AssignmentStatus.RELEASED: gettext_lazy("You skipped this item; it went to another worker."),
    AssignmentStatus.STOPPED: gettext_lazy(
        "You stopped here with “Stop for now”; the item went back to the pool."
    ),
    AssignmentStatus.EXPIRED: gettext_lazy(
        "Time ran out before an answer was sent; the item went back to the pool."
    ),
}


def reason_text(code: str) -> str:
    """The reviewer's reason code as words."""
    if code in ReasonCode.values:
        return str(ReasonCode(code).label)
    return code


def answer_cards(assignments: list[Any]) -> list[dict[str, Any]]:
    """What My work shows of each assignment: its state, the answer, the reviewer's notes."""
    ids = [a.pk for a in assignments]
    reviews = latest_reviews(assignment_ids=[a.pk for a in assignments if a.status in WITH_NOTES])
    answers = latest_submissions(assignment_ids=ids)
    cards: list[dict[str, Any]] = []
    for a in assignments:
        review = reviews.get(a.pk)
        sub = answers.get(a.pk)
        cards.append({
            "a": a,
            "status_label": AssignmentStatus(a.status).label,
            "left_note": LEFT_NOTES.get(a.status, ""),
            "review_template": get_kind(a.project.kind).review_template,
            "answer": sub.answer if sub else None,
            "review": review,
            "reason": reason_text(review.reason_code) if review else "",
        })
    return cards


@worker_required
def answer(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """One answer of the worker's, as My work shows it: where a ledger line about it leads."""
    try:
        assignment = worker_assignment(worker=request.user, assignment_id=assignment_id)
    except NotFound:
        raise Http404 from None
    return render(request, "work/answer.html", {"row": answer_cards([assignment])[0]})


@worker_required
def mine(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in AssignmentStatus.values:
        status = ""
    project_id = max(0, to_int(request.GET.get("project")))
    before = max(0, to_int(request.GET.get("before")))
    rows = my_assignments(worker=request.user, status=status, project_id=project_id or None,
                          after=before, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    items = answer_cards(rows)

    def href(**params: Any) -> str:
        query = urlencode({k: v for k, v in params.items() if v})
        return f"{request.path}?{query}" if query else request.path

    return render(request, "work/mine.html", {
        "items": items,
        "filters": [{"label": label, "current": v == status, "href": href(status=v,
                     project=project_id)} for v, label in FILTERS],
        "status": status,
        "next_href": href(status=status, project=project_id, before=rows[-1].pk) if more else "",
        "first_href": href(status=status, project=project_id) if before else "",
    })


@worker_required
def revise(request: HttpRequest, assignment_id: int) -> HttpResponse:
    try:
        assignment = worker_assignment(worker=request.user, assignment_id=assignment_id)
    except NotFound:
        raise Http404 from None
    if assignment.status != AssignmentStatus.RETURNED:
        messages.info(request, _("That answer is not waiting for a revision any more."))
        return redirect("work_mine")
    project = assignment.project
    kind = get_kind(project.kind)
    review = latest_review(assignment)
    previous = latest_submissions(assignment_ids=[assignment.pk]).get(assignment.pk)
    answer = previous.answer if previous else None
    error = ""
    key = uuid4().hex
    if request.method == "POST":
        key = request.POST.get("key", "")[:100] or key
        if not has_answer(request.POST):
            error = _("Pick an answer first, then send the revision.")
        else:
            answer = kind.answer_from_form(request.POST, project.config)
            try:
                assignment_submit(
                    worker=request.user,
                    assignment_id=assignment.pk,
                    answer=answer,
                    idempotency_key=key,
                    client_duration_ms=client_duration(request.POST.get("duration_ms")),
                )
            except InvalidInput as exc:
                error = exc.message
            except Conflict:
                messages.error(request, _("That answer is not waiting for a revision any more."))
                return redirect("work_mine")
            else:
                messages.success(request, _("Revision sent. A reviewer will look at it again."))
                return redirect("work_mine")
    return render(request, "work/revise.html", {
        "assignment": assignment,
        "project": project,
        "widget_template": kind.widget_template,
        "answer": answer,
        "review": review,
        "reason": reason_text(review.reason_code) if review else "",
        "error": error,
        "key": key,
    })

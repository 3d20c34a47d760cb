"""Review pages: the queue, one worker's batch on one screen, decisions in place via htmx.

Views stay thin: they check who may review, call review.selectors / review.services and render.
Every decision goes through ``services.review_decide`` (payments, exactly-once, audit).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from datadam.accounts.access import role_required
from datadam.accounts.models import User
from datadam.errors import DomainError
from datadam.kinds import get_kind
from datadam.projects.models import Project
from datadam.reviewchecks.controls import control_project
from datadam.work.models import Submission

from . import services
from .models import Decision, ReasonCode, Review
from .selectors import (
    BATCH_LIMIT,
    SAME_ANSWER_RUN,
    batch_counts,
    batch_hints,
    batch_reviews,
    batch_worker,
    previous_reviews,
    review_batch,
    review_queue,
)

# The two decisions that need a reason: each card has a picker for each.
PICKERS = (
    {"decision": Decision.REJECT, "label": gettext_lazy("Reject"), "key": "R",
     "confirm": gettext_lazy("Reject answer"), "style": "danger"},
    {"decision": Decision.RETURN, "label": gettext_lazy("Return"), "key": "E",
     "confirm": gettext_lazy("Return for revision"), "style": "secondary"},
)
VERDICT = {
    Decision.APPROVE: ("approved", gettext_lazy("Approved")),
    Decision.REJECT: ("rejected", gettext_lazy("Rejected")),
    Decision.RETURN: ("returned", gettext_lazy("Returned for revision")),
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    reason_code = forms.ChoiceField(choices=ReasonCode.choices, required=False)
    comment = forms.CharField(required=False, max_length=5000)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") in (Decision.REJECT, Decision.RETURN) and not data.get(
            "reason_code"
        ):
            self.add_error("reason_code", _("Pick a reason first."))
        return data

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""


def may_open_review(user: Any) -> bool:
    """Reviewers, operators and clients (for their own projects) have review pages."""
    return bool(user.is_active and (user.is_reviewer or user.is_operator or user.is_client))


# Signed in and allowed to review something; a plain worker gets a page saying why not.
reviewer_required = role_required(may_open_review, forbidden="review/forbidden.html")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _project_or_404(user: Any, project_id: int) -> Project:
    project = Project.objects.select_related("organization").filter(pk=project_id).first()
    if project is None or not services.may_review(user, project):
        # Another organization's project looks the same as a missing one.
        raise Http404
    return project


def format_duration(ms: int) -> str:
    seconds = ms / 1000
    if seconds < 60:
        return _("%(s)s s") % {"s": f"{seconds:.1f}"}
    minutes, rest = divmod(round(seconds), 60)
    return _("%(m)d min %(s)d s") % {"m": minutes, "s": rest}


def worker_name(worker: User | None) -> str:
    if worker is None:
        return ""
    return worker.display_name or f"#{worker.pk}"


# --- Pages -------------------------------------------------------------------------------------
@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    """Projects with answers waiting for this reviewer, the longest waiting first."""
    rows = review_queue(reviewer=request.user)
    for row in rows:
        row["kind"] = get_kind(row["project"].kind)
    return render(request, "review/queue.html", {"rows": rows})


@reviewer_required
def batch(request: HttpRequest, project_id: int) -> HttpResponse:
    """One worker's waiting answers side by side, to decide card by card or all at once."""
    project = _project_or_404(request.user, project_id)
    found = review_batch(reviewer=request.user, project=project, limit=BATCH_LIMIT)
    submissions = found["submissions"]
    kind = get_kind(project.kind)
    earlier = previous_reviews(
        assignment_ids=[s.assignment_id for s in submissions if s.revision]
    )
    cards = [
        {
            "submission": s,
            "item": s.assignment.item,
            "hint": hint,
            "duration": format_duration(s.duration_ms),
            "earlier": earlier.get(s.assignment_id),
        }
        for s, hint in zip(submissions, batch_hints(submissions=submissions), strict=True)
    ]
    worker = User.objects.filter(pk=found["worker_id"]).first() if found["worker_id"] else None
    counts = batch_counts(
        reviewer=request.user, project=project, worker_id=worker.pk if worker else None,
        submission_ids=[s.pk for s in submissions],
    )
    context = {
        "project": project,
        "kind": kind,
        "cards": cards,
        "worker": worker,
        "worker_name": worker_name(worker),
        **counts,
        "same_run": SAME_ANSWER_RUN,
        **_actions_context(),
    }
    return render(request, "review/batch.html", context)


# --- Decisions ---------------------------------------------------------------------------------
def _actions_context() -> dict[str, Any]:
    return {"reasons": ReasonCode.choices, "pickers": PICKERS}


def _actions_html(
    request: HttpRequest,
    submission_id: int,
    *,
    review: Review | None = None,
    error: str = "",
    form: DecisionForm | None = None,
    oob: bool = False,
) -> str:
    """A card's decision area: the verdict once decided, else the buttons (and any error)."""
    data = form.data if form is not None else {}
    picker = data.get("decision", "") if error else ""
    context = {
        "sub_id": submission_id,
        "review": review,
        "verdict": VERDICT.get(review.decision) if review else None,
        "error": error,
        "open": picker if picker != Decision.APPROVE else "",
        "picked": data.get("reason_code", ""),
        "comment": data.get("comment", ""),
        "oob": oob,
        **_actions_context(),
    }
    return render_to_string("review/_actions.html", context, request=request)


def _counts_html(
    request: HttpRequest, project: Project, ids: list[int], worker_id: int | None = None
) -> str:
    """The batch's counters as they stand in the database now, to swap in out of band."""
    if worker_id is None:
        worker_id = batch_worker(project=project, submission_ids=ids)
    counts = batch_counts(
        reviewer=request.user, project=project, worker_id=worker_id, submission_ids=ids
    )
    html = render_to_string("review/_waiting.html", {**counts, "oob": True}, request=request)
    if counts["history"] is not None:
        html += render_to_string(
            "review/_history.html", {**counts, "oob": True}, request=request
        )
    return html


def _existing_review(submission_id: int) -> Review | None:
    return Review.objects.filter(submission_id=submission_id).select_related("reviewer").first()


@reviewer_required
@require_POST
def decide(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Approve, reject or return one answer; htmx gets the card's new decision area."""
    project = control_project(submission_id)  # a control answer mixed into the batch
    worker_id = None
    if project is None:
        submission = (
            Submission.objects.select_related("assignment__project")
            .filter(pk=submission_id).first()
        )
        project = submission.assignment.project if submission is not None else None
        worker_id = submission.assignment.worker_id if submission is not None else None
    if project is None or not services.may_review(request.user, project):
        raise Http404
    back = reverse("review:batch", args=[project.pk])
    form = DecisionForm(request.POST)
    status, error, review = 200, "", None
    if not form.is_valid():
        status, error = 422, form.first_error()
    else:
        try:
            review = services.review_decide(
                reviewer=request.user, submission_id=submission_id, **form.cleaned_data
            )
        except DomainError as exc:
            status, error = exc.status, exc.message
            review = _existing_review(submission_id)
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Decision saved."))
        return redirect(back)
    html = _actions_html(request, submission_id, review=review, error=error, form=form)
    # The page posts the batch's ids along ("ids"), so its counters follow the decision.
    ids = _ids(request.POST.getlist("ids")) or [submission_id]
    html += _counts_html(request, project, ids, worker_id)
    return HttpResponse(html, status=status)


def _ids(values: list[str]) -> list[int]:
    out: list[int] = []
    for value in values[: BATCH_LIMIT * 4]:
        if value.isdigit() and int(value) not in out:
            out.append(int(value))
    return out


@reviewer_required
@require_POST
def approve_rest(request: HttpRequest, project_id: int) -> HttpResponse:
    """Approve every answer of the batch that nobody has decided yet; each stands alone."""
    project = _project_or_404(request.user, project_id)
    ids = _ids(request.POST.getlist("ids"))
    decided = batch_reviews(project=project, submission_ids=ids, reviewer=request.user)
    fragments: list[str] = []
    approved = failed = 0
    for pk, review in decided.items():
        error = ""
        if review is None:
            try:
                review = services.review_decide(
                    reviewer=request.user, submission_id=pk, decision=Decision.APPROVE
                )
                approved += 1
            except DomainError as exc:
                failed += 1
                error = exc.message
                review = _existing_review(pk)
        fragments.append(_actions_html(request, pk, review=review, error=error, oob=True))
    summary = ngettext(
        "Approved %(n)d answer.", "Approved %(n)d answers.", approved
    ) % {"n": approved}
    problem = ngettext(
        "%(n)d answer could not be approved; its card says why.",
        "%(n)d answers could not be approved; their cards say why.",
        failed,
    ) % {"n": failed}
    if not _is_htmx(request):
        messages.success(request, summary)
        if failed:
            messages.error(request, problem)
        return redirect("review:batch", project_id=project.pk)
    status = render_to_string(
        "review/_bulk_status.html", {"summary": summary, "problem": problem if failed else ""}
    )
    return HttpResponse(status + "".join(fragments) + _counts_html(request, project, ids))

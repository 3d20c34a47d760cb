"""What a reviewer sees: projects with work waiting, and one worker's batch at a time."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, Min

from datadam.assist.selectors import outcomes_of
from datadam.projects.models import Project, ProjectStatus
from datadam.reviewchecks.controls import control_reviews, controls_interleave
from datadam.work.models import Assignment, AssignmentStatus, Submission

from .models import Decision, Review
from .services import may_review

BATCH_LIMIT = 50


def review_projects(*, reviewer: Any) -> list[dict[str, Any]]:
    """Projects the reviewer may review, with how many submissions await a decision."""
    projects = Project.objects.exclude(status=ProjectStatus.DRAFT).order_by("-id")
    if not (reviewer.is_reviewer or reviewer.is_operator):
        projects = projects.filter(organization__membership__user=reviewer)
    pending = dict(
        Assignment.objects.filter(status=AssignmentStatus.SUBMITTED, project__in=projects)
        .values("project")
        .annotate(n=Count("pk"))
        .values_list("project", "n")
    )
    return [{"project": p, "pending": pending.get(p.pk, 0)} for p in projects[:200]]


def review_batch(*, reviewer: Any, project: Project, limit: int = BATCH_LIMIT) -> dict[str, Any]:
    """The oldest waiting worker's submissions in a project, together on one screen.

    The reviewer's own work is never offered.
    """
    if not may_review(reviewer, project):
        return {"worker_id": None, "submissions": []}
    head = (
        Assignment.objects.filter(project=project, status=AssignmentStatus.SUBMITTED)
        .exclude(worker=reviewer)
        .order_by("submitted_at")
        .values("worker_id")
        .first()
    )
    if head is None:
        return {"worker_id": None, "submissions": []}
    submissions = list(
        Submission.objects.filter(
            assignment__project=project,
            assignment__worker_id=head["worker_id"],
            assignment__status=AssignmentStatus.SUBMITTED,
            revision=F("assignment__revisions"),
        )
        .select_related("assignment__item")
        .order_by("assignment__submitted_at")[:limit]
    )
    submissions = controls_interleave(reviewer=reviewer, project=project, submissions=submissions)
    return {"worker_id": head["worker_id"], "submissions": submissions}


# --- Review pages ------------------------------------------------------------------------------
# A card is marked when its answer equals each of the previous SAME_ANSWER_RUN answers, and an
# answer is marked fast below FAST_RATIO × the batch's median time. Purely visual hints.
SAME_ANSWER_RUN = 3
FAST_RATIO = 0.2


def review_queue(*, reviewer: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Projects with work this reviewer may decide now (their own work not counted).

    Each row: project, pending (submissions), workers (distinct), oldest (submitted_at);
    the project waiting longest first.
    """
    projects = Project.objects.exclude(status=ProjectStatus.DRAFT)
    if not (reviewer.is_reviewer or reviewer.is_operator):
        projects = projects.filter(organization__membership__user=reviewer)
    rows = list(
        Assignment.objects.filter(status=AssignmentStatus.SUBMITTED, project__in=projects)
        .exclude(worker=reviewer)
        .values("project")
        .annotate(n=Count("pk"), workers=Count("worker", distinct=True), oldest=Min("submitted_at"))
        .order_by("oldest")[:limit]
    )
    by_id = Project.objects.select_related("organization").in_bulk([r["project"] for r in rows])
    return [
        {
            "project": by_id[r["project"]],
            "pending": r["n"],
            "workers": r["workers"],
            "oldest": r["oldest"],
        }
        for r in rows
        if r["project"] in by_id
    ]


def worker_review_history(*, project: Project, worker_id: int) -> dict[str, int]:
    """How a worker's answers in a project were decided so far: counts per decision."""
    counts = dict(
        Review.objects.filter(
            submission__assignment__project=project, submission__assignment__worker_id=worker_id
        )
        .values("decision")
        .annotate(n=Count("pk"))
        .values_list("decision", "n")
    )
    out = {d: counts.get(d, 0) for d in Decision.values}
    out["total"] = sum(out.values())
    return out


def previous_reviews(*, assignment_ids: Sequence[int]) -> dict[int, Review]:
    """The latest earlier review of each assignment (why a revision was asked for)."""
    found: dict[int, Review] = {}
    reviews = (
        Review.objects.filter(submission__assignment_id__in=list(assignment_ids))
        .select_related("submission")
        .order_by("submission__revision")
    )
    for review in reviews:
        found[review.submission.assignment_id] = review
    return found


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def batch_hints(
    *,
    submissions: Sequence[Submission],
    same_run: int = SAME_ANSWER_RUN,
    fast_ratio: float = FAST_RATIO,
) -> list[dict[str, Any]]:
    """Per-card hints for one worker's batch, in order: where careless work may hide.

    position (1-based), same_run (answer equals each of the previous ``same_run`` answers),
    duplicate_of (positions of other cards whose item data is identical), fast (time under
    ``fast_ratio`` × the batch median), duration_ms, suggestion (what the worker did with a
    model's suggestion: accepted, edited, replaced; None without one: a batch of
    suggestions accepted at speed is worth a look). Submissions need assignment__item loaded.
    """
    outcomes = outcomes_of([s.pk for s in submissions])
    answers = [_canonical(s.answer) for s in submissions]
    items = [_canonical(s.assignment.item.data) for s in submissions]
    by_item: dict[str, list[int]] = {}
    for i, key in enumerate(items):
        by_item.setdefault(key, []).append(i + 1)
    durations = [s.duration_ms for s in submissions]
    median = statistics.median(durations) if durations else 0
    hints = []
    for i, s in enumerate(submissions):
        run = same_run > 0 and i >= same_run and all(
            answers[i - k] == answers[i] for k in range(1, same_run + 1)
        )
        hints.append(
            {
                "position": i + 1,
                "same_run": run,
                "duplicate_of": [p for p in by_item[items[i]] if p != i + 1],
                "fast": median > 0 and s.duration_ms < fast_ratio * median,
                "duration_ms": s.duration_ms,
                "suggestion": outcomes.get(s.pk),
            }
        )
    return hints


def review_waiting(*, reviewer: Any, project: Project) -> dict[str, int]:
    """Answers in a project waiting for this reviewer (their own not counted), and from how
    many workers."""
    return (
        Assignment.objects.filter(project=project, status=AssignmentStatus.SUBMITTED)
        .exclude(worker=reviewer)
        .aggregate(n=Count("pk"), workers=Count("worker", distinct=True))
    )


def batch_worker(*, project: Project, submission_ids: Sequence[int]) -> int | None:
    """The worker whose batch these submissions are (control answers are no one's)."""
    return (
        Submission.objects.filter(pk__in=list(submission_ids), assignment__project=project)
        .values_list("assignment__worker_id", flat=True)
        .first()
    )


def batch_counts(
    *, reviewer: Any, project: Project, worker_id: int | None, submission_ids: Sequence[int]
) -> dict[str, Any]:
    """The batch page's counters, read from the database after each decision.

    waiting: answers in the project waiting for this reviewer, plus the batch's undecided
    control answers (they look like waiting work, so they count like it); history: how the
    batch's worker's answers in the project were decided so far (None without a worker).
    """
    waiting = review_waiting(reviewer=reviewer, project=project)["n"]
    controls = control_reviews(reviewer=reviewer, project=project, ids=list(submission_ids))
    waiting += sum(1 for review in controls.values() if review is None)
    history = worker_review_history(project=project, worker_id=worker_id) if worker_id else None
    return {"waiting": waiting, "history": history}


def batch_reviews(
    *, project: Project, submission_ids: Sequence[int], reviewer: Any = None
) -> dict[int, Review | None]:
    """For the given submissions of a project (others are dropped, order kept): the review
    each already has, or None. With ``reviewer``, control answers of their batch count too."""
    known = set(
        Submission.objects.filter(
            pk__in=list(submission_ids), assignment__project=project
        ).values_list("pk", flat=True)
    )
    reviews = {
        r.submission_id: r
        for r in Review.objects.filter(submission_id__in=known).select_related("reviewer")
    }
    if reviewer is not None:
        reviews.update(
            controls := control_reviews(reviewer=reviewer, project=project, ids=submission_ids)
        )
        known |= set(controls)
    return {pk: reviews.get(pk) for pk in submission_ids if pk in known}

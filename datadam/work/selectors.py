"""What a worker sees: the project feed and their own assignments."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.errors import NotFound
from datadam.projects.models import Item, Project, ProjectStatus
from datadam.qualifications.selectors import eligible_projects_filter
from datadam.quality.rules import blocking_hits, restricted_projects, restriction_message
from datadam.skills.gates import invited_exists

from .models import Assignment, AssignmentStatus, Submission


def feed_projects(*, worker: Any) -> QuerySet[Project]:
    """Open projects a worker may take: eligible (qualifications, levels, profile
    conditions) and not closed to them by a pause, removal or suspension in force."""
    return (
        Project.objects.filter(status=ProjectStatus.OPEN)
        .filter(eligible_projects_filter(worker))
        .exclude(restricted_projects(worker_id=worker.pk, now=timezone.now()))
        .annotate(invited=invited_exists(worker))
        .order_by("-invited", "-reward", "-id")
    )


def feed_restrictions(*, worker: Any) -> list[dict[str, Any]]:
    """The worker's restrictions in force, each with the message the claim would give:
    the feed says why projects are missing and links to the appeal."""
    hits = blocking_hits(worker_id=worker.pk, now=timezone.now()).select_related("project")
    return [
        {"message": restriction_message(hit), "project": hit.project}
        for hit in hits.order_by("-pk")[:20]
    ]


def my_assignments(
    *,
    worker: Any,
    status: str = "",
    project_id: int | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[Assignment]:
    qs = Assignment.objects.filter(worker=worker)
    if status:
        qs = qs.filter(status=status)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if after:
        qs = qs.filter(pk__lt=after)
    return list(qs.select_related("item", "project").order_by("-pk")[: max(1, min(limit, 500))])


def latest_review(assignment: Assignment) -> Any:
    """The most recent review of an assignment (why it was returned or rejected)."""
    from datadam.review.models import Review

    return Review.objects.filter(submission__assignment=assignment).order_by("-pk").first()


# --- The worker's pages: feed cards, pace of a project, batches for "my work" ----------------
FEED_LIMIT = 100
REMAINING_CAP = 10_000
PACE_SAMPLE = 51
DEFAULT_SECONDS_PER_UNIT = 30
FEED_STATS_SECONDS = 30


@dataclass(frozen=True)
class ProjectPace:
    """How long one unit of a project takes and what it pays per hour."""

    seconds_per_unit: int
    measured: bool  # False: no recent submissions, the default estimate is shown
    points_per_hour: int
    remaining: int  # items with an open slot, counted up to REMAINING_CAP + 1
    remaining_capped: bool


@dataclass(frozen=True)
class FeedCard:
    project: Project
    pace: ProjectPace
    returned: int  # this worker's answers sent back for revision
    in_progress: bool  # this worker holds a live lease here


def _median_seconds(project_id: int) -> int | None:
    """Median server-measured time of the project's most recent submissions, in seconds."""
    durations = list(
        Submission.objects.filter(assignment__project_id=project_id)
        .order_by("-pk")
        .values_list("duration_ms", flat=True)[:PACE_SAMPLE]
    )
    if not durations:
        return None
    return max(1, math.ceil(statistics.median(durations) / 1000))


def _open_units(project_id: int) -> int:
    """Items with an open slot, counted along the partial index and stopped past the cap."""
    return (
        Item.objects.filter(project_id=project_id, slots_open__gt=0)
        .values("pk")[: REMAINING_CAP + 1]
        .count()
    )


def project_pace(*, project: Project) -> ProjectPace:
    """Estimated time per unit, effective hourly earnings and remaining units of a project.

    Bounded work (a sample of recent submissions, a capped count), cached for a few seconds
    so a busy feed does not recount on every view.
    """
    key = f"datadam:work:pace:{project.pk}:{project.reward}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    median = _median_seconds(project.pk)
    seconds = median or DEFAULT_SECONDS_PER_UNIT
    remaining = _open_units(project.pk)
    pace = ProjectPace(
        seconds_per_unit=seconds,
        measured=median is not None,
        points_per_hour=project.reward * 3600 // seconds,
        remaining=min(remaining, REMAINING_CAP),
        remaining_capped=remaining > REMAINING_CAP,
    )
    cache.set(key, pace, FEED_STATS_SECONDS)
    return pace


def returned_counts(*, worker: Any) -> dict[int, int]:
    """Per project, how many of the worker's answers wait for a revision."""
    return dict(
        Assignment.objects.filter(worker=worker, status=AssignmentStatus.RETURNED)
        .values("project_id")
        .annotate(n=Count("pk"))
        .values_list("project_id", "n")
    )


def live_lease_projects(*, worker: Any) -> set[int]:
    """Projects where the worker holds an unexpired lease (their task is waiting)."""
    return set(
        Assignment.objects.filter(
            worker=worker, status=AssignmentStatus.LEASED, expires_at__gt=timezone.now()
        ).values_list("project_id", flat=True)
    )


def feed_cards(
    *, worker: Any, limit: int = FEED_LIMIT, returned: dict[int, int] | None = None
) -> list[FeedCard]:
    """The feed as the worker's page shows it: best effective hourly earnings first.

    ``returned`` (from ``returned_counts``) may be passed in when the caller has it already.
    """
    if returned is None:
        returned = returned_counts(worker=worker)
    live = live_lease_projects(worker=worker)
    cards = [
        FeedCard(
            project=p,
            pace=project_pace(project=p),
            returned=returned.get(p.pk, 0),
            in_progress=p.pk in live,
        )
        for p in feed_projects(worker=worker)[:limit]
    ]
    # Projects the worker accepted an invitation to come first.
    cards.sort(key=lambda c: (not c.project.invited, -c.pace.points_per_hour,
                              -c.project.reward, -c.project.pk))
    return cards


def worker_assignment(*, worker: Any, assignment_id: int) -> Assignment:
    """One of the worker's own assignments (anyone else's is not found)."""
    assignment = (
        Assignment.objects.select_related("project", "item")
        .filter(pk=assignment_id, worker=worker)
        .first()
    )
    if assignment is None:
        raise NotFound(_("assignment not found"))
    return assignment


def latest_reviews(*, assignment_ids: list[int]) -> dict[int, Any]:
    """The most recent review of each assignment, in one query."""
    from datadam.review.models import Review

    out: dict[int, Any] = {}
    rows = Review.objects.filter(submission__assignment_id__in=assignment_ids).select_related(
        "submission"
    )
    for review in rows.order_by("-pk"):
        out.setdefault(review.submission.assignment_id, review)
    return out


def latest_submissions(*, assignment_ids: list[int]) -> dict[int, Submission]:
    """The newest answer (highest revision) of each assignment, in one query."""
    out: dict[int, Submission] = {}
    for sub in Submission.objects.filter(assignment_id__in=assignment_ids).order_by("-revision"):
        out.setdefault(sub.assignment_id, sub)
    return out

"""Gathering the evidence behind skills from the work itself (submissions, gold, reviews).

Read-only: ``skills_compute`` in services writes the rows. Each project is read once, with
only the items the workers in question answered.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F

from datadam.kinds import get_kind
from datadam.projects.models import Project
from datadam.review.models import Review
from datadam.work.models import Assignment, AssignmentStatus, Submission

from .models import ProjectSkills

# An answer counts once its latest version is awaiting review or decided; one returned for
# revision counts through its review only.
COUNTED = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED, AssignmentStatus.REJECTED)

Key = tuple[int, str, str]  # (worker id, kind, tag)


@dataclass
class Tally:
    answers: int = 0
    gold_total: int = 0
    gold_correct: int = 0
    agree_items: int = 0
    agree_share: float = 0.0
    approved: int = 0
    rejected: int = 0
    returned: int = 0
    durations: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> int | None:
        return int(statistics.median(self.durations)) if self.durations else None


def _scopes(worker_id: int, kind: str, tags: Iterable[str]) -> list[Key]:
    return [(worker_id, kind, "")] + [(worker_id, "", t) for t in tags]


def project_tags(project_ids: Iterable[int]) -> dict[int, list[str]]:
    return {
        pid: [str(t) for t in (tags or [])]
        for pid, tags in ProjectSkills.objects.filter(project_id__in=list(project_ids))
        .values_list("project_id", "tags")
    }


def _tally_answers(
    project: Project, tags: list[str], worker_ids: set[int] | None, out: dict[Key, Tally]
) -> None:
    kind = get_kind(project.kind)
    subs = Submission.objects.filter(
        assignment__project=project,
        assignment__status__in=COUNTED,
        revision=F("assignment__revisions"),
    )
    if worker_ids is not None:
        subs = subs.filter(
            assignment__item__in=Assignment.objects.filter(
                project=project, worker_id__in=worker_ids
            ).values("item_id")
        )
    by_item: dict[int, list[tuple[int, Any, int, Any]]] = defaultdict(list)
    rows = subs.values_list(
        "assignment__item_id", "assignment__worker_id", "answer", "duration_ms",
        "assignment__item__gold",
    )
    for item_id, worker_id, answer, duration, gold in rows.iterator(chunk_size=2000):
        by_item[item_id].append((worker_id, answer, duration, gold))
    for answers in by_item.values():
        for worker_id, answer, duration, gold in answers:
            if worker_ids is not None and worker_id not in worker_ids:
                continue
            others = [a for w, a, _d, _g in answers if w != worker_id]
            agreed = sum(1 for a in others if kind.answer_matches(a, answer, project.config))
            for key in _scopes(worker_id, project.kind, tags):
                t = out.setdefault(key, Tally())
                t.answers += 1
                t.durations.append(duration)
                if gold is not None:
                    t.gold_total += 1
                    t.gold_correct += int(kind.answer_matches(answer, gold, project.config))
                if others:
                    t.agree_items += 1
                    t.agree_share += agreed / len(others)


def _tally_reviews(
    project: Project, tags: list[str], worker_ids: set[int] | None, out: dict[Key, Tally]
) -> None:
    reviews = Review.objects.filter(submission__assignment__project=project, automatic=False)
    if worker_ids is not None:
        reviews = reviews.filter(submission__assignment__worker_id__in=worker_ids)
    counts = (
        reviews.values("submission__assignment__worker_id", "decision")
        .annotate(n=Count("pk"))
        .values_list("submission__assignment__worker_id", "decision", "n")
    )
    for worker_id, decision, n in counts:
        for key in _scopes(worker_id, project.kind, tags):
            t = out.setdefault(key, Tally())
            if decision == "approve":
                t.approved += n
            elif decision == "reject":
                t.rejected += n
            else:
                t.returned += n


def skill_tallies(worker_ids: set[int] | None = None) -> dict[Key, Tally]:
    """Counts per (worker, kind, "") and (worker, "", tag) for the given workers (None: all)."""
    assignments = Assignment.objects.all()
    if worker_ids is not None:
        assignments = assignments.filter(worker_id__in=worker_ids)
    pids = set(assignments.values_list("project_id", flat=True).distinct())
    tags = project_tags(pids)
    out: dict[Key, Tally] = {}
    for project in Project.objects.filter(pk__in=pids).only("pk", "kind"):
        _tally_answers(project, tags.get(project.pk, []), worker_ids, out)
        _tally_reviews(project, tags.get(project.pk, []), worker_ids, out)
    return out

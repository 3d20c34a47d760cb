"""The demo crowd at work on a project of any kind: gold mixed in, answers, reviews.

Each kind's demo supplies its data and its way of making a worker's answer (the truth with
that worker's kind of mistakes); the rest is the same for every kind and lives here.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from datadam.accounts.models import User
from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.quality.hooks import Restricted
from datadam.quality.services import policy_update
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_submit

#: Answer maker: (the claimed assignment, the worker's index: 0 careful … 2 sloppy) → answer.
AnswerFor = Callable[[Assignment, int], dict[str, Any]]


def gold_mix(*, client: User, project: Project, rate: int = 20) -> None:
    """One task in ``100 / rate`` a gold check scored with the kind's tolerance; nobody is
    paused (the sloppy worker's misses should reach the reviewer and the results)."""
    policy_update(user=client, project_id=project.pk, gold_rate=rate, gold_min_answers=3,
                  gold_threshold=0, gold_action="pause")


#: Tasks kept open for the first demo worker (worker@datadam.test, the account people try),
#: so that every demo project still has work for them to open.
SPARE_ITEMS = 2


def _left_for(project: Project, worker: User) -> int:
    """Data items the worker has not answered that still have an open slot."""
    done = Assignment.objects.filter(project=project, worker=worker).values("item_id")
    return (Item.objects.filter(project=project, gold__isnull=True, slots_open__gt=0)
            .exclude(pk__in=done).count())


def crowd_answer(*, project: Project, workers: Sequence[User], rounds: int,
                 answer_for: AnswerFor, rng: random.Random,
                 seconds: tuple[int, int] = (8, 40)) -> int:
    """Each worker in turn takes a task and answers it, ``rounds`` times, leaving
    ``SPARE_ITEMS`` tasks open for the first worker; returns the number of answers."""
    sent = 0
    for _ in range(rounds):
        for index, worker in enumerate(workers[:3]):
            if _left_for(project, workers[0]) <= SPARE_ITEMS:
                return sent
            try:
                a = assignment_claim(worker=worker, project_id=project.pk)
            except Restricted:  # paused by a gold policy
                continue
            if a is None:
                continue
            assignment_submit(worker=worker, assignment_id=a.pk, answer=answer_for(a, index),
                              client_duration_ms=rng.randint(seconds[0] * 1000,
                                                             seconds[1] * 1000))
            sent += 1
    return sent


def review_against(*, project: Project, reviewer: User, truth: Mapping[str, dict[str, Any]],
                   comment: str, waiting: int = 4) -> None:
    """The reviewer approves answers within the kind's tolerance of the truth (by external
    id) and returns the rest with ``comment``, leaving the last ``waiting`` in the queue."""
    kind = get_kind(project.kind)
    pending = list(Assignment.objects.filter(project=project, status=AssignmentStatus.SUBMITTED)
                   .select_related("item").order_by("pk"))
    for a in pending[:-waiting] if waiting else pending:
        sub = a.submissions.order_by("-revision").first()
        known = truth.get(a.item.external_id)
        if sub is None or known is None:
            continue
        if kind.answer_matches(sub.answer, known, project.config):
            review_decide(reviewer=reviewer, submission_id=sub.pk, decision=Decision.APPROVE)
        else:
            review_decide(reviewer=reviewer, submission_id=sub.pk, decision=Decision.RETURN,
                          reason_code="incomplete", comment=comment)

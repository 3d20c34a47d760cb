"""Demo of the platform's results: a dynamic-overlap project, aggregated, with a finished
acceptance sample (loaded by ``demo_load``)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from datadam.accounts.models import Membership
from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.services import sample_create, sample_inspect
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item
from datadam.projects.services import project_create, project_launch
from datadam.review.services import submissions_auto_approve
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_submit

SENTENCES = [
    ("The battery died after one hour.", "complaint"),
    ("Can I change the delivery address?", "question"),
    ("Thanks, the replacement works perfectly!", "praise"),
    ("Why was I charged twice this month?", "question"),
    ("The screen cracked on the first day.", "complaint"),
    ("Your support team was wonderful.", "praise"),
    ("포장이 찢어진 채로 도착했어요.", "complaint"),
    ("영업시간이 어떻게 되나요?", "question"),
    ("친절한 상담 감사합니다!", "praise"),
    ("The app logs me out every few minutes.", "complaint"),
    ("Is there a student discount?", "question"),
    ("Fast shipping and great quality.", "praise"),
]
GOLD = 3  # the first items are gold: their answer is known and teaches the model


PENDING = 3  # the last answers still await review: their results show as provisional


def _approve_all_but_recent(project: Any) -> int:
    """As if the work was done two days ago and the auto-approval delay has passed for all
    but the last few answers: those stay awaiting review, so the demo shows both."""
    submitted = Assignment.objects.filter(project=project, status=AssignmentStatus.SUBMITTED)
    recent = list(submitted.order_by("-submitted_at", "-pk").values_list("pk", flat=True)[:PENDING])
    earlier = timezone.now() - timedelta(hours=project.auto_approve_hours + 1)
    submitted.exclude(pk__in=recent).update(submitted_at=earlier)
    return submissions_auto_approve()


def demo_results(*, client: Any, workers: list[Any], shapes: Any, sentiment: Any,
                 rng: random.Random) -> Any:
    """Create, work, aggregate and inspect the dynamic-overlap demo project."""
    org_id = Membership.objects.get(user=client).organization_id
    labels = ["complaint", "question", "praise"]
    project = project_create(
        user=client,
        organization_id=org_id,
        name="Support messages (dynamic overlap)",
        kind="text_classification",
        reward=5,
        review_reward=1,
        overlap=4,
        min_answers=2,
        max_answers=4,
        target_confidence=0.9,
        review_policy="auto",
        auto_approve_hours=48,
        instructions="Is the message a complaint, a question or praise?",
        config={"labels": labels},
    )
    lines = [{"data": {"text": t}, "external_id": f"msg-{i}"} for i, (t, _) in
             enumerate(SENTENCES * 2)]
    items_import(user=client, project_id=project.pk, lines=parse_records(lines))
    truth = {}
    for i, item in enumerate(Item.objects.filter(project=project).order_by("pk")):
        truth[item.pk] = SENTENCES[i % len(SENTENCES)][1]
        if i < GOLD:
            Item.objects.filter(pk=item.pk).update(gold={"label": truth[item.pk]})
    project_launch(user=client, project_id=project.pk)
    accuracy = [0.95, 0.8, 0.6, 0.9]
    for _round in range(len(truth)):
        busy = False
        for worker, skill in zip(workers, accuracy, strict=False):
            a = assignment_claim(worker=worker, project_id=project.pk)
            if a is None:
                continue
            busy = True
            right = truth[a.item_id]
            label = right if rng.random() < skill else rng.choice(labels)
            assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": label})
        if not busy:
            break
    _approve_all_but_recent(project)
    for p in (project, shapes, sentiment):
        results_aggregate(project_id=p.pk)
    sample = sample_create(user=client, project_id=project.pk, aql=0.065)
    verdicts = {
        item_id: label == truth[item_id]
        for item_id, label in sample.items.values_list("item_id", "label")
    }
    sample_inspect(user=client, sample_id=sample.pk, verdicts=verdicts)
    return project

"""The demo's quality control: gold shapes mixed into the stream (the careless worker is
paused by the gold policy), a skips rule that fires once, and a pending appeal against it."""

from __future__ import annotations

import random

from datadam.accounts.models import User
from datadam.projects.models import Project
from datadam.quality.models import RuleHit
from datadam.quality.services import appeal_create, gold_import, policy_update, rule_create
from datadam.work.services import assignment_claim, assignment_release

from .media import SHAPES, save_shape


def demo_gold(*, client: User, shapes: Project) -> None:
    """Six gold shapes and a 20 % gold rate (the demo's gold picks are seeded)."""
    random.seed(7)
    gold_import(user=client, project_id=shapes.pk, items=[
        {"data": {"image": save_shape(SHAPES[i % 3], 100 + i)}, "external_id": f"gold-{i}",
         "gold": {"label": SHAPES[i % 3]}}
        for i in range(6)
    ])
    policy_update(user=client, project_id=shapes.pk, gold_rate=20, gold_min_answers=3,
                  gold_threshold=40, gold_action="pause", gold_pause_hours=12)


def demo_rule_hit(*, client: User, project: Project, worker: User) -> None:
    """A skips rule pauses ``worker`` after three skips in a row; they appeal."""
    rule_create(user=client, project_id=project.pk, kind="skips", params={"count": 3},
                action="pause", pause_hours=6)
    for _ in range(3):
        a = assignment_claim(worker=worker, project_id=project.pk)
        if a is None:
            return
        assignment_release(worker=worker, assignment_id=a.pk)
    hit = RuleHit.objects.filter(worker=worker, source_project=project).order_by("-pk").first()
    if hit is not None:
        appeal_create(worker=worker, hit_id=hit.pk,
                      message="I skipped reviews in a language I do not read well.")

"""The demo shows gold mixed into Shapes, a worker's gold score, a rule hit and an appeal."""

from __future__ import annotations

import pytest

from datadam.demo.loader import demo_load
from datadam.projects.models import Item, Project
from datadam.quality.models import Appeal, AppealStatus, RuleHit, WorkerQuality
from datadam.rewards.services import ledger_verify
from datadam.work.models import Assignment

pytestmark = pytest.mark.django_db


def test_the_demo_has_gold_scores_a_rule_hit_and_a_pending_appeal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(verbose=False)
    shapes = Project.objects.get(name__startswith="Shapes")
    assert Item.objects.filter(project=shapes, gold__isnull=False).count() == 6
    assert Assignment.objects.filter(project=shapes, item__gold__isnull=False).exists()
    assert WorkerQuality.objects.filter(project=shapes, gold_answered__gt=0).exists()
    hit = RuleHit.objects.get(kind="skips")
    assert hit.worker.email == "worker3@datadam.test" and hit.action == "pause"
    assert Appeal.objects.get(hit=hit).status == AppealStatus.PENDING
    assert ledger_verify() == []

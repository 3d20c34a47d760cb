"""The demo shows a dynamic-overlap project with results and a finished acceptance sample."""

from __future__ import annotations

import pytest

from datadam.datasets.models import AcceptanceSample, ItemResult
from datadam.datasets.selectors import dataset_card
from datadam.demo.loader import demo_load
from datadam.projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_has_a_dynamic_project_with_results_and_a_decided_sample(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(verbose=False)
    project = Project.objects.get(name="Support messages (dynamic overlap)")
    assert project.dynamic_overlap
    assert ItemResult.objects.filter(project=project).count() == 21  # 24 items, 3 gold
    sample = AcceptanceSample.objects.get(project=project)
    assert sample.status == "done" and sample.accepted is not None
    card = dataset_card(project)
    assert card["overlap"]["answers_saved"] > 0
    assert card["accuracy"]["source"] == "acceptance_sample"
    assert card["accuracy"]["gold"]["items"] == 3
    # The last answers still await review: their results are provisional, and never sampled.
    assert 1 <= card["results_provisional"] <= 3
    sampled = set(sample.items.values_list("item_id", flat=True))
    assert not ItemResult.objects.filter(item_id__in=sampled, provisional=True).exists()

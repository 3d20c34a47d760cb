"""Gold items test workers; they are not data: the dataset card counts, the answers budget
and the dashboard's results preview leave them out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.datasets.selectors import answers_used, dataset_card
from datadam.projects.models import Item
from datadam.projects.services import project_launch
from datadam.quality.services import gold_import
from datadam.work.models import Assignment, AssignmentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_with_gold(make_project, client_org):
    user, _org = client_org
    project = make_project(items=4, overlap=2, launch=False)
    report = gold_import(user=user, project_id=project.pk, items=[
        {"data": {"text": f"gold {i}"}, "gold": {"label": "pos"}} for i in range(2)
    ])
    assert report.ok, report.errors
    project_launch(user=user, project_id=project.pk)
    project.refresh_from_db()
    return project


def test_the_dataset_card_counts_data_items_and_gold_items_apart(project_with_gold):
    card = dataset_card(project_with_gold)
    assert card["items"] == 4 and card["gold_items"] == 2
    assert card["overlap"]["answers_budgeted"] == 8


def test_answers_on_gold_items_use_none_of_the_answers_budget(project_with_gold, worker):
    before = answers_used(project_with_gold)
    assert before == 8  # every data slot still open
    gold = Item.objects.filter(project=project_with_gold, gold__isnull=False).first()
    now = timezone.now()
    Assignment.objects.create(project=project_with_gold, item=gold, worker=worker,
                              status=AssignmentStatus.APPROVED, leased_at=now,
                              expires_at=now + timedelta(minutes=5))
    assert answers_used(project_with_gold) == before
    assert dataset_card(project_with_gold)["overlap"]["answers_saved"] == 0


def test_the_dashboard_preview_shows_no_gold_item(project_with_gold, client_org, client):
    client.force_login(client_org[0])
    html = client.get(f"/console/projects/{project_with_gold.pk}/").content.decode()
    for item in Item.objects.filter(project=project_with_gold):
        shown = f"#{item.pk}</p>" in html or f"#{item.pk} ·" in html
        assert shown == (item.gold is None), item.pk

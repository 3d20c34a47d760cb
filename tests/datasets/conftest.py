"""Fixtures of the results tests: a bounding-box project with stored results, export storage."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from datadam.projects.importing import items_import, parse_records
from datadam.projects.services import project_create

BOX_RESULTS = [
    {"boxes": [{"label": "car", "box": [10.0, 20.0, 100.0, 50.0], "score": 1.0},
               {"label": "person", "box": [300.5, 100.25, 40.0, 120.0], "score": 0.67}]},
    {"boxes": []},  # the crowd agreed the image holds none of the objects
]


@pytest.fixture
def export_storage(settings, tmp_path):
    """The default storage in a temporary folder (exports are written there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def image_exporters(monkeypatch):
    """The box kind, which lists COCO, YOLO and Pascal VOC among its formats."""
    from datadam.kinds import get_kind

    kind = get_kind("bounding_box")
    assert [f.slug for f in kind.exporters] == ["coco", "yolo", "voc"]
    return kind


@pytest.fixture
def box_project(client_org, export_storage, image_exporters) -> Any:
    """A bounding-box project of 4 items: two with stored results, one without, one gold."""
    from datadam.datasets.models import ItemResult
    from datadam.projects.models import Item

    user, org = client_org
    project = project_create(
        user=user, organization_id=org.pk, name="Street boxes", kind="bounding_box",
        config={"labels": ["car", "person"]}, reward=10, review_reward=0, overlap=3,
    )
    report = items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"image": f"https://img.test/street/{i}.jpg", "width": 640, "height": 480}
         for i in range(4)]))
    assert report.ok, report.errors
    items = list(Item.objects.filter(project=project).order_by("pk"))
    Item.objects.filter(pk=items[3].pk).update(gold={"boxes": []})
    now = timezone.now()
    ItemResult.objects.bulk_create([
        ItemResult(item=item, project=project, label="", result=result, confidence=0.8,
                   answers=3, provisional=False, method="fusion", run=1, updated_at=now)
        for item, result in zip(items[:2], BOX_RESULTS, strict=True)
    ])
    project.refresh_from_db()
    return project

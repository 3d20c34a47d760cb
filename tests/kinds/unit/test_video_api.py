"""The video kinds through the JSON API: import with gold, answers checked against the item's
duration (a clear 422, never a 500), the aggregation job, and the stored result."""

from __future__ import annotations

import pytest

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.models import ItemResult

pytestmark = pytest.mark.django_db

ITEM = {"video": "https://cdn.test/clip.webm", "duration": 6.0, "width": 640, "height": 360,
        "fps": 25}


def test_segments_are_checked_submitted_and_fused_through_the_api(
    make_project, make_user, client_org, api
):
    owner = api(client_org[0])
    project = make_project(items=0, launch=False, overlap=2, review_policy="auto",
                           kind="video_segments", config={"labels": ["goal", "foul"]})
    r = owner.post(f"projects/{project.pk}/items", {"items": [
        {"data": ITEM, "external_id": "clip-1"},
        {"data": {"video": "x.webm"}, "external_id": "broken"}]})
    assert r.status_code == 422 and "duration" in r.content.decode()  # all or nothing
    r = owner.post(f"projects/{project.pk}/items", {"items": [
        {"data": ITEM, "external_id": "clip-1"}]})
    assert r.status_code == 201, r.content
    r = owner.post(f"projects/{project.pk}/launch")
    assert r.status_code < 400, r.content

    answers = [{"segments": [{"start": 1.0, "end": 3.0, "label": "goal"}]},
               {"segments": [{"start": 1.2, "end": 3.1, "label": "goal"}]}]
    for answer in answers:
        worker = api(make_user())
        a = worker.post(f"projects/{project.pk}/next").json()["assignment"]
        bad = worker.post(f"assignments/{a['id']}/submit", {"answer": {"segments": [
            {"start": 7, "end": 8, "label": "goal"}]}})
        assert bad.status_code == 422 and "inside the video" in bad.json()["message"]
        r = worker.post(f"assignments/{a['id']}/submit", {"answer": answer})
        assert r.status_code in (200, 201), r.content

    results_aggregate(project_id=project.pk)
    result = ItemResult.objects.get(project=project)
    assert result.method == "fusion" and result.label == "goal"
    assert result.result["segments"][0]["label"] == "goal"
    assert result.result["segments"][0]["start"] == pytest.approx(1.1)
    assert 0.5 < result.confidence <= 1

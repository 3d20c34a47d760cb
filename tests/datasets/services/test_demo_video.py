"""The video demo: generated clips whose truth is known, answered by a careful, a good and a
sloppy worker, reviewed, aggregated item by item; the results land near the truth."""

from __future__ import annotations

import random

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from datadam.accounts.models import Membership, Role
from datadam.datasets.models import AggregationState, ItemResult, WorkerEstimate
from datadam.datasets.selectors import dataset_card
from datadam.demo import clips
from datadam.demo.video import demo_video
from datadam.kinds import get_kind
from datadam.projects.models import Item
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_video_demo_makes_two_worked_and_aggregated_projects(
    settings, tmp_path, client_org, make_user, reviewer
):
    settings.MEDIA_ROOT = tmp_path
    user, org = client_org
    Membership.objects.get_or_create(user=user, organization=org)
    workers = [make_user(Role.WORKER) for _ in range(3)]
    projects = demo_video(client=user, organization_id=org.pk, workers=workers,
                          reviewer=reviewer, rng=random.Random(7))

    assert [p.kind for p in projects] == ["video_segments", "video_frames"]
    for project in projects:
        kind = get_kind(project.kind)
        state = AggregationState.objects.get(project=project)
        assert state.chosen == "fusion" and state.n_items > 0
        assert WorkerEstimate.objects.filter(project=project).count() == 3
        item = Item.objects.filter(project=project, gold__isnull=True).first()
        key = item.data["video"].split("/media/", 1)[-1]
        assert default_storage.exists(key) and item.data["poster"].endswith(".jpg")
        assert kind.validate_item(item.data) == item.data
        # The fused results are close to the truth the clips were drawn from.
        seed = 7000 + 100 * projects.index(project) + int(
            item.external_id.rsplit("-", 1)[1].split(".")[0])
        truth = ({"segments": clips.random_segments(seed, 8.0)}
                 if project.kind == "video_segments"
                 else {"ranges": clips.random_ranges(seed, 8.0)})
        results = {r.item_id: r.result for r in ItemResult.objects.filter(project=project)}
        assert results, project.kind
        if item.pk in results:
            assert kind.score_answer(results[item.pk], truth, project.config) >= 0.5
        card = dataset_card(project)
        assert card["aggregation_kind"] == "item"
        assert card["correct_means"]

    # The reviewer's batch shows the waiting segment answers on the video's timeline.
    client = Client()
    assert client.login(username=reviewer.email, password=PASSWORD)
    html = client.get(f"/review/projects/{projects[0].pk}/").content.decode()
    assert 'class="dd-vr"' in html and 'class="dd-vr-s"' in html and "poster=" in html

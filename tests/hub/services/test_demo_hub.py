"""The demo's dataset hub (``datadam.demo.hub``), on small projects made as the demo loader
makes its Shapes and sentiment projects: a public dataset relabelled into version 2 with an
open request, and a by-request dataset with an approved (downloading) and a waiting
requester."""

from __future__ import annotations

from typing import Any

import pytest

from datadam.accounts.models import Role
from datadam.demo.hub import demo_hub
from datadam.demo.media import SHAPES, save_shape
from datadam.hub.models import (
    AccessStatus,
    Dataset,
    Download,
    FileStatus,
    ImprovementRequest,
    RequestStatus,
    VersionItem,
)
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item, Project
from datadam.projects.services import project_create, project_launch
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db

#: Pictures 0 and 3 are circles the crowd calls squares; 6 and 7 are answered but not yet
#: reviewed, so version 1 has no label for them (6 is a circle too).
WRONG = {"shape-0": "square", "shape-3": "square"}
UNREVIEWED = {"shape-6", "shape-7"}


def _work(project: Project, workers: list[Any], answer_of: Any) -> None:
    for worker in workers:
        while (a := assignment_claim(worker=worker, project_id=project.pk)) is not None:
            assignment_submit(worker=worker, assignment_id=a.pk, answer=answer_of(a.item))


def _shapes(user: Any, org: Any, workers: list[Any], reviewer: Any) -> tuple[Project, dict]:
    """Eight pictures, three answers each, reviewed by hand (as the demo's Shapes project)."""
    project = project_create(user=user, organization_id=org.pk, name="Shapes",
                             kind="image_classification", reward=10, review_reward=2,
                             overlap=3, config={"labels": list(SHAPES)})
    truth = {save_shape(SHAPES[i % 3], i): SHAPES[i % 3] for i in range(8)}
    items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"image": image}, "external_id": f"shape-{i}"}
         for i, image in enumerate(truth)]))
    project_launch(user=user, project_id=project.pk)
    _work(project, workers, lambda item: {
        "label": WRONG.get(item.external_id, truth[item.data["image"]])})
    for a in Assignment.objects.filter(project=project, status=AssignmentStatus.SUBMITTED
                                       ).exclude(item__external_id__in=UNREVIEWED):
        review_decide(reviewer=reviewer, submission_id=a.submissions.get().pk,
                      decision=Decision.APPROVE)
    return project, truth


def _sentiment(user: Any, org: Any, workers: list[Any]) -> Project:
    """Four reviews answered once, counted at once (review policy "auto", as the demo's)."""
    project = project_create(user=user, organization_id=org.pk, name="Review sentiment",
                             kind="text_classification", reward=8, overlap=1,
                             review_policy="auto",
                             config={"labels": ["positive", "neutral", "negative"]})
    items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"text": f"review {i}"}, "external_id": f"review-{i}"} for i in range(4)]))
    project_launch(user=user, project_id=project.pk)
    _work(project, workers[:1], lambda item: {"label": "positive"})
    return project


@pytest.fixture
def hub(settings, tmp_path, client_org, make_user) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    user, org = client_org
    workers = [make_user(Role.WORKER) for _ in range(3)]
    reviewer = make_user(Role.WORKER, reviewer=True)
    shapes, truth = _shapes(user, org, workers, reviewer)
    sentiment = _sentiment(user, org, workers)
    made = demo_hub(client=user, reviewer=reviewer, workers=workers, shapes=shapes,
                    sentiment=sentiment, truth=truth)
    return {"made": made, "workers": workers, "shapes": shapes}


def test_the_demo_hub_relabels_two_wrong_shapes_into_version_two(hub):
    shapes = hub["made"].shapes
    assert Dataset.objects.count() == 2
    assert (shapes.visibility, shapes.licence, shapes.title_ko) == ("public", "cc-by-4.0", "도형")
    assert shapes.languages == ["en", "ko"] and shapes.tags
    v1, v2 = shapes.versions.order_by("number")
    assert (v1.number, v2.number) == (1, 2) and v1.status == v2.status == "ready"
    assert (v2.added, v2.removed, v2.relabelled) == (0, 0, 2)
    # The wrong labels are reported, not the pictures without one.
    wrong = set(Item.objects.filter(project=hub["shapes"], external_id__in=WRONG)
                .values_list("pk", flat=True))
    relabel = ImprovementRequest.objects.get(dataset=shapes, kind="relabel")
    assert set(relabel.keys) == wrong and relabel.proposed_label == "circle"
    assert relabel.status == RequestStatus.RELEASED and relabel.released_in == v2
    assert f"#{relabel.pk}" in v2.changelog
    labels = dict(VersionItem.objects.filter(version=v2, key__in=wrong)
                  .values_list("key", "label"))
    assert set(labels.values()) == {"circle"}
    shapes.refresh_from_db()
    assert shapes.latest == v2
    extend = ImprovementRequest.objects.get(dataset=shapes, kind="extend")
    assert extend.status == RequestStatus.OPEN and extend.version == v2
    assert extend.user == hub["workers"][1]
    assert hub["made"].line().startswith("Dataset hub: /hub/ (")


def test_the_demo_hub_shares_reviews_by_request_with_one_download(hub):
    reviews = hub["made"].reviews
    reviews.refresh_from_db()
    worker, _worker2, worker3 = hub["workers"]
    assert reviews.visibility == "request" and reviews.usage_terms
    assert reviews.title_ko and reviews.latest.number == 1
    csv = reviews.latest.files.get(format="csv")
    assert csv.status == FileStatus.READY and csv.bytes > 0
    statuses = dict(reviews.access_requests.values_list("user", "status"))
    assert statuses == {worker.pk: AccessStatus.APPROVED, worker3.pk: AccessStatus.PENDING}
    download = Download.objects.get(dataset=reviews)
    assert (download.user, download.path, download.range_start) == (worker, csv.path, 0)
    assert reviews.downloads == 1

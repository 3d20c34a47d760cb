"""The demo's dataset hub: two published datasets with a history worth browsing.

- "Shapes" (public, CC BY 4.0) from the Shapes project: version 1, a worker's relabeling
  request accepted and worked through a relabeling project, version 2 with the two records
  relabelled and the request credited, and an open request for more data.
- "Review sentiment" (by request) from the sentiment project: version 1 with a CSV file,
  one approved requester who downloaded it and one request waiting for a decision.

Versions and format files are built here by calling the jobs directly, so the hub is there
as soon as the demo is loaded; the queued jobs find them finished and skip.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson

from datadam.errors import DomainError
from datadam.hub.downloads import download_record
from datadam.hub.formats import version_format_build
from datadam.hub.models import Dataset, DatasetVersion, VersionItem, VersionStatus
from datadam.hub.services.access import access_request_create, access_request_decide
from datadam.hub.services.datasets import dataset_publish
from datadam.hub.services.requests import (
    improvement_request_create,
    improvement_request_triage,
    relabel_project_create,
)
from datadam.hub.services.versions import version_create, version_format_request
from datadam.hub.snapshot import version_build
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from datadam.quality.hooks import Restricted
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.services import assignment_claim, assignment_submit

SHAPES_TEXT = {
    "title": "Shapes",
    "title_ko": "도형",
    "description": "Small generated pictures of circles, squares and triangles, each "
                   "labeled by three crowd workers and checked by a reviewer.",
    "description_ko": "원, 사각형, 삼각형을 그린 작은 그림입니다. 그림마다 작업자 세 명이 "
                      "라벨을 달고 검수자가 확인했습니다.",
    "licence": "cc-by-4.0",
    "tags": ["images", "shapes", "classification"],
    "languages": ["en", "ko"],
    "visibility": "public",
}
REVIEWS_TEXT = {
    "title": "Review sentiment",
    "title_ko": "리뷰 감정 분류",
    "description": "Short product reviews in Korean and English with their sentiment: "
                   "positive, neutral or negative.",
    "description_ko": "한국어와 영어로 쓴 짧은 상품 리뷰와 그 감정(긍정, 중립, 부정)입니다.",
    "licence": "cc-by-nc-4.0",
    "usage_terms": "Research use only. Do not try to identify the people who wrote the "
                   "reviews, do not share the data with others, and cite Demo Lab in "
                   "what you publish.",
    "tags": ["text", "sentiment", "reviews"],
    "languages": ["ko", "en"],
    "visibility": "request",
}


@dataclass(frozen=True)
class DemoHub:
    """The demo's datasets, for the loader's summary and the tests."""

    shapes: Dataset
    reviews: Dataset

    def line(self) -> str:
        return (f"Dataset hub: /hub/ ({self.shapes.title!r}: public, v2 with 2 relabelled "
                f"and an open request; {self.reviews.title!r}: by request, one approved "
                f"and one waiting access request)")


def _build(dataset: Dataset) -> DatasetVersion:
    """Build the dataset's newest version now (the job, called directly)."""
    version = DatasetVersion.objects.filter(dataset=dataset).order_by("-number").first()
    outcome = version_build(version_id=version.pk)
    version.refresh_from_db()
    if version.status != VersionStatus.READY:
        raise DomainError(f"the demo version {version} was not built: {outcome}")
    return version


def _mislabelled(version: DatasetVersion, truth: dict[str, str]) -> tuple[list[int], str]:
    """Two records of the version, of one shape, whose label is not that shape (a wrong
    label first, else none yet), and the shape: what a careful user would report."""
    candidates = []
    for key, label, text in VersionItem.objects.filter(version=version).values_list(
            "key", "label", "record"):
        shape = truth.get((orjson.loads(text).get("data") or {}).get("image", ""))
        if shape is not None and label != shape:
            candidates.append((label == "", key, shape))
    found: dict[str, list[int]] = defaultdict(list)
    for _unlabelled, key, shape in sorted(candidates):
        found[shape].append(key)
        if len(found[shape]) == 2:
            return found[shape], shape
    raise DomainError("the demo needs two pictures of one shape that version 1 labels wrong "
                      "or not at all")


def _answer(project: Project, workers: list[Any], label: str) -> list[int]:
    """Every worker answers every item of the project with ``label``; the submissions."""
    submissions = []
    for worker in workers:
        while True:
            try:
                a = assignment_claim(worker=worker, project_id=project.pk)
            except Restricted:
                break
            if a is None:
                break
            sub, _created = assignment_submit(worker=worker, assignment_id=a.pk,
                                              answer={"label": label},
                                              client_duration_ms=4000)
            submissions.append(sub.pk)
    return submissions


def _shapes_dataset(*, client: Any, reviewer: Any, workers: list[Any], shapes: Project,
                    truth: dict[str, str]) -> Dataset:
    dataset = dataset_publish(user=client, project_ids=[shapes.pk],
                              changelog="The Shapes project's results.", **SHAPES_TEXT)
    v1 = _build(dataset)
    keys, shape = _mislabelled(v1, truth)
    reported = improvement_request_create(
        user=workers[0], dataset_id=dataset.pk, version=1, kind="relabel", items=keys,
        proposed_label=shape,
        reason=f"Both pictures clearly show a {shape}, but version 1 does not label them so.")
    improvement_request_triage(user=client, request_id=reported.pk, decision="accept",
                               response="Right, thank you: we will have them relabelled.")
    project = relabel_project_create(user=client, dataset_id=dataset.pk,
                                     request_ids=[reported.pk],
                                     name="Relabeling: two pictures reported on the hub")
    project_launch(user=client, project_id=project.pk)
    for sub_id in _answer(project, workers, shape):
        review_decide(reviewer=reviewer, submission_id=sub_id, decision=Decision.APPROVE)
    version_create(user=client, dataset_id=dataset.pk,
                   changelog="Two pictures relabelled after a report.")
    _build(dataset)
    improvement_request_create(
        user=workers[1], dataset_id=dataset.pk, version=2, kind="extend",
        reason="Add more photos taken at night: every picture is on a light background.")
    return dataset


def _reviews_dataset(*, client: Any, workers: list[Any], sentiment: Project) -> Dataset:
    dataset = dataset_publish(user=client, project_ids=[sentiment.pk],
                              changelog="The sentiment project's results.", **REVIEWS_TEXT)
    _build(dataset)
    csv = version_format_request(user=client, dataset_id=dataset.pk, number=1, fmt="csv")
    version_format_build(file_id=csv.pk)
    approved = access_request_create(
        user=workers[0], dataset_id=dataset.pk, accept_terms=True,
        organization_name="Wendy's reading group",
        purpose="To compare sentiment models on Korean and English reviews.")
    access_request_decide(user=client, request_id=approved.pk, approve=True)
    download_record(user=workers[0], version=csv.version, path=csv.path)
    access_request_create(
        user=workers[2], dataset_id=dataset.pk, accept_terms=True,
        purpose="A class project on how people write reviews.")
    return dataset


def demo_hub(*, client: Any, reviewer: Any, workers: list[Any], shapes: Project,
             sentiment: Project, truth: dict[str, str]) -> DemoHub:
    """Publish the demo's two datasets and give them their history (see the module).
    ``truth``: the Shapes pictures' image URL → the shape drawn."""
    return DemoHub(
        shapes=_shapes_dataset(client=client, reviewer=reviewer, workers=workers,
                               shapes=shapes, truth=truth),
        reviews=_reviews_dataset(client=client, workers=workers, sentiment=sentiment))

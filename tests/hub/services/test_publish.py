"""Publishing a dataset (hub.services.datasets.dataset_publish): what is refused, and what a
publication starts (version 1 queued, then built, the dataset's figures and search)."""

from __future__ import annotations

import pytest

from datadam.errors import InvalidInput, NotFound
from datadam.hub.models import Dataset, DatasetSource, DatasetVersion, VersionStatus
from datadam.hub.selectors import hub_search
from datadam.hub.services.datasets import MAX_TAGS, dataset_publish

pytestmark = pytest.mark.django_db


def _publish(user, project_ids, **fields):
    fields.setdefault("title", "Sentiment")
    return dataset_publish(user=user, project_ids=project_ids, **fields)


def test_publishing_without_projects_is_refused(client_org):
    user, _org = client_org
    with pytest.raises(InvalidInput, match="project_ids"):
        _publish(user, [])
    assert not Dataset.objects.exists()


def test_publishing_another_organizations_project_is_not_found(client_org, make_client_org,
                                                               make_project):
    user, _org = client_org
    theirs = make_project(items=0, launch=False, owner=make_client_org())
    with pytest.raises(NotFound, match=str(theirs.pk)):
        _publish(user, [theirs.pk])
    assert not Dataset.objects.exists()


def test_publishing_projects_of_two_kinds_is_refused(client_org, make_project):
    user, _org = client_org
    text = make_project(items=0, launch=False)
    images = make_project(items=0, launch=False, kind="image_classification",
                          config={"labels": ["cat", "dog"]})
    with pytest.raises(InvalidInput, match="one task kind"):
        _publish(user, [text.pk, images.pk])
    assert not Dataset.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"licence": "wtfpl"}, "unknown licence"),
    ({"languages": ["ko", "klingon"]}, "unknown language codes: klingon"),
    ({"visibility": "request"}, "needs usage terms"),
    ({"visibility": "request", "usage_terms": "   "}, "needs usage terms"),
    ({"tags": [f"tag{n}" for n in range(MAX_TAGS + 1)]}, "at most"),
    ({"tags": ["x" * 41]}, "at most"),
    ({"title": "  "}, "must not be empty"),
    ({"visibility": "secret"}, "visibility must be one of"),
    ({"changelog": "x" * 20_001}, "changelog must be text"),  # no dataset left without versions
])
def test_bad_dataset_fields_are_refused_with_what_is_wrong(client_org, make_project, fields,
                                                           message):
    user, _org = client_org
    project = make_project(items=0, launch=False)
    with pytest.raises(InvalidInput, match=message):
        _publish(user, [project.pk], **fields)
    assert not Dataset.objects.exists()


def test_publishing_queues_version_one_and_the_build_sets_the_datasets_figures(
    client_org, labeled_project, hub_storage, build
):
    from django_tasks_db.models import DBTaskResult

    user, _org = client_org
    dataset = _publish(user, [labeled_project.pk], description="Short texts.",
                       tags="sentiment, reviews", languages=["EN"], licence="cc0-1.0")
    assert (dataset.tags, dataset.languages) == (["sentiment", "reviews"], ["en"])
    assert list(DatasetSource.objects.filter(dataset=dataset).values_list(
        "project_id", "role")) == [(labeled_project.pk, "base")]
    version = DatasetVersion.objects.get(dataset=dataset)
    assert (version.number, version.status, version.changelog) == (
        1, VersionStatus.BUILDING, "First version.")
    jobs = DBTaskResult.objects.filter(task_path__endswith="version_build_task")
    assert [job.args_kwargs["args"] for job in jobs] == [[version.pk]]
    # Not built yet: the listing shows only datasets with a ready version.
    assert hub_search(user, q="Sentiment")["total"] == 0

    version = build(dataset)
    dataset.refresh_from_db()
    assert dataset.latest_id == version.pk and version.items == 4 == dataset.items
    assert dataset.bytes == version.bytes == sum(version.files.values_list("bytes", flat=True))
    assert dataset.bytes > 0 and version.finished_at is not None
    assert (version.added, version.removed, version.relabelled) == (4, 0, 0)
    assert version.label_counts == {"pos": 2, "neg": 1, "neu": 1}
    found = hub_search(user, q="sentiment")
    assert [d["id"] for d in found["datasets"]] == [dataset.pk]
    assert found["datasets"][0]["latest_version"] == 1
    assert hub_search(None, q="reviews")["total"] == 1  # public: anonymous visitors too
    assert hub_search(user, q="zebra")["total"] == 0

"""Versions are immutable snapshots: later results change the next version, never a built
one, and the next version's diff says what changed (hub.diff)."""

from __future__ import annotations

import orjson
import pytest
from django.core.files.storage import default_storage

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.models import ItemResult
from datadam.hub.models import DatasetSource, VersionItem
from datadam.hub.selectors import version_changes
from datadam.hub.services.datasets import dataset_publish
from datadam.hub.services.versions import version_create
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db


def _snapshot(version) -> tuple[list, dict]:
    rows = list(VersionItem.objects.filter(version=version).order_by("key").values_list(
        "key", "label", "digest", "record"))
    files = {}
    for f in version.files.all():
        with default_storage.open(f.storage_name, "rb") as stream:
            files[f.path] = (f.sha256, stream.read())
    return rows, files


def _keys(version, change: str) -> list[int]:
    return [row["key"] for row in version_changes(version, change)["changes"]]


def test_new_results_leave_version_one_as_built_and_version_two_shows_them(
    published, labeled_project, client_org, worker, do_work, build
):
    user, _org = client_org
    v1 = published.latest
    before = _snapshot(v1)
    items = list(Item.objects.filter(project=labeled_project).order_by("pk"))
    # Two more items, answered; then the first item's result changes from pos to neg.
    report = items_import(user=user, project_id=labeled_project.pk, lines=parse_records(
        [{"text": "text new 1"}, {"text": "text new 2"}]))
    assert report.ok, report.errors
    do_work(labeled_project, worker, {"label": "neu"})
    do_work(labeled_project, worker, {"label": "neu"})
    results_aggregate(project_id=labeled_project.pk)
    ItemResult.objects.filter(item=items[0]).update(label="neg", result={"label": "neg"})
    new = sorted(Item.objects.filter(project=labeled_project).exclude(
        pk__in=[i.pk for i in items]).values_list("pk", flat=True))

    version_create(user=user, dataset_id=published.pk, changelog="More texts.")
    v2 = build(published)
    assert _snapshot(v1) == before  # rows and stored bytes of v1 untouched
    v1.refresh_from_db()
    assert v1.items == 4 and v1.label_counts == {"pos": 2, "neg": 1, "neu": 1}

    assert (v2.number, v2.previous_id, v2.items) == (2, v1.pk, 6)
    assert (v2.added, v2.removed, v2.relabelled) == (2, 0, 1)
    assert _keys(v2, "added") == new
    assert _keys(v2, "relabelled") == [items[0].pk]
    assert _keys(v2, "removed") == []
    (change,) = version_changes(v2, "relabelled")["changes"]
    assert (change["old_label"], change["new_label"]) == ("pos", "neg")
    record = VersionItem.objects.get(version=v2, key=items[0].pk).record
    assert orjson.loads(record)["result"]["label"] == "neg"
    assert orjson.loads(VersionItem.objects.get(version=v1, key=items[0].pk).record)[
        "result"]["label"] == "pos"
    published.refresh_from_db()
    assert published.latest_id == v2.pk and published.items == 6


def test_a_version_with_nothing_new_has_no_changes(published, client_org, build):
    version_create(user=client_org[0], dataset_id=published.pk)
    v2 = build(published)
    assert (v2.added, v2.removed, v2.relabelled) == (0, 0, 0)
    v1_rows = _snapshot(published.latest)[0]
    assert [r[:3] for r in _snapshot(v2)[0]] == [r[:3] for r in v1_rows]


def test_records_of_a_source_no_longer_published_are_removed_in_the_next_version(
    client_org, make_project, worker, do_work, hub_storage, build
):
    user, _org = client_org
    first = make_project(items=2, overlap=1, review_policy="auto")
    second = make_project(items=1, overlap=1, review_policy="auto")
    for project in (first, first, second):
        do_work(project, worker, {"label": "pos"})
    dataset = dataset_publish(user=user, project_ids=[first.pk, second.pk], title="Two")
    assert build(dataset).items == 3
    DatasetSource.objects.filter(dataset=dataset, project=second).delete()
    version_create(user=user, dataset_id=dataset.pk)
    v2 = build(dataset)
    gone = list(Item.objects.filter(project=second).values_list("pk", flat=True))
    assert (v2.items, v2.added, v2.removed, v2.relabelled) == (2, 0, 1, 0)
    assert _keys(v2, "removed") == gone
    (change,) = version_changes(v2, "removed")["changes"]
    assert (change["old_label"], change["new_label"]) == ("pos", None)

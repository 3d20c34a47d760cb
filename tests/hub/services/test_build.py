"""The version build job (hub.snapshot.version_build): safe to run twice, clean after a
crash or a failure, one build at a time, and the files it writes."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import orjson
import pyarrow.parquet as pq
import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from datadam.errors import Conflict
from datadam.hub.models import (
    Dataset,
    DatasetVersion,
    VersionFile,
    VersionItem,
    VersionStatus,
)
from datadam.hub.services.datasets import dataset_publish
from datadam.hub.services.versions import version_create
from datadam.hub.snapshot import storage_key, version_build
from datadam.notifications.models import Notification
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db

FOLDER = ["README.md", "SHA256SUMS", "data/train-00000-of-00001.parquet", "train.jsonl"]


def _read(file: VersionFile) -> bytes:
    with default_storage.open(file.storage_name, "rb") as f:
        return f.read()


def _unbuilt(user, project, **fields) -> DatasetVersion:
    dataset = dataset_publish(user=user, project_ids=[project.pk], title="Sentiment", **fields)
    return DatasetVersion.objects.get(dataset=dataset)


def test_a_second_run_of_a_built_version_is_skipped_and_changes_nothing(published):
    version = published.latest
    rows = list(VersionItem.objects.filter(version=version).values_list("pk", "digest"))
    files = list(version.files.values_list("pk", "sha256"))
    assert version_build(version_id=version.pk) == {"version": version.pk,
                                                    "skipped": "claimed or finished"}
    assert list(VersionItem.objects.filter(version=version).values_list("pk", "digest")) == rows
    assert list(version.files.values_list("pk", "sha256")) == files


def test_a_run_while_another_holds_the_build_is_skipped(client_org, labeled_project,
                                                        hub_storage):
    version = _unbuilt(client_org[0], labeled_project)
    DatasetVersion.objects.filter(pk=version.pk).update(
        started_at=timezone.now() - timedelta(minutes=5))
    assert "skipped" in version_build(version_id=version.pk)
    version.refresh_from_db()
    assert version.status == VersionStatus.BUILDING
    assert not VersionItem.objects.filter(version=version).exists()


def test_a_run_after_a_crash_an_hour_ago_rebuilds_without_duplicate_rows(client_org,
                                                                         labeled_project,
                                                                         hub_storage):
    version = _unbuilt(client_org[0], labeled_project)
    # What a worker that died half-way left: some rows, a file row and its stored file.
    DatasetVersion.objects.filter(pk=version.pk).update(
        started_at=timezone.now() - timedelta(hours=2))
    first = Item.objects.filter(project=labeled_project).order_by("pk").first()
    VersionItem.objects.create(version=version, key=first.pk, label="stale", digest="x",
                               record="{}")
    key = storage_key(version, "train.jsonl")
    name = default_storage.save(key, ContentFile(b"half a file"))
    VersionFile.objects.create(version=version, path="train.jsonl", status="queued",
                               storage_name=name)

    outcome = version_build(version_id=version.pk)
    version.refresh_from_db()
    assert outcome["status"] == VersionStatus.READY and version.status == VersionStatus.READY
    rows = VersionItem.objects.filter(version=version)
    assert rows.count() == 4 == version.items
    assert not rows.filter(label="stale").exists()
    assert sorted(version.files.values_list("path", flat=True)) == FOLDER
    jsonl = version.files.get(path="train.jsonl")
    assert len(_read(jsonl).splitlines()) == 4


def test_a_failing_build_is_marked_failed_leaves_nothing_and_tells_the_managers(
    client_org, labeled_project, hub_storage, monkeypatch
):
    from datadam.hub import snapshot

    user, _org = client_org
    version = _unbuilt(user, labeled_project)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    # After the rows and the data files are written, before the version is marked ready.
    monkeypatch.setattr(snapshot, "_release", broken)
    outcome = version_build(version_id=version.pk)
    version.refresh_from_db()
    assert outcome["status"] == VersionStatus.FAILED == version.status
    assert version.error == "OSError: disk full" and version.finished_at is not None
    assert not VersionItem.objects.filter(version=version).exists()
    assert not VersionFile.objects.filter(version=version).exists()
    for path in FOLDER:
        assert not default_storage.exists(storage_key(version, path)), path
    dataset = Dataset.objects.get(pk=version.dataset_id)
    assert dataset.latest_id is None and dataset.items == 0
    note = Notification.objects.get(user=user, code="hub.version_failed")
    assert note.params["error"] == "OSError: disk full" and note.params["version"] == 1
    assert not Notification.objects.filter(code="hub.version_ready").exists()
    # A failed version does not block the next one, which builds.
    monkeypatch.undo()
    again = version_create(user=user, dataset_id=dataset.pk)
    assert again.number == 2 and again.previous_id is None
    assert version_build(version_id=again.pk)["status"] == VersionStatus.READY


def test_only_one_version_of_a_dataset_is_built_at_a_time(client_org, labeled_project,
                                                          hub_storage):
    user, _org = client_org
    version = _unbuilt(user, labeled_project)
    with pytest.raises(Conflict, match="being built"):
        version_create(user=user, dataset_id=version.dataset_id)
    version_build(version_id=version.pk)
    assert version_create(user=user, dataset_id=version.dataset_id).number == 2


def test_the_manifest_lists_every_other_file_with_its_real_sha256(published):
    files = {f.path: f for f in published.latest.files.all()}
    assert sorted(files) == FOLDER
    manifest = _read(files["SHA256SUMS"]).decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in manifest)
    assert sorted(listed) == sorted(set(FOLDER) - {"SHA256SUMS"})
    for path, digest in listed.items():
        body = _read(files[path])
        assert hashlib.sha256(body).hexdigest() == digest == files[path].sha256, path
        assert len(body) == files[path].bytes
    whole = _read(files["SHA256SUMS"])
    assert hashlib.sha256(whole).hexdigest() == files["SHA256SUMS"].sha256


def test_the_readme_has_the_yaml_header_with_licence_and_configs(published):
    text = _read(published.latest.files.get(path="README.md")).decode()
    assert text.startswith("---\n")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["license"] == "cc-by-4.0" and header["pretty_name"] == "Sentiment"
    assert header["language"] == ["en"]
    assert header["tags"] == ["datadam", "text_classification", "sentiment"]
    assert header["configs"] == [{"config_name": "default", "data_files": [
        {"split": "train", "path": "data/train-*"}]}]
    assert "4 records" in text and "Short texts with their sentiment." in text


def test_the_jsonl_and_parquet_hold_one_record_per_item(published, labeled_project):
    files = {f.path: f for f in published.latest.files.all()}
    lines = [orjson.loads(line) for line in _read(files["train.jsonl"]).splitlines()]
    items = list(Item.objects.filter(project=labeled_project).order_by("pk")
                 .values_list("pk", flat=True))
    assert [line["item_id"] for line in lines] == items
    assert all(set(line) == {"item_id", "external_id", "data", "result"} for line in lines)
    assert [line["result"]["label"] for line in lines] == ["pos", "neg", "pos", "neu"]
    table = pq.read_table(io.BytesIO(_read(files["data/train-00000-of-00001.parquet"])))
    assert table.num_rows == 4
    rows = dict(VersionItem.objects.filter(version=published.latest).values_list("key",
                                                                                 "label"))
    assert rows == dict(zip(items, ["pos", "neg", "pos", "neu"], strict=True))


def test_gold_items_are_left_out_of_the_version(client_org, labeled_project, hub_storage,
                                               build):
    gold = Item.objects.filter(project=labeled_project).order_by("pk").first()
    Item.objects.filter(pk=gold.pk).update(gold={"label": "pos"})
    version = build(_unbuilt(client_org[0], labeled_project).dataset)
    keys = set(VersionItem.objects.filter(version=version).values_list("key", flat=True))
    assert version.items == 3 and gold.pk not in keys and len(keys) == 3
    jsonl = _read(version.files.get(path="train.jsonl"))
    assert gold.pk not in [orjson.loads(line)["item_id"] for line in jsonl.splitlines()]


def test_personal_data_in_written_answers_stays_masked_in_the_version(
    client_org, make_project, worker, do_work, hub_storage, build
):
    from datadam.projects.importing import items_import, parse_records
    from datadam.projects.services import project_launch

    user, _org = client_org
    project = make_project(items=0, launch=False, kind="writing_summary", overlap=1,
                           review_policy="auto",
                           config={"min_chars": 5, "mask_personal_data": ["phone", "email"]})
    report = items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"source": "A long text about a shop and how to reach it.",
                   "source_language": "en"}}]))
    assert report.ok, report.errors
    project = project_launch(user=user, project_id=project.pk)
    do_work(project, worker, {"text": "Call the shop at 010-1234-5678 or mail a@b.example."})
    version = build(_unbuilt(user, project).dataset)
    (row,) = VersionItem.objects.filter(version=version)
    assert "010-1234-5678" not in row.record and "a@b.example" not in row.record
    text = orjson.loads(row.record)["result"]["text"]
    assert "[PHONE]" in text and "[EMAIL]" in text
    for file in version.files.all():
        body = _read(file)
        assert b"010-1234-5678" not in body and b"a@b.example" not in body, file.path

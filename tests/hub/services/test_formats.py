"""A version in its kind's export formats (hub.services.versions.version_format_request and
the job hub.formats.version_format_build): built once from the version's own records."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import orjson
import pytest
from django.core.files.storage import default_storage

from datadam.datasets.export_jobs import export_formats
from datadam.datasets.models import ItemResult
from datadam.errors import InvalidInput, PermissionDenied
from datadam.hub.formats import version_format_build
from datadam.hub.models import FileStatus, VersionFile
from datadam.hub.services.datasets import dataset_update
from datadam.hub.services.versions import version_format_request

pytestmark = pytest.mark.django_db


def _built(dataset, user, fmt: str, **kwargs) -> tuple[VersionFile, bytes]:
    file = version_format_request(user=user, dataset_id=dataset.pk, number=1, fmt=fmt,
                                  **kwargs)
    outcome = version_format_build(file_id=file.pk)
    file.refresh_from_db()
    assert file.status == FileStatus.READY, outcome
    with default_storage.open(file.storage_name, "rb") as f:
        body = f.read()
    assert len(body) == file.bytes and hashlib.sha256(body).hexdigest() == file.sha256
    return file, body


def test_every_export_format_of_the_kind_builds_a_file(published, client_org):
    from django_tasks_db.models import DBTaskResult

    user, _org = client_org
    slugs = [f.slug for f in export_formats("text_classification")]
    assert {"jsonl", "csv", "hf"} <= set(slugs)
    paths = {}
    for slug in slugs:
        file, body = _built(published, user, slug)
        assert file.format == slug and file.media == "reference" and body
        paths[slug] = file.path
    assert paths["jsonl"] == "formats/jsonl.jsonl" and paths["csv"] == "formats/csv.csv"
    assert paths["hf"] == "formats/hf.zip"
    jobs = DBTaskResult.objects.filter(task_path__endswith="version_format_task")
    assert jobs.count() == len(slugs)

    by_slug = {f.format: f for f in VersionFile.objects.exclude(format="")}
    with default_storage.open(by_slug["jsonl"].storage_name, "rb") as f:
        lines = [orjson.loads(line) for line in f.read().splitlines()]
    assert [line["result"]["label"] for line in lines] == ["pos", "neg", "pos", "neu"]
    with default_storage.open(by_slug["csv"].storage_name, "rb") as f:
        rows = list(csv.DictReader(io.StringIO(f.read().decode("utf-8-sig"))))
    assert len(rows) == 4
    with default_storage.open(by_slug["hf"].storage_name, "rb") as f:
        assert zipfile.ZipFile(io.BytesIO(f.read())).namelist()


def test_asking_twice_returns_the_same_file_and_queues_one_job(published, make_user):
    from django_tasks_db.models import DBTaskResult

    anyone = make_user("worker")  # a public dataset: anyone may ask
    first = version_format_request(user=anyone, dataset_id=published.pk, number=1, fmt="csv")
    again = version_format_request(user=anyone, dataset_id=published.pk, number=1, fmt="csv")
    assert first.pk == again.pk and first.status == FileStatus.QUEUED
    version_format_build(file_id=first.pk)
    ready = version_format_request(user=anyone, dataset_id=published.pk, number=1, fmt="csv")
    assert ready.pk == first.pk and ready.status == FileStatus.READY
    assert version_format_build(file_id=first.pk)["skipped"] == "missing or ready"
    jobs = DBTaskResult.objects.filter(task_path__endswith="version_format_task")
    assert jobs.count() == 1


def test_the_format_file_holds_the_versions_records_not_the_projects_current_ones(
    published, client_org, labeled_project
):
    ItemResult.objects.filter(project=labeled_project).update(label="neu",
                                                              result={"label": "neu"})
    _file, body = _built(published, client_org[0], "jsonl")
    labels = [orjson.loads(line)["result"]["label"] for line in body.splitlines()]
    assert labels == ["pos", "neg", "pos", "neu"]


def test_a_failed_format_file_is_queued_again_when_asked(published, client_org, monkeypatch):
    from datadam.hub import formats

    user, _org = client_org
    file = version_format_request(user=user, dataset_id=published.pk, number=1, fmt="jsonl")

    def broken(*args, **kwargs):
        raise OSError("storage down")

    monkeypatch.setattr(formats, "version_records", broken)
    outcome = version_format_build(file_id=file.pk)
    file.refresh_from_db()
    assert outcome["status"] == FileStatus.FAILED == file.status
    assert file.error == "OSError: storage down"
    monkeypatch.undo()
    again = version_format_request(user=user, dataset_id=published.pk, number=1, fmt="jsonl")
    assert again.pk == file.pk and again.status == FileStatus.QUEUED
    assert version_format_build(file_id=file.pk)["status"] == FileStatus.READY


@pytest.mark.parametrize(("fmt", "media", "message"), [
    ("coco", "reference", "unknown export format 'coco'"),
    ("", "reference", "unknown export format"),
    (None, "reference", "unknown export format"),
    ("csv", "inline", "media must be"),
])
def test_an_unknown_format_or_media_is_refused(published, client_org, fmt, media, message):
    with pytest.raises(InvalidInput, match=message):
        version_format_request(user=client_org[0], dataset_id=published.pk, number=1,
                               fmt=fmt, media=media)
    assert not VersionFile.objects.exclude(format="").exists()


def test_a_stranger_cannot_ask_for_a_by_request_datasets_format(published, client_org,
                                                               make_user):
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="request",
                   usage_terms="Research only.")
    with pytest.raises(PermissionDenied, match="request access"):
        version_format_request(user=make_user("worker"), dataset_id=published.pk, number=1,
                               fmt="csv")
    with pytest.raises(PermissionDenied):
        version_format_request(user=None, dataset_id=published.pk, number=1, fmt="csv")
    assert not VersionFile.objects.exclude(format="").exists()

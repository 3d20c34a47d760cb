"""Export jobs: queued with a format the kind offers, written to storage, safe to run twice."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from datadam.datasets import export_jobs
from datadam.datasets.export_jobs import InvalidExport, export_create, export_run
from datadam.datasets.models import AggregationState, Export, ExportStatus
from datadam.errors import NotFound

pytestmark = pytest.mark.django_db


def _file(export: Export) -> bytes:
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as f:
        return f.read()


def test_coco_export_is_written_to_storage_with_size_items_and_checksum(box_project, client_org):
    from django_tasks_db.models import DBTaskResult

    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="coco")
    assert export.status == ExportStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="export_task",
                                       args_kwargs__args=[export.pk]).exists()

    outcome = export_run(export_id=export.pk)

    export.refresh_from_db()
    assert outcome["status"] == export.status == ExportStatus.DONE
    data = _file(export)
    assert export.file == f"exports/project-{box_project.pk}/export-{export.pk}.json"
    assert export.bytes == len(data) and export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.items == 3  # gold is not data
    coco = json.loads(data)
    assert len(coco["images"]) == 2  # the item without a result is left out
    assert [a["bbox"] for a in coco["annotations"]] == [[10.0, 20.0, 100.0, 50.0],
                                                        [300.5, 100.25, 40.0, 120.0]]
    assert coco["info"]["items_without_result"] == 1
    assert coco["info"]["dataset_card"]["project"]["id"] == box_project.pk
    assert coco["info"]["dataset_card"]["generated_at"] == export.created_at.isoformat()


def test_running_the_job_twice_gives_the_same_file(box_project, client_org):
    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="yolo")
    export_run(export_id=export.pk)
    first, first_sha, name = _file(export), export.sha256, export.file

    export_run(export_id=export.pk)

    assert _file(export) == first and export.sha256 == first_sha and export.file == name
    _, files = default_storage.listdir(f"exports/project-{box_project.pk}")
    assert files == [name.rsplit("/", 1)[-1]]  # replaced, not a second copy
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {"labels/0.txt", "labels/1.txt", "data.yaml", "images.txt"} <= set(archive.namelist())
    assert archive.read("labels/1.txt") == b""


def test_a_pending_aggregation_runs_before_the_results_are_read(
    box_project, client_org, monkeypatch
):
    from datadam.datasets import aggregation

    calls = []
    monkeypatch.setattr(aggregation, "results_aggregate",
                        lambda *, project_id: calls.append(project_id) or {})
    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="csv")
    export_run(export_id=export.pk)
    assert calls == []
    AggregationState.objects.create(project=box_project, requested=True)
    export_run(export_id=export.pk)
    assert calls == [box_project.pk]


def test_csv_and_jsonl_for_every_kind_with_individual_answers(
    make_project, make_user, do_work, client_org, export_storage
):
    project = make_project(items=2, overlap=2, review_policy="auto")
    workers = [make_user(), make_user()]
    for w in workers:
        do_work(project, w, {"label": "pos"})
    export = export_create(user=client_org[0], project_id=project.pk, fmt="csv", answers=True)
    export_run(export_id=export.pk)
    rows = list(csv.DictReader(io.StringIO(_file(export).decode())))
    answered = [r for r in rows if r["answer_id"]]
    assert sorted(int(r["worker_id"]) for r in answered) == sorted(w.pk for w in workers)
    assert all(r["provisional"] == "true" for r in answered)  # current results, awaiting review

    export = export_create(user=client_org[0], project_id=project.pk, fmt="jsonl")
    export_run(export_id=export.pk)
    lines = [json.loads(x) for x in _file(export).splitlines()]
    assert [line["answers"] for line in lines] == [[], []]  # results only, as asked
    assert export.file.endswith(".jsonl")


def test_formats_are_checked_against_the_kind(box_project, make_project, client_org):
    user = client_org[0]
    with pytest.raises(InvalidExport) as refused:
        export_create(user=user, project_id=make_project(items=1).pk, fmt="coco")
    assert refused.value.status == 400
    assert "unknown export format 'coco'" in refused.value.message
    assert "jsonl, csv" in refused.value.message
    with pytest.raises(InvalidExport, match="media must be"):
        export_create(user=user, project_id=box_project.pk, fmt="voc", media="embed")
    assert [f.slug for f in export_jobs.export_formats("bounding_box")] == [
        "jsonl", "csv", "coco", "yolo", "voc", "hf"]
    assert not Export.objects.exists()


def test_other_organizations_and_workers_cannot_export(
    box_project, make_client_org, make_user, client_org
):
    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="coco")
    for outsider in (make_client_org()[0], make_user("worker")):
        with pytest.raises(NotFound):
            export_create(user=outsider, project_id=box_project.pk, fmt="coco")
        with pytest.raises(NotFound):
            export_jobs.export_for_manager(user=outsider, export_id=export.pk)


def test_a_failed_run_says_why(box_project, client_org, monkeypatch):
    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="coco")
    monkeypatch.setattr(type(export_jobs.get_kind("bounding_box")), "exporters", ())
    assert export_run(export_id=export.pk)["status"] == ExportStatus.FAILED
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "no longer offers" in export.error
    assert export.finished_at is not None and export.file == ""


def test_media_included_takes_our_files_from_storage(box_project, client_org):
    from django.core.files.base import ContentFile

    from datadam.projects.models import Item

    stored = default_storage.save("items/photo.jpg", ContentFile(b"\xff\xd8\xff-photo"))
    first = Item.objects.filter(project=box_project).order_by("pk").first()
    first.data = {**first.data, "image": f"/media/{stored}"}
    first.save(update_fields=["data"])

    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="coco",
                           media="include")
    export_run(export_id=export.pk)

    archive = zipfile.ZipFile(io.BytesIO(_file(export)))
    assert export.file.endswith(".zip")
    assert archive.read("images/photo.jpg") == b"\xff\xd8\xff-photo"
    names = [i["file_name"] for i in json.loads(archive.read("annotations.json"))["images"]]
    assert names == ["images/photo.jpg", "https://img.test/street/1.jpg"]
    assert export_jobs.open_media("/media/../secret") is None
    assert export_jobs.open_media("https://elsewhere.test/media/x.jpg") is None


def test_an_export_whose_worker_died_is_marked_failed_by_the_sweep(box_project):
    from datetime import timedelta

    from django.utils import timezone

    from datadam.datasets.aggregation import results_sweep
    from datadam.datasets.models import Export, ExportStatus

    stale = Export.objects.create(project=box_project, format="jsonl",
                                  status=ExportStatus.RUNNING,
                                  started_at=timezone.now() - timedelta(hours=2))
    fresh = Export.objects.create(project=stale.project, format="jsonl",
                                  status=ExportStatus.RUNNING, started_at=timezone.now())
    assert results_sweep()["exports_failed"] == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == ExportStatus.FAILED and "export again" in stale.error
    assert fresh.status == ExportStatus.RUNNING

"""The Hugging Face ``datasets`` export: written by the real export job, unzipped, and loaded
back with ``datasets.load_dataset(folder)`` offline; the writer's row groups and the card."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.files.storage import default_storage
from django.test import Client

from datadam.datasets.export_jobs import export_create, export_formats, export_run
from datadam.datasets.models import ExportStatus
from datadam.kinds import hf
from datadam.kinds.exporting import ExportContext, ExportOptions
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No network and a cache of this test's own: ``datasets`` reads the folder only."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


def unzip(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        archive.extractall(folder)
    return folder


def load(folder: Path):
    from datasets import load_dataset

    return load_dataset(str(folder), split="train",
                        cache_dir=str(folder.parent / f"{folder.name}-cache"))


def run_export(project, user, **options) -> bytes:
    export = export_create(user=user, project_id=project.pk, fmt="hf", **options)
    outcome = export_run(export_id=export.pk)
    assert outcome["status"] == ExportStatus.DONE, outcome
    export.refresh_from_db()
    assert export.file.endswith(".zip")
    with default_storage.open(export.file, "rb") as f:
        return f.read()


@pytest.mark.django_db
def test_a_text_classification_export_loads_with_its_labels_and_card(
    make_project, make_user, do_work, client_org, export_storage, tmp_path
):
    project = make_project(items=3, overlap=2, review_policy="auto")
    assert "hf" in [f.slug for f in export_formats(project.kind)]
    workers = [make_user(), make_user()]
    for w in workers:
        for _ in range(2):  # two of the three items answered, twice each
            do_work(project, w, {"label": "neg"})

    data = run_export(project, client_org[0], answers=True)
    folder = unzip(data, tmp_path / "text")
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) \
        == ["README.md", "data/train-00000-of-00001.parquet"]
    ds = load(folder)

    assert ds.num_rows == 3
    assert ds.column_names == ["item_id", "external_id", "text", "data", "label", "result",
                               "confidence", "answers", "provisional", "method",
                               "individual_answers"]
    assert ds.features["confidence"].dtype == "float64"
    assert ds.features["provisional"].dtype == "bool"
    rows = list(ds)
    assert [r["text"] for r in rows] == ["text 0", "text 1", "text 2"]
    assert [r["item_id"] for r in rows] == sorted(r["item_id"] for r in rows)
    answered = [r for r in rows if r["result"] is not None]
    assert len(answered) == 2 and all(r["label"] == "neg" for r in answered)
    assert all(r["answers"] == 2 and 0 < r["confidence"] <= 1 for r in answered)
    assert json.loads(answered[0]["result"]) == {"label": "neg"}
    assert json.loads(answered[0]["data"]) == {"text": "text 0"}
    workers_seen = {a["worker_id"] for a in json.loads(answered[0]["individual_answers"])}
    assert workers_seen == {w.pk for w in workers}
    unanswered = rows[2]
    assert unanswered["label"] is None and unanswered["confidence"] is None

    readme = (folder / "README.md").read_text()
    assert readme.startswith("---\n") and "data_files:" in readme
    assert "## Dataset card" in readme and "Measured accuracy" in readme
    assert f'"id": {project.pk}' in readme  # the card as data, at the end


@pytest.mark.django_db
def test_a_bounding_box_export_loads_with_image_columns_and_shapes_as_json(
    box_project, client_org, tmp_path
):
    data = run_export(box_project, client_org[0])
    ds = load(unzip(data, tmp_path / "boxes"))

    assert ds.num_rows == 3  # the gold item is not data
    assert ds.column_names == ["item_id", "external_id", "image", "width", "height", "data",
                               "label", "result", "confidence", "answers", "provisional",
                               "method"]
    rows = list(ds)
    assert [r["image"] for r in rows] == [f"https://img.test/street/{i}.jpg" for i in range(3)]
    assert {r["width"] for r in rows} == {640}
    boxes = json.loads(rows[0]["result"])["boxes"]
    assert [b["box"] for b in boxes] == [[10.0, 20.0, 100.0, 50.0], [300.5, 100.25, 40.0, 120.0]]
    assert rows[0]["label"] is None  # not a classification
    assert rows[0]["method"] == "fusion" and rows[0]["confidence"] == pytest.approx(0.8)
    assert json.loads(rows[1]["result"]) == {"boxes": []}
    assert rows[2]["result"] is None and rows[2]["answers"] is None


@pytest.mark.django_db
def test_running_the_job_twice_gives_the_same_bytes(box_project, client_org):
    export = export_create(user=client_org[0], project_id=box_project.pk, fmt="hf")
    export_run(export_id=export.pk)
    export.refresh_from_db()
    first = export.sha256
    export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.sha256 == first and export.status == ExportStatus.DONE


def _records(n: int):
    for i in range(n):
        yield {"item_id": i + 1, "external_id": f"e{i}", "data": {"text": f"t{i}", "n": i},
               "result": {"label": "a", "confidence": 0.9, "answers": 3,
                          "provisional": False, "method": "ds"}, "answers": []}


def test_rows_are_written_a_row_group_at_a_time_while_the_records_stream(monkeypatch, tmp_path):
    monkeypatch.setattr(hf, "ROWS", 100)
    ctx = ExportContext(project_id=1, name='Reviews: "good" or bad', kind="text_classification",
                        config={}, card={"items": 250, "accuracy": {
                            "estimate": 0.93, "interval_95": [0.88, 0.96], "source": "gold"}})
    data = b"".join(hf.write_hf(ctx, _records(250)))
    folder = unzip(data, tmp_path / "groups")
    parquet = pq.ParquetFile(folder / hf.DATA_FILE)
    assert parquet.metadata.num_row_groups == 3 and parquet.metadata.num_rows == 250
    readme = (folder / "README.md").read_text()
    assert 'pretty_name: "Reviews: \\"good\\" or bad"' in readme
    assert "93.0% (95% interval 88.0% to 96.0%, Wilson), from known-answer (gold)" in readme
    ds = load(folder)
    assert ds.num_rows == 250 and ds[249]["label"] == "a" and ds[0]["text"] == "t0"


def test_an_empty_project_gives_the_columns_with_no_rows(tmp_path):
    ctx = ExportContext(project_id=1, name="Empty", kind="text_classification", config={},
                        options=ExportOptions())
    folder = unzip(b"".join(hf.write_hf(ctx, iter(()))), tmp_path / "empty")
    assert "No dataset card was available" in (folder / "README.md").read_text()
    # (``datasets`` refuses a split without rows; the Parquet file is still whole.)
    table = pq.read_table(folder / hf.DATA_FILE)
    assert table.num_rows == 0 and "result" in table.column_names


def test_media_included_go_into_the_folder_with_a_file_column(tmp_path):
    files = {"/media/images/cat.png": b"\x89PNG\r\n\x1a\nfake"}

    def open_media(reference):
        return io.BytesIO(files[reference]) if reference in files else None

    ctx = ExportContext(project_id=1, name="Pets", kind="bounding_box", config={},
                        options=ExportOptions(media="include"), open_media=open_media)
    records = [{"item_id": 1, "external_id": "", "data": {"image": "/media/images/cat.png"},
                "result": None, "answers": []},
               {"item_id": 2, "external_id": "", "data": {"image": "https://x.test/dog.jpg"},
                "result": None, "answers": []}]
    folder = unzip(b"".join(hf.write_hf(ctx, records)), tmp_path / "media")
    assert (folder / "images" / "cat.png").read_bytes() == files["/media/images/cat.png"]
    ds = load(folder)
    assert ds["file"] == ["images/cat.png", ""]
    assert ds["image"] == ["/media/images/cat.png", "https://x.test/dog.jpg"]


@pytest.mark.django_db
def test_the_console_export_page_offers_and_describes_it(box_project, client_org):
    client = Client()
    assert client.login(username=client_org[0].email, password=PASSWORD)
    html = client.get(f"/console/projects/{box_project.pk}/exports/").content.decode()
    assert 'value="hf"' in html and "Hugging Face datasets" in html
    assert "datasets.load_dataset" in html

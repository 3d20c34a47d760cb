"""Exports of a collection project: one record per approved capture, consent withdrawals
honoured, images de-identified in the folder export, the card saying what was masked."""

from __future__ import annotations

import io
import zipfile

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from datadam.collection.services import capture_upload
from datadam.consent.services import consent_form_save, consent_sign, consent_withdraw
from datadam.datasets.export import export_records
from datadam.datasets.export_jobs import export_context, format_of
from datadam.datasets.selectors import dataset_card
from datadam.kinds.exporting import ExportOptions
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.services import assignment_claim, assignment_submit

from .test_capture_flow import scene


def _with_exif(seed: int) -> bytes:
    image = scene(seed)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "TestCam", "T1"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


@pytest.fixture
def collected(collection, client_org, make_user, reviewer):
    """A photo project with a consent form: three workers sign and send a photo each, all
    approved; returns (project, workers, consents, captures)."""
    project = collection(blocking=["resolution"], options=["blur_faces"])
    consent_form_save(user=client_org[0], project_id=project.pk, title="Photos of me",
                      body="I agree.", subject="worker")
    workers, consents, captures = [], [], []
    for seed in range(3):
        worker = make_user()
        consents.append(consent_sign(worker=worker, project_id=project.pk,
                                     subject_name=f"Person {seed}",
                                     signature=f"person {seed}", agree=True))
        assignment = assignment_claim(worker=worker, project_id=project.pk)
        cap = capture_upload(worker=worker, assignment_id=assignment.pk,
                             upload=SimpleUploadedFile("p.jpg", _with_exif(20 + seed)))
        sub, _ = assignment_submit(worker=worker, assignment_id=assignment.pk,
                                   answer={"capture": cap.pk})
        review_decide(reviewer=reviewer, submission_id=sub.pk, decision=Decision.APPROVE)
        workers.append(worker)
        captures.append(cap)
    return project, workers, consents, captures


def test_each_approved_capture_is_one_record_with_its_consent(collected):
    project, _workers, consents, captures = collected
    records = list(export_records(project, ExportOptions()))
    assert [r["data"]["capture_id"] for r in records] == [c.pk for c in captures]
    first = records[0]
    assert first["data"]["image"].endswith(".jpg") and first["data"]["prompt"]
    assert first["result"]["consent"]["id"] == consents[0].pk
    assert first["result"]["metadata"] == {}  # not kept unless the project says so


def test_a_withdrawn_consent_takes_its_capture_out_of_later_exports(collected):
    project, workers, consents, captures = collected
    consent_withdraw(user=workers[1], consent_id=consents[1].pk, reason="changed my mind")
    ids = [r["data"]["capture_id"] for r in export_records(project, ExportOptions())]
    assert ids == [captures[0].pk, captures[2].pk]


def test_the_folder_export_has_the_files_without_metadata_and_says_what_was_masked(collected):
    project, *_ = collected
    fmt = format_of(project.kind, "capture_folder")
    card = dataset_card(project)
    ctx = export_context(project, ExportOptions(), card=card)
    data = b"".join(fmt.write(ctx, export_records(project, ExportOptions())))
    archive = zipfile.ZipFile(io.BytesIO(data))
    rows = [orjson.loads(line) for line in archive.read("metadata.jsonl").splitlines()]
    assert len(rows) == 3 and all(archive.read(r["file_name"]) for r in rows)
    photo = Image.open(io.BytesIO(archive.read(rows[0]["file_name"])))
    assert not photo.getexif()  # device and time removed
    statement = orjson.loads(archive.read("deidentification.json"))
    assert statement["faces_blurred"] is True and statement["metadata"] == "removed"
    assert statement["files"] == 3
    assert card["deidentification"]["faces_blurred"] is True


def test_the_streamed_jsonl_lists_one_line_per_approved_capture(collected):
    from datadam.datasets.export import export_jsonl

    project, *_rest, captures = collected
    lines = [orjson.loads(line) for line in b"".join(export_jsonl(project)).splitlines()]
    assert [r["data"]["capture_id"] for r in lines] == [c.pk for c in captures]


def test_the_streamed_jsonl_of_a_writing_project_masks_phone_numbers(client_org, make_user):
    from datadam.datasets.export import export_jsonl
    from datadam.projects.importing import items_import
    from datadam.projects.parsing import parse_records
    from datadam.projects.services import project_create, project_launch

    user, org = client_org
    project = project_create(user=user, organization_id=org.pk, name="Sentences",
                             kind="writing_sentences", reward=5, overlap=1,
                             config={"min_chars": 5, "mask_personal_data": ["phone"]})
    items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"source": "Write about your day."}}]))
    project_launch(user=user, project_id=project.pk)
    worker = make_user()
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    assignment_submit(worker=worker, assignment_id=assignment.pk,
                      answer={"sentences": ["Call me on 010-4821-7730 tonight."]})
    data = b"".join(export_jsonl(project))
    assert b"010-4821-7730" not in data and b"[PHONE]" in data

"""Captures end to end through the services: upload with checks, submit, near-duplicates,
blocking, the per-worker cap, access to the files."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageDraw, ImageFilter

from datadam.accounts.models import Role
from datadam.collection.models import Capture, Fingerprint
from datadam.collection.services import capture_upload
from datadam.errors import InvalidInput, NotFound, QuotaReached
from datadam.projects.importing import items_import
from datadam.projects.parsing import parse_records
from datadam.projects.services import project_create, project_launch
from datadam.work.services import assignment_claim, assignment_submit

from ...conftest import PASSWORD


def scene(seed: int, size: tuple[int, int] = (1280, 960)) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = [x, y, x + rng.randrange(30, 300), y + rng.randrange(30, 300)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour,
                                                                  outline=(0, 0, 0), width=4)
    return image


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def wav(samples: np.ndarray, rate: int = 16000) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def speech(seconds: float = 3.0, rate: int = 16000, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voice = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((140, 280, 420, 700), 1))
    envelope = (np.sin(2 * np.pi * 3 * t) > 0).astype(float) * (t > 0.3) * (t < seconds - 0.3)
    return 0.3 * voice * envelope + 0.002 * rng.standard_normal(t.size)


def capture(worker, project, data: bytes, name: str = "photo.jpg", **kw):
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    return assignment, capture_upload(worker=worker, assignment_id=assignment.pk,
                                      upload=SimpleUploadedFile(name, data), **kw)


def test_a_photo_is_checked_stored_and_submitted_with_its_findings(collection, worker):
    project = collection()
    assignment, cap = capture(worker, project, jpeg(scene(1)))
    assert {c["check"] for c in cap.checks} == {"resolution", "blur", "dark"}
    assert all(c["passed"] for c in cap.checks)
    assert cap.width == 1280 and cap.height == 960 and cap.fingerprint is not None
    assert cap.thumb_key
    sub, _ = assignment_submit(worker=worker, assignment_id=assignment.pk,
                               answer={"capture": cap.pk})
    assert sub.answer["media"].endswith(f"/captures/{cap.pk}/file")
    assert sub.answer["checks"] == cap.checks and sub.answer["duplicates"] == []
    assert Fingerprint.objects.filter(capture=cap, submission=sub).exists()


def test_a_blurred_photo_is_blocked_at_submit_when_blur_blocks(collection, worker):
    project = collection()
    assignment, cap = capture(worker, project, jpeg(scene(2).filter(ImageFilter.GaussianBlur(8))))
    blur = next(c for c in cap.checks if c["check"] == "blur")
    assert not blur["passed"]
    with pytest.raises(InvalidInput) as refused:
        assignment_submit(worker=worker, assignment_id=assignment.pk, answer={"capture": cap.pk})
    assert blur["message"] in refused.value.message


def test_a_blurred_photo_only_warns_when_blur_does_not_block(collection, worker):
    project = collection(blocking=["resolution"])
    assignment, cap = capture(worker, project, jpeg(scene(2).filter(ImageFilter.GaussianBlur(8))))
    sub, _ = assignment_submit(worker=worker, assignment_id=assignment.pk,
                               answer={"capture": cap.pk})
    assert any(c["check"] == "blur" and not c["passed"] for c in sub.answer["checks"])


def test_a_resized_recompressed_copy_by_another_worker_is_caught_in_the_project(
        collection, make_user):
    project = collection(blocking=["resolution"])
    first, second = make_user(), make_user()
    original = scene(3)
    a, cap = capture(first, project, jpeg(original))
    assignment_submit(worker=first, assignment_id=a.pk, answer={"capture": cap.pk})
    w, h = original.size
    copy = original.crop((int(w * .04), 0, w, h)).resize((w // 2, h // 2))
    b, dup = capture(second, project, jpeg(copy, quality=60))
    assert [d["scope"] for d in dup.duplicates] == ["project"]
    assert dup.duplicates[0]["capture"] == cap.pk
    sub, _ = assignment_submit(worker=second, assignment_id=b.pk, answer={"capture": dup.pk})
    assert sub.answer["duplicates"][0]["capture"] == cap.pk


def test_a_duplicate_is_refused_when_duplicates_block(collection, make_user):
    project = collection()  # photo default: duplicates block
    first, second = make_user(), make_user()
    a, cap = capture(first, project, jpeg(scene(4)))
    assignment_submit(worker=first, assignment_id=a.pk, answer={"capture": cap.pk})
    b, dup = capture(second, project, jpeg(scene(4), quality=50))
    with pytest.raises(InvalidInput, match="already sent in this project"):
        assignment_submit(worker=second, assignment_id=b.pk, answer={"capture": dup.pk})


def test_different_photos_are_not_duplicates_and_other_clients_are_not_searched(
        collection, make_client_org, make_user):
    project = collection()
    worker = make_user()
    a, cap = capture(worker, project, jpeg(scene(5)))
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"capture": cap.pk})
    b, other = capture(worker, project, jpeg(scene(6)))
    assert other.duplicates == []
    user, org = make_client_org()
    elsewhere = project_create(user=user, organization_id=org.pk, name="other client",
                               kind="photo_capture", reward=5, overlap=1, config={})
    items_import(user=user, project_id=elsewhere.pk, lines=parse_records(
        [{"data": {"prompt": "x"}}]))
    project_launch(user=user, project_id=elsewhere.pk)
    _c, again = capture(worker, elsewhere, jpeg(scene(5)))
    assert again.duplicates == []


def test_the_same_workers_photo_in_another_project_of_the_client_is_found_as_theirs(
        collection, worker):
    first, second = collection(), collection()
    a, cap = capture(worker, first, jpeg(scene(7)))
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"capture": cap.pk})
    _b, again = capture(worker, second, jpeg(scene(7)))
    assert again.duplicates[0]["scope"] == "worker"


def test_a_chosen_file_is_refused_unless_the_project_allows_files(collection, worker):
    project = collection()
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    with pytest.raises(InvalidInput, match="camera"):
        capture_upload(worker=worker, assignment_id=assignment.pk,
                       upload=SimpleUploadedFile("a.jpg", jpeg(scene(8))), source="file")
    allowed = collection(options=["allow_files"])
    assignment = assignment_claim(worker=worker, project_id=allowed.pk)
    cap = capture_upload(worker=worker, assignment_id=assignment.pk,
                         upload=SimpleUploadedFile("a.jpg", jpeg(scene(8))), source="file")
    assert cap.source == "file"


def test_a_file_that_is_not_an_image_and_anothers_task_are_refused(collection, make_user):
    project = collection()
    owner, stranger = make_user(), make_user()
    assignment = assignment_claim(worker=owner, project_id=project.pk)
    with pytest.raises(InvalidInput):
        capture_upload(worker=owner, assignment_id=assignment.pk,
                       upload=SimpleUploadedFile("a.jpg", b"not an image at all"))
    with pytest.raises(NotFound):
        capture_upload(worker=stranger, assignment_id=assignment.pk,
                       upload=SimpleUploadedFile("a.jpg", jpeg(scene(9))))
    assert not Capture.objects.exists()


def test_an_answer_naming_another_tasks_capture_is_refused(collection, worker):
    project = collection(blocking=[])
    a, cap = capture(worker, project, jpeg(scene(10)))
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"capture": cap.pk})
    b = assignment_claim(worker=worker, project_id=project.pk)
    with pytest.raises(InvalidInput, match="not made for this task"):
        assignment_submit(worker=worker, assignment_id=b.pk, answer={"capture": cap.pk})


def test_a_worker_gets_no_more_tasks_than_the_project_takes_from_one_person(
        collection, worker):
    project = collection(per_worker=2, blocking=[])
    for seed in (11, 12):
        a, cap = capture(worker, project, jpeg(scene(seed)))
        assignment_submit(worker=worker, assignment_id=a.pk, answer={"capture": cap.pk})
    with pytest.raises(QuotaReached):
        assignment_claim(worker=worker, project_id=project.pk)


def test_a_recording_is_checked_and_a_silent_one_blocked(collection, worker):
    project = collection("audio_recording", min_seconds=1, max_seconds=10)
    a, cap = capture(worker, project, wav(speech()), "voice.wav")
    assert {c["check"] for c in cap.checks} == {"duration", "silence", "clipping", "noise"}
    assert all(c["passed"] for c in cap.checks), cap.checks
    assert cap.duration == pytest.approx(3.0, abs=0.05)
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"capture": cap.pk})
    b, silent = capture(worker, project, wav(np.zeros(16000 * 2)), "silent.wav")
    with pytest.raises(InvalidInput):
        assignment_submit(worker=worker, assignment_id=b.pk, answer={"capture": silent.pk})


def test_capture_files_are_served_to_their_worker_and_the_client_only(
        collection, client_org, make_user):
    project = collection(blocking=[])
    owner, stranger = make_user(), make_user()
    a, cap = capture(owner, project, jpeg(scene(13)))
    assignment_submit(worker=owner, assignment_id=a.pk, answer={"capture": cap.pk})
    url = f"/collection/captures/{cap.pk}/file"
    for user, status in ((owner, 200), (client_org[0], 200), (stranger, 404)):
        browser = Client()
        browser.login(email=user.email, password=PASSWORD)
        response = browser.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "image/jpeg"
    assert Client().get(url).status_code in (302, 404)
    assert Client().get(f"/media/{cap.key}").status_code in (302, 403, 404)


def test_the_api_uploads_a_capture_and_explains_a_refusal(collection, worker, api):
    project = collection()
    client = api(worker)
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    response = client.upload(f"assignments/{assignment.pk}/captures", "p.jpg", jpeg(scene(14)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["blocked"] is False and body["url"].endswith("/file")
    assert {c["check"]: c["blocking"] for c in body["checks"]} == {
        "resolution": True, "blur": True, "dark": False}
    bad = client.upload(f"assignments/{assignment.pk}/captures", "p.jpg", b"GIF89a junk")
    assert bad.status_code == 422 and bad.json()["message"]
    sent = client.post(f"assignments/{assignment.pk}/submit",
                       {"answer": {"capture": body["id"], "tags": {}}})
    assert sent.status_code in (200, 201), sent.content
    assert Role.WORKER == worker.role


def test_a_video_clip_is_checked_and_its_middle_frame_fingerprinted(collection, worker):
    from datadam.demo.clips import encode

    project = collection("video_recording", min_seconds=1, max_seconds=5, min_width=160,
                         min_height=120)
    rng = np.random.default_rng(3)
    frames = [np.clip(rng.integers(60, 200, (240, 320, 3)) + i, 0, 255).astype(np.uint8)
              for i in range(40)]
    clip = encode(frames, fps=20, width=320, height=240)
    a, cap = capture(worker, project, clip, "clip.webm")
    assert {c["check"] for c in cap.checks} == {"duration", "resolution", "dark"}
    assert all(c["passed"] for c in cap.checks), cap.checks
    assert cap.duration == pytest.approx(2.0, abs=0.2) and cap.fingerprint is not None
    assert cap.thumb_key
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"capture": cap.pk})
    b, short = capture(worker, project, encode(frames[:10], fps=20, width=320, height=240),
                       "short.webm")
    assert not next(c for c in short.checks if c["check"] == "duration")["passed"]
    with pytest.raises(InvalidInput, match="at least"):
        assignment_submit(worker=worker, assignment_id=b.pk, answer={"capture": short.pk})

"""Uploading audio and video: items made from what probing found, refusals by content,
large files kept out of memory, the renditions job (web copy, peaks, poster) run twice."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from datadam.kinds import _REGISTRY, _load
from datadam.kinds.base import ItemError, TaskKind
from datadam.media.models import MediaAsset, MediaKind, MediaStatus
from datadam.media.services import media_renditions_make, media_upload
from datadam.media.tasks import media_renditions_task
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db


def upload(user, project, *files):
    return media_upload(user=user, project_id=project.pk, files=list(files))


class _VideoKind(TaskKind):
    """A minimal video kind, so these tests do not depend on the real ones."""

    slug = "test_video"
    title = description = "Test video"
    media_field = "video"

    def validate_config(self, config):
        return {}

    def validate_item(self, data):
        if not isinstance(data, dict) or "video" not in data:
            raise ItemError("needs video")
        return data

    def answer_schema(self, config):
        return {}

    def validate_answer(self, answer, config, item=None):
        return answer

    def aggregate(self, answers, config):
        return {}

    def answer_from_form(self, form, config):
        return {}


@pytest.fixture
def video_project(make_project, monkeypatch):
    _load()
    monkeypatch.setitem(_REGISTRY, "test_video", _VideoKind())
    return make_project(kind="test_video", config={}, items=0, launch=False)


def test_a_wav_becomes_an_audio_asset_and_an_item_with_duration_and_rate(
    client_org, audio_project, avfiles, stored_files
):
    project = audio_project()
    report = upload(client_org[0], project, SimpleUploadedFile(
        "take 1.bin", avfiles.wav(seconds=1.5, rate=16000)))
    assert (report.created, report.rejected) == (1, [])
    asset = MediaAsset.objects.get(project=project)
    assert (asset.media_kind, asset.content_type, asset.duration) == ("audio", "audio/wav", 1.5)
    assert (asset.width, asset.height) == (0, 0)
    assert asset.probe["sample_rate"] == 16000 and asset.probe["codecs"] == ["pcm_s16le"]
    assert asset.key.startswith(f"audio/{project.pk}/") and asset.key.endswith(".wav")
    item = Item.objects.get(project=project)
    assert item.external_id == "take 1.bin"
    assert item.data == {"audio": default_storage.url(asset.key), "duration": 1.5,
                         "sample_rate": 16000, "media_id": asset.pk}
    assert stored_files() == [asset.key]


def test_what_an_audio_project_refuses_is_reported_by_content(
    client_org, audio_project, avfiles, pics, stored_files
):
    project = audio_project()
    report = upload(client_org[0], project,
                    SimpleUploadedFile("speech.wav", b"just some text, not sound\n" * 40),
                    SimpleUploadedFile("photo.wav", pics.png()),
                    SimpleUploadedFile("film.webm", avfiles.video()))
    assert report.created == 0
    assert [r["file"] for r in report.rejected] == ["speech.wav", "photo.wav", "film.webm"]
    errors = [r["error"] for r in report.rejected]
    assert errors[0].startswith("not an audio or video file in a format that is taken")
    assert errors[1] == "an image: this project takes audio files"
    assert errors[2] == "a video: this project takes audio files"
    assert stored_files() == [] and not Item.objects.exists()


def test_the_duration_limit_comes_from_the_settings(client_org, audio_project, avfiles,
                                                    settings):
    settings.DATADAM = {**settings.DATADAM, "MEDIA_AV_MAX_SECONDS": 1}
    report = upload(client_org[0], audio_project(),
                    SimpleUploadedFile("long.wav", avfiles.wav(seconds=2.0)))
    assert report.rejected == [{"file": "long.wav",
                                "error": "the recording is longer than 0.0166667 minutes"}]


def test_a_file_larger_than_an_image_may_be_is_checked_from_disk_and_archives_spool(
    client_org, audio_project, avfiles, pics, settings
):
    settings.DATADAM = {**settings.DATADAM, "MEDIA_MAX_BYTES": 1000}
    data = avfiles.wav(seconds=1.0)
    big = TemporaryUploadedFile("big.wav", "audio/wav", len(data), None)
    big.write(data)
    big.seek(0)
    archive = pics.zip_of({"clips/a.ogg": avfiles.audio("ogg", "libopus", seconds=0.5),
                           "clips/readme.txt": b"words " * 300})
    report = upload(client_org[0], audio_project(), big,
                    SimpleUploadedFile("clips.zip", archive))
    assert report.created == 2
    assert report.rejected[0]["file"] == "clips/readme.txt"
    assert sorted(MediaAsset.objects.values_list("original_name", "content_type")) == [
        ("big.wav", "audio/wav"), ("clips/a.ogg", "audio/ogg")]


def test_a_video_becomes_an_item_with_its_size_and_frame_rate(
    client_org, video_project, avfiles, pics
):
    report = upload(client_org[0], video_project,
                    SimpleUploadedFile("clip.mp4", avfiles.video("mp4", "libx264", fps=10,
                                                                 size=(64, 48))),
                    SimpleUploadedFile("song.wav", avfiles.wav()),
                    SimpleUploadedFile("a.png", pics.png()))
    assert report.created == 1
    assert [r["error"] for r in report.rejected] == [
        "sound without pictures: this project takes video files",
        "an image: this project takes video files"]
    asset = MediaAsset.objects.get()
    assert asset.media_kind == MediaKind.VIDEO and asset.key.startswith("video/")
    item = Item.objects.get()
    assert item.data == {"video": default_storage.url(asset.key), "duration": asset.duration,
                         "width": 64, "height": 48, "fps": 10.0, "media_id": asset.pk}


def test_the_renditions_job_gives_audio_a_web_copy_and_peaks_and_twice_is_the_same(
    client_org, audio_project, avfiles, stored_files
):
    project = audio_project()
    upload(client_org[0], project, SimpleUploadedFile("a.wav", avfiles.wav(seconds=2.0)))
    asset = MediaAsset.objects.get()
    assert media_renditions_task.call(asset_ids=[asset.pk]) == {"ready": 1, "failed": 0}
    asset.refresh_from_db()
    assert asset.status == MediaStatus.READY
    item = Item.objects.get()
    assert item.data["web"] == default_storage.url(asset.web_key)
    assert item.data["peaks"] == default_storage.url(asset.peaks_key)
    assert asset.web_key.endswith(".web.webm") and asset.peaks_key.endswith(".peaks.json")
    with default_storage.open(asset.peaks_key) as handle:
        peaks = json.loads(handle.read())
    assert len(peaks["max"]) == 1000 and peaks["duration"] == 2.0
    files, data = stored_files(), item.data
    with default_storage.open(asset.web_key) as handle:
        web = handle.read()
    # Run again: nothing to do; run after a run that stopped halfway: the same files.
    assert media_renditions_task.call(asset_ids=[asset.pk]) == {"ready": 0, "failed": 0}
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaStatus.PENDING)
    assert media_renditions_make(asset_ids=[asset.pk]) == {"ready": 1, "failed": 0}
    assert stored_files() == files and Item.objects.get().data == data
    with default_storage.open(MediaAsset.objects.get().web_key) as handle:
        assert handle.read() == web


def test_a_video_gets_a_poster_and_a_web_copy_only_when_chromium_cannot_play_it(
    client_org, video_project, avfiles
):
    upload(client_org[0], video_project,
           SimpleUploadedFile("a.webm", avfiles.video()),
           SimpleUploadedFile("b.mp4", avfiles.video("mp4", "libx264")))
    webm, mp4 = MediaAsset.objects.order_by("original_name")
    assert media_renditions_make(asset_ids=[webm.pk, mp4.pk]) == {"ready": 2, "failed": 0}
    webm.refresh_from_db()
    mp4.refresh_from_db()
    assert webm.poster_key.endswith(".poster.jpg") and webm.web_key == ""
    assert mp4.poster_key and mp4.web_key.endswith(".web.webm")
    data = {i.external_id: i.data for i in Item.objects.all()}
    assert "web" not in data["a.webm"] and data["a.webm"]["poster"]
    assert data["b.mp4"]["web"] == default_storage.url(mp4.web_key)


def test_a_damaged_recording_is_marked_failed(client_org, audio_project, avfiles):
    upload(client_org[0], audio_project(), SimpleUploadedFile("a.wav", avfiles.wav()))
    asset = MediaAsset.objects.get()
    with default_storage.open(asset.key, "wb") as handle:
        handle.write(b"RIFF....garbage")
    assert media_renditions_make(asset_ids=[asset.pk]) == {"ready": 0, "failed": 1}
    asset.refresh_from_db()
    assert asset.status == MediaStatus.FAILED and asset.error == "the audio could not be decoded"

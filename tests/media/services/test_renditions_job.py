"""The renditions job: thumbnails and web copies, the items' data pointing at them, the
same result when run twice, a damaged original marked failed."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image

from datadam.media.models import MediaAsset, MediaStatus
from datadam.media.services import media_renditions_make, media_upload
from datadam.media.tasks import media_renditions_task
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db


def uploaded(client_org, project, pics, data: bytes) -> MediaAsset:
    media_upload(user=client_org[0], project_id=project.pk, files=[pics.upload("a.jpg", data)])
    return MediaAsset.objects.get(project=project)


def size_of(key: str) -> tuple[int, int]:
    with default_storage.open(key) as handle:
        return Image.open(io.BytesIO(handle.read())).size


def test_the_job_makes_both_renditions_and_shows_them_on_the_item(client_org, image_project,
                                                                   pics):
    project = image_project()
    asset = uploaded(client_org, project, pics, pics.jpeg(2400, 1200))
    assert media_renditions_make(asset_ids=[asset.pk]) == {"ready": 1, "failed": 0}
    asset.refresh_from_db()
    assert asset.status == MediaStatus.READY
    assert size_of(asset.web_key) == (1600, 800)
    assert size_of(asset.thumb_key) == (256, 128)
    item = Item.objects.get(pk=asset.item_id)
    assert item.data["web"] == default_storage.url(asset.web_key)
    assert item.data["thumb"] == default_storage.url(asset.thumb_key)
    assert item.data["image"] == default_storage.url(asset.key)  # the original, for export


def test_running_the_job_twice_gives_the_same_result(client_org, image_project, pics,
                                                     stored_files):
    project = image_project()
    asset = uploaded(client_org, project, pics, pics.jpeg(300, 200))
    media_renditions_task.call(asset_ids=[asset.pk])
    asset.refresh_from_db()
    files, data = stored_files(), Item.objects.get(pk=asset.item_id).data
    with default_storage.open(asset.web_key) as handle:
        web = handle.read()
    assert media_renditions_task.call(asset_ids=[asset.pk]) == {"ready": 0, "failed": 0}
    # and a run that stopped before recording its work is done again under the same keys
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaStatus.PENDING)
    assert media_renditions_make(asset_ids=[asset.pk]) == {"ready": 1, "failed": 0}
    again = MediaAsset.objects.get(pk=asset.pk)
    assert (again.web_key, again.thumb_key, again.status) == (
        asset.web_key, asset.thumb_key, MediaStatus.READY)
    assert stored_files() == files
    assert Item.objects.get(pk=asset.item_id).data == data
    with default_storage.open(asset.web_key) as handle:
        assert handle.read() == web


def test_a_damaged_or_missing_original_marks_the_asset_failed(client_org, image_project, pics):
    project = image_project()
    damaged = uploaded(client_org, project, pics, pics.png(50, 50))
    default_storage.delete(damaged.key)
    default_storage.save(damaged.key, ContentFile(b"\x89PNG broken"))
    missing = MediaAsset.objects.create(
        project=project, key="images/none.png", sha256="0" * 64, content_type="image/png",
        width=1, height=1, size=1)
    assert media_renditions_make(asset_ids=[damaged.pk, missing.pk]) == {
        "ready": 0, "failed": 2}
    damaged.refresh_from_db()
    missing.refresh_from_db()
    assert damaged.status == missing.status == MediaStatus.FAILED
    assert damaged.error == "the image could not be decoded"
    assert missing.error == "the original is missing from storage"
    assert "web" not in Item.objects.get(pk=damaged.item_id).data


def test_the_display_filter_shows_the_web_rendition_once_made_else_the_original(
    client_org, image_project, pics
):
    project = image_project()
    asset = uploaded(client_org, project, pics, pics.jpeg())
    template = Template("{% load media %}{{ item|display_image }}|{{ item|thumb_image }}")
    before = Item.objects.get(pk=asset.item_id).data
    original = default_storage.url(asset.key)
    assert template.render(Context({"item": before})) == f"{original}|{original}"
    media_renditions_make(asset_ids=[asset.pk])
    asset.refresh_from_db()
    after = Item.objects.get(pk=asset.item_id).data
    assert template.render(Context({"item": after})) == (
        f"{default_storage.url(asset.web_key)}|{default_storage.url(asset.thumb_key)}")
    assert template.render(Context({"item": {"image": "https://x/y.png"}})) == (
        "https://x/y.png|https://x/y.png")


def test_the_sweep_queues_again_only_renditions_whose_job_was_lost(client_org, image_project,
                                                                   pics, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from datadam.media import services

    project = image_project()
    media_upload(user=client_org[0], project_id=project.pk, files=[
        pics.upload("old.png", pics.png(color=(1, 2, 3))),
        pics.upload("new.png", pics.png(color=(4, 5, 6)))])
    old = MediaAsset.objects.get(original_name="old.png")
    MediaAsset.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    queued: list[list[int]] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    assert services.media_sweep() == 1
    assert queued == [[old.pk]]  # the fresh one's job may still be on its way
    media_renditions_make(asset_ids=[old.pk])
    assert services.media_sweep() == 0

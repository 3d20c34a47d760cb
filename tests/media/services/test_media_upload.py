"""Uploading images into a project: assets and items made together, duplicates found,
refused files reported, nothing left behind when the upload fails."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, DomainError, InvalidInput, NotFound
from datadam.media import services
from datadam.media.models import MediaAsset, MediaStatus
from datadam.media.services import media_upload
from datadam.projects.models import Item
from datadam.projects.services import project_close

pytestmark = pytest.mark.django_db


def upload(user, project, *files):
    return media_upload(user=user, project_id=project.pk, files=list(files))


def test_a_png_named_jpg_becomes_an_asset_and_an_item_by_its_content(
    client_org, image_project, pics, stored_files
):
    user, _org = client_org
    project = image_project()
    report = upload(user, project, pics.upload("photo.jpg", pics.png(40, 30)))
    assert (report.created, report.duplicates, report.rejected) == (1, 0, [])
    asset = MediaAsset.objects.get(project=project)
    assert asset.content_type == "image/png" and asset.key.endswith(".png")
    assert (asset.width, asset.height, asset.original_name) == (40, 30, "photo.jpg")
    assert asset.status == MediaStatus.PENDING and asset.uploaded_by == user
    item = Item.objects.get(project=project)
    assert asset.item_id == item.pk
    assert item.external_id == "photo.jpg"
    assert item.data == {"image": default_storage.url(asset.key), "width": 40, "height": 30,
                         "media_id": asset.pk}
    assert item.data["image"].startswith("/media/images/")
    project.refresh_from_db()
    assert project.items_count == 1
    assert stored_files() == [asset.key]


def test_a_text_file_named_png_is_refused_and_nothing_is_stored(
    client_org, image_project, pics, stored_files
):
    project = image_project()
    report = upload(client_org[0], project, pics.upload("fake.png", b"just some text\n"))
    assert report.created == 0
    assert report.rejected == [{"file": "fake.png", "error": (
        "not an image in a format that is taken (JPEG, PNG, WebP, GIF, BMP)")}]
    assert not MediaAsset.objects.exists() and not Item.objects.exists()
    assert stored_files() == []


def test_a_decompression_bomb_is_refused_with_a_clear_error_and_nothing_stored(
    client_org, image_project, pics, stored_files
):
    project = image_project()
    report = upload(client_org[0], project, pics.upload("bomb.png", pics.png_bomb()),
                    pics.upload("ok.png", pics.png()))
    assert report.created == 1
    assert report.rejected[0]["file"] == "bomb.png"
    assert "possible decompression bomb" in report.rejected[0]["error"]
    assert len(stored_files()) == 1


def test_a_jpeg_with_gps_is_stored_without_it_but_with_its_other_exif(
    client_org, image_project, pics
):
    project = image_project()
    upload(client_org[0], project, pics.upload("where.jpg", pics.jpeg(gps=True)))
    asset = MediaAsset.objects.get()
    assert asset.gps_removed
    with default_storage.open(asset.key) as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        exif = stored.getexif()
    assert ExifTags.IFD.GPSInfo not in exif
    assert exif[ExifTags.Base.Make] == "Canon"
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal]
    assert asset.size == default_storage.size(asset.key)


def test_the_same_file_uploaded_twice_is_one_asset_and_one_item(
    client_org, image_project, pics, stored_files
):
    user, _org = client_org
    project = image_project()
    data = pics.png()
    first = upload(user, project, pics.upload("a.png", data), pics.upload("copy.png", data))
    second = upload(user, project, pics.upload("again.png", data))
    assert (first.created, first.duplicates) == (1, 1)
    assert (second.created, second.duplicates, second.rejected) == (0, 1, [])
    assert MediaAsset.objects.count() == 1 and Item.objects.count() == 1
    assert len(stored_files()) == 1


def test_the_same_file_in_another_project_is_an_asset_of_its_own(
    client_org, image_project, pics
):
    data = pics.png()
    for project in (image_project(), image_project()):
        assert upload(client_org[0], project, pics.upload("a.png", data)).created == 1
    assert MediaAsset.objects.count() == 2


@pytest.mark.parametrize("archive", ["zip", "tar.gz"])
def test_an_archive_adds_its_images_reports_other_files_and_keeps_climbing_names_safe(
    client_org, image_project, pics, stored_files, media_root, archive
):
    project = image_project()
    members = {"set/cat.png": pics.png(color=(1, 2, 3)), "set/readme.txt": b"hello",
               "../evil.png": pics.png(color=(9, 9, 9))}
    data = pics.zip_of(members) if archive == "zip" else pics.tar_of(members)
    report = upload(client_org[0], project, pics.upload(f"batch.{archive}", data))
    assert report.created == 2
    assert [r["file"] for r in report.rejected] == ["set/readme.txt"]
    names = sorted(Item.objects.values_list("external_id", flat=True))
    assert names == ["evil.png", "set/cat.png"]
    assert all(name.startswith("images/") for name in stored_files())
    assert not (media_root.parent / "evil.png").exists()


def test_a_closed_project_takes_no_images(client_org, image_project, pics, stored_files):
    user, _org = client_org
    project = image_project(items=0, launch=False)
    project_close(user=user, project_id=project.pk)
    with pytest.raises(Conflict):
        upload(user, project, pics.upload("a.png", pics.png()))
    assert stored_files() == []


def test_a_text_project_takes_no_images(client_org, make_project, pics):
    project = make_project(items=0, launch=False)
    with pytest.raises(InvalidInput, match="does not take images"):
        upload(client_org[0], project, pics.upload("a.png", pics.png()))


def test_no_files_and_another_organizations_project_are_refused(
    client_org, make_client_org, image_project, pics
):
    project = image_project()
    with pytest.raises(DomainError, match="send one or more"):
        upload(client_org[0], project)
    stranger, _org = make_client_org()
    with pytest.raises(NotFound):
        upload(stranger, project, pics.upload("a.png", pics.png()))


def test_images_added_to_an_open_project_are_funded_like_any_import(
    client_org, image_project, pics, balance_of
):
    user, org = client_org
    project = image_project(items=0, launch=False)
    from datadam.projects.importing import items_import, parse_records
    from datadam.projects.services import project_launch

    items_import(user=user, project_id=project.pk,
                 lines=parse_records([{"image": "https://example.com/1.png"}]))
    project = project_launch(user=user, project_id=project.pk)
    before = balance_of(org)
    upload(user, project, pics.upload("a.png", pics.png()))
    project.refresh_from_db()
    assert project.items_count == 2 and project.funded_items == 2
    assert balance_of(org) == before - project.item_cost


def test_when_the_items_cannot_be_made_no_asset_and_no_file_is_left(
    client_org, image_project, pics, stored_files, monkeypatch
):
    project = image_project()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "items_import", broken)
    with pytest.raises(RuntimeError):
        upload(client_org[0], project, pics.upload("a.png", pics.png()),
               pics.upload("b.png", pics.png(color=(0, 0, 0))))
    assert not MediaAsset.objects.exists()
    assert stored_files() == []


def test_the_upload_is_audited_and_renditions_are_enqueued_after_commit(
    client_org, image_project, pics, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    project = image_project()
    monkeypatch.setattr(services, "RENDITION_BATCH", 2)
    files = [pics.upload(f"{i}.png", pics.png(color=(i, i, i))) for i in range(3)]
    jobs = DBTaskResult.objects.filter(task_path__endswith="media_renditions_task")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = upload(client_org[0], project, *files)
    assert not jobs.exists()  # not before the commit
    for callback in callbacks:
        callback()
    queued = [row["kwargs"]["asset_ids"] for row in
              jobs.order_by("enqueued_at").values_list("args_kwargs", flat=True)]
    assert sorted(queued) == sorted([report.media_ids[:2], report.media_ids[2:]])
    event = AuditEvent.objects.get(action="media.upload")
    assert event.project_id == project.pk
    assert event.data["created"] == 3

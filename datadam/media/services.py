"""Every write of the media app: uploading images, audio and video into a project, making
their renditions.

Which media a project takes is its kind's (``selectors.kind_media``): images are checked by
Pillow (``checks``), audio and video by FFmpeg (``probe``, ``avmedia``).

Files go to storage first (each under a key of its own), then one transaction creates the
assets and their items through the project's item import, so items are validated by the
project's kind, counted and funded like any import. If that transaction fails, the files
this upload stored are deleted again: nothing is left half-written.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, DomainError, InvalidInput
from datadam.projects.importing import MAX_EXTERNAL_ID, items_import, parse_records
from datadam.projects.models import Item, Project, ProjectStatus
from datadam.projects.services import project_for_manager

from .archives import Limits, Member, upload_members
from .avmedia import av_check, av_fields, av_item, av_render, av_store
from .checks import image_check
from .limits import limit
from .models import MediaAsset, MediaKind, MediaStatus
from .renditions import rendition_keys, renditions_make
from .selectors import kind_media, media_url

log = logging.getLogger(__name__)
ORIGINALS = "images"  # storage prefix of uploaded images (served to signed-in users)
#: Storage prefix of the originals of each media kind (all served to signed-in users).
PREFIXES = {MediaKind.IMAGE: ORIGINALS, MediaKind.AUDIO: "audio", MediaKind.VIDEO: "video"}
RENDITION_BATCH = 20  # image assets per renditions job (audio and video: one per job)
_CHUNK = 500


@dataclass
class UploadReport:
    """What an upload did: images added, files already in the project, files refused."""

    created: int = 0
    duplicates: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    media_ids: list[int] = field(default_factory=list)

    def reject(self, name: str, error: str) -> None:
        if len(self.rejected) < settings.DATADAM["IMPORT_REPORT_LIMIT"]:
            self.rejected.append({"file": name, "error": error})


@dataclass(frozen=True)
class _Stored:
    """A checked file already in storage, waiting for its asset row."""

    name: str
    key: str
    sha256: str
    fields: dict[str, Any]  # the asset's other columns (kind, size, width, height, ...)


def original_key(*, project_id: int, sha256: str, ext: str, prefix: str = ORIGINALS) -> str:
    """A new storage key for an original: content-addressed, plus a random part so no two
    uploads ever share a key (a failed one deletes only its own files)."""
    return f"{prefix}/{project_id}/{sha256[:2]}/{sha256}_{secrets.token_hex(4)}.{ext}"


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _check_project(project: Project) -> str:
    """The media the project's kind takes ("image", "audio", "video"), or a refusal."""
    if project.status == ProjectStatus.CLOSED:
        raise Conflict(_("cannot import into a closed project"))
    media = kind_media(project.kind)
    if media is None:
        raise InvalidInput(_("this project's task kind does not take images"))
    return media


def _delete(keys: Sequence[str]) -> None:
    for key in keys:
        try:
            default_storage.delete(key)
        except OSError:  # leave an orphan file rather than hide the original error
            log.warning("could not delete %s from storage", key)


def media_upload(*, user: Any, project_id: int, files: Sequence[Any]) -> UploadReport:
    """Add uploaded images, audio or video (and those inside zip or tar archives) to a
    project, whichever its kind takes.

    Each new file becomes an asset and an item (``{"image", "width", "height", "media_id"}``;
    audio and video: ``avmedia``) whose external id is the file's name (its path inside an
    archive). A file the project already has counts as a duplicate; a file that is not one
    the project takes is listed in ``rejected`` and the rest go in. Renditions are made
    afterwards by a job.
    """
    # Permission first: to anyone else the project does not exist, whatever they sent.
    project = project_for_manager(user=user, project_id=project_id)
    files = list(files)
    if not files:
        raise DomainError(_("send one or more images or archives in the files field"))
    if len(files) > limit("MEDIA_MAX_FILES"):
        raise DomainError(
            _("send at most %(n)s files per request") % {"n": limit("MEDIA_MAX_FILES")}
        )
    media = _check_project(project)
    report = UploadReport()
    stored: list[_Stored] = []
    try:
        _store(project, media, files, report, stored)
        losers = _commit(user=user, project_id=project.pk, stored=stored, report=report)
    except BaseException:
        _delete([s.key for s in stored])
        raise
    _delete(losers)
    return report


def _store(
    project: Project, media: str, files: list[Any], report: UploadReport,
    stored: list[_Stored]
) -> None:
    """Check every file and put each new one in storage (``stored``, in order)."""
    limits = Limits(
        max_bytes=limit("MEDIA_MAX_BYTES"),
        max_members=limit("MEDIA_ARCHIVE_MAX_MEMBERS"),
        max_total=limit("MEDIA_ARCHIVE_MAX_BYTES"),
        max_media_bytes=0 if media == MediaKind.IMAGE else limit("MEDIA_AV_MAX_BYTES"),
    )
    seen: set[str] = set()
    for member in upload_members(files, limits):
        try:
            if member.error is not None or (member.data is None and member.file is None):
                report.reject(member.name, member.error or "")
                continue
            try:
                found = _checked(project, media, member, limits, seen)
            except InvalidInput as exc:
                report.reject(member.name, exc.message)
                continue
            if found is None:
                report.duplicates += 1
                continue
            stored.append(found)
        finally:
            if member.file is not None:
                member.file.close()


def _checked(project: Project, media: str, member: Member, limits: Limits,
             seen: set[str]) -> _Stored | None:
    """The member checked and stored; None when the project has it already."""
    if media == MediaKind.IMAGE:
        image = image_check(
            member.data or b"", max_bytes=limits.max_bytes, max_pixels=limit("MEDIA_MAX_PIXELS")
        )
        sha256, ext = image.sha256, image.ext
        fields = {"content_type": image.content_type, "width": image.width,
                  "height": image.height, "size": len(image.data),
                  "gps_removed": image.gps_removed}
    else:
        checked, fileobj = av_check(member, media)
        sha256, ext, fields = checked.sha256, checked.ext, av_fields(checked)
    if sha256 in seen or MediaAsset.objects.filter(project_id=project.pk, sha256=sha256).exists():
        return None
    seen.add(sha256)
    key = original_key(project_id=project.pk, sha256=sha256, ext=ext, prefix=PREFIXES[media])
    if media == MediaKind.IMAGE:
        key = default_storage.save(key, ContentFile(image.data))
    else:
        key = av_store(key, fileobj)
    return _Stored(member.name, key, sha256, fields)


def _commit(*, user: Any, project_id: int, stored: list[_Stored], report: UploadReport
            ) -> list[str]:
    """Create the assets and their items in one transaction; the keys of images another
    upload added meanwhile (to delete: they are duplicates now)."""
    if not stored:
        return []
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        _check_project(project)
        taken: set[str] = set()
        for chunk in _chunks([s.sha256 for s in stored]):
            taken.update(
                MediaAsset.objects.filter(project=project, sha256__in=chunk)
                .values_list("sha256", flat=True)
            )
        fresh = [s for s in stored if s.sha256 not in taken]
        losers = [s.key for s in stored if s.sha256 in taken]
        report.duplicates += len(losers)
        if not fresh:
            return losers
        last_item = Item.objects.filter(project=project).aggregate(m=Max("pk"))["m"] or 0
        assets = MediaAsset.objects.bulk_create(
            [_asset(project, user, s) for s in fresh], batch_size=_CHUNK
        )
        _items_create(user=user, project=project, assets=assets, names=[s.name for s in fresh])
        _items_link(project, assets, after=last_item)
        report.created = len(assets)
        report.media_ids = [a.pk for a in assets]
        audit_record(
            actor=user, action="media.upload", target=project, project_id=project.pk,
            organization_id=project.organization_id,
            data={"created": report.created, "duplicates": report.duplicates,
                  "rejected": len(report.rejected), "bytes": sum(a.size for a in assets)},
        )
        images = [a.pk for a in assets if a.media_kind == MediaKind.IMAGE]
        others = [a.pk for a in assets if a.media_kind != MediaKind.IMAGE]
        if images:
            transaction.on_commit(partial(_enqueue, images), robust=True)
        if others:
            transaction.on_commit(partial(_enqueue_each, others), robust=True)
    return losers


def _asset(project: Project, user: Any, stored: _Stored) -> MediaAsset:
    return MediaAsset(
        project=project, key=stored.key, sha256=stored.sha256,
        original_name=stored.name[-255:], uploaded_by=user, **stored.fields,
    )


def _item_data(asset: MediaAsset) -> dict[str, Any]:
    url = media_url(asset.key)
    if asset.media_kind == MediaKind.IMAGE:
        return {"image": url, "width": asset.width, "height": asset.height, "media_id": asset.pk}
    return av_item(asset, url)


def _items_create(
    *, user: Any, project: Project, assets: list[MediaAsset], names: list[str]
) -> None:
    """One item per asset, through the project's import (validated by its kind, funded)."""
    records = (
        {"data": _item_data(a), "external_id": name[-MAX_EXTERNAL_ID:]}
        for a, name in zip(assets, names, strict=True)
    )
    result = items_import(
        user=user, project_id=project.pk, lines=parse_records(records), numbered="item"
    )
    if not result.ok:  # rolls the assets back too
        error = result.errors[0]["error"]
        if assets and assets[0].media_kind != MediaKind.IMAGE:
            raise InvalidInput(_("the project refused the files: %(error)s") % {"error": error})
        raise InvalidInput(_("the project refused the images: %(error)s") % {"error": error})


def _items_link(project: Project, assets: list[MediaAsset], *, after: int) -> None:
    """Note on each asset the item just made from it (found by its media_id)."""
    by_media: dict[int, int] = {}
    for pk, data in Item.objects.filter(project=project, pk__gt=after).values_list("pk", "data"):
        if isinstance(data, dict) and isinstance(data.get("media_id"), int):
            by_media[data["media_id"]] = pk
    for asset in assets:
        asset.item_id = by_media.get(asset.pk)
    MediaAsset.objects.bulk_update(assets, ["item"], batch_size=_CHUNK)


def _enqueue(asset_ids: list[int]) -> None:
    from .tasks import media_renditions_task

    for chunk in _chunks(asset_ids, RENDITION_BATCH):
        media_renditions_task.enqueue(asset_ids=list(chunk))


def _enqueue_each(asset_ids: list[int]) -> None:
    """Audio and video: one job per file (a long recording takes a while to encode)."""
    from .tasks import media_renditions_task

    for pk in asset_ids:
        media_renditions_task.enqueue(asset_ids=[pk])


#: A pending asset older than this lost its renditions job (the enqueue failed, or the worker
#: stopped): the sweep queues it again.
STALE_PENDING = timedelta(minutes=10)
SWEEP_LIMIT = 1000


def media_sweep() -> int:
    """Periodic: queue the renditions of assets left pending by a lost job again (safe: the
    job skips what is done); returns how many were queued."""
    due = timezone.now() - STALE_PENDING
    rows = list(MediaAsset.objects.filter(status=MediaStatus.PENDING, created_at__lt=due)
                .order_by("created_at").values_list("pk", "media_kind")[:SWEEP_LIMIT])
    images = [pk for pk, kind in rows if kind == MediaKind.IMAGE]
    others = [pk for pk, kind in rows if kind != MediaKind.IMAGE]
    if images:
        _enqueue(images)
    if others:
        _enqueue_each(others)
    return len(rows)


def media_renditions_make(*, asset_ids: Sequence[int]) -> dict[str, int]:
    """Make the renditions of these assets and put their URLs into the items' data: images
    ``web`` and ``thumb``; audio ``web`` and ``peaks``; video ``poster`` (and ``web`` when
    the original does not play in a browser as it is). Safe to run twice: an asset already
    ready is left as it is, and a rerun writes the same bytes under the same keys."""
    made: dict[int, tuple[str, dict[str, str], str]] = {}
    for asset in MediaAsset.objects.filter(pk__in=list(asset_ids)).order_by("pk"):
        if asset.status != MediaStatus.READY:
            made[asset.pk] = _render(asset)
    counts = {"ready": 0, "failed": 0}
    if not made:
        return counts
    with transaction.atomic():
        changed: list[MediaAsset] = []
        urls: dict[int, dict[str, str]] = {}
        for asset in MediaAsset.objects.select_for_update().filter(pk__in=list(made)):
            if asset.status == MediaStatus.READY:
                continue  # a concurrent run finished first
            status, keys, error = made[asset.pk]
            asset.status, asset.error = status, error[:300]
            asset.web_key, asset.thumb_key = keys.get("web", ""), keys.get("thumb", "")
            asset.peaks_key, asset.poster_key = keys.get("peaks", ""), keys.get("poster", "")
            changed.append(asset)
            counts[status] += 1
            if status == MediaStatus.READY and asset.item_id:
                urls[asset.item_id] = {name: media_url(key) for name, key in keys.items()}
        MediaAsset.objects.bulk_update(changed, ["status", "error", "web_key", "thumb_key",
                                                 "peaks_key", "poster_key"])
        items = list(Item.objects.select_for_update().filter(pk__in=list(urls)))
        for item in items:
            if isinstance(item.data, dict):
                item.data = {**item.data, **urls[item.pk]}
        Item.objects.bulk_update(items, ["data"])
        if changed:
            projects = {a.project_id for a in changed}
            project_id = projects.pop() if len(projects) == 1 else None
            audit_record(
                actor=None, action="media.renditions", target_type="mediaasset",
                project_id=project_id,
                data={**counts, "assets": sorted(a.pk for a in changed)[:100]},
            )
    return counts


def _render(asset: MediaAsset) -> tuple[str, dict[str, str], str]:
    """(status, rendition keys, error) for one asset; the files are in storage when ready."""
    if asset.media_kind != MediaKind.IMAGE:
        return av_render(asset)
    try:
        with default_storage.open(asset.key, "rb") as handle:
            data = handle.read()
    except OSError:
        return MediaStatus.FAILED, {}, _("the original is missing from storage")
    try:
        blobs = renditions_make(
            data, web_px=limit("MEDIA_WEB_PX"), thumb_px=limit("MEDIA_THUMB_PX")
        )
    except Exception as exc:  # noqa: BLE001 - Pillow fails in many ways on a bad file
        log.warning("renditions of media %s failed: %s", asset.pk, exc)
        return MediaStatus.FAILED, {}, _("the image could not be decoded")
    keys = rendition_keys(asset.key)
    for name, blob in blobs.items():
        if default_storage.exists(keys[name]):
            default_storage.delete(keys[name])  # left by a run that stopped halfway
        keys[name] = default_storage.save(keys[name], ContentFile(blob))
    return MediaStatus.READY, keys, ""

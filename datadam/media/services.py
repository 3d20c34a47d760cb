"""Every write of the media app: uploading images into a project, making their renditions.

Files go to storage first (each under a key of its own), then one transaction creates the
assets and their items through the project's item import, so items are validated by the
project's kind, counted and funded like any import. If that transaction fails, the files
this upload stored are deleted again: nothing is left half-written.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
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

from .archives import Limits, upload_members
from .checks import CheckedImage, image_check
from .limits import limit
from .models import MediaAsset, MediaStatus
from .renditions import rendition_keys, renditions_make
from .selectors import kind_takes_images, media_url

log = logging.getLogger(__name__)
ORIGINALS = "images"  # storage prefix of uploaded images (served to signed-in users)
RENDITION_BATCH = 20  # assets per renditions job
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
    """A checked image already in storage, waiting for its asset row."""

    name: str
    key: str
    size: int
    image: CheckedImage  # without its bytes: memory stays flat over a large archive


def original_key(*, project_id: int, sha256: str, ext: str) -> str:
    """A new storage key for an original: content-addressed, plus a random part so no two
    uploads ever share a key (a failed one deletes only its own files)."""
    return f"{ORIGINALS}/{project_id}/{sha256[:2]}/{sha256}_{secrets.token_hex(4)}.{ext}"


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _check_project(project: Project) -> None:
    if project.status == ProjectStatus.CLOSED:
        raise Conflict(_("cannot import into a closed project"))
    if not kind_takes_images(project.kind):
        raise InvalidInput(_("this project's task kind does not take images"))


def _delete(keys: Sequence[str]) -> None:
    for key in keys:
        try:
            default_storage.delete(key)
        except OSError:  # leave an orphan file rather than hide the original error
            log.warning("could not delete %s from storage", key)


def media_upload(*, user: Any, project_id: int, files: Sequence[Any]) -> UploadReport:
    """Add uploaded images (and the images inside zip or tar archives) to a project.

    Each new image becomes an asset and an item ``{"image", "width", "height",
    "media_id"}`` whose external id is the file's name (its path inside an archive). A file
    the project already has counts as a duplicate; a file that is not a taken image is
    listed in ``rejected`` and the rest go in. Renditions are made afterwards by a job.
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
    _check_project(project)
    report = UploadReport()
    stored: list[_Stored] = []
    try:
        _store(project, files, report, stored)
        losers = _commit(user=user, project_id=project.pk, stored=stored, report=report)
    except BaseException:
        _delete([s.key for s in stored])
        raise
    _delete(losers)
    return report


def _store(
    project: Project, files: list[Any], report: UploadReport, stored: list[_Stored]
) -> None:
    """Check every file and put each new image in storage (``stored``, in order)."""
    limits = Limits(
        max_bytes=limit("MEDIA_MAX_BYTES"),
        max_members=limit("MEDIA_ARCHIVE_MAX_MEMBERS"),
        max_total=limit("MEDIA_ARCHIVE_MAX_BYTES"),
    )
    seen: set[str] = set()
    for member in upload_members(files, limits):
        if member.data is None:
            report.reject(member.name, member.error or "")
            continue
        try:
            image = image_check(
                member.data, max_bytes=limits.max_bytes, max_pixels=limit("MEDIA_MAX_PIXELS")
            )
        except InvalidInput as exc:
            report.reject(member.name, exc.message)
            continue
        if image.sha256 in seen or MediaAsset.objects.filter(
            project_id=project.pk, sha256=image.sha256
        ).exists():
            report.duplicates += 1
            continue
        seen.add(image.sha256)
        key = original_key(project_id=project.pk, sha256=image.sha256, ext=image.ext)
        key = default_storage.save(key, ContentFile(image.data))
        stored.append(_Stored(member.name, key, len(image.data), replace(image, data=b"")))


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
        for chunk in _chunks([s.image.sha256 for s in stored]):
            taken.update(
                MediaAsset.objects.filter(project=project, sha256__in=chunk)
                .values_list("sha256", flat=True)
            )
        fresh = [s for s in stored if s.image.sha256 not in taken]
        losers = [s.key for s in stored if s.image.sha256 in taken]
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
        transaction.on_commit(partial(_enqueue, report.media_ids), robust=True)
    return losers


def _asset(project: Project, user: Any, stored: _Stored) -> MediaAsset:
    image = stored.image
    return MediaAsset(
        project=project, key=stored.key, sha256=image.sha256, content_type=image.content_type,
        width=image.width, height=image.height, size=stored.size,
        original_name=stored.name[-255:], gps_removed=image.gps_removed, uploaded_by=user,
    )


def _items_create(
    *, user: Any, project: Project, assets: list[MediaAsset], names: list[str]
) -> None:
    """One item per asset, through the project's import (validated by its kind, funded)."""
    records = (
        {
            "data": {"image": media_url(a.key), "width": a.width, "height": a.height,
                     "media_id": a.pk},
            "external_id": name[-MAX_EXTERNAL_ID:],
        }
        for a, name in zip(assets, names, strict=True)
    )
    result = items_import(
        user=user, project_id=project.pk, lines=parse_records(records), numbered="item"
    )
    if not result.ok:  # rolls the assets back too
        raise InvalidInput(
            _("the project refused the images: %(error)s") % {"error": result.errors[0]["error"]}
        )


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


#: A pending asset older than this lost its renditions job (the enqueue failed, or the worker
#: stopped): the sweep queues it again.
STALE_PENDING = timedelta(minutes=10)
SWEEP_LIMIT = 1000


def media_sweep() -> int:
    """Periodic: queue the renditions of assets left pending by a lost job again (safe: the
    job skips what is done); returns how many were queued."""
    due = timezone.now() - STALE_PENDING
    ids = list(MediaAsset.objects.filter(status=MediaStatus.PENDING, created_at__lt=due)
               .order_by("created_at").values_list("pk", flat=True)[:SWEEP_LIMIT])
    if ids:
        _enqueue(ids)
    return len(ids)


def media_renditions_make(*, asset_ids: Sequence[int]) -> dict[str, int]:
    """Make the thumbnail and web renditions of these assets and put their URLs into the
    items' data (``web``, ``thumb``). Safe to run twice: an asset already ready is left as
    it is, and a rerun writes the same bytes under the same keys."""
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
            changed.append(asset)
            counts[status] += 1
            if status == MediaStatus.READY and asset.item_id:
                urls[asset.item_id] = {name: media_url(key) for name, key in keys.items()}
        MediaAsset.objects.bulk_update(changed, ["status", "error", "web_key", "thumb_key"])
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

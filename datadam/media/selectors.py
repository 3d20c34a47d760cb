"""Reads of the media app: a project's media, their URLs, the URL to show for an item, which
media a kind takes."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage

from datadam.kinds import get_kind
from datadam.projects.services import project_for_manager

from .models import MediaAsset

# What an item made from an upload looks like: every image kind must take it.
SAMPLE_ITEM = {"image": "/media/sample.png", "width": 1, "height": 1, "media_id": 1}
#: The same for each media: what a kind that does not state its ``media_field`` is tried with.
SAMPLE_ITEMS = {
    "image": SAMPLE_ITEM,
    "audio": {"audio": "/media/sample.webm", "duration": 1.0, "sample_rate": 48000,
              "media_id": 1},
    "video": {"video": "/media/sample.webm", "duration": 1.0, "width": 2, "height": 2,
              "fps": 25.0, "media_id": 1},
}


def media_url(key: str) -> str:
    """The URL of a stored file ("" for no key), as the storage backend gives it."""
    return default_storage.url(key) if key else ""


def media_display_url(item_data: Any) -> str:
    """The image to show for an item: its web rendition once made, else the original.

    Reads only the item's data (the renditions job writes ``web`` and ``thumb`` into it),
    so a page of many items costs no query.
    """
    if not isinstance(item_data, dict):
        return ""
    return str(item_data.get("web") or item_data.get("image") or "")


def media_thumb_url(item_data: Any) -> str:
    """A small image for an item: its thumbnail, else what ``media_display_url`` gives."""
    if isinstance(item_data, dict) and item_data.get("thumb"):
        return str(item_data["thumb"])
    return media_display_url(item_data)


def kind_media(slug: str) -> str | None:
    """The media uploads of this kind's projects are ("image", "audio", "video"; None: no
    upload): the kind's ``media_field``; a kind that does not state it, the first media
    whose upload item (``SAMPLE_ITEMS``) its ``validate_item`` takes."""
    try:
        kind = get_kind(slug)
    except Exception:  # noqa: BLE001 - an unknown kind takes nothing
        return None
    field = getattr(kind, "media_field", None)
    if field in SAMPLE_ITEMS:
        return field
    for media, sample in SAMPLE_ITEMS.items():
        try:
            kind.validate_item(dict(sample))
        except Exception:  # noqa: BLE001 - ItemError: not this media
            continue
        return media
    return None


def kind_takes_images(slug: str) -> bool:
    """Whether items of this kind can be made from uploaded images."""
    return kind_media(slug) == "image"


def media_page(
    *, user: Any, project_id: int, after: int = 0, limit: int = 100
) -> tuple[list[MediaAsset], int | None]:
    """A page of a project's images in upload order, and the id to continue after."""
    project = project_for_manager(user=user, project_id=project_id)
    limit = max(1, min(limit, 1000))
    rows = list(MediaAsset.objects.filter(project=project, pk__gt=after).order_by("pk")[:limit])
    return rows, (rows[-1].pk if len(rows) == limit else None)


def media_out(asset: MediaAsset) -> dict[str, Any]:
    """One asset as the API shows it."""
    return {
        "id": asset.pk,
        "file": asset.original_name,
        "item_id": asset.item_id,
        "media_kind": asset.media_kind,
        "content_type": asset.content_type,
        "width": asset.width,
        "height": asset.height,
        "bytes": asset.size,
        "sha256": asset.sha256,
        "gps_removed": asset.gps_removed,
        "status": asset.status,
        "error": asset.error,
        "url": media_url(asset.key),
        "web_url": media_url(asset.web_key),
        "thumb_url": media_url(asset.thumb_key),
        "duration": asset.duration,
        "probe": asset.probe or {},
        "peaks_url": media_url(asset.peaks_key),
        "poster_url": media_url(asset.poster_key),
        "created_at": asset.created_at,
    }

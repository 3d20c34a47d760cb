"""The audio and video side of uploading and renditions (used by ``services``).

``av_check`` takes one upload member for a project whose kind takes ``audio`` or ``video``
(``selectors.kind_media``): probed by content (``probe.media_check``), refused with a clear
reason when it is not what the project takes. ``av_render`` makes an asset's renditions
(``avrenditions``) into storage. The item made from an upload::

    {"audio": url, "duration": s, "sample_rate": hz, "media_id": id}
    {"video": url, "duration": s, "width": px, "height": px, "fps": f, "media_id": id}

and the renditions job adds ``web`` and ``peaks`` (audio) or ``poster`` and, for a video
Chromium cannot play as it is, ``web`` (video) to it.
"""

from __future__ import annotations

import io
import logging
import tempfile
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

from datadam.errors import InvalidInput

from .archives import Member
from .avrenditions import audio_renditions, rendition_keys, video_renditions
from .limits import limit
from .models import MediaAsset, MediaKind, MediaStatus
from .probe import CheckedMedia, Probe, media_check

log = logging.getLogger(__name__)


def _is_image(head: bytes) -> bool:
    try:
        Image.open(io.BytesIO(head)).verify()
    except Exception:  # noqa: BLE001 - anything Pillow cannot read is not an image
        return False
    return True


def av_check(member: Member, media: str) -> tuple[CheckedMedia, IO[bytes]]:
    """The checked audio or video file of a member, and a file object to store it from;
    InvalidInput says why it is refused."""
    fileobj: IO[bytes] = io.BytesIO(member.data) if member.data is not None else member.file
    if member.data is not None and _is_image(member.data):
        raise InvalidInput(_("an image: this project takes audio files") if media == "audio"
                           else _("an image: this project takes video files"))
    checked = media_check(fileobj, max_bytes=limit("MEDIA_AV_MAX_BYTES"),
                          max_seconds=limit("MEDIA_AV_MAX_SECONDS"),
                          max_pixels=limit("MEDIA_MAX_PIXELS"))
    if checked.probe.kind != media:
        raise InvalidInput(_("a video: this project takes audio files") if media == "audio"
                           else _("sound without pictures: this project takes video files"))
    return checked, fileobj


def av_store(key: str, fileobj: IO[bytes]) -> str:
    """Store the file (streamed in chunks, never read whole); the key it got."""
    fileobj.seek(0)
    return default_storage.save(key, File(fileobj))


def av_fields(checked: CheckedMedia) -> dict[str, Any]:
    """The asset's columns for a checked audio or video file."""
    found = checked.probe
    return {"media_kind": found.kind, "content_type": checked.content_type,
            "width": found.width, "height": found.height, "size": checked.size,
            "duration": found.duration, "probe": found.as_dict()}


def av_item(asset: MediaAsset, url: str) -> dict[str, Any]:
    """The item data made from an audio or video asset."""
    found = asset.probe or {}
    if asset.media_kind == MediaKind.AUDIO:
        return {"audio": url, "duration": asset.duration,
                "sample_rate": int(found.get("sample_rate") or 0), "media_id": asset.pk}
    return {"video": url, "duration": asset.duration, "width": asset.width,
            "height": asset.height, "fps": float(found.get("fps") or 0.0), "media_id": asset.pk}


def _probe_of(asset: MediaAsset) -> Probe:
    found = dict(asset.probe or {})
    found["codecs"] = tuple(found.get("codecs") or ())
    known = set(Probe.__dataclass_fields__)
    return Probe(**{k: v for k, v in found.items() if k in known})


def _save(key: str, content: Any) -> str:
    if default_storage.exists(key):
        default_storage.delete(key)  # left by a run that stopped halfway
    return default_storage.save(key, content)


def av_render(asset: MediaAsset) -> tuple[str, dict[str, str], str]:
    """(status, rendition keys, error) for an audio or video asset; the files are in
    storage when ready."""
    found = _probe_of(asset)
    audio = asset.media_kind == MediaKind.AUDIO
    names = ("web", "peaks") if audio else (("poster",) if found.web_playable
                                            else ("web", "poster"))
    keys = rendition_keys(asset.key, names)
    try:
        source = default_storage.open(asset.key, "rb")
    except OSError:
        return MediaStatus.FAILED, {}, _("the original is missing from storage")
    web = tempfile.TemporaryFile() if "web" in names else None  # noqa: SIM115 - closed below
    try:
        with source:
            if audio:
                extra = {"peaks": audio_renditions(
                    source, web, duration=found.duration, pairs=limit("MEDIA_PEAKS"),
                    max_seconds=limit("MEDIA_AV_MAX_SECONDS"))}
            else:
                extra = {"poster": video_renditions(
                    source, web, probe=found, web_px=limit("MEDIA_VIDEO_WEB_PX"),
                    max_seconds=limit("MEDIA_AV_MAX_SECONDS"))}
        if web is not None:
            web.seek(0)
            keys["web"] = _save(keys["web"], File(web))
        for name, blob in extra.items():
            keys[name] = _save(keys[name], ContentFile(blob))
    except Exception as exc:  # noqa: BLE001 - FFmpeg fails in many ways on a bad file
        log.warning("renditions of media %s failed: %s", asset.pk, exc)
        return MediaStatus.FAILED, {}, (_("the audio could not be decoded") if audio
                                        else _("the video could not be decoded"))
    finally:
        if web is not None:
            web.close()
    return MediaStatus.READY, keys, ""

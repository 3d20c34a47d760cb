"""The media limits, read from ``settings.DATADAM`` with these defaults (docs/media.md)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, int] = {
    # One image, as uploaded or as an archive member.
    "MEDIA_MAX_BYTES": 50 * 1024 * 1024,
    # Width × height; more is refused as a possible decompression bomb.
    "MEDIA_MAX_PIXELS": 100_000_000,
    # Files in one upload request (an archive counts as one); Django's own limit,
    # DATA_UPLOAD_MAX_NUMBER_FILES, is 100 too.
    "MEDIA_MAX_FILES": 100,
    # Members read from one archive, and their total size once unpacked (zip bombs).
    "MEDIA_ARCHIVE_MAX_MEMBERS": 10_000,
    "MEDIA_ARCHIVE_MAX_BYTES": 2 * 1024 * 1024 * 1024,
    # Longest side of the renditions, in pixels.
    "MEDIA_THUMB_PX": 256,
    "MEDIA_WEB_PX": 1600,
    # One audio or video file (as uploaded or as an archive member; checked from a temporary
    # file, never read whole into memory), and its longest duration in seconds.
    "MEDIA_AV_MAX_BYTES": 500 * 1024 * 1024,
    "MEDIA_AV_MAX_SECONDS": 2 * 60 * 60,
    # Longest side of a video's web rendition and poster frame, in pixels.
    "MEDIA_VIDEO_WEB_PX": 1280,
    # Min/max pairs of an audio file's precomputed waveform.
    "MEDIA_PEAKS": 1000,
}


def limit(name: str) -> int:
    """The configured value of one media limit."""
    return int(settings.DATADAM.get(name, DEFAULTS[name]))

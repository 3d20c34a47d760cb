"""What the server finds in one captured file, before any row is written: the file checked
by its content (``datadam.media``: a real image, recording or clip, within the limits, the
location removed), what it says of itself (time, device), the automatic checks
(``checks``), its 64-bit fingerprint and, for a photo or clip, its verification signature
(``fingerprints``) and a small preview for the reviewer.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import IO, Any

import av
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

from datadam.errors import InvalidInput
from datadam.media.checks import image_check
from datadam.media.limits import limit
from datadam.media.probe import media_check

from .checks.audio import audio_checks, decode_audio
from .checks.findings import Finding
from .checks.image import DEFAULT_BLUR_MIN, image_checks, open_for_checks
from .fingerprints.audio import audio_hash
from .fingerprints.image import image_fingerprint, to_signed

THUMB_PX = 320
#: EXIF tags kept for the reviewer (never the location: the GPS block is gone already).
_BASE_TAGS = {"make": ExifTags.Base.Make, "model": ExifTags.Base.Model,
              "software": ExifTags.Base.Software}
_EXIF_TAGS = {"taken_at": ExifTags.Base.DateTimeOriginal, "lens": ExifTags.Base.LensModel}


@dataclass
class Analysed:
    """A checked capture, ready to store."""

    data: IO[bytes]
    sha256: str
    size: int
    ext: str
    content_type: str
    width: int = 0
    height: int = 0
    duration: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    fingerprint: int | None = None
    signature: bytes | None = None
    thumb: bytes = b""


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).replace("\x00", "").strip()[:100]


def _exif(data: bytes) -> dict[str, Any]:
    """Time and device from the photo's EXIF (what a reviewer may want to see)."""
    try:
        exif = Image.open(io.BytesIO(data)).getexif()
        own = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:  # noqa: BLE001 - unreadable EXIF: the photo simply has none
        return {}
    found = {k: _text(exif[t]) for k, t in _BASE_TAGS.items() if exif.get(t)}
    found.update({k: _text(own[t]) for k, t in _EXIF_TAGS.items() if own.get(t)})
    return {k: v for k, v in found.items() if v}


def _thumb(image: Image.Image) -> bytes:
    small = image.convert("RGB")
    small.thumbnail((THUMB_PX, THUMB_PX))
    out = io.BytesIO()
    small.save(out, "WEBP", quality=80)
    return out.getvalue()


def analyse_image(fileobj: IO[bytes], config: dict[str, Any]) -> Analysed:
    data = fileobj.read(limit("MEDIA_MAX_BYTES") + 1)
    checked = image_check(data, max_bytes=limit("MEDIA_MAX_BYTES"),
                          max_pixels=limit("MEDIA_MAX_PIXELS"))
    working, (width, height) = open_for_checks(checked.data)
    findings = image_checks(working, full_size=(width, height),
                            min_width=config.get("min_width", 640),
                            min_height=config.get("min_height", 480),
                            blur_min=config.get("blur_min", DEFAULT_BLUR_MIN),
                            dark_min=config.get("dark_min", 40.0))
    metadata = _exif(checked.data)
    if checked.gps_removed:
        metadata["location_removed"] = True
    fingerprint, signature = image_fingerprint(working)
    return Analysed(data=io.BytesIO(checked.data), sha256=checked.sha256,
                    size=len(checked.data), ext=checked.ext,
                    content_type=checked.content_type, width=width, height=height,
                    metadata=metadata, findings=findings, fingerprint=to_signed(fingerprint),
                    signature=signature, thumb=_thumb(working))


def _av_checked(fileobj: IO[bytes], max_seconds: float) -> Any:
    return media_check(fileobj, max_bytes=limit("MEDIA_AV_MAX_BYTES"),
                       max_seconds=min(limit("MEDIA_AV_MAX_SECONDS"), max_seconds * 2 + 10))


def _av_metadata(probe: Any) -> dict[str, Any]:
    found = {"container": probe.format, "codecs": list(probe.codecs)}
    if probe.sample_rate:
        found["sample_rate"] = probe.sample_rate
        found["channels"] = probe.channels
    if probe.fps:
        found["fps"] = round(probe.fps, 2)
    return found


def analyse_audio(fileobj: IO[bytes], config: dict[str, Any]) -> Analysed:
    checked = _av_checked(fileobj, config.get("max_seconds", 30))
    if checked.probe.kind != "audio":
        raise InvalidInput(_("this project takes sound recordings, and the file is a video"))
    fileobj.seek(0)
    samples, rate = decode_audio(fileobj, max_seconds=config.get("max_seconds", 30) * 2 + 10)
    findings = audio_checks(samples, rate, min_seconds=config.get("min_seconds", 1),
                            max_seconds=config.get("max_seconds", 30),
                            silence_dbfs=config.get("silence_dbfs", -45.0),
                            clip_share=config.get("clip_share", 0.01),
                            min_snr_db=config.get("min_snr_db", 10.0))
    fileobj.seek(0)
    duration = len(samples) / rate if rate else checked.probe.duration
    return Analysed(data=fileobj, sha256=checked.sha256, size=checked.size, ext=checked.ext,
                    content_type=checked.content_type, duration=round(duration, 3),
                    metadata=_av_metadata(checked.probe), findings=findings,
                    fingerprint=to_signed(audio_hash(samples, rate)) if len(samples) else None)


def _middle_frame(fileobj: IO[bytes], duration: float) -> Image.Image | None:
    """The clip's frame nearest its middle, upright, or None when none decodes."""
    fileobj.seek(0)
    try:
        with av.open(fileobj) as container:
            stream = container.streams.video[0]
            target = duration / 2
            frame_at = None
            for frame in container.decode(stream):
                frame_at = frame
                if frame.time is not None and frame.time >= target:
                    break
            return None if frame_at is None else ImageOps.exif_transpose(frame_at.to_image())
    except (av.FFmpegError, ValueError, OSError, IndexError):
        return None


def _span(value: float) -> str:
    return f"{value:.1f}"


def analyse_video(fileobj: IO[bytes], config: dict[str, Any]) -> Analysed:
    checked = _av_checked(fileobj, config.get("max_seconds", 15))
    probe = checked.probe
    if probe.kind != "video":
        raise InvalidInput(_("this project takes video clips, and the file has no picture"))
    low, high = config.get("min_seconds", 2), config.get("max_seconds", 15)
    duration = probe.duration
    if duration < low:
        length = _("The clip is %(s)s s long; at least %(low)s s are needed: record a longer "
                   "one.") % {"s": _span(duration), "low": _span(low)}
    elif duration > high:
        length = _("The clip is %(s)s s long; at most %(high)s s are taken: record a shorter "
                   "one.") % {"s": _span(duration), "high": _span(high)}
    else:
        length = _("The clip is %(s)s s long.") % {"s": _span(duration)}
    findings = [Finding("duration", low <= duration <= high, round(duration, 2),
                        low if duration < low else high, length)]
    frame = _middle_frame(fileobj, duration)
    fingerprint, signature, thumb = None, None, b""
    if frame is not None:
        frame_checks = image_checks(frame, full_size=(probe.width, probe.height),
                                    min_width=config.get("min_width", 320),
                                    min_height=config.get("min_height", 240),
                                    blur_min=0.0, dark_min=config.get("dark_min", 40.0))
        findings += [f for f in frame_checks if f.check in ("resolution", "dark")]
        fingerprint, signature = image_fingerprint(frame)
        fingerprint, thumb = to_signed(fingerprint), _thumb(frame)
    else:
        findings.append(Finding("resolution", False, 0, config.get("min_width", 320),
                                _("No picture could be read from the clip: record it again.")))
    fileobj.seek(0)
    return Analysed(data=fileobj, sha256=checked.sha256, size=checked.size, ext=checked.ext,
                    content_type=checked.content_type, width=probe.width,
                    height=probe.height, duration=round(duration, 3) if math.isfinite(
                        duration) else None,
                    metadata=_av_metadata(probe), findings=findings, fingerprint=fingerprint,
                    signature=signature, thumb=thumb)


ANALYSERS = {"image": analyse_image, "audio": analyse_audio, "video": analyse_video}

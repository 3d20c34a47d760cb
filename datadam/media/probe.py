"""Probing uploaded audio and video by their content with PyAV (FFmpeg), no database.

The small API the audio and video kinds rely on::

    probe(fileobj) -> Probe(kind, duration, codecs, width, height, fps, sample_rate, channels,
                            format, rotation)
    media_check(fileobj, max_bytes=..., max_seconds=...) -> CheckedMedia(probe, sha256, size,
                                                                         ext, content_type)

The file name and the type the browser claims are ignored: FFmpeg must recognise the bytes
as one of the containers below (``CONTAINERS``), the file must hold an audio or video stream
in a codec listed here, and its first frame must decode. Images (FFmpeg reads PNG or JPEG as
one-frame "video"), subtitles, text and the rest are refused. ``kind`` is "video" when the
file has a video stream (a cover picture in an MP3 or M4A does not count), else "audio".

Width and height are those of the video as displayed: a phone video stored sideways with a
rotation of 90° or 270° has them swapped (``rotation`` tells the renditions to turn it).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import IO, Any

import av
from django.utils.translation import gettext as _

from datadam.errors import InvalidInput

#: FFmpeg demuxer name → (extension for audio, extension for video).
CONTAINERS: dict[str, tuple[str, str]] = {
    "wav": ("wav", "wav"),
    "w64": ("w64", "w64"),
    "mp3": ("mp3", "mp3"),
    "ogg": ("ogg", "ogv"),
    "flac": ("flac", "flac"),
    "matroska": ("mka", "mkv"),  # "webm" when its codecs are WebM's
    "mov": ("m4a", "mp4"),  # mov, mp4, m4a, 3gp
    "aac": ("aac", "aac"),
    "aiff": ("aiff", "aiff"),
    "caf": ("caf", "caf"),
    "avi": ("avi", "avi"),
    "mpegts": ("ts", "ts"),
    "amr": ("amr", "amr"),
}
#: Codecs taken (FFmpeg decoder names; every ``pcm_*`` too).
AUDIO_CODECS = frozenset({
    "mp3", "mp3float", "aac", "aac_latm", "opus", "libopus", "vorbis", "flac", "alac",
    "mp2", "ac3", "eac3", "amrnb", "amrwb", "wmav2", "adpcm_ima_wav", "adpcm_ms",
})
VIDEO_CODECS = frozenset({
    "h264", "hevc", "vp8", "vp9", "av1", "libdav1d", "mpeg4", "mpeg2video", "mpeg1video",
    "theora", "mjpeg", "prores", "h263", "msmpeg4v3", "wmv2",
})
#: Content types by stored extension.
CONTENT_TYPES: dict[str, str] = {
    "wav": "audio/wav", "w64": "audio/x-w64", "mp3": "audio/mpeg", "ogg": "audio/ogg",
    "ogv": "video/ogg", "flac": "audio/flac", "mka": "audio/x-matroska",
    "mkv": "video/x-matroska", "webm": "video/webm", "m4a": "audio/mp4", "mp4": "video/mp4",
    "aac": "audio/aac", "aiff": "audio/aiff", "caf": "audio/x-caf", "avi": "video/x-msvideo",
    "ts": "video/mp2t", "amr": "audio/amr",
}
#: What a browser plays as it is (Chromium without proprietary codecs included).
WEB_AUDIO = frozenset({"opus", "vorbis", "flac", "mp3", "mp3float"}) | {"pcm_s16le"}
WEB_VIDEO = frozenset({"vp8", "vp9", "av1", "libdav1d"})
FORMAT_NAMES = "WAV, MP3, Ogg, Opus, FLAC, WebM, Matroska, MP4, M4A, MOV, AAC, AIFF, AVI, MPEG-TS"
_READ_ERRORS = (av.FFmpegError, ValueError, OSError, EOFError, IndexError, StopIteration,
                UnicodeDecodeError)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Probe:
    """What an audio or video file holds. Numbers are 0 where they do not apply."""

    kind: str  # "audio" or "video"
    duration: float  # seconds
    codecs: tuple[str, ...]  # video codec first, then audio: ("vp9", "opus")
    width: int = 0  # as displayed (rotation applied)
    height: int = 0
    fps: float = 0.0
    sample_rate: int = 0  # of the audio stream (Hz)
    channels: int = 0
    format: str = ""  # the container: "wav", "ogg", "matroska", "mov", ...
    rotation: int = 0  # degrees clockwise the decoded picture must turn to show upright

    @property
    def web_playable(self) -> bool:
        """Whether Chromium plays the original as it is (WebM/Ogg codecs; WAV, MP3, FLAC)."""
        video, audio = self.video_codec, self.audio_codec
        if self.kind == "audio":
            return audio in WEB_AUDIO and self.format in ("wav", "mp3", "ogg", "flac",
                                                          "matroska")
        return (self.format == "matroska" and video in WEB_VIDEO
                and audio in ("", "opus", "vorbis") and self.rotation == 0)

    @property
    def video_codec(self) -> str:
        return self.codecs[0] if self.kind == "video" and self.codecs else ""

    @property
    def audio_codec(self) -> str:
        rest = self.codecs[1:] if self.kind == "video" else self.codecs
        return rest[0] if rest else ""

    def as_dict(self) -> dict[str, Any]:
        """The probe as JSON values (``MediaAsset.probe``)."""
        return {**asdict(self), "codecs": list(self.codecs)}


@dataclass(frozen=True)
class CheckedMedia:
    """An audio or video file that passed the checks (stored as uploaded, byte for byte)."""

    probe: Probe
    sha256: str
    size: int
    ext: str
    content_type: str


def _refused() -> InvalidInput:
    return InvalidInput(_("not an audio or video file in a format that is taken (%(formats)s)")
                        % {"formats": FORMAT_NAMES})


def _damaged() -> InvalidInput:
    return InvalidInput(_("the audio or video file is damaged or incomplete"))


def _taken(codec: str, allowed: frozenset[str]) -> bool:
    return codec in allowed or codec.startswith("pcm_")


def _attached_picture(stream: Any) -> bool:
    return bool(stream.disposition & (av.stream.Disposition.attached_pic
                                      | av.stream.Disposition.still_image))


def _seconds(value: Any, time_base: Any) -> float | None:
    if value is None or time_base is None:
        return None
    seconds = float(value * time_base)
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def _duration(container: Any, streams: Iterable[Any]) -> float:
    """The container's duration, else the longest stream's, else the last packet's end
    (WebM written by a browser's MediaRecorder states none): 0.0 when nothing says."""
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    streams = list(streams)
    known = [d for s in streams if (d := _seconds(s.duration, s.time_base)) is not None]
    if known:
        return max(known)
    end = 0.0
    for packet in container.demux(*streams):
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def _rotation(frame: Any) -> int:
    """Clockwise degrees (0, 90, 180, 270) from the frame's display matrix."""
    try:
        degrees = float(getattr(frame, "rotation", 0) or 0)
    except (TypeError, ValueError):
        return 0
    return int(round(-degrees / 90.0)) % 4 * 90  # FFmpeg states it counter-clockwise


def probe(fileobj: IO[bytes]) -> Probe:
    """What the audio or video file holds; InvalidInput when it is not one that is taken
    (or its first frame does not decode). Reads from the start; leaves the position anywhere."""
    fileobj.seek(0)
    try:
        container = av.open(fileobj, mode="r")
    except _READ_ERRORS:
        raise _refused() from None
    try:
        with container:
            return _probe_open(container)
    except InvalidInput:
        raise
    except _READ_ERRORS:
        raise _damaged() from None


def _probe_open(container: Any) -> Probe:
    fmt = next((f for f in container.format.name.split(",") if f in CONTAINERS), None)
    if fmt is None:
        raise _refused()
    video = [s for s in container.streams.video
             if not _attached_picture(s) and _taken(s.codec_context.name, VIDEO_CODECS)]
    audio = [s for s in container.streams.audio
             if _taken(s.codec_context.name, AUDIO_CODECS)]
    if not video and not audio:
        raise _refused()
    main = video[0] if video else audio[0]
    duration = _duration(container, [main])
    if duration <= 0:
        raise _damaged()
    container.seek(0)
    frame = next(container.decode(main), None)  # the first frame must decode
    if frame is None:
        raise _damaged()
    sound = audio[0] if audio else None
    codecs = tuple(s.codec_context.name for s in ([video[0]] if video else []) + (
        [sound] if sound is not None else []))
    common: dict[str, Any] = {"duration": round(duration, 3), "codecs": codecs, "format": fmt}
    if sound is not None:
        common["sample_rate"] = int(sound.codec_context.sample_rate or 0)
        common["channels"] = int(sound.codec_context.channels or 0)
    if not video:
        if common.get("sample_rate", 0) <= 0:
            raise _damaged()
        return Probe(kind="audio", **common)
    stream = video[0]
    width, height = int(stream.codec_context.width or 0), int(stream.codec_context.height or 0)
    if width < 1 or height < 1:
        raise _damaged()
    rotation = _rotation(frame)
    if rotation in (90, 270):
        width, height = height, width
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    fps = float(rate) if rate else 0.0
    return Probe(kind="video", width=width, height=height,
                 fps=round(fps, 3) if math.isfinite(fps) else 0.0, rotation=rotation, **common)


def extension(found: Probe) -> str:
    """The stored original's extension: from the container and kind (``webm`` for a
    Matroska file whose codecs are WebM's)."""
    audio_ext, video_ext = CONTAINERS[found.format]
    if found.format == "matroska":
        webm_video = found.kind == "audio" or found.video_codec in WEB_VIDEO
        if webm_video and found.audio_codec in ("", "opus", "vorbis"):
            return "webm"
    return video_ext if found.kind == "video" else audio_ext


def _sha256(fileobj: IO[bytes], max_bytes: int) -> tuple[str, int]:
    fileobj.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(max_bytes)
        digest.update(chunk)
    return digest.hexdigest(), size


def _too_big(max_bytes: int) -> InvalidInput:
    return InvalidInput(_("the file is larger than %(mb)s MB") % {"mb": f"{max_bytes / 1048576:g}"})


def media_check(fileobj: IO[bytes], *, max_bytes: int, max_seconds: float,
                max_pixels: int = 100_000_000) -> CheckedMedia:
    """Check one uploaded audio or video file; InvalidInput says why it is refused."""
    digest, size = _sha256(fileobj, max_bytes)
    if size == 0:
        raise InvalidInput(_("the file is empty"))
    found = probe(fileobj)
    if found.duration > max_seconds:
        raise InvalidInput(_("the recording is longer than %(minutes)s minutes")
                           % {"minutes": f"{max_seconds / 60:g}"})
    if found.width * found.height > max_pixels:
        raise InvalidInput(_("the video's frames have more than %(n)s million pixels")
                           % {"n": f"{max_pixels / 1_000_000:g}"})
    ext = extension(found)
    content_type = CONTENT_TYPES[ext]
    if ext == "webm" and found.kind == "audio":
        content_type = "audio/webm"
    fileobj.seek(0)
    return CheckedMedia(probe=found, sha256=digest, size=size, ext=ext,
                        content_type=content_type)

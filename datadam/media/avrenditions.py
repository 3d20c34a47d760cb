"""Renditions of audio and video files with PyAV (no database).

- **Audio**: a web copy every browser plays and that is small to fetch (Opus, mono, 48 kHz,
  48 kbit/s, in WebM: ``<stem>.web.webm``) and the waveform's peaks (``<stem>.peaks.json``:
  about ``pairs`` min/max pairs over the whole file), so a task page draws the waveform
  without decoding the audio.
- **Video**: a poster frame (JPEG, ``<stem>.poster.jpg``, at most ``web_px`` on its long
  side, turned upright), and, when the original is not something Chromium plays as it is
  (``Probe.web_playable``: VP8/VP9/AV1 in WebM), a web copy: VP9 (realtime speed, constant
  quality) with Opus sound in WebM, at most ``web_px`` on its long side (``<stem>.web.webm``).

Everything streams (decoded frame by frame; outputs go to file objects the caller gives),
stops with ValueError past ``max_seconds`` of media, and is deterministic: the same file
gives the same bytes (FFmpeg's bitexact flags), so a rerun of the job changes nothing.
"""

from __future__ import annotations

import io
import json
import math
from fractions import Fraction
from typing import IO, Any

import av
import numpy as np
from PIL import Image

from .probe import Probe

AUDIO_RATE = 48_000
AUDIO_BITRATE = 48_000
VIDEO_AUDIO_BITRATE = 64_000
EXT = {"web": "webm", "peaks": "json", "poster": "jpg"}
_BITEXACT = {"fflags": "+bitexact"}
_POSTER_QUALITY = 82


def rendition_keys(original_key: str, names: tuple[str, ...]) -> dict[str, str]:
    """Storage keys of the renditions, next to the original: ``<stem>.web.webm`` …"""
    last = original_key.rsplit("/", 1)[-1]
    stem = original_key.rsplit(".", 1)[0] if "." in last else original_key
    return {name: f"{stem}.{name}.{EXT[name]}" for name in names}


class _Peaks:
    """Min/max of each run of ``per`` samples, collected as the samples stream past."""

    def __init__(self, per: int) -> None:
        self.per = max(1, per)
        self.pos = 0
        self.maxs: list[float] = []
        self.mins: list[float] = []

    def add(self, x: np.ndarray) -> None:
        if not x.size:
            return
        first = self.pos // self.per
        last = (self.pos + x.size - 1) // self.per
        cuts = np.arange(first, last + 1) * self.per - self.pos
        cuts[0] = 0
        hi, lo = np.maximum.reduceat(x, cuts), np.minimum.reduceat(x, cuts)
        for k, (h, low) in enumerate(zip(hi.tolist(), lo.tolist(), strict=True)):
            b = first + k
            if b < len(self.maxs):
                self.maxs[b], self.mins[b] = max(self.maxs[b], h), min(self.mins[b], low)
            else:
                self.maxs.append(h)
                self.mins.append(low)
        self.pos += x.size

    def as_json(self, rate: int) -> bytes:
        clip = lambda v: round(min(1.0, max(-1.0, v)), 4)  # noqa: E731
        return json.dumps({
            "version": 1, "sample_rate": rate, "samples_per_pair": self.per,
            "duration": round(self.pos / rate, 3), "length": len(self.maxs),
            "max": [clip(v) for v in self.maxs], "min": [clip(v) for v in self.mins],
        }, separators=(",", ":")).encode()


def _too_long(max_seconds: float) -> ValueError:
    return ValueError(f"longer than {max_seconds:g} seconds")


def audio_renditions(src: IO[bytes], web_out: IO[bytes], *, duration: float, pairs: int,
                     max_seconds: float) -> bytes:
    """Write the Opus web copy of the file's first audio stream to ``web_out``; return the
    peaks JSON. ``duration`` (the probe's) sizes the peaks' runs."""
    src.seek(0)
    per = max(1, math.ceil(max(duration, 0.001) * AUDIO_RATE / max(1, pairs)))
    peaks = _Peaks(per)
    limit = int(max_seconds * AUDIO_RATE)
    with av.open(src, "r") as source, \
            av.open(web_out, "w", format="webm", options=_BITEXACT) as out:
        stream = out.add_stream("libopus", rate=AUDIO_RATE, layout="mono")
        stream.bit_rate = AUDIO_BITRATE
        resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)

        def encode(frames: list[Any]) -> None:
            for frame in frames:
                peaks.add(frame.to_ndarray().reshape(-1))
                if peaks.pos > limit:
                    raise _too_long(max_seconds)
                for packet in stream.encode(frame):
                    out.mux(packet)

        for frame in source.decode(audio=0):
            frame.pts = None  # the resampler counts samples itself
            encode(resampler.resample(frame))
        encode(resampler.resample(None))
        for packet in stream.encode(None):
            out.mux(packet)
    if peaks.pos == 0:
        raise ValueError("no audio decoded")
    return peaks.as_json(AUDIO_RATE)


def _even_size(width: int, height: int, web_px: int) -> tuple[int, int]:
    """The size at most ``web_px`` on the long side, never enlarged, both even."""
    scale = min(1.0, web_px / max(width, height))
    w, h = max(2, round(width * scale)), max(2, round(height * scale))
    return w - w % 2, h - h % 2


def _upright(frame: Any, rotation: int) -> Image.Image:
    image = frame.to_image()
    if rotation:
        image = image.rotate(-rotation, expand=True)  # PIL turns counter-clockwise
    return image


def _poster(image: Image.Image, web_px: int) -> bytes:
    image = image.convert("RGB")
    image.thumbnail((web_px, web_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=_POSTER_QUALITY, optimize=True)
    return out.getvalue()


def video_renditions(src: IO[bytes], web_out: IO[bytes] | None, *, probe: Probe, web_px: int,
                     max_seconds: float) -> bytes:
    """The poster JPEG; with ``web_out``, also the VP9/Opus WebM web copy written to it."""
    src.seek(0)
    at = min(1.0, probe.duration / 2)  # the first frame is often black: one second in
    with av.open(src, "r") as source:
        video = next(s for s in source.streams.video
                     if not s.disposition & av.stream.Disposition.attached_pic)
        if web_out is None:
            last = None
            for frame in source.decode(video):
                last = frame
                if (frame.time or 0.0) >= at:
                    break
            if last is None:
                raise ValueError("no video frame decoded")
            return _poster(_upright(last, probe.rotation), web_px)
        return _transcode(source, video, web_out, probe=probe, web_px=web_px, at=at,
                          max_seconds=max_seconds)


def _transcode(source: Any, video: Any, web_out: IO[bytes], *, probe: Probe, web_px: int,
               at: float, max_seconds: float) -> bytes:
    sound = next(iter(source.streams.audio), None)
    upright_w, upright_h = probe.width, probe.height
    w, h = _even_size(upright_w, upright_h, web_px)
    fps = Fraction(probe.fps).limit_denominator(1001) if probe.fps > 0 else Fraction(25)
    poster: bytes | None = None
    last_frame = None
    with av.open(web_out, "w", format="webm", options=_BITEXACT) as out:
        vout = out.add_stream("libvpx-vp9", rate=fps)
        vout.width, vout.height, vout.pix_fmt = w, h, "yuv420p"
        vout.codec_context.time_base = video.time_base
        vout.options = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1",
                        "crf": "32", "b": "0", "lag-in-frames": "0"}
        aout = resampler = None
        if sound is not None:
            layout = "stereo" if (sound.codec_context.channels or 1) >= 2 else "mono"
            aout = out.add_stream("libopus", rate=AUDIO_RATE, layout=layout)
            aout.bit_rate = VIDEO_AUDIO_BITRATE
            resampler = av.AudioResampler(format="flt", layout=layout, rate=AUDIO_RATE)
        last_pts = None
        streams = [video] + ([sound] if sound is not None else [])
        for frame in source.decode(*streams):
            if (frame.time or 0.0) > max_seconds:
                raise _too_long(max_seconds)
            if isinstance(frame, av.AudioFrame):
                frame.pts = None
                for part in resampler.resample(frame):
                    for packet in aout.encode(part):
                        out.mux(packet)
                continue
            if frame.pts is None or (last_pts is not None and frame.pts <= last_pts):
                continue  # no time, or not after the last frame: a duplicate
            last_pts = frame.pts
            image = _upright(frame, probe.rotation) if probe.rotation else None
            if poster is None and (frame.time or 0.0) >= at:
                poster = _poster(image or frame.to_image(), web_px)
            last_frame = frame
            picture = av.VideoFrame.from_image(image) if image is not None else frame
            scaled = picture.reformat(width=w, height=h, format="yuv420p")
            scaled.pts, scaled.time_base = frame.pts, video.time_base
            for packet in vout.encode(scaled):
                out.mux(packet)
        for packet in vout.encode(None):
            out.mux(packet)
        if aout is not None:
            for part in resampler.resample(None):
                for packet in aout.encode(part):
                    out.mux(packet)
            for packet in aout.encode(None):
                out.mux(packet)
    if last_frame is None:
        raise ValueError("no video frame decoded")
    if poster is None:
        poster = _poster(_upright(last_frame, probe.rotation), web_px)
    return poster

"""Short generated videos whose true segments are known, for the video kinds' demo and tests.

A clip is a dark screen on which coloured blocks show during known time spans (each colour
its own place, so spans of different colours may overlap), or, for frame labelling, a
screen filled with one colour at a time. Encoded with PyAV as VP8 WebM, which Debian's
chromium plays (it may not play H.264). Frame ``i`` shows the instant ``i / fps``.
"""

from __future__ import annotations

import io
import random
from typing import Any

import av
import numpy as np
from PIL import Image

WIDTH, HEIGHT, FPS = 320, 180, 10
BACKGROUND = (40, 40, 48)
#: The labels of the demo projects and their colours on screen.
COLOURS = {"red": (230, 25, 75), "green": (60, 180, 75), "blue": (67, 99, 216)}
#: Where each colour's block shows (x0, x1 as fractions of the width).
PLACES = {"red": (0.06, 0.30), "green": (0.38, 0.62), "blue": (0.70, 0.94)}


def encode(frames: Any, *, fps: int = FPS, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """WebM (VP8) bytes of RGB frames (each an ``height × width × 3`` uint8 array)."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"deadline": "realtime", "cpu-used": "8", "crf": "10", "b:v": "1M"}
        stream.gop_size = fps  # a key frame a second: seeking stays quick
        for rgb in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _blank(width: int, height: int) -> np.ndarray:
    frame = np.empty((height, width, 3), dtype=np.uint8)
    frame[:] = BACKGROUND
    return frame


def _progress(frame: np.ndarray, share: float) -> None:
    """A thin bar along the bottom, so the picture visibly moves."""
    h, w = frame.shape[:2]
    frame[h - 4:, : int(w * share)] = (200, 200, 200)


def segments_frame(segments: list[dict[str, Any]], t: float, *, width: int = WIDTH,
                   height: int = HEIGHT) -> np.ndarray:
    """The picture at instant ``t``: each segment's colour block while ``start ≤ t < end``."""
    frame = _blank(width, height)
    for s in segments:
        if s["start"] <= t < s["end"]:
            x0, x1 = PLACES[s["label"]]
            frame[height // 4: height * 3 // 4, int(x0 * width): int(x1 * width)] = (
                COLOURS[s["label"]])
    return frame


def frames_frame(ranges: list[dict[str, Any]], t: float, *, width: int = WIDTH,
                 height: int = HEIGHT) -> np.ndarray:
    """The picture at instant ``t``: the screen in the colour of the range holding ``t``."""
    frame = _blank(width, height)
    for r in ranges:
        if r["start"] <= t < r["end"]:
            frame[:] = COLOURS[r["label"]]
    return frame


def _clip(draw: Any, spans: list[dict[str, Any]], duration: float, fps: int, width: int,
          height: int) -> bytes:
    n = max(1, round(duration * fps))

    def frames() -> Any:
        for i in range(n):
            frame = draw(spans, i / fps, width=width, height=height)
            _progress(frame, i / n)
            yield frame

    return encode(frames(), fps=fps, width=width, height=height)


def segments_clip(segments: list[dict[str, Any]], duration: float, *, fps: int = FPS,
                  width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A clip showing each segment's colour block while ``start ≤ t < end``."""
    return _clip(segments_frame, segments, duration, fps, width, height)


def frames_clip(ranges: list[dict[str, Any]], duration: float, *, fps: int = FPS,
                width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A clip filled with each range's colour while ``start ≤ t < end``."""
    return _clip(frames_frame, ranges, duration, fps, width, height)


def poster(frame: np.ndarray) -> bytes:
    """A still of a clip as JPEG bytes (the video's poster)."""
    out = io.BytesIO()
    Image.fromarray(frame).save(out, "JPEG", quality=85)
    return out.getvalue()


def random_segments(seed: int, duration: float = 8.0) -> list[dict[str, Any]]:
    """One to three segments of different colours, on whole tenths of a second."""
    rng = random.Random(seed)
    out = []
    for label in rng.sample(list(COLOURS), rng.randint(1, 3)):
        length = rng.randint(10, int(duration * 10) // 2) / 10
        start = rng.randint(0, int((duration - length) * 10)) / 10
        out.append({"start": start, "end": round(start + length, 1), "label": label})
    return sorted(out, key=lambda s: (s["start"], s["end"]))


def random_ranges(seed: int, duration: float = 8.0) -> list[dict[str, Any]]:
    """Consecutive ranges covering the clip, the colour changing 1–3 times, on whole
    seconds (so every sampling rate that divides a second puts frames on the edges)."""
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, int(duration)), rng.randint(1, 3)))
    edges = [0, *cuts, duration]
    labels, out = list(COLOURS), []
    previous = None
    for a, b in zip(edges, edges[1:], strict=False):
        label = rng.choice([lb for lb in labels if lb != previous])
        out.append({"start": float(a), "end": float(b), "label": label})
        previous = label
    return out

"""OCR pre-labels from RapidOCR's packaged models, as the ``ocr`` kind's answer.

RapidOCR (PyPI ``rapidocr_onnxruntime`` 1.4.4, installed without its declared dependencies
so that it uses our ``opencv-python-headless``) ships PP-OCRv4's ONNX models inside the
wheel: a text detector, an orientation classifier and a recogniser whose dictionary is
Chinese and English (6,623 symbols). Nothing is downloaded at run time.

What it reads (see ``LANGUAGE_SUPPORT``): **English** (Latin letters, digits, punctuation)
well, and Chinese characters (Japanese kanji; Korean hanja). **Korean is weak**: the
dictionary holds 2 Hangul syllables, so Hangul lines are found by the detector but read
with a low confidence and dropped; Japanese kana likewise (5 in the dictionary). A
pre-label is only a suggestion that the worker corrects, never gold: on Korean images it
mostly suggests the English and numbers and leaves the Hangul to the worker.

The engine is loaded once per process on first use (0.2–0.6 s, 16 MB of models) and
shared by all threads; calls are serialised under a lock, since RapidOCR keeps per-call
state on the engine (the detector's resize). Images larger than ``MAX_SIDE`` are reduced
first (JPEGs decoded at a reduced scale) and the regions mapped back to the original's
pixels, as displayed: EXIF orientation applied, as browsers and the item's width and height
have it. Time per image on the shared 2-core machine under load (load average 7): about
0.9 s for 800×320 px with 2 lines, 2.6–4 s for a 4000×3000 photo (read at 2000 px), 4–5 s
for a 1240×1754 page of 30 lines (recognition grows with the lines); about half when quiet.
"""

from __future__ import annotations

import io
import os
import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageOps

#: Longest side the recogniser sees; larger images are reduced (RapidOCR's own default).
MAX_SIDE = 2000
#: The ``ocr`` kind's limits: characters a region, regions an answer.
MAX_TEXT = 2000
MAX_REGIONS = 1000
#: How well the packaged models read each of the ``ocr`` kind's languages.
LANGUAGE_SUPPORT = {"en": "good", "ja": "kanji only (no kana)", "ko": "none (Hangul unread)"}

#: CJK scripts, by the start of their characters' Unicode names, and the project languages
#: that write them; a region read in a CJK script none of the project's languages writes is
#: a misreading (Hangul read as Chinese characters) and is dropped. Other letters always pass.
_SCRIPTS = {"CJK UNIFIED IDEOGRAPH": {"ko", "ja"}, "CJK COMPATIBILITY IDEOGRAPH": {"ko", "ja"},
            "HIRAGANA": {"ja"}, "KATAKANA": {"ja"}, "HANGUL": {"ko"}}
#: Rotation (px in the reduced image) below which a quadrilateral counts as a box.
_SLANT_PX = 2.0

_lock = threading.Lock()
_engine: Any = None

Source = bytes | bytearray | memoryview | str | os.PathLike[str]


class ImageUnreadable(ValueError):
    """The bytes or file are not an image Pillow decodes (or one over its pixel limit)."""


def ocr_engine() -> Any:
    """The process's RapidOCR engine, loaded on first use. Call it under ``_lock``."""
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    return _engine


def _open(source: Source) -> Image.Image:
    if isinstance(source, bytes | bytearray | memoryview):
        return Image.open(io.BytesIO(bytes(source)))
    return Image.open(source)


def load_image(source: Source, *, max_side: int = MAX_SIDE
               ) -> tuple[np.ndarray, tuple[int, int]]:
    """The image upright, reduced to ``max_side``, as BGR pixels (what RapidOCR takes),
    and the original's (width, height) as displayed. Raises ``ImageUnreadable``."""
    try:
        with _open(source) as image:
            width, height = image.size
            if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # turned a quarter
                width, height = height, width
            image.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale
            upright = ImageOps.exif_transpose(image)
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                rgba = upright.convert("RGBA")  # text on a transparent ground: on white
                upright = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
            rgb = upright.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageUnreadable(f"not a readable image: {exc}") from exc
    rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1]), (width, height)


def fits_languages(text: str, languages: Sequence[str]) -> bool:
    """Whether each CJK character of the text is of a script one of the languages writes
    (no languages: any text fits)."""
    if not languages:
        return True
    wanted = set(languages)
    for ch in text:
        name = unicodedata.name(ch, "")
        for prefix, langs in _SCRIPTS.items():
            if name.startswith(prefix) and not langs & wanted:
                return False
    return True


def _slanted(quad: np.ndarray) -> bool:
    """Whether the quadrilateral is not an axis-aligned rectangle (to ``_SLANT_PX``)."""
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    corners = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
    gaps = np.abs(quad[:, None, :] - corners[None, :, :]).max(axis=2).min(axis=1)
    return bool(gaps.max() > _SLANT_PX)


def _region(quad: np.ndarray, text: str, *, scale: tuple[float, float],
            size: tuple[int, int], outline: bool) -> dict[str, Any] | None:
    """One RapidOCR reading as a region in the original's pixels (None: empty)."""
    pts = np.clip(quad * np.array(scale), 0.0, np.array(size, dtype=float))
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    box = [round(float(x0), 2), round(float(y0), 2), round(float(x1 - x0), 2),
           round(float(y1 - y0), 2)]
    if box[2] <= 0 or box[3] <= 0:
        return None
    region: dict[str, Any] = {"box": box}
    if outline:
        region["points"] = [[round(float(x), 2), round(float(y), 2)] for x, y in pts]
    region["text"] = text
    return region


def ocr_predict(image: Source, *, languages: Sequence[str] = (),
                tools: Sequence[str] = ("box",), max_side: int = MAX_SIDE) -> dict[str, Any]:
    """RapidOCR's reading of one image as ``{"answer": {"regions": [...]}, "score",
    "uncertainty"}``.

    ``image``: the file's bytes or its path. Regions are boxes ``[x, y, w, h]`` in the
    original's pixels; with ``"polygon"`` in ``tools`` a region also gets its four
    ``points`` when it is slanted (always, when ``"box"`` is not in ``tools``). Texts are
    NFC and trimmed; readings below RapidOCR's confidence of 0.5, empty, or in a CJK script
    none of ``languages`` writes are left out. ``score``: the mean confidence of the
    regions; ``uncertainty``: 1 − the lowest (no region: score 0, uncertainty 1, since the
    model may simply not read the image's script). Raises ``ImageUnreadable``.
    """
    pixels, size = load_image(image, max_side=max_side)
    scale = (size[0] / pixels.shape[1], size[1] / pixels.shape[0])
    with _lock:
        result, _elapsed = ocr_engine()(pixels)
    regions: list[dict[str, Any]] = []
    confidences: list[float] = []
    for quad, raw_text, confidence in result or []:
        text = unicodedata.normalize("NFC", str(raw_text)).strip()[:MAX_TEXT].strip()
        if not text or not fits_languages(text, languages):
            continue
        corners = np.asarray(quad, dtype=float).reshape(-1, 2)
        outline = "polygon" in tools and ("box" not in tools or _slanted(corners))
        region = _region(corners, text, scale=scale, size=size, outline=outline)
        if region is not None and len(regions) < MAX_REGIONS:
            regions.append(region)
            confidences.append(float(confidence))
    if not confidences:
        return {"answer": {"regions": []}, "score": 0.0, "uncertainty": 1.0}
    return {"answer": {"regions": regions},
            "score": round(float(np.mean(confidences)), 4),
            "uncertainty": round(1.0 - min(confidences), 4)}

"""Faces and licence plates found in images and blurred past recognition (no database).

Detection uses the Haar cascades that ship inside the ``opencv-python-headless`` wheel
(``cv2.data.haarcascades``), so nothing is downloaded at run time: two frontal face
cascades (``default`` and ``alt2``) and the profile cascade, run on the image and on its
mirror image (the profile cascade only knows faces turned one way); for plates, the
Russian plate cascade, whose plates have the shape of Korean ones (520 × 110 mm, dark
characters on white). Boxes found by several of them are merged.

Large images are searched on a copy scaled down to at most ``DETECT_MAX_SIDE`` pixels on
the long side, and the boxes mapped back; a face smaller than about 20 pixels on that copy
is not found. See ``docs/privacy.md`` for the measured recall and the limits.

A found region is enlarged by ``ENLARGE`` and pixelated to a few coarse blocks, then
smoothed: what is left of a face is a handful of average colours, which no deblurring can
turn back into the face.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageOps

from datadam.errors import InvalidInput

DETECT_MAX_SIDE = 1280
ENLARGE = 0.15  # each region grows by this share of its width and height, centred
BLOCKS = 6  # a blurred region keeps at most this many blocks across its shorter side
MIN_FACE = 20  # pixels, on the detection copy

# (cascade file, scale step, neighbours needed, mirrored too)
_FACE_CASCADES = (
    ("haarcascade_frontalface_alt2.xml", 1.1, 4, False),
    ("haarcascade_profileface.xml", 1.1, 5, True),
)
_PLATE_CASCADES = (("haarcascade_russian_plate_number.xml", 1.1, 3, False),)

# Pillow format → how it is written again; MPO (a JPEG with more pictures) becomes a JPEG.
_OUTPUT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF",
           "BMP": "BMP"}
_OPENERS = ["JPEG", "PNG", "WEBP", "GIF", "BMP"]
Image.init()


@dataclass(frozen=True)
class Region:
    """A box in image pixels; ``kind`` is ``"face"`` or ``"plate"``."""

    x: int
    y: int
    w: int
    h: int
    kind: str


@cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if cascade.empty():  # the wheel always has it; a broken install must not find nothing
        raise RuntimeError(f"OpenCV cascade {name} could not be loaded")
    return cascade


def _detection_copy(image: Image.Image) -> tuple[np.ndarray, float]:
    """The image in grey, at most DETECT_MAX_SIDE px long, and the factor back to it."""
    grey = image.convert("L") if image.mode != "L" else image
    scale = 1.0
    longest = max(grey.size)
    if longest > DETECT_MAX_SIDE:
        scale = longest / DETECT_MAX_SIDE
        size = (max(1, round(grey.width / scale)), max(1, round(grey.height / scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    return np.asarray(grey), scale


def _detect(image: Image.Image, cascades: Sequence[tuple[str, float, int, bool]], kind: str,
            min_size: tuple[int, int]) -> list[Region]:
    grey, scale = _detection_copy(image)
    if grey.shape[0] < min_size[1] or grey.shape[1] < min_size[0]:
        return []
    width = grey.shape[1]
    boxes: list[tuple[int, int, int, int]] = []
    for name, step, neighbours, mirrored in cascades:
        cascade = _cascade(name)
        for flip in (False, True) if mirrored else (False,):
            found = cascade.detectMultiScale(np.ascontiguousarray(grey[:, ::-1]) if flip else grey,
                                             scaleFactor=step, minNeighbors=neighbours,
                                             minSize=min_size)
            for x, y, w, h in found:
                boxes.append((width - x - w if flip else int(x), int(y), int(w), int(h)))
    merged = merge_boxes(boxes)
    regions = []
    for x, y, w, h in merged:
        x0, y0 = int(x * scale), int(y * scale)
        x1 = min(image.width, int(round((x + w) * scale)))
        y1 = min(image.height, int(round((y + h) * scale)))
        regions.append(Region(x0, y0, x1 - x0, y1 - y0, kind))
    return regions


def merge_boxes(boxes: Sequence[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Boxes that overlap by more than a third of the smaller one become their union.

    Several cascades (and the mirror pass) find the same face; blurring their union covers
    it once. Repeated until no two boxes overlap that much.
    """
    out = [tuple(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
                iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
                if ix > 0 and iy > 0 and ix * iy * 3 > min(a[2] * a[3], b[2] * b[3]):
                    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
                    x1 = max(a[0] + a[2], b[0] + b[2])
                    y1 = max(a[1] + a[3], b[1] + b[3])
                    out[i] = (x0, y0, x1 - x0, y1 - y0)
                    del out[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(out)


def find_faces(image: Image.Image) -> list[Region]:
    """Frontal and profile faces in ``image`` (in its pixels, as it is oriented)."""
    return _detect(image, _FACE_CASCADES, "face", (MIN_FACE, MIN_FACE))


def find_plates(image: Image.Image) -> list[Region]:
    """Licence plates (dark characters on a light plate, about 4.7 : 1) in ``image``."""
    return _detect(image, _PLATE_CASCADES, "plate", (47, 10))


def _enlarged(region: Region, width: int, height: int) -> tuple[int, int, int, int]:
    dx, dy = region.w * ENLARGE / 2, region.h * ENLARGE / 2
    x0, y0 = max(0, int(region.x - dx)), max(0, int(region.y - dy))
    x1 = min(width, int(round(region.x + region.w + dx)))
    y1 = min(height, int(round(region.y + region.h + dy)))
    return x0, y0, x1, y1


def blur_regions(image: Image.Image, regions: Sequence[Region]) -> Image.Image:
    """A copy of ``image`` with each region (enlarged by ENLARGE) pixelated and smoothed.

    The region is averaged down to at most BLOCKS blocks across its shorter side and scaled
    back up: the detail is gone, not hidden. Pixels outside the regions are left as they are.
    An image in another mode than RGB(A) or L(A) (a palette, CMYK...) comes back as RGBA.
    """
    out = image.copy()
    work_mode = out.mode if out.mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
    if work_mode != out.mode:
        out = out.convert(work_mode)
    for region in regions:
        x0, y0, x1, y1 = _enlarged(region, out.width, out.height)
        w, h = x1 - x0, y1 - y0
        if w < 1 or h < 1:
            continue
        patch = out.crop((x0, y0, x1, y1))
        block = max(1.0, min(w, h) / BLOCKS)
        small = (max(1, round(w / block)), max(1, round(h / block)))
        patch = patch.resize(small, Image.Resampling.BOX)
        patch = patch.resize((w, h), Image.Resampling.BILINEAR)
        patch = patch.filter(ImageFilter.GaussianBlur(block / 3))
        out.paste(patch, (x0, y0))
    return out


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_OPENERS)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(_("the image has too many pixels to be de-identified")) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for bytes it cannot read
        raise InvalidInput(_("the image could not be read for de-identification")) from None
    return image


def _clean(image: Image.Image) -> Image.Image:
    """The pixels alone: no EXIF, XMP, text chunks or comments carried along.

    Palette, CMYK and bilevel images become RGB(A); 16-bit and float greys become 8-bit.
    """
    mode = image.mode
    if mode.startswith("I") or mode == "F":
        grey = np.asarray(image, dtype=np.float64)
        if mode.startswith("I;16"):
            grey = grey / 257
        return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8), "L")
    if mode in ("P", "PA") or mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = "A" in mode or "transparency" in image.info
        mode = "RGBA" if has_alpha else "RGB"
        image = image.convert(mode)
    return Image.frombytes(mode, image.size, image.tobytes())


def _encode(image: Image.Image, fmt: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {}
    if icc and fmt in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = icc  # colours, not people: kept so they look the same
    if fmt == "JPEG":
        if image.mode in ("RGBA", "LA"):
            image = image.convert("RGB" if image.mode == "RGBA" else "L")
        options["quality"] = 90
    elif fmt == "WEBP":
        options["quality"] = 90
    image.save(out, format=fmt, **options)
    return out.getvalue()


def deidentify_image(data: bytes, *, faces: bool = True, plates: bool = False
                     ) -> tuple[bytes, dict[str, int]]:
    """The image with faces (and plates, when asked) blurred, and the counts found.

    Turned upright by its EXIF orientation, then written again in its own format (JPEG at
    quality 90, PNG, WebP, GIF, BMP; MPO as JPEG) without EXIF, XMP or GPS data, also when
    nothing was found. An animated image keeps its first frame only.
    """
    image = _open(data)
    fmt = _OUTPUT[image.format or "PNG"]
    # The colour profile is kept where the pixels stay in its colour space (not from CMYK).
    icc = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA", "L", "LA", "P") else None
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - unreadable EXIF: keep the image as stored
        pass
    image = _clean(image)
    regions: list[Region] = []
    if faces:
        regions += find_faces(image)
    if plates:
        regions += find_plates(image)
    if regions:
        image = blur_regions(image, regions)
    counts = {"faces": sum(r.kind == "face" for r in regions),
              "plates": sum(r.kind == "plate" for r in regions)}
    return _encode(image, fmt, icc), counts

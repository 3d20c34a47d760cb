"""Automatic checks of a captured photo: resolution, blur and darkness (no database).

The worker sees these findings as soon as the photo is uploaded, so a blurred or dark
photo is retaken at once instead of being rejected by a reviewer later.

* **resolution**: the photo *as displayed* (EXIF orientation applied) must be at least
  ``min_width × min_height`` in either orientation: a portrait 3000×4000 photo passes a
  1280×720 minimum. The size must be the full-size one from the file's header
  (``open_for_checks`` returns it), not the size of the reduced working image.
  ``value`` is how much of the minimum the photo reaches: ``min(long side / long minimum,
  short side / short minimum)``, floored to 2 decimals; ``limit`` is 1.0.
* **blur**: the variance of the Laplacian of the greyscale image, computed on a copy scaled
  so that its long side is 1024 px. At a fixed scale the sharpness of a photo does not depend
  on the camera's megapixels (the same scene at 12 or 48 megapixels gives the same value);
  a small image is scaled up, so it reads as soft as it will look on a screen.
* **dark**: the mean luminance (ITU-R 601 luma, 0–255) of the greyscale image.

``DEFAULT_BLUR_MIN`` was chosen by measurement (``benchmarks/bench_dedup.py`` measures it
again): on 200 generated 1024×768 scenes (gradients, fields, stripes, textures, shapes,
text, sensor-like noise) the sharp originals had sharpness 1st percentile 20.9, 5th 43.2,
median 260; the same scenes blurred with a Gaussian of radius 1 had median 9.5 and maximum
28, radius 1.5 maximum 8.9, radius 3 maximum 2.9. 15 fails about 1% of the sharp scenes
(flat, noiseless ones: a blank wall reads as blurred) and every scene blurred by 1.5 px or
more. These are generated scenes, not photos: a real photo's texture and sensor noise give
it more sharpness, so the default errs towards passing.
"""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
from django.utils.translation import gettext as _
from PIL import ExifTags, Image

from datadam.collection.checks.findings import Finding
from datadam.errors import InvalidInput

DEFAULT_BLUR_MIN = 15.0
DEFAULT_DARK_MIN = 40.0
#: The long side of the copy the sharpness and brightness are measured on.
CHECK_LONG_SIDE = 1024
_OPENERS = ["JPEG", "PNG", "WEBP", "GIF", "BMP"]  # what the media app takes (JPEG gives MPO)
_SIDEWAYS = {5, 6, 7, 8}  # EXIF orientations that turn the image by 90°
_TRANSPOSE = {  # EXIF orientation → the turn that makes it upright (as ImageOps.exif_transpose)
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
Image.init()  # register every plugin now: open(formats=...) only finds registered ones


def open_for_checks(data: bytes) -> tuple[Image.Image, tuple[int, int]]:
    """Decode a photo for the checks and the perceptual hash: (working image, full size).

    A JPEG is decoded with ``Image.draft``, which lets libjpeg scale it by 1/2, 1/4 or 1/8
    while decoding the DCT blocks (a 12-megapixel 4000×3000 photo decodes at 2000×1500 in
    about half the time of a full decode). Pillow only scales when *both* sides are at least
    twice the size asked for, so the size asked for keeps the photo's aspect ratio with a
    long side of ``CHECK_LONG_SIDE``. Other formats are decoded in full. The result is then
    reduced to a long side of ``CHECK_LONG_SIDE`` (never enlarged) and turned upright as
    ``ImageOps.exif_transpose`` would (after reducing: a quarter of the pixels to turn);
    it is RGB or L. The full size is the displayed size from the header (width and height
    swapped for EXIF orientations 5-8): the resolution check must use it.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_OPENERS)
            width, height = image.size
            if image.format in ("JPEG", "MPO"):
                scale = CHECK_LONG_SIDE / max(width, height)
                image.draft("RGB", (max(1, math.ceil(width * scale)),
                                    max(1, math.ceil(height * scale))))
            try:
                orientation = image.getexif().get(ExifTags.Base.Orientation)
            except Exception:  # noqa: BLE001 - unreadable EXIF: treat it as absent
                orientation = None
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(_("The photo has too many pixels to be checked.")) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for bytes it cannot read
        raise InvalidInput(
            _("The file is not a photo that can be read (JPEG, PNG, WebP, GIF or BMP).")
        ) from None
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    w, h = image.size
    if max(w, h) > CHECK_LONG_SIDE:
        scale = CHECK_LONG_SIDE / max(w, h)
        image = image.resize((max(1, round(w * scale)), max(1, round(h * scale))),
                             Image.Resampling.BILINEAR, reducing_gap=2.0)
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    if orientation in _SIDEWAYS:
        width, height = height, width
    return image, (width, height)


def _check_copy(image: Image.Image) -> np.ndarray:
    """The greyscale image scaled to a long side of ``CHECK_LONG_SIDE``, as float32."""
    grey = image.convert("L")
    w, h = grey.size
    scale = CHECK_LONG_SIDE / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if size != grey.size:
        grey = grey.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return np.asarray(grey, dtype=np.float32)


def sharpness(grey: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian of a greyscale array (0 for an image too small)."""
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    lap = (grey[1:-1, :-2] + grey[1:-1, 2:] + grey[:-2, 1:-1] + grey[2:, 1:-1]
           - 4.0 * grey[1:-1, 1:-1])
    return float(lap.var(dtype=np.float64))


def _resolution(size: tuple[int, int], min_width: int, min_height: int) -> Finding:
    width, height = size
    long_side, short_side = max(width, height), min(width, height)
    need_long, need_short = max(min_width, min_height), min(min_width, min_height)
    ratios = [have / need for have, need in ((long_side, need_long), (short_side, need_short))
              if need > 0]
    ratio = min(ratios) if ratios else 1.0
    passed = ratio >= 1.0
    params = {"width": width, "height": height, "min_width": min_width,
              "min_height": min_height}
    if passed:
        message = _("The photo is %(width)s × %(height)s pixels (at least %(min_width)s × "
                    "%(min_height)s needed).") % params
    else:
        message = _("The photo is too small: %(width)s × %(height)s pixels, at least "
                    "%(min_width)s × %(min_height)s needed. Take it with the camera at full "
                    "resolution, not a screenshot or a reduced copy.") % params
    return Finding("resolution", passed, math.floor(ratio * 100) / 100, 1.0, message)


def _blur(value: float, blur_min: float) -> Finding:
    params = {"value": round(value), "limit": f"{blur_min:g}"}
    passed = value >= blur_min
    if passed:
        message = _("The photo is sharp (sharpness %(value)s, at least %(limit)s needed).")
    else:
        message = _("The photo is blurred (sharpness %(value)s, at least %(limit)s needed): "
                    "hold the phone still, tap the subject to focus and retake it.")
    return Finding("blur", passed, round(value, 1), float(blur_min), message % params)


def _dark(value: float, dark_min: float) -> Finding:
    params = {"value": round(value), "limit": f"{dark_min:g}"}
    passed = value >= dark_min
    if passed:
        message = _("The photo is bright enough (brightness %(value)s of 255, at least "
                    "%(limit)s needed).")
    else:
        message = _("The photo is too dark (brightness %(value)s of 255, at least %(limit)s "
                    "needed): turn on a light or move somewhere brighter and retake it.")
    return Finding("dark", passed, round(value, 1), float(dark_min), message % params)


def image_checks(
    image: Image.Image,
    *,
    min_width: int,
    min_height: int,
    blur_min: float = DEFAULT_BLUR_MIN,
    dark_min: float = DEFAULT_DARK_MIN,
    full_size: tuple[int, int] | None = None,
) -> list[Finding]:
    """The resolution, blur and dark findings of one photo, always all three, in that order.

    ``image`` must already be upright (``ImageOps.exif_transpose``, as ``open_for_checks``
    does). ``full_size`` is the displayed full size when ``image`` is a reduced working copy
    (``open_for_checks`` returns both); without it the image's own size is checked.
    """
    grey = _check_copy(image)
    return [
        _resolution(full_size or image.size, min_width, min_height),
        _blur(sharpness(grey), blur_min),
        _dark(float(grey.mean(dtype=np.float64)) if grey.size else 0.0, dark_min),
    ]

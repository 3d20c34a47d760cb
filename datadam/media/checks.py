"""Checking an uploaded image by its content, and removing its location (no database).

The file name and the type the browser claims are ignored: Pillow must recognise the bytes
as one of the formats below and verify them. Taken: JPEG (and MPO, the multi-picture JPEG
some phones write; browsers show its first picture), PNG, WebP, GIF (renditions use the
first frame) and BMP: what browsers show in an ``<img>``. TIFF, HEIC, SVG and the rest
are refused, so every original can be shown as uploaded.

Width and height are reported as the image is displayed: browsers apply the EXIF
orientation, so an image stored sideways with orientation 6 or 8 swaps them. Annotation
coordinates refer to that displayed image.

When an image holds a GPS block in its EXIF, it is saved again without it (JPEG with
``quality="keep"``, reusing its quantisation tables; the rest of the EXIF and the ICC
profile are kept; XMP, which may repeat the location, is dropped). Otherwise the uploaded
bytes are stored unchanged.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import ExifTags, Image

from datadam.errors import InvalidInput

# Pillow format → (content type, file extension).
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
    "BMP": ("image/bmp", "bmp"),
}
FORMAT_NAMES = "JPEG, PNG, WebP, GIF, BMP"
_OPENERS = ["JPEG", "PNG", "WEBP", "GIF", "BMP"]  # the JPEG opener also gives MPO
Image.init()  # register every plugin now: open(formats=...) only finds registered ones
_SIDEWAYS = {5, 6, 7, 8}  # EXIF orientations that turn the image by 90°
_GPS = ExifTags.IFD.GPSInfo


@dataclass(frozen=True)
class CheckedImage:
    """An image that passed the checks; ``data`` is what to store."""

    data: bytes
    sha256: str  # of the bytes as uploaded: the same file uploaded twice has the same one
    content_type: str
    ext: str
    width: int
    height: int
    gps_removed: bool


def _too_many_pixels(max_pixels: int) -> InvalidInput:
    return InvalidInput(
        _(
            "the image has more than %(n)s million pixels; such an image is refused as a "
            "possible decompression bomb"
        )
        % {"n": f"{max_pixels / 1_000_000:g}"}
    )


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """The image opened from its header (nothing decoded yet), or InvalidInput."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=_OPENERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for bytes it cannot read
        raise InvalidInput(
            _("not an image in a format that is taken (%(formats)s)") % {"formats": FORMAT_NAMES}
        ) from None


def image_check(data: bytes, *, max_bytes: int, max_pixels: int) -> CheckedImage:
    """Check one uploaded file; InvalidInput says why it is refused."""
    if not data:
        raise InvalidInput(_("the file is empty"))
    if len(data) > max_bytes:
        raise InvalidInput(
            _("the file is larger than %(mb)s MB") % {"mb": f"{max_bytes / 1024 / 1024:g}"}
        )
    image = _open(data, max_pixels)
    fmt = image.format or ""
    width, height = image.size
    if width < 1 or height < 1:
        raise InvalidInput(_("the image has no pixels"))
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    try:
        image.verify()
    except Exception:  # noqa: BLE001 - a damaged file fails in format-specific ways
        raise InvalidInput(_("the image file is damaged or incomplete")) from None
    image = _open(data, max_pixels)  # verify() leaves the image unusable
    try:
        exif = image.getexif()
        orientation = exif.get(ExifTags.Base.Orientation)
    except Exception:  # noqa: BLE001 - unreadable EXIF: treat the image as having none
        exif, orientation = Image.Exif(), None
    if orientation in _SIDEWAYS:
        width, height = height, width
    stored, gps_removed = data, False
    if _GPS in exif:
        stored, gps_removed = _without_gps(image, exif), True
    content_type, ext = FORMATS[fmt]
    return CheckedImage(
        data=stored,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        ext=ext,
        width=width,
        height=height,
        gps_removed=gps_removed,
    )


def _without_gps(image: Image.Image, exif: Image.Exif) -> bytes:
    """The image saved again in its own format, its EXIF kept without the GPS block."""
    del exif[_GPS]
    options: dict[str, object] = {"exif": exif.tobytes()}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    fmt = image.format
    try:
        if fmt in ("JPEG", "MPO"):
            fmt = "JPEG"
            options.update(quality="keep", progressive=bool(image.info.get("progressive")))
        elif fmt == "WEBP":
            options.update(quality=95, save_all=getattr(image, "n_frames", 1) > 1)
        elif fmt == "PNG":
            options.update(save_all=getattr(image, "n_frames", 1) > 1)
        out = io.BytesIO()
        image.save(out, format=fmt, **options)
    except Exception:  # noqa: BLE001 - decoding failed: the file is damaged after all
        raise InvalidInput(_("the image file is damaged or incomplete")) from None
    data = out.getvalue()
    if _GPS in Image.open(io.BytesIO(data)).getexif():  # never store a location by mistake
        raise InvalidInput(_("the location could not be removed from the image's EXIF data"))
    return data

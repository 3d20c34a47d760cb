"""Renditions of an image: a thumbnail and a web-sized copy, as WebP (no database).

Both are turned upright (EXIF orientation applied to the pixels, since the renditions carry
no EXIF), taken from the first frame, never enlarged, and keep the ICC profile and any
transparency. WebP: smaller than JPEG at the same quality, with alpha, shown by every
browser the platform supports. The same image gives the same bytes every time.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

NAMES = ("web", "thumb")
EXT = "webp"
CONTENT_TYPE = "image/webp"
_QUALITY = {"web": 82, "thumb": 75}


def rendition_keys(original_key: str) -> dict[str, str]:
    """Storage keys of the renditions, next to the original: ``<stem>.web.webp`` …"""
    stem = original_key.rsplit(".", 1)[0] if "." in original_key.rsplit("/", 1)[-1] else (
        original_key
    )
    return {name: f"{stem}.{name}.{EXT}" for name in NAMES}


def renditions_make(data: bytes, *, web_px: int, thumb_px: int) -> dict[str, bytes]:
    """The encoded renditions of one image, by name; Pillow's error if it cannot decode."""
    with Image.open(io.BytesIO(data)) as source:
        icc = source.info.get("icc_profile")
        source.draft("RGB", (web_px, web_px))  # JPEG: decode at a reduced scale, much faster
        image = ImageOps.exif_transpose(source)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    out: dict[str, bytes] = {}
    for name, size in (("web", web_px), ("thumb", thumb_px)):
        image.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        options: dict[str, object] = {"quality": _QUALITY[name], "method": 4}
        if icc:
            options["icc_profile"] = icc
        image.save(buffer, format="WEBP", **options)
        out[name] = buffer.getvalue()
    return out

"""Renditions: sizes, orientation applied to the pixels, transparency, the same bytes twice."""

from __future__ import annotations

import io

from PIL import Image

from datadam.media.renditions import rendition_keys, renditions_make


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_renditions_fit_their_longest_side_and_are_webp(pics):
    out = renditions_make(pics.png(2000, 1000), web_px=1600, thumb_px=256)
    assert opened(out["web"]).size == (1600, 800)
    assert opened(out["thumb"]).size == (256, 128)
    assert opened(out["web"]).format == "WEBP"


def test_small_images_are_never_enlarged(pics):
    out = renditions_make(pics.png(100, 50), web_px=1600, thumb_px=256)
    assert opened(out["web"]).size == (100, 50) == opened(out["thumb"]).size


def test_exif_orientation_is_applied_to_the_pixels(pics):
    out = renditions_make(pics.jpeg(64, 48, orientation=6), web_px=1600, thumb_px=256)
    assert opened(out["web"]).size == (48, 64)


def test_transparency_is_kept(pics):
    out = renditions_make(pics.png(30, 30, color=(0, 0, 0, 0), mode="RGBA"), web_px=1600,
                          thumb_px=256)
    assert opened(out["thumb"]).mode == "RGBA"


def test_the_same_image_gives_the_same_bytes(pics):
    data = pics.jpeg(300, 200)
    assert renditions_make(data, web_px=100, thumb_px=50) == renditions_make(
        data, web_px=100, thumb_px=50)


def test_rendition_keys_sit_next_to_the_original():
    assert rendition_keys("images/3/ab/abc_12.jpg") == {
        "web": "images/3/ab/abc_12.web.webp", "thumb": "images/3/ab/abc_12.thumb.webp"}

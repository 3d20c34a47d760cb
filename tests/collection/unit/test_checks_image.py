"""Photo checks: resolution in either orientation, blur at a fixed scale, darkness; decoding."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageDraw, ImageFilter

from datadam.collection.checks.image import (
    DEFAULT_BLUR_MIN,
    DEFAULT_DARK_MIN,
    image_checks,
    open_for_checks,
)
from datadam.errors import InvalidInput


def scene(w: int, h: int, seed: int = 0, brightness: float = 1.0) -> Image.Image:
    """A sharp generated photo: a gradient, shapes, text and a little sensor noise."""
    rng = random.Random(seed)
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    c1 = np.array([rng.randrange(60, 256) for _ in range(3)], np.float32)
    c2 = np.array([rng.randrange(60, 256) for _ in range(3)], np.float32)
    pixels = c1 + (c2 - c1) * (0.6 * x + 0.4 * y)
    image = Image.fromarray(pixels.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.uniform(0, 0.9) * w, rng.uniform(0, 0.9) * h
        box = [x0, y0, x0 + rng.uniform(0.05, 0.3) * w, y0 + rng.uniform(0.05, 0.3) * h]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    draw.text((0.1 * w, 0.1 * h), "STOP 출구 42", fill=(0, 0, 0), font_size=max(8, h // 12))
    noisy = np.asarray(image, np.float32) * brightness
    noisy += np.random.default_rng(seed).normal(0, 3, noisy.shape).astype(np.float32)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def jpeg(image: Image.Image, orientation: int | None = None, quality: int = 90) -> bytes:
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def by_check(findings):
    return {f.check: f for f in findings}


def test_a_sharp_well_lit_large_photo_passes_all_three_checks_in_order():
    findings = image_checks(scene(1600, 1200), min_width=1280, min_height=720)
    assert [f.check for f in findings] == ["resolution", "blur", "dark"]
    assert all(f.passed for f in findings)
    blur = by_check(findings)["blur"]
    assert blur.value >= DEFAULT_BLUR_MIN and blur.limit == DEFAULT_BLUR_MIN
    assert blur.as_dict() == {"check": "blur", "passed": True, "value": blur.value,
                              "limit": DEFAULT_BLUR_MIN, "message": blur.message}


def test_a_portrait_photo_passes_a_landscape_minimum_and_a_square_one_does_not():
    image = scene(300, 400)
    portrait = by_check(image_checks(image, min_width=1280, min_height=720,
                                     full_size=(3000, 4000)))["resolution"]
    assert portrait.passed and portrait.value == 3.12  # min(4000 / 1280, 3000 / 720)
    square = by_check(image_checks(image, min_width=1280, min_height=720,
                                   full_size=(1000, 1000)))["resolution"]
    assert not square.passed
    assert square.value == 0.78 and square.limit == 1.0
    assert "1000 × 1000" in square.message and "1280 × 720" in square.message


def test_without_a_full_size_the_working_image_size_is_checked():
    small = by_check(image_checks(scene(640, 480), min_width=1280, min_height=720))
    assert not small["resolution"].passed
    assert "screenshot" in small["resolution"].message


def test_a_blurred_photo_fails_the_blur_check_and_says_how_to_fix_it():
    sharp = scene(1600, 1200, seed=3)
    for radius in (3, 6):
        finding = by_check(image_checks(sharp.filter(ImageFilter.GaussianBlur(radius)),
                                        min_width=100, min_height=100))["blur"]
        assert not finding.passed
        assert finding.value < DEFAULT_BLUR_MIN / 2
        assert "blurred" in finding.message and "retake" in finding.message


def test_sharpness_does_not_depend_on_the_number_of_megapixels():
    big = scene(2400, 1800, seed=5)
    half = big.resize((1200, 900), Image.Resampling.LANCZOS)
    a = by_check(image_checks(big, min_width=1, min_height=1))["blur"].value
    b = by_check(image_checks(half, min_width=1, min_height=1))["blur"].value
    assert abs(a - b) / max(a, b) < 0.1


def test_a_dark_photo_fails_the_dark_check():
    dark = by_check(image_checks(scene(800, 600, brightness=0.12), min_width=1, min_height=1))
    assert not dark["dark"].passed
    assert dark["dark"].value < DEFAULT_DARK_MIN
    assert "too dark" in dark["dark"].message and "light" in dark["dark"].message
    lit = by_check(image_checks(scene(800, 600), min_width=1, min_height=1))
    assert lit["dark"].passed


def test_a_tiny_image_is_checked_without_error():
    findings = image_checks(Image.new("RGB", (2, 1), (200, 200, 200)), min_width=10,
                            min_height=10, blur_min=1, dark_min=1)
    assert [f.passed for f in findings] == [False, False, True]


def test_a_large_jpeg_is_decoded_reduced_and_upright_with_its_displayed_full_size():
    data = jpeg(scene(3000, 2000, seed=7), orientation=6)  # stored sideways, shown portrait
    working, full = open_for_checks(data)
    assert full == (2000, 3000)
    assert working.mode == "RGB"
    assert working.size[1] > working.size[0]  # turned upright
    assert max(working.size) == 1024  # reduced for the checks, never below their scale
    resolution = by_check(image_checks(working, min_width=1280, min_height=720,
                                       full_size=full))["resolution"]
    assert resolution.passed


def test_checks_on_the_reduced_decode_agree_with_a_full_decode():
    data = jpeg(scene(3000, 2000, seed=8))
    working, full = open_for_checks(data)
    complete = Image.open(io.BytesIO(data)).convert("RGB")
    reduced = by_check(image_checks(working, min_width=1, min_height=1, full_size=full))
    whole = by_check(image_checks(complete, min_width=1, min_height=1))
    assert abs(reduced["blur"].value - whole["blur"].value) / whole["blur"].value < 0.15
    assert abs(reduced["dark"].value - whole["dark"].value) < 1


def test_other_formats_and_modes_are_decoded_to_rgb():
    buf = io.BytesIO()
    Image.new("RGBA", (64, 48), (10, 20, 30, 128)).save(buf, "PNG")
    working, full = open_for_checks(buf.getvalue())
    assert working.mode == "RGB" and full == (64, 48)
    buf = io.BytesIO()
    Image.new("L", (64, 48), 90).save(buf, "PNG")
    working, _ = open_for_checks(buf.getvalue())
    assert working.mode == "L"


@pytest.mark.parametrize("data", [b"", b"not a photo at all", jpeg(scene(64, 48))[:200]])
def test_bytes_that_are_not_a_readable_photo_are_refused(data):
    with pytest.raises(InvalidInput) as refused:
        open_for_checks(data)
    assert "not a photo" in refused.value.message


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(InvalidInput) as refused:
        open_for_checks(jpeg(scene(200, 200)))
    assert "too many pixels" in refused.value.message

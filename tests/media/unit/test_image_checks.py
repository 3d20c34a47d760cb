"""Checking uploaded images by content: formats, damage, decompression bombs, orientation,
removing the GPS location."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import ExifTags, Image

from datadam.errors import InvalidInput
from datadam.media.checks import image_check

LIMITS = {"max_bytes": 50 * 1024 * 1024, "max_pixels": 100_000_000}


def test_a_png_is_recognised_by_its_content_whatever_its_name(pics):
    data = pics.png(40, 30)
    checked = image_check(data, **LIMITS)
    assert (checked.content_type, checked.ext) == ("image/png", "png")
    assert (checked.width, checked.height) == (40, 30)
    assert checked.data == data  # stored unchanged
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert not checked.gps_removed


def test_a_text_file_is_refused_as_not_an_image(pics):
    with pytest.raises(InvalidInput, match="not an image in a format that is taken"):
        image_check(b"hello, I am not a picture\n", **LIMITS)


def test_a_tiff_is_refused_because_browsers_cannot_show_it():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="TIFF")
    with pytest.raises(InvalidInput, match="JPEG, PNG, WebP, GIF, BMP"):
        image_check(buf.getvalue(), **LIMITS)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "BMP"])
def test_each_taken_format_passes(fmt):
    buf = io.BytesIO()
    Image.new("RGB", (9, 7), (1, 2, 3)).save(buf, format=fmt)
    checked = image_check(buf.getvalue(), **LIMITS)
    assert (checked.width, checked.height) == (9, 7)


def test_an_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="empty"):
        image_check(b"", **LIMITS)


def test_a_file_over_the_byte_limit_is_refused(pics):
    data = pics.png(40, 30)
    with pytest.raises(InvalidInput, match="larger than"):
        image_check(data, max_bytes=len(data) - 1, max_pixels=10**8)


def test_a_truncated_png_is_refused_as_damaged(pics):
    data = pics.png(200, 200, color=(1, 2, 3))
    with pytest.raises(InvalidInput, match="damaged or incomplete"):
        image_check(data[: len(data) // 2], **LIMITS)


def test_a_png_header_claiming_huge_dimensions_is_refused_as_a_bomb(pics):
    with pytest.raises(InvalidInput, match="decompression bomb"):
        image_check(pics.png_header_only(100_000, 100_000), **LIMITS)


def test_a_20000_pixel_square_one_bit_png_is_refused_as_a_bomb(pics):
    bomb = pics.png_bomb(20_000, 20_000)
    assert len(bomb) < 1_000_000  # tiny on disk, 400 million pixels decoded
    with pytest.raises(InvalidInput, match="more than 100 million pixels"):
        image_check(bomb, **LIMITS)


def test_the_pixel_limit_follows_the_setting(pics):
    with pytest.raises(InvalidInput, match="more than 0.001 million pixels"):
        image_check(pics.png(40, 30), max_bytes=10**6, max_pixels=1000)


def test_width_and_height_are_reported_as_displayed_after_exif_orientation(pics):
    checked = image_check(pics.jpeg(64, 48, orientation=6), **LIMITS)
    assert (checked.width, checked.height) == (48, 64)
    upright = image_check(pics.jpeg(64, 48, orientation=3), **LIMITS)
    assert (upright.width, upright.height) == (64, 48)


def test_gps_is_removed_while_the_rest_of_the_exif_and_the_icc_profile_are_kept(pics):
    icc = b"not-a-real-icc-profile" * 4
    original = pics.jpeg(gps=True, icc=icc)
    assert ExifTags.IFD.GPSInfo in Image.open(io.BytesIO(original)).getexif()
    checked = image_check(original, **LIMITS)
    assert checked.gps_removed
    assert checked.sha256 == hashlib.sha256(original).hexdigest()  # of the upload
    stored = Image.open(io.BytesIO(checked.data))
    exif = stored.getexif()
    assert ExifTags.IFD.GPSInfo not in exif
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert exif[ExifTags.Base.Make] == "Canon"
    assert exif[ExifTags.Base.Model] == "EOS 5D"
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] == (
        "2024:05:06 07:08:09")
    assert stored.info["icc_profile"] == icc
    assert stored.format == "JPEG" and stored.size == (64, 48)
    # quality="keep": the same quantisation tables as the upload
    assert stored.quantization == Image.open(io.BytesIO(original)).quantization


def test_a_jpeg_without_gps_is_stored_byte_for_byte(pics):
    data = pics.jpeg()
    checked = image_check(data, **LIMITS)
    assert checked.data == data and not checked.gps_removed

"""Faces and plates found and blurred; images written again without their metadata."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
import pytest
from PIL import ExifTags, Image, PngImagePlugin

from datadam.errors import InvalidInput
from datadam.privacy.faces import (
    ENLARGE,
    Region,
    blur_regions,
    deidentify_image,
    find_faces,
    find_plates,
    merge_boxes,
)
from tests.privacy.fixtures import (
    Scene,
    covered_share,
    face_free_scene,
    face_scene,
    plate_scene,
)

# Measured on these sets (benchmarks/bench_privacy.py, docs/privacy.md): every drawn face and
# no false detection on the face-free images, 55 of 60 plates.
# Floors a little below, so that a broken detector fails.
FACE_SCENES = range(10)
FACE_FREE_IMAGES = range(8)
PLATE_SCENES = range(10)
FACE_RECALL_FLOOR = 0.9
FACE_FREE_FALSE_PER_IMAGE_CEILING = 0.25
PLATE_RECALL_FLOOR = 0.75
PLANTED_MAKE = "PlantedCameraMake-7f3a"


@cache
def _face_scene(seed: int) -> Scene:
    """The drawn scene, made once for all the tests here (the tests only read it)."""
    return face_scene(seed)


def test_find_faces_covers_the_eyes_and_mouth_of_most_drawn_faces():
    found = total = 0
    for seed in FACE_SCENES:
        scene = _face_scene(seed)
        regions = find_faces(scene.image)
        assert all(r.kind == "face" for r in regions)
        for face in scene.faces:
            total += 1
            found += covered_share(face.core, regions, scene.image.size) >= 0.9
    assert total >= 15
    assert found / total >= FACE_RECALL_FLOOR


def test_find_faces_rarely_fires_on_images_without_faces():
    false = sum(len(find_faces(face_free_scene(seed))) for seed in FACE_FREE_IMAGES)
    assert false / len(FACE_FREE_IMAGES) <= FACE_FREE_FALSE_PER_IMAGE_CEILING


def test_find_plates_finds_drawn_korean_plates():
    found = 0
    for seed in PLATE_SCENES:
        scene = plate_scene(seed)
        regions = find_plates(scene.image)
        found += covered_share(scene.plates[0], regions, scene.image.size) >= 0.9
    assert found / len(PLATE_SCENES) >= PLATE_RECALL_FLOOR


def test_faces_in_a_huge_image_are_found_on_a_smaller_copy_and_mapped_back():
    scene = _face_scene(3)
    big = scene.image.resize((scene.image.width * 3, scene.image.height * 3))
    regions = find_faces(big)
    for face in scene.faces:
        core = tuple(v * 3 for v in face.core)
        assert covered_share(core, regions, big.size) >= 0.9
    assert all(r.x + r.w <= big.width and r.y + r.h <= big.height for r in regions)


def _detail(patch: np.ndarray, blocks: int = 6) -> float:
    """How far ``patch`` is from itself averaged to ``blocks`` blocks across and smoothed
    back: the detail that a few average colours cannot give."""
    h, w = patch.shape[:2]
    grid = (max(1, round(w * blocks / min(w, h))), max(1, round(h * blocks / min(w, h))))
    image = Image.fromarray(patch.astype(np.uint8))
    coarse = image.resize(grid, Image.Resampling.BOX).resize((w, h), Image.Resampling.BILINEAR)
    return float(np.abs(np.asarray(coarse, dtype=np.int16) - patch).mean())


def test_blur_leaves_no_more_of_a_face_than_a_few_average_colours_and_changes_nothing_else():
    scene = _face_scene(5)
    regions = find_faces(scene.image)
    assert regions
    before = np.asarray(scene.image, dtype=np.int16)
    after = np.asarray(blur_regions(scene.image, regions), dtype=np.int16)
    inside = np.zeros(before.shape[:2], bool)
    for r in regions:
        dx, dy = r.w * ENLARGE / 2, r.h * ENLARGE / 2
        x0, y0 = max(0, int(r.x - dx)), max(0, int(r.y - dy))
        x1, y1 = int(round(r.x + r.w + dx)), int(round(r.y + r.h + dy))
        inside[y0:y1, x0:x1] = True
        assert _detail(after[y0:y1, x0:x1]) < _detail(before[y0:y1, x0:x1]) / 4
        assert np.abs(after[y0:y1, x0:x1] - before[y0:y1, x0:x1]).mean() > 5
    assert np.array_equal(before[~inside], after[~inside])


def test_blur_regions_at_the_border_and_in_other_modes():
    image = Image.new("RGBA", (100, 80), (10, 200, 30, 128))
    image.paste((250, 0, 0, 255), (0, 0, 40, 40))
    out = blur_regions(image, [Region(-5, -5, 50, 50, "face"), Region(90, 70, 30, 30, "plate")])
    assert out.size == image.size and out.mode == "RGBA"
    assert out.getpixel((70, 30)) == image.getpixel((70, 30))
    assert out.crop((0, 0, 48, 48)).tobytes() != image.crop((0, 0, 48, 48)).tobytes()
    assert out.getpixel((99, 79)) != image.getpixel((99, 79))
    palette = Image.new("P", (60, 60), 3)
    assert blur_regions(palette, [Region(10, 10, 20, 20, "face")]).mode == "RGBA"


def test_merge_boxes_joins_boxes_of_the_same_face_only():
    merged = merge_boxes([(10, 10, 50, 50), (15, 12, 50, 50), (200, 200, 30, 30)])
    assert merged == [(10, 10, 55, 52), (200, 200, 30, 30)]


def _with_metadata(image: Image.Image, fmt: str) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = PLANTED_MAKE
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (37.0, 33.0, 59.0)})
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           b'22-rdf-syntax-ns#"><rdf:Description exif:GPSLatitude="37,33.99N" '
           b'xmlns:exif="http://ns.adobe.com/exif/1.0/"/></rdf:RDF></x:xmpmeta>')
    out = io.BytesIO()
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
        info.add_text("Author", PLANTED_MAKE)
        image.save(out, format="PNG", pnginfo=info, exif=exif.tobytes())
    else:
        image.save(out, format=fmt, exif=exif.tobytes(), xmp=xmp, quality=95)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_deidentify_image_blurs_faces_and_drops_every_metadata(fmt):
    scene = _face_scene(1)
    data = _with_metadata(scene.image, fmt)
    assert PLANTED_MAKE.encode() in data
    out, counts = deidentify_image(data)
    assert counts["faces"] >= 1 and counts["plates"] == 0
    image = Image.open(io.BytesIO(out))
    assert image.format == fmt and image.size == scene.image.size
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "Author"} & set(image.info)
    for marker in (PLANTED_MAKE.encode(), b"Exif\x00\x00", b"xmpmeta", b"ns.adobe.com"):
        assert marker not in out


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_image_without_faces_is_only_written_again(fmt):
    image = face_free_scene(2)
    out, counts = deidentify_image(_with_metadata(image, fmt))
    assert counts == {"faces": 0, "plates": 0}
    again = np.asarray(Image.open(io.BytesIO(out)).convert("RGB"), dtype=np.int16)
    if fmt == "PNG":
        assert np.array_equal(again, np.asarray(image, dtype=np.int16))
    else:  # decoded from the quality-95 JPEG and encoded at 90: close, not equal
        original = np.asarray(Image.open(io.BytesIO(_with_metadata(image, fmt))), dtype=np.int16)
        assert np.abs(again - original).mean() < 2
    assert len(Image.open(io.BytesIO(out)).getexif()) == 0


def test_deidentify_image_turns_the_image_upright_by_its_orientation():
    scene = _face_scene(0)
    sideways = scene.image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90° clockwise: upright again
    buf = io.BytesIO()
    sideways.save(buf, format="JPEG", exif=exif.tobytes(), quality=95)
    out, counts = deidentify_image(buf.getvalue())
    image = Image.open(io.BytesIO(out))
    assert image.size == scene.image.size
    assert counts["faces"] >= len(scene.faces)
    assert ExifTags.Base.Orientation not in image.getexif()


def test_deidentify_image_blurs_plates_only_when_asked():
    buf = io.BytesIO()
    plate_scene(1).image.save(buf, format="PNG")
    _, without = deidentify_image(buf.getvalue(), faces=False)
    out, with_plates = deidentify_image(buf.getvalue(), faces=False, plates=True)
    assert without == {"faces": 0, "plates": 0}
    assert with_plates["plates"] >= 1 and with_plates["faces"] == 0
    assert out != deidentify_image(buf.getvalue(), faces=False)[0]


def test_deidentify_image_keeps_transparency_and_reads_gif_and_grey_images():
    rgba = _face_scene(2).image.convert("RGBA")
    rgba.putalpha(200)
    buf = io.BytesIO()
    rgba.save(buf, format="PNG")
    out, _ = deidentify_image(buf.getvalue())
    assert Image.open(io.BytesIO(out)).mode == "RGBA"
    for fmt, mode in (("GIF", "P"), ("JPEG", "L"), ("BMP", "RGB")):
        buf = io.BytesIO()
        _face_scene(4).image.convert(mode).save(buf, format=fmt)
        out, counts = deidentify_image(buf.getvalue())
        assert Image.open(io.BytesIO(out)).format == fmt
        assert counts["faces"] >= 1


@pytest.mark.parametrize("data", [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20])
def test_deidentify_image_refuses_what_is_not_an_image(data):
    with pytest.raises(InvalidInput):
        deidentify_image(data)

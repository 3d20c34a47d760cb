"""Built-in OCR pre-labels (RapidOCR's packaged models) on images drawn here."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from datadam.assist.builtin.ocr import ImageUnreadable, fits_languages, ocr_predict
from datadam.kinds import get_kind

LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def draw(lines: list[tuple[str, int, int]], size: tuple[int, int], *, font_px: int = 48,
         font: str = LATIN_FONT, mode: str = "RGB") -> tuple[Image.Image, list[Box]]:
    """An image with each (text, x, y) drawn in black; the drawn texts' ink boxes."""
    # RGBA: a transparent black ground (as many exporters write it), black without its alpha
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else "white")
    pen, face = ImageDraw.Draw(image), ImageFont.truetype(font, font_px)
    boxes = []
    for text, x, y in lines:
        pen.text((x, y), text, font=face, fill="black")
        boxes.append(tuple(float(v) for v in pen.textbbox((x, y), text, font=face)))
    return image, boxes


def encoded(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def union(regions: list[dict]) -> Box:
    xs0 = [r["box"][0] for r in regions]
    ys0 = [r["box"][1] for r in regions]
    xs1 = [r["box"][0] + r["box"][2] for r in regions]
    ys1 = [r["box"][1] + r["box"][3] for r in regions]
    return min(xs0), min(ys0), max(xs1), max(ys1)


def iou(a: Box, b: Box) -> float:
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def line_of(regions: list[dict], ink: Box) -> list[dict]:
    """The regions whose centre lies in the drawn line's band, left to right."""
    middle = [r for r in regions if ink[1] <= r["box"][1] + r["box"][3] / 2 <= ink[3]]
    return sorted(middle, key=lambda r: r["box"][0])


def read(regions: list[dict], ink: Box) -> str:
    return "".join(r["text"] for r in line_of(regions, ink)).replace(" ", "")


def has_words(regions: list[dict], ink: Box, *words: str) -> bool:
    """Whether the line's reading holds each word (on small images the detector may split a
    line into overlapping pieces that repeat a character: "HELLO 2" + "2026")."""
    text = read(regions, ink)
    return all(word in text for word in words)


@pytest.fixture(scope="module")
def english() -> tuple[Image.Image, list[Box], dict]:
    image, ink = draw([("HELLO 2026", 60, 50), ("3.14  42  1000", 60, 170)], (800, 320))
    return image, ink, ocr_predict(encoded(image), languages=["en"])


def test_english_text_and_numbers_are_read_with_boxes_over_the_ink(english):
    _image, ink, found = english
    regions = found["answer"]["regions"]
    assert read(regions, ink[0]) == "HELLO2026"
    assert read(regions, ink[1]) == "3.14421000"
    for line in ink:
        assert iou(union(line_of(regions, line)), line) > 0.7


def test_the_score_is_the_mean_confidence_and_the_uncertainty_its_complement(english):
    found = english[2]
    assert 0.9 < found["score"] <= 1.0
    assert 0.0 <= found["uncertainty"] < 0.1
    assert found["uncertainty"] >= 1.0 - found["score"] - 1e-4  # 1 − min ≥ 1 − mean


def test_the_prediction_is_a_valid_ocr_answer_for_the_item(english):
    image, _ink, found = english
    kind = get_kind("ocr")
    config = kind.validate_config({"languages": ["en"], "tools": ["box"]})
    item = {"image": "x.png", "width": image.width, "height": image.height}
    assert kind.validate_answer(found["answer"], config, item) == found["answer"]


def test_a_large_image_is_reduced_and_its_boxes_mapped_back_to_original_pixels():
    image, ink = draw([("HELLO 2026", 300, 400)], (3600, 1200), font_px=200)
    regions = ocr_predict(encoded(image), languages=["en"])["answer"]["regions"]
    assert read(regions, ink[0]) == "HELLO2026"
    assert iou(union(regions), ink[0]) > 0.7
    assert all(r["box"][0] + r["box"][2] <= 3600 and r["box"][1] + r["box"][3] <= 1200
               for r in regions)


def test_a_smaller_max_side_finds_the_same_boxes_in_original_pixels():
    image, ink = draw([("HELLO 2026", 100, 100)], (1600, 500), font_px=96)
    full = ocr_predict(encoded(image), max_side=2000)["answer"]["regions"]
    reduced = ocr_predict(encoded(image), max_side=800)["answer"]["regions"]
    assert iou(union(full), ink[0]) > 0.7
    assert iou(union(reduced), ink[0]) > 0.7
    assert iou(union(full), union(reduced)) > 0.85


def test_exif_orientation_is_applied_so_boxes_are_in_displayed_pixels(tmp_path: Path):
    shown, ink = draw([("HELLO 2026", 60, 50)], (640, 200))
    stored = shown.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "turned.jpg"
    path.write_bytes(encoded(stored, "JPEG", quality=95, exif=exif.tobytes()))
    regions = ocr_predict(str(path))["answer"]["regions"]
    assert has_words(regions, ink[0], "HELLO", "2026")
    assert iou(union(regions), ink[0]) > 0.7


def test_text_on_a_transparent_png_is_read_on_white():
    image, ink = draw([("HELLO 2026", 40, 40)], (600, 160), mode="RGBA")
    regions = ocr_predict(encoded(image))["answer"]["regions"]
    assert has_words(regions, ink[0], "HELLO", "2026")
    assert iou(union(regions), ink[0]) > 0.7


def test_slanted_text_gets_points_only_when_the_project_draws_outlines():
    image, _ink = draw([("HELLO 2026", 60, 60)], (640, 200))
    turned = encoded(image.rotate(15, expand=True, fillcolor="white"))
    boxes = ocr_predict(turned, tools=["box"])["answer"]["regions"]
    both = ocr_predict(turned, tools=["box", "polygon"])["answer"]["regions"]
    assert boxes and all("points" not in r for r in boxes)
    assert both and all(len(r["points"]) == 4 for r in both)
    for region in both:
        xs, ys = [p[0] for p in region["points"]], [p[1] for p in region["points"]]
        assert region["box"] == pytest.approx(
            [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)], abs=0.02)


def test_upright_text_stays_a_box_unless_the_project_takes_only_outlines():
    image, _ink = draw([("HELLO 2026", 60, 60)], (640, 200))
    data = encoded(image)
    assert all("points" not in r
               for r in ocr_predict(data, tools=["box", "polygon"])["answer"]["regions"])
    assert all(len(r["points"]) == 4
               for r in ocr_predict(data, tools=["polygon"])["answer"]["regions"])


def test_chinese_readings_are_dropped_for_a_project_without_korean_or_japanese():
    image, ink = draw([("北京大学", 60, 40)], (500, 160), font=CJK_FONT, font_px=56)
    assert read(ocr_predict(encoded(image), languages=["ja"])["answer"]["regions"],
                ink[0]) == "北京大学"
    assert ocr_predict(encoded(image), languages=["en"])["answer"]["regions"] == []


def test_only_cjk_scripts_no_project_language_writes_are_refused():
    assert fits_languages("EXIT 3.14 μm", ["ko"])
    assert not fits_languages("出口", ["en"])
    assert fits_languages("出口", ["ko"]) and fits_languages("出口", ["ja"])
    assert not fits_languages("でぐち", ["ko", "en"]) and fits_languages("でぐち", ["ja"])
    assert not fits_languages("출구", ["ja"]) and fits_languages("출구", ["ko"])
    assert fits_languages("出口 でぐち 출구", [])


def test_an_image_without_text_suggests_no_region_with_full_uncertainty():
    blank = encoded(Image.new("RGB", (400, 300), "white"))
    assert ocr_predict(blank, languages=["en"]) == {
        "answer": {"regions": []}, "score": 0.0, "uncertainty": 1.0}


def test_bytes_that_are_no_image_raise_image_unreadable(tmp_path: Path):
    with pytest.raises(ImageUnreadable):
        ocr_predict(b"%PDF-1.7 not an image")
    with pytest.raises(ImageUnreadable):
        ocr_predict(tmp_path / "missing.png")


def test_threads_share_the_engine_and_get_the_same_reading(english):
    image, _ink, found = english
    data, results = encoded(image), []
    threads = [threading.Thread(target=lambda: results.append(
        ocr_predict(data, languages=["en"]))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [found] * 3

"""Generated images for the annotation demo, each with its true answer (so gold is known).

Shapes are drawn with Pillow; OCR signs are rendered with a CJK font where the machine has
one (Debian's fonts-noto-cjk), else in English with Pillow's own font. Plain functions: a
seed gives the same image and answer every time.
"""

from __future__ import annotations

import io
import math
import random
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 640, 480
OBJECTS = ("circle", "square", "triangle")
COLOURS = [(220, 68, 55), (15, 157, 88), (66, 133, 244), (244, 180, 0), (171, 71, 188)]
FACE_POINTS = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]
FACE_SKELETON = [["left_eye", "right_eye"], ["left_eye", "nose"], ["right_eye", "nose"],
                 ["nose", "mouth_left"], ["nose", "mouth_right"],
                 ["mouth_left", "mouth_right"]]
CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SIGNS_CJK = ["출구", "안녕하세요", "서울역", "営業中", "こんにちは", "OPEN", "SALE 50%",
             "주차장", "東京", "Exit", "카페", "ありがとう"]
SIGNS_LATIN = ["OPEN", "EXIT", "SALE 50%", "CAFE", "PARKING", "HELLO", "STOP", "NO. 7"]


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _background(rng: random.Random) -> Image.Image:
    tone = rng.randint(225, 250)
    return Image.new("RGB", (WIDTH, HEIGHT), (tone, tone, tone - 6))


def _free_spot(rng: random.Random, taken: list[tuple[int, int, int, int]], size: int
               ) -> tuple[int, int, int, int] | None:
    """A square box of side ``size`` overlapping none of ``taken`` (None after 50 tries)."""
    for _ in range(50):
        x, y = rng.randint(10, WIDTH - size - 10), rng.randint(10, HEIGHT - size - 10)
        box = (x, y, x + size, y + size)
        if all(box[2] < t[0] or box[0] > t[2] or box[3] < t[1] or box[1] > t[3] for t in taken):
            return box
    return None


def shapes_scene(seed: int) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    """1–4 circles, squares and triangles: (PNG, box answer, polygon answer) of the truth."""
    rng = random.Random(seed)
    img = _background(rng)
    draw = ImageDraw.Draw(img)
    taken: list[tuple[int, int, int, int]] = []
    boxes, polygons = [], []
    for _ in range(rng.randint(1, 4)):
        spot = _free_spot(rng, taken, rng.randint(60, 150))
        if spot is None:
            break
        taken.append(spot)
        x0, y0, x1, y1 = spot
        shape = rng.choice(OBJECTS)
        colour = rng.choice(COLOURS)
        if shape == "circle":
            draw.ellipse(spot, fill=colour)
            centre, r = ((x0 + x1) / 2, (y0 + y1) / 2), (x1 - x0) / 2
            outline = [[round(centre[0] + r * math.cos(2 * math.pi * k / 16), 2),
                        round(centre[1] + r * math.sin(2 * math.pi * k / 16), 2)]
                       for k in range(16)]
        elif shape == "square":
            draw.rectangle(spot, fill=colour)
            outline = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
        else:
            outline = [[(x0 + x1) / 2, y0], [x1, y1], [x0, y1]]
            draw.polygon([tuple(p) for p in outline], fill=colour)
        boxes.append({"label": shape, "box": [x0, y0, x1 - x0, y1 - y0]})
        polygons.append({"label": shape, "type": "polygon",
                         "points": [[float(a), float(b)] for a, b in outline]})
    return _png(img), {"boxes": boxes}, {"shapes": polygons}


def face_scene(seed: int) -> tuple[bytes, dict[str, Any]]:
    """A drawn face: (PNG, keypoint answer with its five landmarks; one hidden by a hat)."""
    rng = random.Random(seed)
    img = _background(rng)
    draw = ImageDraw.Draw(img)
    cx, cy = rng.randint(220, 420), rng.randint(200, 280)
    r = rng.randint(110, 160)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(250, 214, 165), outline=(120, 80, 40),
                 width=3)
    eye_dy, eye_dx = r * 0.25, r * 0.38
    points = {
        "left_eye": (cx - eye_dx, cy - eye_dy), "right_eye": (cx + eye_dx, cy - eye_dy),
        "nose": (cx + rng.uniform(-8, 8), cy + r * 0.08),
        "mouth_left": (cx - r * 0.35, cy + r * 0.45), "mouth_right": (cx + r * 0.35,
                                                                      cy + r * 0.45),
    }
    for name in ("left_eye", "right_eye"):
        x, y = points[name]
        draw.ellipse((x - 12, y - 8, x + 12, y + 8), fill=(255, 255, 255), outline=(0, 0, 0))
        draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(40, 40, 40))
    nx, ny = points["nose"]
    draw.polygon([(nx, ny - 22), (nx - 10, ny + 6), (nx + 10, ny + 6)], fill=(225, 170, 120))
    draw.line([points["mouth_left"], (cx, cy + r * 0.58), points["mouth_right"]],
              fill=(170, 40, 40), width=5)
    hidden = rng.random() < 0.3
    if hidden:  # a hat brim over the right eye: the point is there but not seen
        x, y = points["right_eye"]
        draw.rectangle((x - 30, y - 25, x + 40, y + 15), fill=(60, 60, 90))
    answer = {"keypoints": {n: [round(x, 2), round(y, 2),
                                1 if hidden and n == "right_eye" else 2]
                            for n, (x, y) in points.items()}}
    return _png(img), answer


def _font(size: int) -> tuple[Any, bool]:
    """A CJK-capable font if the machine has one (True), else Pillow's own (False)."""
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size), False


def signs_scene(seed: int) -> tuple[bytes, dict[str, Any], list[str]]:
    """1–3 signs with text: (PNG, OCR answer, the languages used)."""
    rng = random.Random(seed)
    img = _background(rng)
    draw = ImageDraw.Draw(img)
    font, cjk = _font(rng.randint(36, 56))
    words = SIGNS_CJK if cjk else SIGNS_LATIN
    regions: list[dict[str, Any]] = []
    taken: list[tuple[int, int, int, int]] = []
    for word in rng.sample(words, rng.randint(1, 3)):
        left, top, right, bottom = draw.textbbox((0, 0), word, font=font)
        w, h = right - left + 24, bottom - top + 20
        for _ in range(50):
            x, y = rng.randint(10, WIDTH - w - 10), rng.randint(10, HEIGHT - h - 10)
            box = (x, y, x + w, y + h)
            if all(box[2] < t[0] or box[0] > t[2] or box[3] < t[1] or box[1] > t[3]
                   for t in taken):
                break
        else:
            continue
        taken.append(box)
        draw.rectangle(box, fill=rng.choice(COLOURS))
        draw.text((x + 12 - left, y + 10 - top), word, font=font, fill=(255, 255, 255))
        regions.append({"box": [float(x), float(y), float(w), float(h)], "text": word})
    languages = ["ko", "en", "ja"] if cjk else ["en"]
    return _png(img), {"regions": regions}, languages

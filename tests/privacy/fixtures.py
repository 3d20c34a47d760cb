"""Generated test data for de-identification: drawn faces and plates, planted personal data.

Everything is made from a seed (the same seed gives the same data), so the tests and
``benchmarks/bench_privacy.py`` measure the same sets.

Faces are drawn the way a frontal face detector sees one: a skin oval, shaded at the rim,
with eye sockets darker than the forehead and cheeks, dark eyes and brows, a nose lit in the
middle and shaded at the sides, a mouth darker than the skin, hair framing the face. Each
face records its box (the oval) and its *core* (both eyes to the mouth): the part that must
be blurred for the face not to be recognisable.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from datadam.privacy.faces import ENLARGE, Region

SKIN_TONES = [
    (255, 219, 190),
    (241, 194, 160),
    (224, 172, 128),
    (198, 134, 92),
    (141, 85, 54),
    (96, 62, 42),
]
HAIR_COLOURS = [
    (25, 18, 14),
    (58, 38, 24),
    (12, 12, 12),
    (105, 72, 40),
    (160, 150, 140),
    (140, 60, 30),
    (200, 170, 110),
]
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

Box = tuple[int, int, int, int]  # x, y, width, height


@dataclass(frozen=True)
class DrawnFace:
    box: Box  # the face oval (forehead to chin)
    core: Box  # both eyes to the mouth


@dataclass
class Scene:
    """A generated image and where the faces (or plates) on it are."""

    image: Image.Image
    faces: list[DrawnFace] = field(default_factory=list)
    plates: list[Box] = field(default_factory=list)


def covered_share(box: Box, regions: list[Region], size: tuple[int, int]) -> float:
    """The share of ``box`` that the regions, enlarged as ``blur_regions`` does, cover."""
    mask = np.zeros((size[1], size[0]), bool)
    for r in regions:
        dx, dy = r.w * ENLARGE / 2, r.h * ENLARGE / 2
        mask[
            max(0, int(r.y - dy)) : int(round(r.y + r.h + dy)),
            max(0, int(r.x - dx)) : int(round(r.x + r.w + dx)),
        ] = True
    x, y, w, h = box
    part = mask[max(0, y) : y + h, max(0, x) : x + w]
    return float(part.mean()) if part.size else 0.0


def _shade(colour: tuple[int, int, int], k: float) -> tuple[int, int, int, int]:
    return (*(max(0, min(255, int(v * k))) for v in colour), 255)


def draw_face(width: int, rng: random.Random) -> tuple[Image.Image, DrawnFace]:
    """An RGBA tile with a head and shoulders; the face oval is ``width`` pixels wide.

    Drawn at three times the size and scaled down (smooth edges), then softened a little,
    as a photograph would be. Boxes are in the tile's coordinates.
    """
    skin = rng.choice(SKIN_TONES)
    hair = rng.choice(HAIR_COLOURS)
    w, h = float(width), width * 1.3
    tile_w, tile_h = int(w * 2.0), int(h * 1.9)
    ss = 3

    def s(v: float) -> int:
        return int(round(v * ss))

    cx, cy = tile_w / 2, tile_h * 0.45
    fx0, fy0, fx1, fy1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    img = Image.new("RGBA", (tile_w * ss, tile_h * ss), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    cloth = tuple(rng.randrange(30, 220) for _ in range(3))
    # Neck, shoulders, hair behind the head, the face.
    d.rectangle(
        [s(cx - w * 0.2), s(cy + h * 0.3), s(cx + w * 0.2), s(cy + h * 0.75)],
        fill=_shade(skin, 0.8),
    )
    d.ellipse(
        [s(cx - w * 0.95), s(cy + h * 0.62), s(cx + w * 0.95), s(cy + h * 1.4)], fill=(*cloth, 255)
    )
    long_hair = rng.random() < 0.35
    d.ellipse(
        [
            s(fx0 - w * 0.08),
            s(fy0 - h * 0.1),
            s(fx1 + w * 0.08),
            s(cy + h * (0.55 if long_hair else 0.2)),
        ],
        fill=(*hair, 255),
    )
    d.ellipse([s(fx0), s(fy0), s(fx1), s(fy1)], fill=(*skin, 255))
    # Rim shading (the face is round) and highlights on forehead, nose bridge and cheeks.
    face_mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(face_mask).ellipse([s(fx0), s(fy0), s(fx1), s(fy1)], fill=255)
    inner = Image.new("L", img.size, 0)
    ImageDraw.Draw(inner).ellipse(
        [s(fx0 + w * 0.12), s(fy0 + h * 0.1), s(fx1 - w * 0.12), s(fy1 - h * 0.08)], fill=255
    )
    inner = inner.filter(ImageFilter.GaussianBlur(s(w * 0.08)))
    img.paste(
        Image.new("RGBA", img.size, _shade(skin, 0.78)),
        (0, 0),
        ImageChops.multiply(face_mask, ImageChops.invert(inner)),
    )
    light = Image.new("L", img.size, 0)
    ld = ImageDraw.Draw(light)
    strength = rng.randrange(0, 200)
    ld.ellipse(
        [s(cx - w * 0.22), s(fy0 + h * 0.12), s(cx + w * 0.22), s(fy0 + h * 0.34)], fill=strength
    )
    ld.ellipse(
        [s(cx - w * 0.05), s(fy0 + h * 0.42), s(cx + w * 0.05), s(fy0 + h * 0.64)], fill=strength
    )
    for side in (-1, 1):
        x = cx + side * w * 0.22
        ld.ellipse(
            [s(x - w * 0.1), s(fy0 + h * 0.56), s(x + w * 0.1), s(fy0 + h * 0.7)], fill=strength
        )
    light = light.filter(ImageFilter.GaussianBlur(s(w * 0.04)))
    img.paste(Image.new("RGBA", img.size, _shade(skin, 1.3)), (0, 0), light)
    d = ImageDraw.Draw(img)
    fringe = rng.uniform(0.3, 0.48)
    d.chord(
        [s(fx0 - w * 0.02), s(fy0 - h * 0.08), s(fx1 + w * 0.02), s(fy0 + h * fringe)],
        180,
        360,
        fill=(*hair, 255),
    )
    # Eye sockets, brows, eyes.
    ey = fy0 + h * 0.45
    socket = rng.uniform(0.55, 0.72)
    for side in (-1, 1):
        ex = cx + side * w * 0.21
        d.ellipse(
            [s(ex - w * 0.16), s(ey - h * 0.08), s(ex + w * 0.16), s(ey + h * 0.07)],
            fill=_shade(skin, socket),
        )
    sclera_mix = rng.uniform(0.3, 0.6)
    sclera = (*(int(v * (1 - sclera_mix) + 225 * sclera_mix) for v in skin), 255)
    for side in (-1, 1):
        ex = cx + side * w * 0.21
        d.line(
            [s(ex - w * 0.14), s(ey - h * 0.085), s(ex + w * 0.14), s(ey - h * 0.095)],
            fill=(*hair, 255),
            width=max(1, s(w * 0.045)),
        )
        d.ellipse(
            [s(ex - w * 0.09), s(ey - h * 0.025), s(ex + w * 0.09), s(ey + h * 0.025)], fill=sclera
        )
        d.ellipse(
            [s(ex - w * 0.045), s(ey - h * 0.032), s(ex + w * 0.045), s(ey + h * 0.032)],
            fill=(30, 22, 18, 255),
        )
    if rng.random() < 0.2:  # glasses
        for side in (-1, 1):
            ex = cx + side * w * 0.21
            d.rounded_rectangle(
                [s(ex - w * 0.15), s(ey - h * 0.07), s(ex + w * 0.15), s(ey + h * 0.07)],
                radius=s(w * 0.04),
                outline=(20, 20, 20, 255),
                width=max(1, s(w * 0.02)),
            )
        d.line(
            [s(cx - w * 0.06), s(ey - h * 0.02), s(cx + w * 0.06), s(ey - h * 0.02)],
            fill=(20, 20, 20, 255),
            width=max(1, s(w * 0.02)),
        )
    # Nose: shaded sides, nostrils; mouth darker than the skin.
    ny = fy0 + h * 0.66
    for side in (-1, 1):
        d.polygon(
            [
                (s(cx + side * w * 0.02), s(ey + h * 0.02)),
                (s(cx + side * w * 0.09), s(ny)),
                (s(cx + side * w * 0.03), s(ny)),
            ],
            fill=_shade(skin, 0.82),
        )
    d.ellipse(
        [s(cx - w * 0.1), s(ny - h * 0.02), s(cx + w * 0.1), s(ny + h * 0.03)],
        fill=_shade(skin, 0.65),
    )
    my = fy0 + h * 0.79
    lip = (min(255, int(skin[0] * 0.75 + 30)), int(skin[1] * 0.5), int(skin[2] * 0.5), 255)
    half = w * rng.uniform(0.12, 0.18)
    d.ellipse([s(cx - half), s(my - h * 0.035), s(cx + half), s(my + h * 0.035)], fill=lip)
    d.line(
        [s(cx - half * 0.95), s(my), s(cx + half * 0.95), s(my)],
        fill=(60, 20, 20, 255),
        width=max(1, s(w * 0.015)),
    )
    if rng.random() < 0.25:  # one side of the face in shadow
        shadow = Image.new("L", img.size, 0)
        left = rng.random() < 0.5
        ImageDraw.Draw(shadow).rectangle(
            [0 if left else s(cx), 0, s(cx) if left else img.width, img.height], fill=70
        )
        shadow = ImageChops.multiply(shadow, face_mask).filter(
            ImageFilter.GaussianBlur(s(w * 0.05))
        )
        img.paste(Image.new("RGBA", img.size, (0, 0, 0, 255)), (0, 0), shadow)
    img = img.resize((tile_w, tile_h), Image.Resampling.LANCZOS)
    img = img.filter(ImageFilter.GaussianBlur(max(0.5, w / 80)))
    face = DrawnFace(
        box=(int(fx0), int(fy0), int(w), int(h)),
        core=(
            int(cx - w * 0.3),
            int(ey - h * 0.06),
            int(w * 0.6),
            int(my + h * 0.04 - ey + h * 0.06),
        ),
    )
    return img, face


def _background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    kind = rng.choice(["flat", "gradient", "blotches", "stripes", "room"])
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    if kind == "flat":
        return Image.new("RGB", size, tuple(rng.randrange(40, 230) for _ in range(3)))
    if kind == "gradient":
        a = np.array([rng.randrange(40, 230) for _ in range(3)], float)
        b = np.array([rng.randrange(40, 230) for _ in range(3)], float)
        t = np.linspace(0, 1, size[1])[:, None, None]
        return Image.fromarray(((a * (1 - t) + b * t) * np.ones((1, size[0], 1))).astype(np.uint8))
    if kind == "blotches":
        cell = rng.choice([20, 40, 80])
        small = nrng.integers(40, 230, (size[1] // cell + 2, size[0] // cell + 2, 3), np.uint8)
        return Image.fromarray(small).resize(size, Image.Resampling.BICUBIC)
    img = Image.new("RGB", size, tuple(rng.randrange(60, 230) for _ in range(3)))
    d = ImageDraw.Draw(img)
    if kind == "stripes":
        step = rng.randrange(15, 60)
        colour = tuple(rng.randrange(40, 230) for _ in range(3))
        for x in range(0, size[0], step * 2):
            d.rectangle([x, 0, x + step, size[1]], fill=colour)
        return img
    # A room: a floor, a window, shelves, a picture frame.
    wall = tuple(rng.randrange(120, 230) for _ in range(3))
    d.rectangle([0, 0, size[0], size[1]], fill=wall)
    d.rectangle(
        [0, int(size[1] * 0.7), size[0], size[1]],
        fill=tuple(rng.randrange(60, 160) for _ in range(3)),
    )
    for _ in range(rng.randrange(1, 4)):
        x, y = rng.randrange(size[0]), rng.randrange(int(size[1] * 0.6))
        bw, bh = rng.randrange(60, 300), rng.randrange(40, 200)
        d.rectangle(
            [x, y, x + bw, y + bh],
            fill=tuple(rng.randrange(30, 250) for _ in range(3)),
            outline=(40, 40, 40),
            width=rng.randrange(2, 8),
        )
    return img.filter(ImageFilter.GaussianBlur(1))


def _overlaps(a: Box, b: Box, margin: int = 0) -> bool:
    return not (
        a[0] + a[2] + margin <= b[0]
        or b[0] + b[2] + margin <= a[0]
        or a[1] + a[3] + margin <= b[1]
        or b[1] + b[3] + margin <= a[1]
    )


def face_scene(seed: int) -> Scene:
    """An image with 1–4 drawn faces, 40–400 px wide, on a varied background."""
    rng = random.Random(seed)
    size = rng.choice([(640, 480), (800, 600), (1024, 768), (1280, 960), (960, 1280), (1600, 1200)])
    scene = Scene(_background(rng, size))
    placed: list[Box] = []
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        width = int(math.exp(rng.uniform(math.log(40), math.log(400))))
        width = min(width, int(min(size) / 2.6))
        tile, face = draw_face(width, rng)
        angle = rng.uniform(-12, 12)
        tile = tile.rotate(angle, resample=Image.Resampling.BICUBIC)
        for _attempt in range(30):
            x = rng.randrange(0, max(1, size[0] - tile.width))
            y = rng.randrange(0, max(1, size[1] - tile.height))
            spot = (x, y, tile.width, tile.height)
            if not any(_overlaps(spot, p) for p in placed):
                break
        else:
            continue
        placed.append(spot)
        scene.image.paste(tile, (x, y), tile)
        # Rotation about the tile's centre moves the face; move its boxes with it.
        scene.faces.append(
            DrawnFace(_rotated(face.box, tile, angle, x, y), _rotated(face.core, tile, angle, x, y))
        )
    return scene


def _rotated(box: Box, tile: Image.Image, angle: float, x: int, y: int) -> Box:
    """The axis-aligned box around ``box`` turned by ``angle``° about the tile's centre."""
    cx, cy = tile.width / 2, tile.height / 2
    a = math.radians(-angle)  # PIL turns counter-clockwise; image y points down
    xs, ys = [], []
    for px, py in (
        (box[0], box[1]),
        (box[0] + box[2], box[1]),
        (box[0], box[1] + box[3]),
        (box[0] + box[2], box[1] + box[3]),
    ):
        dx, dy = px - cx, py - cy
        xs.append(cx + dx * math.cos(a) - dy * math.sin(a))
        ys.append(cy + dx * math.sin(a) + dy * math.cos(a))
    return (int(min(xs)) + x, int(min(ys)) + y, int(max(xs) - min(xs)), int(max(ys) - min(ys)))


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


WORDS = [
    "harbour",
    "market",
    "open daily",
    "station",
    "river",
    "garden",
    "summer sale",
    "north",
    "bakery",
    "hotel",
    "quiet",
    "library",
    "exit",
    "parking",
    "museum",
]


def face_free_scene(seed: int) -> Image.Image:
    """An image without a face: a landscape, shapes, or text."""
    rng = random.Random(seed)
    size = rng.choice([(640, 480), (800, 600), (1024, 768), (1280, 960), (768, 1024)])
    kind = ("landscape", "shapes", "text", "texture")[seed % 4]
    if kind == "texture":
        return _background(rng, size)
    img = Image.new("RGB", size, tuple(rng.randrange(150, 250) for _ in range(3)))
    d = ImageDraw.Draw(img)
    w, h = size
    if kind == "landscape":
        top = np.array([rng.randrange(60, 140), rng.randrange(120, 200), rng.randrange(200, 255)])
        t = np.linspace(0, 1, h)[:, None, None]
        sky = (top * (1 - t) + np.array([230, 230, 240]) * t) * np.ones((1, w, 1))
        img = Image.fromarray(sky.astype(np.uint8))
        d = ImageDraw.Draw(img)
        sun = rng.randrange(20, 60)
        sx, sy = rng.randrange(w), rng.randrange(h // 3)
        d.ellipse([sx - sun, sy - sun, sx + sun, sy + sun], fill=(250, 230, 150))
        for layer in range(3):
            base = int(h * (0.45 + 0.15 * layer))
            points = (
                [(0, h)]
                + [(x, base - rng.randrange(0, int(h * 0.25))) for x in range(0, w + 80, 80)]
                + [(w, h)]
            )
            shade = 110 - 30 * layer
            d.polygon(points, fill=(shade // 2, shade, shade // 2 + 20))
        for _ in range(rng.randrange(5, 25)):  # trees
            x, y = rng.randrange(w), rng.randrange(int(h * 0.6), h)
            r = rng.randrange(10, 40)
            d.rectangle([x - r // 6, y, x + r // 6, y + r], fill=(80, 50, 30))
            d.ellipse([x - r, y - 2 * r, x + r, y + r // 3], fill=(30, rng.randrange(90, 150), 40))
        return img.filter(ImageFilter.GaussianBlur(1))
    if kind == "shapes":
        for _ in range(rng.randrange(8, 30)):
            x, y = rng.randrange(w), rng.randrange(h)
            r = rng.randrange(10, 150)
            colour = tuple(rng.randrange(0, 255) for _ in range(3))
            shape = rng.randrange(3)
            if shape == 0:
                d.ellipse([x - r, y - r, x + r, y + r], fill=colour)
            elif shape == 1:
                d.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
            else:
                d.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=colour)
        return img.filter(ImageFilter.GaussianBlur(0.8))
    for _ in range(rng.randrange(6, 20)):
        size_pt = rng.randrange(14, 70)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4)))
        d.text(
            (rng.randrange(w), rng.randrange(h)),
            text,
            font=_font(LATIN_FONT, size_pt),
            fill=tuple(rng.randrange(0, 120) for _ in range(3)),
        )
    return img


HANGUL_PLATE = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호"


def plate_text(rng: random.Random) -> str:
    """A Korean plate number: 2–3 digits, a Hangul syllable, 4 digits ("12가 3456")."""
    return (
        f"{rng.randrange(10, 1000) if rng.random() < 0.5 else rng.randrange(10, 100)}"
        f"{rng.choice(HANGUL_PLATE)} {rng.randrange(1000, 10000)}"
    )


def plate_scene(seed: int) -> Scene:
    """A car seen from behind (a body, a rear window, lights) with a white Korean plate."""
    rng = random.Random(seed)
    size = rng.choice([(800, 600), (1024, 768), (1280, 960)])
    img = _background(rng, size)
    d = ImageDraw.Draw(img)
    w, h = size
    car_w = int(w * rng.uniform(0.35, 0.8))
    car_h = int(car_w * rng.uniform(0.55, 0.7))
    x0 = rng.randrange(0, w - car_w)
    y0 = rng.randrange(0, max(1, h - car_h))
    body = tuple(rng.randrange(20, 230) for _ in range(3))
    d.rounded_rectangle(
        [x0, y0 + car_h * 0.35, x0 + car_w, y0 + car_h], radius=car_w // 20, fill=body
    )
    d.rounded_rectangle(
        [x0 + car_w * 0.12, y0, x0 + car_w * 0.88, y0 + car_h * 0.4],
        radius=car_w // 15,
        fill=tuple(int(c * 0.8) for c in body),
    )
    d.rectangle(
        [x0 + car_w * 0.18, y0 + car_h * 0.06, x0 + car_w * 0.82, y0 + car_h * 0.33],
        fill=(50, 60, 70),
    )
    for side in (0, 1):
        lx = x0 + (car_w * 0.04 if side == 0 else car_w * 0.8)
        d.rectangle(
            [lx, y0 + car_h * 0.45, lx + car_w * 0.16, y0 + car_h * 0.58], fill=(200, 30, 30)
        )
    d.rectangle(
        [x0 + car_w * 0.03, y0 + car_h * 0.9, x0 + car_w * 0.97, y0 + car_h], fill=(30, 30, 30)
    )
    # The plate: 520 × 110 mm, so 4.7 : 1; white, black border and characters.
    pw = int(car_w * rng.uniform(0.28, 0.36))
    ph = int(pw / 4.7)
    px = x0 + (car_w - pw) // 2
    py = int(y0 + car_h * 0.66)
    d.rounded_rectangle(
        [px, py, px + pw, py + ph],
        radius=max(1, ph // 8),
        fill=(245, 245, 240),
        outline=(20, 20, 20),
        width=max(1, ph // 18),
    )
    text = plate_text(rng)
    font_path = CJK_FONT if CJK_FONT.exists() else LATIN_FONT
    if not CJK_FONT.exists():
        text = text.translate({ord(c): None for c in HANGUL_PLATE}).replace(" ", "  ")
    font = _font(font_path, max(8, int(ph * 0.8)))
    left, top, right, bottom = d.textbbox((0, 0), text, font=font)
    scale = min(1.0, (pw * 0.9) / max(1, right - left))
    if scale < 1.0:
        font = _font(font_path, max(8, int(ph * 0.8 * scale)))
        left, top, right, bottom = d.textbbox((0, 0), text, font=font)
    d.text(
        (px + (pw - (right - left)) / 2 - left, py + (ph - (bottom - top)) / 2 - top),
        text,
        font=font,
        fill=(15, 15, 15),
    )
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    return Scene(img, plates=[(px, py, pw, ph)])

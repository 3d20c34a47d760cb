"""Generated demo media: small images of shapes, so the demo needs no downloads."""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

SHAPES = ("circle", "square", "triangle")
COLORS = [(220, 68, 55), (15, 157, 88), (66, 133, 244), (244, 180, 0), (171, 71, 188)]


def shape_image(shape: str, seed: int, size: int = 160) -> bytes:
    rng = random.Random(seed)
    img = Image.new("RGB", (size, size), (245, 245, 245))
    draw = ImageDraw.Draw(img)
    color = rng.choice(COLORS)
    m = rng.randint(18, 40)
    box = (m, m, size - m, size - m)
    if shape == "circle":
        draw.ellipse(box, fill=color)
    elif shape == "square":
        draw.rectangle(box, fill=color)
    else:
        draw.polygon([(size // 2, m), (size - m, size - m), (m, size - m)], fill=color)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def save_shape(shape: str, seed: int) -> str:
    """Store one generated image through the storage API and return its URL."""
    name = f"demo/{shape}-{seed}.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(shape_image(shape, seed)))
    return default_storage.url(name)

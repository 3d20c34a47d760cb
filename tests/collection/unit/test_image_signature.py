"""The verification signature: copies of a photo (re-encoded, resized, brightened, cropped a
few percent) score at least VERIFY_THRESHOLD; other scenes, and siblings of the same scene
with their shapes recoloured or moved, score below. And the two-stage lookup (hashes within
SEARCH_DISTANCE, then signatures) finds a cropped copy the hash alone misses."""

from __future__ import annotations

import io
import itertools
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance

from datadam.collection.fingerprints.image import (
    HASH_ONLY_DISTANCE,
    SEARCH_DISTANCE,
    SIGNATURE_BYTES,
    VERIFY_THRESHOLD,
    hamming,
    image_fingerprint,
    image_hash,
    image_signature,
    near_match,
    signature_similarity,
)
from datadam.collection.fingerprints.index import HammingIndex

W, H = 960, 720


def scene_spec(seed: int) -> dict:
    """A background gradient and 5-9 shapes (big enough to matter), as data."""
    rng = random.Random(seed)
    shapes = []
    for _ in range(rng.randrange(5, 10)):
        x0, y0 = rng.uniform(-0.05, 0.8), rng.uniform(-0.05, 0.8)
        shapes.append({"box": [x0, y0, x0 + rng.uniform(0.1, 0.35), y0 + rng.uniform(0.1, 0.35)],
                       "ellipse": rng.random() < 0.5,
                       "colour": tuple(rng.randrange(256) for _ in range(3))})
    a, b = ([rng.randrange(256) for _ in range(3)] for _ in range(2))
    return {"a": a, "b": b, "angle": rng.uniform(0, 6.28), "shapes": shapes, "seed": seed}


def render(spec: dict) -> Image.Image:
    x = np.linspace(0, 1, W, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
    t = np.cos(spec["angle"]) * x + np.sin(spec["angle"]) * y
    t = (t - t.min()) / (t.max() - t.min())
    a, b = np.array(spec["a"], np.float32), np.array(spec["b"], np.float32)
    image = Image.fromarray((a + (b - a) * t).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for s in spec["shapes"]:
        box = [s["box"][0] * W, s["box"][1] * H, s["box"][2] * W, s["box"][3] * H]
        (draw.ellipse if s["ellipse"] else draw.rectangle)(box, fill=s["colour"])
    draw.text((0.1 * W, 0.75 * H), "bus stop 42", fill=(255, 255, 255), font_size=H // 10)
    pixels = np.asarray(image, np.float32)
    pixels += np.random.default_rng(spec["seed"]).normal(0, 4, pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def recoloured(spec: dict, rng: random.Random) -> dict:
    shapes = [{**s, "colour": tuple(rng.randrange(256) for _ in range(3))} for s in spec["shapes"]]
    return {**spec, "shapes": shapes}


def moved(spec: dict, rng: random.Random) -> dict:
    shapes = []
    for s in spec["shapes"]:
        dx, dy = rng.choice([-1, 1]) * rng.uniform(0.1, 0.25), rng.choice([-1, 1]) * rng.uniform(
            0.1, 0.25)
        x0, y0, x1, y1 = s["box"]
        shapes.append({**s, "box": [x0 + dx, y0 + dy, x1 + dx, y1 + dy]})
    return {**spec, "shapes": shapes}


def encoded(image: Image.Image, fmt: str, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, fmt, quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def cropped(image: Image.Image, left=0.0, top=0.0, right=0.0, bottom=0.0) -> Image.Image:
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * (1 - right)),
                       round(h * (1 - bottom))))


def halved(image: Image.Image) -> Image.Image:
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)


SPECS = [scene_spec(seed) for seed in range(10)]
PHOTOS = [render(spec) for spec in SPECS]
SIGNATURES = [image_signature(p) for p in PHOTOS]

COPIES = {
    "jpeg40": lambda p: encoded(p, "JPEG", 40),
    "webp60": lambda p: encoded(p, "WEBP", 60),
    "half": lambda p: encoded(halved(p), "JPEG", 85),
    "quarter": lambda p: encoded(halved(halved(p)), "JPEG", 85),
    "brighter": lambda p: encoded(ImageEnhance.Brightness(p).enhance(1.1), "JPEG", 85),
    "darker_half_q40": lambda p: encoded(halved(ImageEnhance.Brightness(p).enhance(0.85)),
                                         "JPEG", 40),
    "crop_left_8": lambda p: encoded(cropped(p, left=0.08), "JPEG", 85),
    "crop_all_4": lambda p: encoded(cropped(p, 0.04, 0.04, 0.04, 0.04), "JPEG", 85),
    "crop_top_right_half": lambda p: encoded(halved(cropped(p, top=0.07, right=0.03)),
                                             "JPEG", 80),
}


@pytest.mark.parametrize("make_copy", COPIES.values(), ids=COPIES.keys())
def test_reencoded_resized_brightened_and_cropped_copies_reach_the_threshold(make_copy):
    scores = [signature_similarity(s, image_signature(make_copy(p)))
              for p, s in zip(PHOTOS, SIGNATURES, strict=True)]
    assert min(scores) >= VERIFY_THRESHOLD, np.round(scores, 4)


def test_a_crop_is_recognised_whichever_of_the_two_was_stored_first():
    copy = image_signature(encoded(cropped(PHOTOS[3], left=0.06, bottom=0.05), "JPEG", 85))
    assert signature_similarity(SIGNATURES[3], copy) == pytest.approx(
        signature_similarity(copy, SIGNATURES[3]), abs=1e-6)
    assert signature_similarity(copy, SIGNATURES[3]) >= VERIFY_THRESHOLD


def test_different_scenes_score_far_below_the_threshold():
    scores = [signature_similarity(a, b) for a, b in itertools.combinations(SIGNATURES, 2)]
    assert max(scores) < VERIFY_THRESHOLD - 0.05, sorted(scores)[-3:]


@pytest.mark.parametrize("change", [recoloured, moved], ids=["recoloured", "moved"])
def test_siblings_of_a_scene_score_below_the_threshold(change):
    rng = random.Random(7)
    scores = [signature_similarity(s, image_signature(render(change(spec, rng))))
              for spec, s in zip(SPECS, SIGNATURES, strict=True)]
    assert max(scores) < VERIFY_THRESHOLD, np.round(scores, 4)


def test_the_signature_is_a_version_byte_and_three_32_by_32_planes():
    value, signature = image_fingerprint(PHOTOS[0])
    assert value == image_hash(PHOTOS[0]) and signature == SIGNATURES[0]
    assert len(signature) == SIGNATURE_BYTES == 1 + 3 * 32 * 32 and signature[0] == 1
    assert signature_similarity(signature, signature) == pytest.approx(1.0, abs=1e-5)
    assert signature_similarity(memoryview(signature), signature) == pytest.approx(1.0, abs=1e-5)
    grey = image_signature(PHOTOS[0].convert("L"))
    assert set(grey[1 + 32 * 32 :]) == {128}  # no colour: Cb and Cr at their middle


@pytest.mark.parametrize("bad", [b"", b"\x01" * 10, b"\x02" + bytes(3 * 32 * 32)],
                         ids=["empty", "short", "other-version"])
def test_bytes_that_are_not_a_signature_are_refused(bad):
    with pytest.raises(ValueError):
        signature_similarity(bad, SIGNATURES[0])


def test_flat_photos_match_only_flat_photos_of_the_same_colour():
    wall = image_signature(Image.new("RGB", (640, 480), (120, 130, 140)))
    same_wall = image_signature(encoded(Image.new("RGB", (320, 240), (121, 130, 139)), "JPEG",
                                        80))
    black = image_signature(Image.new("RGB", (640, 480), (0, 0, 0)))
    assert signature_similarity(wall, same_wall) == 1.0
    assert signature_similarity(wall, black) == 0.0
    assert signature_similarity(wall, SIGNATURES[0]) == 0.0


def test_without_a_signature_on_either_side_the_hash_decides_within_the_hash_only_distance():
    assert near_match(HASH_ONLY_DISTANCE, SIGNATURES[0], None) == (True, None)
    assert near_match(HASH_ONLY_DISTANCE + 1, None, SIGNATURES[0]) == (False, None)
    assert near_match(3, SIGNATURES[0], SIGNATURES[0][:10]) == (True, None)  # unreadable
    assert near_match(12, None, None, hash_only_distance=12) == (True, None)
    kept, similarity = near_match(0, SIGNATURES[0], SIGNATURES[1])
    assert not kept and similarity < VERIFY_THRESHOLD


def two_stage(index: HammingIndex, signatures: dict[int, bytes], value: int,
              signature: bytes) -> list[int]:
    """What collection.dedup does, without the database: hashes within the search
    distance, each kept by ``near_match``."""
    return [pk for pk, distance in index.query(value, SEARCH_DISTANCE, limit=64)
            if near_match(distance, signature, signatures.get(pk))[0]]


def test_the_two_stage_lookup_finds_a_cropped_copy_the_hash_alone_misses():
    rng = np.random.default_rng(5)
    index = HammingIndex()
    hashes = [image_hash(p) for p in PHOTOS]
    index.add(np.arange(len(PHOTOS)), np.array(hashes, dtype=np.uint64))
    index.add(np.arange(100, 50_100), rng.integers(0, 2**64 - 1, 50_000, dtype=np.uint64,
                                                   endpoint=True))
    signatures = dict(enumerate(SIGNATURES))
    crops = [dict(left=0.08), dict(top=0.08), dict(right=0.07, bottom=0.07),
             dict(left=0.06, top=0.06), dict(left=0.08, right=0.08), dict(top=0.05, left=0.03)]
    far = []  # (photo, its copy's hash, signature): copies more than 8 bits away
    for i, photo in enumerate(PHOTOS):
        for crop in crops:
            value, signature = image_fingerprint(encoded(cropped(photo, **crop), "JPEG", 85))
            if HASH_ONLY_DISTANCE < hamming(value, hashes[i]) <= SEARCH_DISTANCE:
                far.append((i, value, signature))
    assert far, "no crop moved its hash more than the hash-only distance"
    for i, value, signature in far:
        assert i not in dict(index.query(value, HASH_ONLY_DISTANCE))  # the hash alone misses
        assert two_stage(index, signatures, value, signature) == [i]


def test_the_two_stage_lookup_keeps_nothing_for_siblings_and_new_scenes():
    index = HammingIndex()
    index.add(np.arange(len(PHOTOS)), np.array([image_hash(p) for p in PHOTOS], np.uint64))
    signatures = dict(enumerate(SIGNATURES))
    rng = random.Random(11)
    others = [render(recoloured(spec, rng)) for spec in SPECS[:5]]
    others += [render(scene_spec(seed)) for seed in range(100, 105)]
    for other in others:
        value, signature = image_fingerprint(other)
        assert two_stage(index, signatures, value, signature) == []

"""Perceptual fingerprints: copies of a photo or a recording stay near, different ones far."""

from __future__ import annotations

import importlib.util
import io
import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance

from datadam.collection.checks.audio import decode_audio
from datadam.collection.fingerprints import audio as audio_fp
from datadam.collection.fingerprints.audio import audio_hash
from datadam.collection.fingerprints.image import (
    HASH_ONLY_DISTANCE,
    hamming,
    image_hash,
    to_signed,
    to_unsigned,
)


def _sibling_module(name: str):
    """The audio test's generators (speech, encode), shared without a conftest."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"collection_unit_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audio_tests = _sibling_module("test_checks_audio")
speech, encode = audio_tests.speech, audio_tests.encode
RATE = audio_tests.RATE


def photo(seed: int, w: int = 960, h: int = 720) -> Image.Image:
    """A generated photo: a two-colour gradient, 4-10 shapes, a line of text, some noise."""
    rng = random.Random(seed)
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    a, b = (np.array([rng.randrange(256) for _ in range(3)], np.float32) for _ in range(2))
    angle = rng.uniform(0, 6.28)
    t = np.cos(angle) * x + np.sin(angle) * y
    t = (t - t.min()) / (t.max() - t.min())
    image = Image.fromarray((a + (b - a) * t).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randrange(4, 11)):
        x0, y0 = rng.uniform(-0.1, 0.9) * w, rng.uniform(-0.1, 0.9) * h
        box = [x0, y0, x0 + rng.uniform(0.05, 0.4) * w, y0 + rng.uniform(0.05, 0.4) * h]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    draw.text((0.1 * w, 0.7 * h), "bus stop 42", fill=(255, 255, 255), font_size=h // 10)
    pixels = np.asarray(image, np.float32)
    pixels += np.random.default_rng(seed).normal(0, 4, pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def reencoded(image: Image.Image, fmt: str, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, fmt, quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def crop(image: Image.Image, left=0.0, top=0.0, right=0.0, bottom=0.0) -> Image.Image:
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * (1 - right)),
                       round(h * (1 - bottom))))


PHOTOS = [photo(seed) for seed in range(12)]
HASHES = [image_hash(p) for p in PHOTOS]


@pytest.mark.parametrize("make_copy", [
    lambda p: reencoded(p, "JPEG", 30),
    lambda p: reencoded(p, "JPEG", 95),
    lambda p: reencoded(p, "WEBP", 60),
    lambda p: p.resize((p.width // 4, p.height // 4), Image.Resampling.LANCZOS),
    lambda p: reencoded(ImageEnhance.Brightness(p).enhance(1.15), "JPEG", 80),
], ids=["jpeg30", "jpeg95", "webp", "quarter", "brighter"])
def test_reencoded_resized_and_brightened_copies_stay_within_the_hash_only_distance(make_copy):
    distances = [hamming(h, image_hash(make_copy(p))) for p, h in zip(PHOTOS, HASHES,
                                                                      strict=True)]
    assert max(distances) <= HASH_ONLY_DISTANCE, distances


def test_most_copies_cropped_a_few_percent_stay_within_the_hash_only_distance():
    distances = []
    for p, h in zip(PHOTOS, HASHES, strict=True):
        distances.append(hamming(h, image_hash(crop(p, left=0.05))))
        distances.append(hamming(h, image_hash(crop(p, 0.03, 0.03, 0.03, 0.03))))
    within = sum(d <= HASH_ONLY_DISTANCE for d in distances)
    assert within >= 0.8 * len(distances), distances


def test_different_photos_are_further_apart_than_the_hash_only_distance():
    distances = [hamming(a, b) for a, b in itertools.combinations(HASHES, 2)]
    assert min(distances) > HASH_ONLY_DISTANCE, sorted(distances)[:5]
    assert 24 <= np.median(distances) <= 40


def test_the_hash_is_64_bits_and_a_grey_photo_has_no_colour_bits():
    assert all(0 <= h < 2**64 for h in HASHES)
    grey = PHOTOS[0].convert("L")
    value = image_hash(grey)
    assert value & (2**30 - 1) == 0  # the 30 chroma bits come last
    assert value == image_hash(grey.convert("RGB"))
    assert hamming(value, image_hash(PHOTOS[0])) <= 30 + HASH_ONLY_DISTANCE


def test_signed_and_unsigned_forms_round_trip_and_compare_alike():
    for value in (0, 1, 2**63 - 1, 2**63, 2**64 - 1, *HASHES):
        signed = to_signed(value)
        assert -(2**63) <= signed < 2**63
        assert to_unsigned(signed) == value
        assert to_signed(signed) == signed
        assert hamming(signed, value) == 0
    assert to_signed(2**64 - 1) == -1
    assert hamming(-1, 0) == 64
    assert hamming(0b1011, 0b0001) == 2
    with pytest.raises(ValueError):
        to_signed(2**64)
    with pytest.raises(ValueError):
        to_unsigned(-(2**63) - 1)


CLIPS = [speech(5, seed=seed) for seed in range(8)]
CLIP_HASHES = [audio_hash(c, RATE) for c in CLIPS]


def test_a_recording_reencoded_through_opus_keeps_its_fingerprint():
    for clip, value in zip(CLIPS, CLIP_HASHES, strict=True):
        decoded, rate = decode_audio(encode(clip))
        assert hamming(value, audio_hash(decoded, rate)) <= audio_fp.DEFAULT_MAX_DISTANCE


def test_gain_and_small_trims_keep_the_fingerprint():
    for clip, value in zip(CLIPS, CLIP_HASHES, strict=True):
        assert hamming(value, audio_hash(clip * 0.3, RATE)) <= 2
        assert hamming(value, audio_hash(np.clip(clip * 2, -1, 1), RATE)) <= 4
        trims = [clip[RATE // 10 :], clip[: -RATE // 5], clip[RATE // 20 : -RATE // 20]]
        for trimmed in trims:
            assert hamming(value, audio_hash(trimmed, RATE)) <= audio_fp.DEFAULT_MAX_DISTANCE


def test_the_same_recording_at_another_sample_rate_keeps_its_fingerprint():
    clip = speech(5, seed=3, rate=44_100)
    decoded, rate = decode_audio(encode(clip, 44_100, "wav", "pcm_s16le", bit_rate=None))
    assert hamming(audio_hash(clip, 44_100), audio_hash(decoded, rate)) <= 4


def test_different_recordings_have_distant_fingerprints():
    others = CLIP_HASHES + [audio_hash(speech(5, seed=seed), RATE) for seed in range(50, 70)]
    distances = [hamming(a, b) for a, b in itertools.combinations(others, 2)]
    assert min(distances) > audio_fp.DEFAULT_MAX_DISTANCE
    assert 24 <= np.median(distances) <= 40


def test_a_part_of_a_longer_recording_is_not_found_by_design():
    long = np.concatenate([CLIPS[0], CLIPS[1]])
    assert hamming(audio_hash(long, RATE), CLIP_HASHES[0]) > audio_fp.DEFAULT_MAX_DISTANCE


def test_silence_and_tiny_clips_get_a_fingerprint_without_error():
    assert audio_hash(np.zeros(RATE, np.float32), RATE) == 0
    assert 0 <= audio_hash(np.zeros(10, np.float32), RATE) < 2**64
    assert 0 <= audio_hash(np.ones(3, np.float32), 8000) < 2**64
    with pytest.raises(ValueError):
        audio_hash(np.zeros(10, np.float32), 0)

"""Near-duplicate benchmark: photo checks and the two-stage photo lookup at 1M hashes.

    python benchmarks/bench_dedup.py [--sources 500] [--fill-images 25000] [--fresh 1000]
                                     [--hashes 1000000] [--processes N] [--seed 0]

There is no photo corpus here, so every photo is a generated scene (gradients, low-frequency
fields, stripes, checkers, horizons and multi-scale textures, with 3-15 shapes, up to 3
lines of text, sensor-like noise and a third of them desaturated), drawn by a seeded
generator (``--seed`` shifts every seed: other scenes of the same kinds). Near-similar but
distinct scenes ("siblings": the same background with its shapes recoloured, replaced, or
moved by up to a quarter of the frame) are in the index and among the queries, so the
false-positive test is not against easy, far-apart hashes.

The index holds ``--hashes`` entries: the hashes of ``--sources`` scenes (1024×768), of
``--fill-images`` more scenes rendered small (128×96; a third of them siblings of the one
before), and uniformly random 64-bit values for the rest (``random_hashes`` in the JSON).
Random values almost never match anything; the generated scenes are what makes false
positives, so the split matters: see ``distinct_pair_rate`` for the rate per pair of
different scenes, which scales with the number of real photos in an index.

The lookup is the two stages ``collection.dedup`` runs: the hashes within
``SEARCH_DISTANCE`` bits (``HammingIndex.query``, at most 64 candidates), then each
candidate verified (``fingerprints.image.near_match``): kept when both signatures are
alike (``signature_similarity`` ≥ ``VERIFY_THRESHOLD``). The generated scenes' signatures
are held in a list by id; the random hashes have none, so a candidate among them is kept
only within ``HASH_ONLY_DISTANCE`` bits, as a stored capture without a signature would be.

Queries:

* recall: 8 copies of each source (JPEG q 40-90; WebP q 50-90; resized to 50% and to 25%;
  cropped 3-8% off each of a random non-empty set of sides; cropped then resized to 50%;
  brightness ×0.85-1.15; brightness, 50% and JPEG q 40 together). A copy is found when
  the lookup keeps its source.
* false positives: ``--fresh`` new scenes and one sibling of each source (none of them in
  the index); a false positive is a query that keeps anything.

Also measured: the time of one whole lookup (both stages), of one verification, the checks,
hash and signature of one 12-megapixel JPEG (``open_for_checks``, ``image_checks``,
``image_fingerprint``; p50 of 10 runs after a warm-up), and the sharpness of sharp scenes
against the same blurred (Gaussian radius 1.5, 3 and 6 at 1024×768, the scale the check
measures at) that ``DEFAULT_BLUR_MIN`` was chosen from. The hash alone (distance tables,
and recall and false positives at ``HASH_ONLY_DISTANCE``) goes to stderr and to
``hash_only_*`` for comparison.

The last stdout line is JSON: ``{"bench": "dedup", "hashes": ..., "query_p50_ms": ...,
"query_p95_ms": ..., "recall": ..., "false_positive_rate": ..., "search_distance": ...,
"verify_threshold": ..., "photo_checks_ms": ..., ...}``.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import multiprocessing
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import log, percentile  # noqa: E402

from datadam.collection.fingerprints.image import (  # noqa: E402
    HASH_ONLY_DISTANCE,
    SEARCH_DISTANCE,
    VERIFY_THRESHOLD,
    image_fingerprint,
    near_match,
    signature_similarity,
)

WORDS = "exit open caution sale coffee bus stop 입구 출구 station market 2026 route".split()
BACKGROUNDS = ["linear", "radial", "field", "stripes", "checker", "horizon", "texture", "flat"]
TRANSFORMS = ["jpeg", "webp", "half", "quarter", "crop", "crop_half", "bright", "messenger"]
SIBLINGS = ["recolour", "objects", "move"]
BLUR_RADII = (1.5, 3, 6)
CANDIDATES = 64  # as collection.dedup
TABLE_MAX = 16  # hash distance tables up to this many bits
Print = tuple[int, bytes]  # (hash, signature)


# --- Scenes -----------------------------------------------------------------------------------
def _colour(rng: random.Random) -> list[int]:
    return [rng.randrange(256) for _ in range(3)]


def _shape(rng: random.Random) -> dict:
    x0, y0 = rng.uniform(-0.1, 0.9), rng.uniform(-0.1, 0.9)
    size = rng.choice([0.05, 0.1, 0.2, 0.35, 0.6])
    return {
        "type": rng.choice(["ellipse", "rect", "poly", "line"]),
        "box": [x0, y0, x0 + rng.uniform(0.3, 1) * size, y0 + rng.uniform(0.3, 1) * size],
        "pts": [(rng.uniform(-0.1, 1.1), rng.uniform(-0.1, 1.1))
                for _ in range(rng.randrange(3, 7))],
        "colour": _colour(rng),
        "width": rng.uniform(0.003, 0.03),
    }


def _text(rng: random.Random) -> dict:
    return {"xy": (rng.uniform(0, 0.7), rng.uniform(0, 0.9)), "size": rng.uniform(0.03, 0.15),
            "text": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4))),
            "colour": _colour(rng)}


def scene(rng: random.Random) -> dict:
    """A random scene description, drawn at any size by ``render``."""
    cols, rows = rng.choice([3, 4, 6]), rng.choice([2, 3, 4])
    return {
        "bg": rng.choice(BACKGROUNDS),
        "c1": _colour(rng), "c2": _colour(rng),
        "angle": rng.uniform(0, 2 * math.pi), "freq": rng.uniform(2, 14),
        "field": [[rng.random() for _ in range(cols)] for _ in range(rows)],
        "horizon": rng.uniform(0.25, 0.75),
        "shapes": [_shape(rng) for _ in range(rng.randrange(3, 16))],
        "texts": [_text(rng) for _ in range(rng.choice([0, 0, 1, 2, 3]))],
        "noise": rng.choice([0, 2, 5, 10]),
        "saturation": rng.choice([1.0, 1.0, 0.5, 0.2]),
        "seed": rng.randrange(2**31),
    }


def sibling(spec: dict, rng: random.Random, how: str) -> dict:
    """A distinct scene close to ``spec``: shapes recoloured, replaced, or moved."""
    other = copy.deepcopy(spec)
    other["seed"] = rng.randrange(2**31)
    if how == "recolour":
        for shape in other["shapes"]:
            shape["colour"] = _colour(rng)
    elif how == "objects":
        other["shapes"] = [_shape(rng) for _ in other["shapes"]]
        other["texts"] = [_text(rng) for _ in other["texts"]]
    else:
        for shape in other["shapes"]:
            dx, dy = rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25)
            shape["box"] = [shape["box"][0] + dx, shape["box"][1] + dy,
                            shape["box"][2] + dx, shape["box"][3] + dy]
            shape["pts"] = [(x + dx, y + dy) for x, y in shape["pts"]]
    return other


def _background(spec: dict, w: int, h: int) -> np.ndarray:
    side = max(w, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) / side
    kind = spec["bg"]
    if kind == "linear":
        t = xx * math.cos(spec["angle"]) + yy * math.sin(spec["angle"])
        t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    elif kind == "radial":
        t = np.clip(np.hypot(xx - 0.5 * w / side, yy - 0.5 * h / side) * 1.6, 0, 1)
    elif kind == "stripes":
        along = xx * math.cos(spec["angle"]) + yy * math.sin(spec["angle"])
        t = 0.5 + 0.5 * np.sin(along * spec["freq"] * 2 * math.pi)
    elif kind == "checker":
        t = ((np.floor(xx * spec["freq"]) + np.floor(yy * spec["freq"])) % 2).astype(np.float32)
    elif kind == "horizon":
        t = (yy * side / h > spec["horizon"]).astype(np.float32) * 0.8 + yy * side / h * 0.2
    elif kind in ("field", "texture"):
        grid = (np.array(spec["field"], np.float32) * 255).astype(np.uint8)
        t = np.asarray(Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC),
                       np.float32) / 255
        if kind == "texture":  # octaves of finer random grids: grass, gravel, fabric
            r = np.random.default_rng(spec["seed"])
            for cells in (8, 24, 64):
                fine = r.integers(0, 256, (max(1, cells * h // side), cells), dtype=np.uint8)
                t += np.asarray(Image.fromarray(fine).resize((w, h), Image.Resampling.BILINEAR),
                                np.float32) / 255 * (0.6 if cells == 8 else 0.35)
            t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    else:
        t = np.zeros((h, w), np.float32)
    c1, c2 = np.array(spec["c1"], np.float32), np.array(spec["c2"], np.float32)
    return c1 + (c2 - c1) * t[..., None]


_FONTS: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}


def _font(px: float):
    px = max(6, int(px))
    if px not in _FONTS:
        _FONTS[px] = ImageFont.load_default(size=px)
    return _FONTS[px]


def render(spec: dict, w: int, h: int) -> Image.Image:
    """Draw a scene at ``w``×``h`` (coordinates are fractions of the frame)."""
    image = Image.fromarray(np.clip(_background(spec, w, h), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for s in spec["shapes"]:
        box = [s["box"][0] * w, s["box"][1] * h, s["box"][2] * w, s["box"][3] * h]
        colour = tuple(s["colour"])
        if s["type"] == "ellipse":
            draw.ellipse(box, fill=colour)
        elif s["type"] == "rect":
            draw.rectangle(box, fill=colour)
        elif s["type"] == "poly":
            draw.polygon([(x * w, y * h) for x, y in s["pts"]], fill=colour)
        else:
            draw.line([(x * w, y * h) for x, y in s["pts"][:2]], fill=colour,
                      width=max(1, int(s["width"] * w)))
    for t in spec["texts"]:
        draw.text((t["xy"][0] * w, t["xy"][1] * h), t["text"], fill=tuple(t["colour"]),
                  font=_font(t["size"] * h))
    pixels = np.asarray(image, np.float32)
    if spec["saturation"] < 1:
        grey = pixels.mean(axis=2, keepdims=True)
        pixels = grey + (pixels - grey) * spec["saturation"]
    if spec["noise"]:
        noise = np.random.default_rng(spec["seed"]).normal(0, spec["noise"], pixels.shape)
        pixels = pixels + noise.astype(np.float32)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


# --- Copies -----------------------------------------------------------------------------------
def _encoded(image: Image.Image, fmt: str, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, fmt, quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _cropped(image: Image.Image, rng: random.Random) -> Image.Image:
    """3-8% off each of a random non-empty set of sides."""
    w, h = image.size
    sides = [False] * 4
    while not any(sides):
        sides = [rng.random() < 0.5 for _ in range(4)]
    p = [rng.uniform(0.03, 0.08) if s else 0.0 for s in sides]
    return image.crop((round(w * p[0]), round(h * p[1]), w - round(w * p[2]),
                       h - round(h * p[3])))


def _scaled(image: Image.Image, factor: float) -> Image.Image:
    w, h = image.size
    return image.resize((max(1, round(w * factor)), max(1, round(h * factor))),
                        Image.Resampling.LANCZOS)


def copy_of(image: Image.Image, how: str, rng: random.Random) -> Image.Image:
    if how == "jpeg":
        return _encoded(image, "JPEG", rng.randint(40, 90))
    if how == "webp":
        return _encoded(image, "WEBP", rng.randint(50, 90))
    if how == "half":
        return _encoded(_scaled(image, 0.5), "JPEG", 85)
    if how == "quarter":
        return _encoded(_scaled(image, 0.25), "JPEG", 85)
    if how == "crop":
        return _encoded(_cropped(image, rng), "JPEG", 85)
    if how == "crop_half":
        return _encoded(_scaled(_cropped(image, rng), 0.5), "JPEG", 80)
    factor = rng.choice([0.85, 0.9, 1.1, 1.15])
    brighter = ImageEnhance.Brightness(image).enhance(factor)
    if how == "bright":
        return _encoded(brighter, "JPEG", 85)
    return _encoded(_scaled(brighter, 0.5), "JPEG", 40)  # messenger: all of it, low quality


# --- Work done in the pool (plain data in and out) ------------------------------------------
def source_work(seed: int) -> tuple[Print, list[Print], Print]:
    """One source: its hash and signature, its copies' (in TRANSFORMS order), a sibling's."""
    rng = random.Random(seed)
    spec = scene(rng)
    w, h = rng.choice([(1024, 768), (768, 1024), (1024, 576)])
    image = render(spec, w, h)
    copies = [image_fingerprint(copy_of(image, how, rng)) for how in TRANSFORMS]
    other = render(sibling(spec, rng, SIBLINGS[seed % 3]), w, h)
    return image_fingerprint(image), copies, image_fingerprint(other)


def fill_work(args: tuple[int, int]) -> list[Print]:
    """Prints of ``count`` small scenes; every third is a sibling of the one before."""
    seed, count = args
    rng = random.Random(seed)
    out, spec = [], scene(rng)
    for i in range(count):
        spec = sibling(spec, rng, SIBLINGS[i % 3]) if i % 3 == 2 else scene(rng)
        out.append(image_fingerprint(render(spec, 128, 96)))
    return out


def fresh_work(seed: int) -> Print:
    rng = random.Random(seed)
    return image_fingerprint(render(scene(rng), 640, 480))


def blur_work(seed: int) -> tuple[float, list[float]]:
    from datadam.collection.checks.image import _check_copy, sharpness

    rng = random.Random(seed)
    image = render(scene(rng), 1024, 768)
    blurred = [sharpness(_check_copy(image.filter(ImageFilter.GaussianBlur(r))))
               for r in BLUR_RADII]
    return sharpness(_check_copy(image)), blurred


# --- Measurements -------------------------------------------------------------------------------
def photo_checks_ms(runs: int = 10) -> tuple[float, int]:
    """p50 of open_for_checks + image_checks + image_fingerprint on one 12-megapixel JPEG."""
    from PIL import ExifTags

    from datadam.collection.checks.image import image_checks, open_for_checks

    rng = random.Random(12)
    spec = scene(rng)
    spec.update(bg="texture", noise=4, saturation=1.0)
    image = render(spec, 4000, 3000)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # as phones write a portrait photo
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    data = buf.getvalue()
    times = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        working, full = open_for_checks(data)
        image_checks(working, min_width=1280, min_height=720, full_size=full)
        image_fingerprint(working)
        times.append((time.perf_counter() - t0) * 1000)
    return percentile(times[1:], 50), len(data)


def distance_table(found: np.ndarray, queries: int) -> dict[int, float]:
    """Share of queries whose distance (``found``, -1 = none within TABLE_MAX) is within
    each d."""
    return {d: float(np.sum((found >= 0) & (found <= d)) / queries)
            for d in range(TABLE_MAX + 1)}


def lookup(index, signatures: list[bytes], value: int, signature: bytes
           ) -> list[tuple[int, int, float | None]]:
    """The two stages: candidates within SEARCH_DISTANCE, then each verified. The kept ones
    as (id, distance, similarity); ids past ``signatures`` (random values) have none."""
    kept = []
    for pk, distance in index.query(value, SEARCH_DISTANCE, limit=CANDIDATES):
        other = signatures[pk] if pk < len(signatures) else None
        keep, similarity = near_match(distance, signature, other)
        if keep:
            kept.append((pk, distance, similarity))
    return kept


def django_setup() -> None:
    """Settings for the checks' messages (gettext); no database is touched."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datadam.settings")
    os.environ.setdefault("SECRET_KEY", "datadam-benchmark-" + os.urandom(16).hex())
    os.environ.setdefault("DATADAM_DATA_DIR", tempfile.mkdtemp(prefix="datadam-bench-"))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--fill-images", type=int, default=25_000)
    parser.add_argument("--fresh", type=int, default=1000)
    parser.add_argument("--hashes", type=int, default=1_000_000)
    parser.add_argument("--blur-scenes", type=int, default=200)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0, help="added to every scene's seed")
    args = parser.parse_args()
    django_setup()
    from datadam.collection.checks.image import DEFAULT_BLUR_MIN
    from datadam.collection.fingerprints.index import HammingIndex

    started = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.processes) as pool:
        t0 = time.perf_counter()
        sources = pool.map(source_work, range(args.seed, args.seed + args.sources),
                           chunksize=4)
        log(f"{args.sources} sources, {len(TRANSFORMS)} copies each: "
            f"{time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        chunks = [(args.seed + 10_000 + i, min(500, args.fill_images - i))
                  for i in range(0, args.fill_images, 500)]
        fill = [p for part in pool.map(fill_work, chunks) for p in part]
        first = args.seed + 1_000_000
        fresh = pool.map(fresh_work, range(first, first + args.fresh), chunksize=8)
        log(f"{len(fill)} fill scenes, {len(fresh)} fresh scenes: {time.perf_counter() - t0:.1f}s")
        blur = pool.map(blur_work, range(2_000_000, 2_000_000 + args.blur_scenes), chunksize=4)
    checks_ms, photo_bytes = photo_checks_ms()
    log(f"12-megapixel JPEG ({photo_bytes / 1e6:.1f} MB): checks, hash and signature "
        f"{checks_ms:.1f} ms")

    # The index: sources (ids 0..), fill scenes, then random values (no signature).
    prints = [s[0] for s in sources] + fill
    real = np.array([p[0] for p in prints], dtype=np.uint64)
    signatures = [p[1] for p in prints]
    random_count = max(0, args.hashes - len(real))
    rng = np.random.default_rng(7)
    hashes = np.concatenate(
        [real, rng.integers(0, 2**64 - 1, random_count, dtype=np.uint64, endpoint=True)]
    )
    index = HammingIndex()
    t0 = time.perf_counter()
    index.add(np.arange(len(hashes), dtype=np.int64), hashes)
    build_s = time.perf_counter() - t0
    log(f"index of {len(index):,} hashes: built in {build_s:.2f}s, {index.nbytes / 2**20:.1f} MB"
        f"; {len(signatures):,} signatures, {sum(map(len, signatures)) / 2**20:.1f} MB")

    # The hash alone: distances within TABLE_MAX, to the source for copies, to anything for
    # the others.
    copy_found = np.full((len(sources), len(TRANSFORMS)), -1)
    for i, (_, copies, _) in enumerate(sources):
        for k, (h, _sig) in enumerate(copies):
            hits = dict(index.query(h, TABLE_MAX, limit=10**6))
            copy_found[i, k] = hits.get(i, -1)
    outsiders = [("fresh", p) for p in fresh] + [("sibling", s[2]) for s in sources]
    outside_found = np.array([(index.query(p[0], TABLE_MAX, limit=1) or [(0, -1)])[0][1]
                              for _, p in outsiders])
    is_fresh = np.array([kind == "fresh" for kind, _ in outsiders])
    recall_by_d = distance_table(copy_found.ravel(), copy_found.size)
    fp_by_d = distance_table(outside_found, len(outsiders))
    log("hash alone: d   recall  false-pos  (fresh / siblings)")
    for d in range(TABLE_MAX + 1):
        fresh_fp = distance_table(outside_found[is_fresh], int(is_fresh.sum()))[d]
        sib_fp = distance_table(outside_found[~is_fresh], int((~is_fresh).sum()))[d]
        log(f"{d:2d}  {recall_by_d[d]:.3f}   {fp_by_d[d]:.4f}    ({fresh_fp:.4f} / {sib_fp:.4f})")
    for k, how in enumerate(TRANSFORMS):
        dist = copy_found[:, k].astype(float)
        dist[dist < 0] = 99  # beyond TABLE_MAX
        log(f"copies {how:9s}: distance p50 {np.percentile(dist, 50):.0f} "
            f"p95 {np.percentile(dist, 95):.0f} max {dist.max():.0f} (99 = over {TABLE_MAX}); "
            f"within {SEARCH_DISTANCE}: {np.mean(dist <= SEARCH_DISTANCE):.3f}")
    sample = real[rng.choice(len(real), min(len(real), 6000), replace=False)]
    pairs = np.concatenate([np.bitwise_count(sample[i + 1 :] ^ sample[i])
                            for i in range(len(sample) - 1)])
    cumulative = {k: float(np.mean(pairs <= k)) for k in range(0, TABLE_MAX + 1, 2)}
    log(f"distinct scenes: pair distance p0.01 {np.percentile(pairs, 0.01):.0f}, p1 "
        f"{np.percentile(pairs, 1):.0f}, p50 {np.percentile(pairs, 50):.0f}; share within d: "
        + ", ".join(f"{k}: {v:.1e}" for k, v in cumulative.items()))

    # The two stages, timed whole: every copy and every outsider.
    copy_kept = np.zeros((len(sources), len(TRANSFORMS)), dtype=bool)
    similarities = np.full((len(sources), len(TRANSFORMS)), np.nan)
    outside_kept: list[list[tuple[int, int, float | None]]] = []
    times, candidates = [], []
    queries = [(i, k, p) for i, s in enumerate(sources) for k, p in enumerate(s[1])]
    queries += [(-1, j, p) for j, (_, p) in enumerate(outsiders)]
    for i, k, (h, sig) in queries:
        t0 = time.perf_counter()
        kept = lookup(index, signatures, h, sig)
        times.append((time.perf_counter() - t0) * 1000)
        candidates.append(len(index.query(h, SEARCH_DISTANCE, limit=CANDIDATES)))
        if i >= 0:
            own = [m for m in kept if m[0] == i]
            copy_kept[i, k] = bool(own)
            similarities[i, k] = own[0][2] if own and own[0][2] is not None else np.nan
        else:
            outside_kept.append(kept)
    outside_any = np.array([bool(kept) for kept in outside_kept])
    for (kind, _), kept in zip(outsiders, outside_kept, strict=True):
        if kept:
            log(f"false positive ({kind}): " + ", ".join(
                f"id {pk} at {d} bits, similarity {s}" for pk, d, s in kept))
    by_transform = {how: float(np.mean(copy_kept[:, k])) for k, how in enumerate(TRANSFORMS)}
    for k, how in enumerate(TRANSFORMS):
        sims = similarities[:, k]
        log(f"two stages {how:9s}: found {by_transform[how]:.3f}; similarity to the source "
            f"p1 {np.nanpercentile(sims, 1):.4f} p50 {np.nanpercentile(sims, 50):.4f}")
    verify = []  # one verification: a cropped copy against its source
    for j, (_, copies, _) in enumerate(sources[:200]):
        t0 = time.perf_counter()
        signature_similarity(copies[TRANSFORMS.index("crop")][1], signatures[j])
        verify.append((time.perf_counter() - t0) * 1000)

    sharp = np.array([b[0] for b in blur])
    blurred = np.array([b[1] for b in blur])
    log(f"sharpness of sharp scenes: p1 {np.percentile(sharp, 1):.1f}, p5 "
        f"{np.percentile(sharp, 5):.1f}, p50 {np.percentile(sharp, 50):.1f}; blurred: "
        + "; ".join(f"r={r} p50 {np.percentile(blurred[:, k], 50):.1f} max "
                    f"{blurred[:, k].max():.1f}" for k, r in enumerate(BLUR_RADII)))
    hash_only = HASH_ONLY_DISTANCE
    result = {
        "bench": "dedup",
        "seed": args.seed,
        "hashes": len(index),
        "real_image_hashes": len(real),
        "random_hashes": random_count,
        "query_p50_ms": round(percentile(times, 50), 3),
        "query_p95_ms": round(percentile(times, 95), 3),
        "recall": round(float(copy_kept.mean()), 4),
        "false_positive_rate": round(float(outside_any.mean()), 4),
        "false_positive_rate_fresh": round(float(outside_any[is_fresh].mean()), 4),
        "false_positive_rate_siblings": round(float(outside_any[~is_fresh].mean()), 4),
        "recall_by_transform": {k: round(v, 3) for k, v in by_transform.items()},
        "search_distance": SEARCH_DISTANCE,
        "verify_threshold": VERIFY_THRESHOLD,
        "hash_only_distance": hash_only,
        "candidates_p50": percentile(candidates, 50),
        "candidates_p95": percentile(candidates, 95),
        "verify_ms": round(percentile(verify, 50), 3),
        "hash_only_recall": round(recall_by_d[hash_only], 4),
        "hash_only_false_positive_rate": round(fp_by_d[hash_only], 4),
        "hash_recall_within_search": round(recall_by_d[SEARCH_DISTANCE], 4),
        "distinct_pair_rate": cumulative.get(hash_only, float(np.mean(pairs <= hash_only))),
        "photo_checks_ms": round(checks_ms, 1),
        "photo_bytes": photo_bytes,
        "blur_min": DEFAULT_BLUR_MIN,
        "sharp_p1": round(float(np.percentile(sharp, 1)), 1),
        "blurred_r1_5_max": round(float(blurred[:, 0].max()), 1),
        "blurred_r3_max": round(float(blurred[:, 1].max()), 1),
        "queries": len(times),
        "index_mb": round(index.nbytes / 2**20, 1),
        "signatures_mb": round(sum(map(len, signatures)) / 2**20, 1),
        "build_s": round(build_s, 2),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

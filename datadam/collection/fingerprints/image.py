"""A photo's fingerprints: a 64-bit perceptual hash that finds near-duplicate candidates
among a million in a fraction of a millisecond, and a 3 KB signature that confirms them.

**The hash.** The photo is reduced to 32×32 pixels (Lanczos, after an integer box reduction),
turned into YCbCr and each channel transformed with a 2-D DCT. Each bit is the sign of one
low-frequency coefficient: the 34 lowest luma coefficients in zigzag order (u + v ≤ 6, and
7 of the 8 with u + v = 7), then the 15 lowest of Cb and of Cr (u + v ≤ 4, and (0, 5)); the
means (DC) are left out. Signs of AC coefficients do not change when the photo is
re-encoded, resized, brightened or given more contrast, and low frequencies move little
when a few percent are cropped off an edge. The first bit is the most significant.

**Why not ImageHash's phash.** ``imagehash.phash`` compares the 8×8 lowest luma coefficients
with their median. Its higher frequencies (up to 3.5 cycles across the photo) flip when a
crop shifts the content, and it ignores colour. Measured on the benchmark's generated scenes
(300 scenes with 8 copies each, 4,000 other scenes, 8 million pairs; phash's rule applied
to the same 32×32 luma DCT): within distance 8, phash found 86% of the copies and 43% of
those cropped 3-8% off some sides, with 3.8e-7 of the pairs of different scenes as close;
this hash found 93% and 72%, with 1.3e-7.

**Measured distances** (``make bench-dedup``: 500 generated scenes, 8 copies each, looked up
among 1,000,000 hashes of which 25,500 are of generated scenes and the rest random):

* re-encoded (JPEG q 40-90, WebP), resized to 50% or 25%, brightness ×0.85-1.15: median 0,
  95th percentile 2-3, at most 8 bits.
* cropped 3-8% off each of a random non-empty set of sides (then re-encoded, some also
  halved): median 6 bits, 74% within 8, 88% within 10, 98.5% within 14. A global hash does
  not survive cropping well: no single distance keeps the crops and leaves other scenes out.
* different scenes: 1st percentile 22 bits, median 32; the share of pairs within 8 bits is
  about 6e-7, within 10 bits 2e-6, within 14 bits 4e-5. Near-similar scenes (the same
  background with its shapes recoloured, replaced or moved) come closer: 1.2% of them
  matched something within 8 bits. By the hash alone, 8 bits gave recall 0.93 with 0.7% of
  lookups of scenes not indexed matching something; 10 bits 0.97 with 3.7%.

**The signature** (``image_signature``, ``SIGNATURE_BYTES`` = 3,073): a version byte and the
Y, Cb and Cr planes of the same 32×32 reduction the hash is made from, as bytes.
``signature_similarity`` compares two: each plane is smoothed ([1, 2, 1]) and read on a
16×16 grid, and one photo is compared with crops of the other (0-12% off each of the 4
sides, so the aspect ratio may change), either way round: a coarse grid of crops (0, 3.5, 7,
10.5% a side, 256 for each way), then ±1.5% and ±0.5% around the best by luma correlation.
The similarity is the correlation of the three planes together at that crop, each less its
own mean: a brightness change scales luma and chroma alike and keeps it near 1; recoloured
shapes lower it even where their luma stays the same. The correlations of all the crops of
a grid come from a few matrix products, without forming the crops: about 0.3 ms a pair
(less when the coarse search already rules the pair out).

**The two stages** (``collection.dedup``; ``near_match`` is the rule): every stored hash
within ``SEARCH_DISTANCE`` (14) bits is a candidate, and a candidate is kept when its
signature similarity is at least ``VERIFY_THRESHOLD`` (0.991); a candidate without a
signature (or a lookup without one) is kept within ``HASH_ONLY_DISTANCE`` (8) bits, as
before signatures. The threshold and the distance were chosen on 700 other scenes (seeds
apart from the benchmark's: 7,700 copy and sibling pairs, 25,000 small scenes): at 0.991,
99.6-99.7% of the cropped copies, 99.0-99.4% of those brightened (clipped highlights) and
all the re-encoded and resized ones pass, and 1 of 2,100 siblings (small shapes recoloured:
a 32×32 thumbnail can hardly tell them apart), with no false positive among the lookups of
700 siblings and 1,000 fresh scenes.

**Measured** (``make bench-dedup``, the data above, each lookup both stages): recall 0.994
(re-encoded and resized 1.0, cropped 0.976 and 0.982, brightened 0.996-0.998; the misses
are crops whose hash moved more than 14 bits, and a few crops and brightened copies under
the threshold), false positives 0.0007 of lookups (fresh scenes 0, siblings 1 of 500: shapes
recoloured, similarity 0.9913), a lookup p50 0.73 ms and p95 1.53 ms (about 5 candidates
within 14 bits, p95 10, most of them random values rejected by the hash rule), signatures
74.7 MB for 25,500 photos.
The hash alone at 8 bits had recall 0.934 and false positives 0.0073. With other seeds
(``--seed 3000000``): recall 0.994, false positives 0.0013 (a sibling 1 bit away whose moved
shapes were tiny, similarity 0.9991, and a random value kept within 8 bits by the hash rule).

A greyscale photo has no chroma: its 30 chroma bits are 0 and its Cb, Cr planes 128. A flat
or nearly flat photo (a blank wall, a black frame) has tiny coefficients whose signs are
noise; such photos fail the blur check. Two flat signatures (luma std under 1) are alike
when their mean colours are within 4 levels; a flat one is never like a textured one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from PIL import Image
from scipy.fft import dctn

HASH_SIDE = 32


def _zigzag(count: int) -> list[tuple[int, int]]:
    """The ``count`` lowest-frequency AC coefficients: by u + v, then by u."""
    ac = [(u, v) for u in range(HASH_SIDE // 4) for v in range(HASH_SIDE // 4) if u or v]
    return sorted(ac, key=lambda uv: (uv[0] + uv[1], uv[0]))[:count]


_LUMA = _zigzag(34)
_CHROMA = _zigzag(15)
_LUMA_ROWS, _LUMA_COLS = np.array(_LUMA).T
_CHROMA_ROWS, _CHROMA_COLS = np.array(_CHROMA).T
_MASK = (1 << 64) - 1
#: Floating-point noise: a coefficient this small counts as zero (its bit is 0).
_EPSILON = 1e-6

#: The first stage looks up every stored hash within this many bits (see the docstring).
SEARCH_DISTANCE = 14
#: Where either side has no signature (captures fingerprinted before signatures), a
#: candidate is kept by its hash alone within this many bits.
HASH_ONLY_DISTANCE = 8
#: A candidate is a near-duplicate when its signature similarity is at least this.
VERIFY_THRESHOLD = 0.991


def _small(image: Image.Image) -> Image.Image:
    """The 32×32 RGB reduction both the hash and the signature are computed from."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return rgb.resize((HASH_SIDE, HASH_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)


def image_hash(image: Image.Image) -> int:
    """The photo's 64-bit perceptual hash, unsigned (``to_signed`` for the database)."""
    return _hash_of(np.asarray(_small(image).convert("YCbCr"), dtype=np.float64))


def image_signature(image: Image.Image) -> bytes:
    """The photo's verification signature (``SIGNATURE_BYTES`` bytes)."""
    return signature_of(np.asarray(_small(image).convert("YCbCr")))


def image_fingerprint(image: Image.Image) -> tuple[int, bytes]:
    """The hash and the signature from one reduction: what a capture stores."""
    ycc = np.asarray(_small(image).convert("YCbCr"))
    return _hash_of(ycc.astype(np.float64)), signature_of(ycc)


def _hash_of(ycc: np.ndarray) -> int:
    coeffs = dctn(ycc, axes=(0, 1), norm="ortho")
    bits = np.concatenate([
        coeffs[_LUMA_ROWS, _LUMA_COLS, 0],
        coeffs[_CHROMA_ROWS, _CHROMA_COLS, 1],
        coeffs[_CHROMA_ROWS, _CHROMA_COLS, 2],
    ]) > _EPSILON
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def to_unsigned(value: int) -> int:
    """A 64-bit hash as an unsigned integer (0 .. 2**64 - 1), given signed or unsigned."""
    if not -(1 << 63) <= value <= _MASK:
        raise ValueError("not a 64-bit value")
    return value & _MASK


def to_signed(value: int) -> int:
    """A 64-bit hash as the signed integer a BIGINT column stores, given signed or unsigned."""
    value = to_unsigned(value)
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """The number of bits in which two 64-bit hashes (signed or unsigned) differ."""
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


# --- The signature ----------------------------------------------------------------------------
SIGNATURE_BYTES = 1 + 3 * HASH_SIDE * HASH_SIDE
_SIGNATURE_VERSION = 1
_VIEW = 16  # the side of the grid two signatures are compared on
_STEP = 0.005  # crop resolution, a fraction of a side
_CROPS = 25  # 0 .. 0.12 of a side, in steps
_COARSE = (0, 7, 14, 21)  # the first search: 0, 0.035, 0.07, 0.105 off each side
_REFINE = (3, 1)  # then ±0.015 and ±0.005 around the best
#: Below this luma correlation after the coarse search a pair is not refined (the lowest
#: measured for a copy was 0.94; 92% of near-similar scenes and 99.9% of others fall below).
_HOPELESS = 0.9
_FLAT = 1.0  # a photo whose luma varies less than this (std, 0-255) is flat
_FLAT_COLOUR = 4.0  # two flat photos are alike when no mean Y, Cb, Cr differs by more


def signature_of(ycc: np.ndarray) -> bytes:
    """A signature from a 32×32 YCbCr uint8 array: a version byte, then Y, Cb, Cr planes."""
    planes = np.ascontiguousarray(np.asarray(ycc, dtype=np.uint8).transpose(2, 0, 1))
    if planes.shape != (3, HASH_SIDE, HASH_SIDE):
        raise ValueError("a signature is made from a 32×32×3 YCbCr array")
    return bytes([_SIGNATURE_VERSION]) + planes.tobytes()


def _planes(signature: bytes) -> np.ndarray:
    data = bytes(signature)
    if len(data) != SIGNATURE_BYTES or data[0] != _SIGNATURE_VERSION:
        raise ValueError("not an image signature of this version")
    return np.frombuffer(data, np.uint8, offset=1).reshape(3, HASH_SIDE, HASH_SIDE) \
        .astype(np.float32)


def _axis(lo: int, hi: int) -> np.ndarray:
    """Sampling of ``_VIEW`` points across a side less ``lo`` and ``hi`` steps: the side
    smoothed by [1, 2, 1] / 4, then read between its pixels (bilinear). A crop's own
    thumbnail and the same part read from the whole photo's then differ little."""
    u = lo * _STEP + (np.arange(_VIEW) + 0.5) / _VIEW * (1 - (lo + hi) * _STEP)
    x = np.clip(u * HASH_SIDE - 0.5, 0, HASH_SIDE - 1)
    left = np.minimum(np.floor(x).astype(int), HASH_SIDE - 2)
    weight = (x - left).astype(np.float32)
    matrix = np.zeros((_VIEW, HASH_SIDE), np.float32)
    matrix[np.arange(_VIEW), left] = 1 - weight
    matrix[np.arange(_VIEW), left + 1] += weight
    return matrix @ _smoothing()


@cache
def _smoothing() -> np.ndarray:
    """[1, 2, 1] / 4 along a side as a matrix (the edge pixel repeated beyond the edge)."""
    matrix = np.zeros((HASH_SIDE, HASH_SIDE), np.float32)
    for i in range(HASH_SIDE):
        for offset, weight in ((-1, 0.25), (0, 0.5), (1, 0.25)):
            matrix[i, min(max(i + offset, 0), HASH_SIDE - 1)] += weight
    return matrix


@cache
def _samplers() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every crop (lo, hi) of a side, index ``lo * _CROPS + hi``: the sampling matrix
    W (16×32), WᵀW flattened and Wᵀ1 (what the correlation of a crop needs)."""
    w = np.stack([_axis(lo, hi) for lo in range(_CROPS) for hi in range(_CROPS)])
    gram = np.matmul(w.transpose(0, 2, 1), w).reshape(len(w), -1)
    return w, gram, w.sum(axis=1)


def _take(pairs: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The crops ``pairs`` of a side: their indices and their W, WᵀW and Wᵀ1."""
    index = np.asarray(pairs)
    return (index, *(table[index] for table in _samplers()))


@cache
def _coarse() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return _take([lo * _CROPS + hi for lo in _COARSE for hi in _COARSE])


def _correlations(lumas: np.ndarray, targets: np.ndarray, rows: tuple, cols: tuple
                  ) -> np.ndarray:
    """For each of k ways round: the luma correlation of ``targets[i]`` (16×16) with every
    crop Wr·L·Wcᵀ of ``lumas[i]`` (32×32) taking ``rows`` × ``cols`` (``_take``), as
    (k, rows, cols), without forming the crops: their sums, sums of squares and products
    with the target are separable."""
    _, w_rows, _, _ = rows
    _, w_cols, gram_cols, ones_cols = cols
    centred = targets - targets.mean(axis=(1, 2), keepdims=True)
    norms = np.sqrt((centred**2).sum(axis=(1, 2)))
    ways, count = len(lumas), len(w_rows)
    part = w_rows[None] @ lumas[:, None]  # (k, rows, 16, 32)
    probes = (centred[:, None] @ w_cols[None]).reshape(ways, len(w_cols), -1)
    dot = part.reshape(ways, count, -1) @ probes.transpose(0, 2, 1)
    squares = np.matmul(part.transpose(0, 1, 3, 2), part).reshape(ways, count, -1) @ gram_cols.T
    sums = part.sum(axis=2) @ ones_cols.T
    spread = np.maximum(squares - sums**2 / _VIEW**2, 1e-6)
    return dot / (np.sqrt(spread) * norms[:, None, None])


def _around(pair: int, step: int) -> tuple:
    """The crops within ``step`` of ``pair`` on either end of a side (``_take``)."""
    lo, hi = divmod(pair, _CROPS)
    return _take([a * _CROPS + b for a in (lo - step, lo, lo + step) if 0 <= a < _CROPS
                  for b in (hi - step, hi, hi + step) if 0 <= b < _CROPS])


def _refined_crop(luma: np.ndarray, target: np.ndarray, row: int, col: int) -> tuple[int, int]:
    """The coarse crop searched again around itself, by ±0.015 and then ±0.005 a side."""
    for step in _REFINE:
        rows, cols = _around(row, step), _around(col, step)
        scores = _correlations(luma[None], target[None], rows, cols)[0]
        i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
        row, col = int(rows[0][i]), int(cols[0][j])
    return row, col


def _view(planes: np.ndarray, row: int, col: int) -> np.ndarray:
    w = _samplers()[0]
    return w[row] @ planes @ w[col].T


def _colour_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two (3, n, n) Y, Cb, Cr views, each plane less its own mean: a
    brightness change scales all three alike and leaves it at 1; a colour cast is ignored."""
    a = a - a.mean(axis=(1, 2), keepdims=True)
    b = b - b.mean(axis=(1, 2), keepdims=True)
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def signature_similarity(a: bytes, b: bytes) -> float:
    """How alike two photos are, from -1 to 1: the colour correlation of one with the best
    crop of the other (0 to 12% off each side, either way round). Copies re-encoded, resized,
    brightened or cropped a few percent score 0.99 or more (see the module docstring).
    ``ValueError`` for bytes that are not a signature.

    Both ways round are searched on the coarse grid; only the better is refined, and not
    at all when its luma correlates below ``_HOPELESS`` (no copy measured came near: such
    a pair's similarity is then the coarse crop's)."""
    first, second = _planes(a), _planes(b)
    flat = [float(p[0].std()) < _FLAT for p in (first, second)]
    if all(flat):  # nothing to align: alike when their colours are
        apart = np.abs(first.mean(axis=(1, 2)) - second.mean(axis=(1, 2))).max()
        return 1.0 if apart <= _FLAT_COLOUR else 0.0
    if any(flat):
        return 0.0
    w = _samplers()[0][0]  # the whole side
    larger = np.stack([first, second])
    targets = w @ larger[::-1] @ w.T  # each compared with a crop of the other
    coarse = _coarse()
    scores = _correlations(larger[:, 0], targets[:, 0], coarse, coarse)
    way, i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    row, col = int(coarse[0][i]), int(coarse[0][j])
    if scores[way, i, j] >= _HOPELESS:
        row, col = _refined_crop(larger[way, 0], targets[way, 0], row, col)
    return _colour_correlation(_view(larger[way], row, col), targets[way])


def near_match(distance: int, signature: bytes | None, other: bytes | None, *,
               hash_only_distance: int = HASH_ONLY_DISTANCE) -> tuple[bool, float | None]:
    """The second stage for one candidate found within the search distance: (kept,
    similarity). With both signatures the similarity decides; without, the distance."""
    if signature is not None and other is not None:
        try:
            similarity = signature_similarity(signature, other)
        except ValueError:  # a signature of another format: compare the hashes only
            return distance <= hash_only_distance, None
        return similarity >= VERIFY_THRESHOLD, round(similarity, 4)
    return distance <= hash_only_distance, None

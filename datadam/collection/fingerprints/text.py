"""MinHash fingerprints of texts, to find answers that repeat an earlier one (plain numpy).

A text is reduced to its set of *shingles*: the overlapping runs of ``SHINGLE`` characters of
its squeezed form (NFC, case-folded, letters and digits only, as the writing kinds' copy
check compares texts), so spacing, punctuation and case do not hide a copy. Runs of
characters were chosen over runs of words for every script: Korean words carry particles and
endings (one changed ending breaks three word 3-grams but only the few character 5-grams
around it), and the same rule then serves Korean, Japanese, Chinese and English alike
(docs/kinds/text_writing.md has the measurement).

The Jaccard similarity of two shingle sets is estimated from ``minhash`` signatures: for each
of ``num_perm`` universal hash functions ``h(x) = (a·x + b) mod (2^61 − 1)``, the least
value over the shingles. Two signatures agree at a position with probability equal to the
Jaccard similarity, so ``similarity`` is the share of agreeing positions (64 positions: a
standard error of about 0.05 at 0.8). ``bands`` cuts a signature into 16 bands of 4 rows for
locality-sensitive lookup: texts sharing any band are candidates (at a similarity of 0.8,
two texts share at least one band with probability 1 − (1 − 0.8⁴)¹⁶ ≈ 0.9998; at 0.3,
0.12).

Texts shorter than ``MIN_CHARS`` squeezed characters are not fingerprinted (``long_enough``):
short answers such as "네, 맞아요." or "Yes, that's right." repeat honestly, and a few
shingles make the estimate coarse. A text is fingerprinted by its first ``MAX_CHARS``
squeezed characters, which bounds the work (16–22 ms on one core for 20,000; 1.4–1.7 ms for
2,000). The hash constants are derived from fixed strings with BLAKE2b, so stored signatures
stay comparable whatever numpy version computes them.
"""

from __future__ import annotations

import hashlib
import unicodedata

import numpy as np

SHINGLE = 5  # characters per shingle
MIN_CHARS = 20  # squeezed characters below which a text is not fingerprinted
MAX_CHARS = 20_000  # squeezed characters fingerprinted, from the start
HEAD = 3 * MAX_CHARS  # characters of the text read to find them
NUM_PERM = 64
ROWS = 4  # rows per band: 64 / 4 = 16 bands
_PRIME = np.uint64((1 << 61) - 1)
_LOW32 = np.uint64(0xFFFFFFFF)
_CHUNK = 4096  # shingles hashed at once (bounds memory: num_perm × chunk × 8 bytes)
_MIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
_BASE = np.uint64(0x100000001B3)  # the FNV-1a 64-bit prime: odd, spreads code points


def squeeze(text: str) -> str:
    """NFC, case-folded, letters and digits only (spaces and punctuation dropped)."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


def _head(text: str) -> str:
    """The squeezed characters fingerprinted: the first ``MAX_CHARS`` (of the first
    ``HEAD`` characters, so a huge text is not squeezed whole)."""
    return squeeze(text[:HEAD])[:MAX_CHARS]


def long_enough(text: str) -> bool:
    """Whether ``text`` is long enough to fingerprint (``MIN_CHARS`` squeezed characters)."""
    return len(_head(text)) >= MIN_CHARS


def _splitmix(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser, element-wise (uint64 arithmetic wraps, as intended)."""
    z = (z ^ (z >> np.uint64(30))) * _MIX[0]
    z = (z ^ (z >> np.uint64(27))) * _MIX[1]
    return z ^ (z >> np.uint64(31))


def shingle_ids(text: str) -> np.ndarray:
    """The distinct 32-bit ids of the character ``SHINGLE``-grams of the text's first
    ``MAX_CHARS`` squeezed characters, sorted (uint64 array holding 32-bit values); a text
    shorter than one shingle has none."""
    squeezed = _head(text)
    if len(squeezed) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(squeezed.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = len(points) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            h = h * _BASE + points[k:k + n]
        ids = _splitmix(h) >> np.uint64(32)
    return np.unique(ids)


def shingles(text: str) -> set[int]:
    """The text's shingles as a set of 32-bit ids (see the module's docstring)."""
    return {int(x) for x in shingle_ids(text)}


def _constants(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the ``num_perm`` hash functions: a in [1, 2^32), b in [0, 2^32), so
    a·x + b stays below 2^64 for 32-bit x and ``mod 2^61 − 1`` is exact."""
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for i in range(num_perm):
        d = hashlib.blake2b(f"datadam-minhash-{i}".encode(), digest_size=8).digest()
        a[i] = int.from_bytes(d[:4], "little") | 1
        b[i] = int.from_bytes(d[4:], "little")
    return a, b


_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def minhash(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """The text's MinHash signature: ``num_perm`` uint32 values, deterministic. A text
    without a shingle (shorter than ``SHINGLE`` squeezed characters) has every value at
    the maximum; callers skip texts that are not ``long_enough``."""
    if num_perm < 1:
        raise ValueError("num_perm must be at least 1")
    if num_perm not in _CACHE:
        _CACHE[num_perm] = _constants(num_perm)
    a, b = _CACHE[num_perm]
    ids = shingle_ids(text)
    signature = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint64)
    for start in range(0, len(ids), _CHUNK):
        x = ids[start:start + _CHUNK]
        hashed = ((a[:, None] * x[None, :] + b[:, None]) % _PRIME) & _LOW32
        np.minimum(signature, hashed.min(axis=1), out=signature)
    return signature.astype(np.uint32)


def bands(signature: np.ndarray, rows: int = ROWS) -> list[int]:
    """The signature cut into bands of ``rows`` values, each hashed with its band number
    into a signed 64-bit integer (so equal rows in different bands do not collide)."""
    values = np.asarray(signature, dtype="<u4")
    if len(values) % rows:
        raise ValueError("the signature's length must be a multiple of rows")
    out = []
    for band in range(len(values) // rows):
        chunk = values[band * rows:(band + 1) * rows].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two texts: the share of equal signature values."""
    a, b = np.asarray(sig_a), np.asarray(sig_b)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("signatures must have the same, non-zero length")
    return float(np.count_nonzero(a == b)) / a.size


def similarities(signature: np.ndarray, others: np.ndarray) -> np.ndarray:
    """``similarity`` of one signature to each row of ``others`` (shape n × num_perm)."""
    return (np.asarray(others) == np.asarray(signature)[None, :]).mean(axis=1)


def to_bytes(signature: np.ndarray) -> bytes:
    """A signature as stored: its uint32 values, little-endian."""
    return np.asarray(signature, dtype="<u4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    """A stored signature back as a uint32 array."""
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)

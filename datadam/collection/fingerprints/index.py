"""An in-memory index of 64-bit hashes answering "which are within Hamming distance d?".

**Why multi-index hashing.** A scan of a million hashes costs a few milliseconds of numpy per
query; a tree does not help in Hamming space. Multi-index hashing (Norouzi, Punjani and
Fleet, 2012) cuts each hash into 4 chunks of 16 bits and keeps one table per chunk. If two
hashes differ in at most ``d`` bits, the differences fall into 4 chunks, so at least one
chunk differs in at most ``floor(d / 4)`` bits (pigeonhole). A query therefore looks up, in
each table, every 16-bit value within ``r = floor(d / 4)`` bits of its own chunk
(1, 17, 137, 697 values for r = 0..3), and verifies the candidates with an exact popcount
(``np.bitwise_count``). Nothing within ``d`` is missed; the answer is exactly a brute-force
scan's.

**Layout.** Table 0 holds the ids and hashes sorted by chunk 0 (8 + 8 bytes per hash); each
of tables 1-3 holds the hashes sorted by its chunk and their positions in table 0 (8 + 4
bytes), so a probe reads a contiguous run of hashes. Each table also holds where each of the
65,536 chunk values begins (found once with ``np.searchsorted``; 4 × 65,537 × 8 bytes, 2 MB
whatever the size). That is **52 bytes per hash** plus 2 MB: a million hashes take 52 MB
and build in about 0.4 s. Appends go to a tail scanned by brute force; when the tail passes
5% of the main part (and 4,096 entries) it is folded in (``rebuild``), which sorts
everything again: amortised, a constant number of sorts per appended hash.

**Duplicates.** An id added more than once (say, a catch-up that read a row twice) is
answered once, at its nearest distance. Different ids with the same hash are all answered.

**Threads.** ``add`` and ``rebuild`` hold a lock and publish new arrays at once; a query
reads one consistent snapshot, so queries may run while another thread adds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np

CHUNKS = 4
CHUNK_BITS = 16
_BUCKETS = 1 << CHUNK_BITS
#: Above this distance a query scans everything (MIH would probe too many chunk values).
MAX_PROBE_DISTANCE = 19
_MIN_TAIL = 4096
_TAIL_SHARE = 0.05


@cache
def _flip_masks(radius: int) -> np.ndarray:
    """Every 16-bit mask with at most ``radius`` bits set (chunk values to probe)."""
    masks = [0]
    for k in range(1, radius + 1):
        masks.extend(sum(1 << b for b in bits) for bits in combinations(range(CHUNK_BITS), k))
    return np.array(masks, dtype=np.int64)


def _chunks(hashes: np.ndarray, j: int) -> np.ndarray:
    return ((hashes >> np.uint64(CHUNK_BITS * j)) & np.uint64(_BUCKETS - 1)).astype(np.uint16)


@dataclass(frozen=True)
class _Main:
    """The sorted part. Table 0 holds the ids and hashes ordered by chunk 0; tables 1-3 hold
    the hashes ordered by their chunk and, for each, its position in table 0."""

    ids: np.ndarray  # int64, in table 0's order
    hashes: tuple[np.ndarray, ...]  # per table: uint64 hashes in that table's order
    positions: tuple[np.ndarray, ...]  # tables 1-3: int32 position in table 0
    starts: tuple[np.ndarray, ...]  # per table: where each chunk value begins

    @classmethod
    def build(cls, ids: np.ndarray, hashes: np.ndarray) -> _Main:
        everything = np.arange(_BUCKETS + 1)
        order = np.argsort(_chunks(hashes, 0), kind="stable")
        ids, hashes = ids[order], hashes[order]
        tables, positions, starts = [hashes], [], []
        starts.append(np.searchsorted(_chunks(hashes, 0), everything))
        for j in range(1, CHUNKS):
            keys = _chunks(hashes, j)
            order = np.argsort(keys, kind="stable")
            tables.append(hashes[order])
            positions.append(order.astype(np.int32))
            starts.append(np.searchsorted(keys[order], everything))
        return cls(ids, tuple(tables), tuple(positions), tuple(starts))

    def __len__(self) -> int:
        return len(self.ids)

    def near(self, query: int, max_distance: int) -> np.ndarray:
        """Positions (in table 0) of every hash within ``max_distance`` bits of ``query``."""
        masks = _flip_masks(max_distance // CHUNKS)
        value = np.uint64(query)
        found = []
        for j in range(CHUNKS):
            probes = ((query >> (CHUNK_BITS * j)) & (_BUCKETS - 1)) ^ masks
            lo = self.starts[j][probes]
            counts = self.starts[j][probes + 1] - lo
            total = int(counts.sum())
            if not total:
                continue
            # The offsets lo[i] .. lo[i] + counts[i] - 1 of every probe, in one array.
            offsets = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(total)
            hits = offsets[np.bitwise_count(self.hashes[j][offsets] ^ value) <= max_distance]
            found.append(hits if j == 0 else self.positions[j - 1][hits])
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found))

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, *self.hashes, *self.positions, *self.starts)
        return sum(a.nbytes for a in arrays)


_EMPTY_MAIN = _Main.build(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64))


@dataclass(frozen=True)
class _State:
    """What a query reads: the main part and the first ``tail_len`` entries of the tail
    buffers (which ``add`` only ever writes beyond that length)."""

    main: _Main
    tail_ids: np.ndarray
    tail_hashes: np.ndarray
    tail_len: int


def _empty_tail(main: _Main) -> _State:
    return _State(main, np.empty(1024, dtype=np.int64), np.empty(1024, dtype=np.uint64), 0)


class HammingIndex:
    """64-bit hashes with their ids; ``query`` finds those within a Hamming distance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = _empty_tail(_EMPTY_MAIN)

    def __len__(self) -> int:
        """Entries held (an id added twice counts twice)."""
        state = self._state
        return len(state.main) + state.tail_len

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays, tail buffers included."""
        state = self._state
        return state.main.nbytes + state.tail_ids.nbytes + state.tail_hashes.nbytes

    def add(self, ids: np.ndarray, hashes: np.ndarray) -> None:
        """Append hashes (``uint64``, or ``int64`` as the database stores them) with their ids."""
        ids = np.asarray(ids, dtype=np.int64).ravel()
        hashes = np.asarray(hashes)
        if hashes.dtype == np.int64:
            hashes = hashes.view(np.uint64)
        hashes = hashes.astype(np.uint64, copy=False).ravel()
        if len(ids) != len(hashes):
            raise ValueError(f"{len(ids)} ids but {len(hashes)} hashes")
        with self._lock:
            state = self._state
            have, need = state.tail_len, state.tail_len + len(ids)
            tail_ids, tail_hashes = state.tail_ids, state.tail_hashes
            if need > len(tail_ids):  # grow into new buffers; readers keep the old ones
                size = max(need, 2 * len(tail_ids))
                tail_ids = np.concatenate([tail_ids[:have], np.empty(size - have, np.int64)])
                tail_hashes = np.concatenate(
                    [tail_hashes[:have], np.empty(size - have, np.uint64)]
                )
            tail_ids[have:need] = ids
            tail_hashes[have:need] = hashes
            self._state = _State(state.main, tail_ids, tail_hashes, need)
            if need > max(_MIN_TAIL, _TAIL_SHARE * len(state.main)):
                self._fold()

    def rebuild(self) -> None:
        """Fold the tail into the main part now (``add`` does it when the tail grows)."""
        with self._lock:
            self._fold()

    def _fold(self) -> None:
        state = self._state
        if not state.tail_len:
            return
        n = state.tail_len
        main = _Main.build(np.concatenate([state.main.ids, state.tail_ids[:n]]),
                           np.concatenate([state.main.hashes[0], state.tail_hashes[:n]]))
        self._state = _empty_tail(main)

    def query(self, hash: int, max_distance: int, limit: int = 20) -> list[tuple[int, int]]:
        """The ids within ``max_distance`` bits of ``hash`` (signed or unsigned), as
        ``(id, distance)``, nearest first (ties by id), at most ``limit``."""
        if not 0 <= max_distance <= 64:
            raise ValueError("max_distance must be from 0 to 64")
        if limit < 1:
            return []
        value = int(hash) & 0xFFFF_FFFF_FFFF_FFFF
        state = self._state
        main, n = state.main, state.tail_len
        if max_distance > MAX_PROBE_DISTANCE:
            positions = np.arange(len(main))
        else:
            positions = main.near(value, max_distance)
        ids = np.concatenate([main.ids[positions], state.tail_ids[:n]])
        hashes = np.concatenate([main.hashes[0][positions], state.tail_hashes[:n]])
        distances = np.bitwise_count(hashes ^ np.uint64(value)).astype(np.int64)
        near = distances <= max_distance
        ids, distances = ids[near], distances[near]
        order = np.lexsort((ids, distances))
        ids, distances = ids[order], distances[order]
        if len(ids) > 1:  # an id held twice: keep its nearest (the first in this order)
            _, first = np.unique(ids, return_index=True)
            first.sort()
            ids, distances = ids[first], distances[first]
        return [(int(i), int(d)) for i, d in zip(ids[:limit], distances[:limit], strict=True)]

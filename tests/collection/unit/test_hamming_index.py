"""The multi-index Hamming index answers exactly what a brute-force scan answers."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from datadam.collection.fingerprints.index import HammingIndex


def brute_force(ids: np.ndarray, hashes: np.ndarray, query: int, max_distance: int
                ) -> list[tuple[int, int]]:
    """Every id within the distance, once at its nearest, nearest first then by id."""
    distances = np.bitwise_count(hashes ^ np.uint64(query & (2**64 - 1)))
    best: dict[int, int] = {}
    for i, d in zip(ids.tolist(), distances.tolist(), strict=True):
        if d <= max_distance and d < best.get(i, 65):
            best[i] = d
    return sorted(best.items(), key=lambda item: (item[1], item[0]))


def random_hashes(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)


def flipped(value: int, bits: int, rng: np.random.Generator) -> int:
    for b in rng.choice(64, bits, replace=False):
        value ^= 1 << int(b)
    return value


@pytest.fixture
def planted():
    """20,000 random hashes plus clusters: 200 bases, each with copies 0-14 bits away."""
    rng = np.random.default_rng(1)
    hashes = list(random_hashes(rng, 20_000))
    bases = [int(h) for h in random_hashes(rng, 200)]
    for base in bases:
        hashes.append(np.uint64(base))
        for bits in rng.integers(0, 15, 6):
            hashes.append(np.uint64(flipped(base, int(bits), rng)))
    hashes = np.array(hashes, dtype=np.uint64)
    ids = np.arange(len(hashes), dtype=np.int64) * 3 + 5
    return ids, hashes, bases, rng


def test_an_empty_index_finds_nothing():
    index = HammingIndex()
    assert len(index) == 0
    assert index.query(12345, 10) == []
    index.rebuild()
    assert index.query(-1, 0) == []


def test_queries_return_exactly_what_a_scan_returns_for_every_distance_up_to_12(planted):
    ids, hashes, bases, rng = planted
    index = HammingIndex()
    index.add(ids, hashes)
    for max_distance in range(13):
        for base in bases[:40]:
            query = flipped(base, int(rng.integers(0, 6)), rng)
            got = index.query(query, max_distance, limit=10**6)
            assert got == brute_force(ids, hashes, query, max_distance)


def test_a_distance_beyond_the_probe_range_scans_and_is_still_exact(planted):
    ids, hashes, bases, rng = planted
    index = HammingIndex()
    index.add(ids, hashes)
    query = flipped(bases[0], 3, rng)
    assert index.query(query, 24, limit=10**6) == brute_force(ids, hashes, query, 24)
    assert len(index.query(query, 64, limit=10**6)) == len(ids)


def test_max_distance_zero_finds_only_the_same_hash(planted):
    ids, hashes, bases, _ = planted
    index = HammingIndex()
    index.add(ids, hashes)
    got = index.query(bases[3], 0, limit=100)
    assert got and all(distance == 0 for _, distance in got)
    assert got == brute_force(ids, hashes, bases[3], 0)


def test_results_are_nearest_first_ties_by_id_and_cut_at_the_limit():
    base = 0xF0F0_F0F0_0F0F_0F0F
    hashes = np.array([base ^ 0b111, base ^ 0b1, base, base ^ 0b11, base ^ 0b1], dtype=np.uint64)
    index = HammingIndex()
    index.add(np.array([10, 20, 30, 40, 5]), hashes)
    assert index.query(base, 3) == [(30, 0), (5, 1), (20, 1), (40, 2), (10, 3)]
    assert index.query(base, 3, limit=2) == [(30, 0), (5, 1)]
    assert index.query(base, 3, limit=0) == []


def test_an_id_added_twice_is_answered_once_at_its_nearest_distance():
    index = HammingIndex()
    index.add(np.array([7]), np.array([0b1111], dtype=np.uint64))
    index.add(np.array([7, 8]), np.array([0b0001, 0b0001], dtype=np.uint64))
    assert len(index) == 3
    assert index.query(0, 8) == [(7, 1), (8, 1)]
    index.rebuild()
    assert index.query(0, 8) == [(7, 1), (8, 1)]


def test_hashes_stored_as_signed_bigints_and_signed_queries_are_understood():
    unsigned = np.array([2**63 + 5, 2**64 - 1, 3], dtype=np.uint64)
    index = HammingIndex()
    index.add(np.array([1, 2, 3]), unsigned.view(np.int64))
    assert index.query(-1, 0) == [(2, 0)]  # -1 is 2**64 - 1 as a signed BIGINT
    assert index.query(2**64 - 1, 0) == [(2, 0)]
    assert index.query(-(2**63) + 5, 0) == [(1, 0)]


def test_appends_go_to_the_tail_and_are_folded_in_when_it_grows(planted):
    ids, hashes, bases, rng = planted
    index = HammingIndex()
    index.add(ids[:20_000], hashes[:20_000])
    folded = index.nbytes
    for start in range(20_000, len(ids), 50):  # small appends, as submissions arrive
        index.add(ids[start : start + 50], hashes[start : start + 50])
    assert len(index) == len(ids)
    queries = [flipped(b, 2, rng) for b in bases[:30]]
    before = [index.query(q, 10, limit=10**6) for q in queries]
    assert before == [brute_force(ids, hashes, q, 10) for q in queries]
    index.rebuild()
    assert [index.query(q, 10, limit=10**6) for q in queries] == before
    # 1,400 appended: under the 4,096-entry tail minimum, so held in the tail until rebuilt.
    assert index.nbytes > folded
    index.add(np.arange(10**6, 10**6 + 5000), random_hashes(rng, 5000))
    assert len(index) == len(ids) + 5000
    # Past 4,096 the tail was folded in: all of it is in the main part, the tail is empty.
    assert index.nbytes == 52 * len(index) + 4 * 65_537 * 8 + 2 * 1024 * 8
    assert index.query(bases[0], 0, limit=10**6) == brute_force(ids, hashes, bases[0], 0)


def test_memory_is_52_bytes_per_hash_plus_the_chunk_tables():
    rng = np.random.default_rng(3)
    index = HammingIndex()
    index.add(np.arange(100_000), random_hashes(rng, 100_000))
    per_hash = (index.nbytes - 4 * 65_537 * 8 - 2 * 1024 * 8) / 100_000
    assert per_hash == 52


def test_bad_arguments_are_refused():
    index = HammingIndex()
    with pytest.raises(ValueError):
        index.add(np.arange(3), np.zeros(2, dtype=np.uint64))
    with pytest.raises(ValueError):
        index.query(1, -1)
    with pytest.raises(ValueError):
        index.query(1, 65)


def test_queries_running_while_another_thread_adds_always_see_the_folded_hashes():
    rng = np.random.default_rng(4)
    index = HammingIndex()
    target = 0x0123_4567_89AB_CDEF
    index.add(np.array([1]), np.array([target], dtype=np.uint64))
    index.add(np.arange(2, 20_002), random_hashes(rng, 20_000))
    stop = threading.Event()
    batches = [random_hashes(np.random.default_rng(10 + i), 700) for i in range(40)]

    def writer() -> None:
        for i, batch in enumerate(batches):
            index.add(np.arange(10**6 + i * 700, 10**6 + (i + 1) * 700), batch)
        stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = 0
    while not stop.is_set() or seen < 50:
        got = index.query(target ^ 0b101, 4)
        assert got[:1] == [(1, 2)]
        assert all(d <= 4 for _, d in got)
        seen += 1
    thread.join()
    assert len(index) == 20_001 + 40 * 700

"""Near-duplicate lookup of photos, recordings and clips within one client's data.

Two stages for photos and clips: the hash finds candidates, the signature confirms them.
Each organization's 64-bit fingerprints (``Fingerprint`` rows, added as captures are
submitted) are held in memory per process in a multi-index hashing index
(``fingerprints.index.HammingIndex``), built from the database on first use and brought up
to date before every lookup by reading only the rows after the last id it holds (rows are
added in submit order, so ids only grow). A lookup is then a fraction of a millisecond of
probing plus one query that reads the candidate rows back with their signatures, which also
proves they still exist (an index entry whose row is gone, say after a rolled-back
transaction, is simply not returned).

The second stage (``fingerprints.image.near_match``): a candidate found within the searched
distance (for photos ``SEARCH_DISTANCE``, 14 bits) is kept when its signature and the new
capture's are alike (``signature_similarity`` at least ``VERIFY_THRESHOLD``: the same photo
re-encoded, resized or cropped a few percent), about 0.3 ms each. Where either side has no
signature (recordings; captures stored before signatures existed) the hash alone decides,
within ``hash_only_distance``. Measured on the benchmark (``make bench-dedup``, a million
hashes, both stages): recall 0.994, false positives 0.0007 of lookups, p95 1.53 ms a
lookup (the hash alone at 8 bits: recall 0.934, false positives 0.0073).

Scopes, in the order a match is reported: the same worker's earlier captures (any project of
the client), the same project (another worker), another project of the same client.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Max

from .fingerprints.image import hamming, near_match, to_unsigned
from .fingerprints.index import HammingIndex
from .models import Fingerprint

SCOPES = ("worker", "project", "client")
_CHUNK = 50_000
#: At most this many candidates (nearest first) are read back and verified per lookup.
_CANDIDATES = 64


@dataclass
class _Held:
    index: HammingIndex
    last_id: int = 0


@dataclass(frozen=True)
class Match:
    """One earlier capture that looks like the new one."""

    fingerprint_id: int
    capture_id: int | None
    submission_id: int
    project_id: int
    worker_id: int
    distance: int
    scope: str
    #: The signatures' similarity, or None where the hash alone decided.
    similarity: float | None = None


_held: dict[tuple[int, str], _Held] = {}
_lock = threading.Lock()


def forget() -> None:
    """Drop every index held in memory (tests; the next lookup rebuilds from the database)."""
    with _lock:
        _held.clear()


def _catch_up(held: _Held, organization_id: int, media_kind: str) -> None:
    rows = Fingerprint.objects.filter(organization_id=organization_id, media_kind=media_kind,
                                      hash__isnull=False)
    newest = rows.aggregate(m=Max("id"))["m"] or 0
    if newest < held.last_id:  # rows at the top were removed: start again
        held.index, held.last_id = HammingIndex(), 0
    while held.last_id < newest:
        chunk = list(rows.filter(id__gt=held.last_id).order_by("id")
                     .values_list("id", "hash")[:_CHUNK])
        if not chunk:
            break
        ids = np.fromiter((r[0] for r in chunk), dtype=np.int64, count=len(chunk))
        hashes = np.fromiter((to_unsigned(r[1]) for r in chunk), dtype=np.uint64,
                             count=len(chunk))
        held.index.add(ids, hashes)
        held.last_id = int(ids[-1])


def _index_of(organization_id: int, media_kind: str) -> _Held:
    key = (organization_id, media_kind)
    with _lock:
        held = _held.get(key)
        if held is None:
            held = _held[key] = _Held(HammingIndex())
        _catch_up(held, organization_id, media_kind)
        return held


def near_duplicates(*, organization_id: int, media_kind: str, fingerprint: int,
                    worker_id: int, project_id: int, max_distance: int,
                    signature: bytes | None = None, hash_only_distance: int | None = None,
                    exclude_capture: int | None = None, limit: int = 5) -> list[Match]:
    """Earlier submitted captures of the organization that look like this one, the
    worker's own first, then nearest first.

    Candidates are the hashes within ``max_distance`` bits of ``fingerprint`` (signed or
    unsigned); one is kept when both it and the new capture have a signature and the two
    are alike, or, where either has none, when it is within ``hash_only_distance`` bits
    (None: ``max_distance``, a single-stage lookup as for recordings)."""
    if hash_only_distance is None:
        hash_only_distance = max_distance
    held = _index_of(organization_id, media_kind)
    found = held.index.query(to_unsigned(fingerprint), max_distance, limit=_CANDIDATES)
    if not found:
        return []
    rows = (Fingerprint.objects.filter(pk__in=[pk for pk, _d in found],
                                       organization_id=organization_id)
            .values("id", "capture_id", "submission_id", "project_id", "worker_id", "hash",
                    "signature"))
    matches = []
    for row in rows:
        if exclude_capture is not None and row["capture_id"] == exclude_capture:
            continue
        distance = hamming(to_unsigned(row["hash"]), to_unsigned(fingerprint))
        if distance > max_distance:
            continue  # the id was reused for another row since the index read it
        other = None if row["signature"] is None else bytes(row["signature"])
        kept, similarity = near_match(distance, signature, other,
                                      hash_only_distance=hash_only_distance)
        if not kept:
            continue
        scope = ("worker" if row["worker_id"] == worker_id
                 else "project" if row["project_id"] == project_id else "client")
        matches.append(Match(row["id"], row["capture_id"], row["submission_id"],
                             row["project_id"], row["worker_id"], distance, scope,
                             similarity))
    matches.sort(key=lambda m: (SCOPES.index(m.scope), m.distance, m.fingerprint_id))
    return matches[:limit]


def fingerprint_record(*, organization_id: int, project_id: int, worker_id: int,
                       submission_id: int, capture_id: int, media_kind: str,
                       fingerprint: int, signature: bytes | None = None) -> Any:
    """Add a submitted capture (its hash, and for a photo or clip its signature) to its
    organization's index (a revision that keeps the same capture moves its row to the new
    submission instead of adding one)."""
    updated = Fingerprint.objects.filter(capture_id=capture_id).update(
        submission_id=submission_id)
    if updated:
        return None
    return Fingerprint.objects.create(
        organization_id=organization_id, project_id=project_id, worker_id=worker_id,
        submission_id=submission_id, capture_id=capture_id, media_kind=media_kind,
        hash=fingerprint, signature=signature)

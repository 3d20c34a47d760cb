"""Near-duplicate texts within one client's data: an answer that repeats an earlier one.

Each submitted text long enough to fingerprint (``fingerprints.text.long_enough``) keeps its
MinHash signature in a ``Fingerprint`` row (``media_kind`` "text", ``hash`` None) and its 16
band values in ``TextBand`` rows. A lookup is one indexed query on (organization, band,
value) for the new text's bands, which reads at most ``BAND_ROWS`` rows (bounded work
however many texts the client holds); the fingerprints sharing the most bands (at most
``CANDIDATES``) are read back and compared by their stored signatures. The band lookup and
the band rows' insert are written as SQL: the ORM spends longer building them than the
database answering (the cost per submit is measured in docs/kinds/text_writing.md).

Scopes: "worker" (the same worker's earlier answer, in any project of the client),
"project" (another worker's, same project), "client" (another project of the same
organization). Answers to the same item are never compared: the same worker's are earlier
revisions of this answer, and other workers answering one item is what overlap asks for
(their answers may honestly agree: a short sentence has few good translations).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import connection, transaction

from datadam.work.models import Submission

from .fingerprints import text as textprint
from .models import Fingerprint, TextBand

SCOPES = ("worker", "project", "client")
MEDIA_KIND = "text"
BAND_ROWS = 2000  # band rows read per lookup
CANDIDATES = 200  # fingerprints compared per lookup
EXCERPT = 120
_SKIPPED_KEYS = frozenset({"meta", "checks", "speaker"})
_KEY_ORDER = {"question": 0, "answer": 1, "text": 2}


@dataclass(frozen=True)
class TextMatch:
    """An earlier answer of the client's that the new text repeats."""

    submission_id: int
    project_id: int
    worker_id: int
    similarity: float
    scope: str  # "worker", "project" or "client"
    excerpt: str  # the matching answer's first EXCERPT characters


def answer_text(answer: Any) -> str:
    """The texts of a stored answer joined one a line, in reading order: every string
    inside it but ``meta``, ``checks`` and a dialogue's speaker names (a question before its
    answer, whatever order the database keeps an object's keys in)."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value.strip():
                out.append(value.strip())
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for key in sorted(value, key=lambda k: (_KEY_ORDER.get(k, 9), k)):
                if key not in _SKIPPED_KEYS:
                    walk(value[key])

    walk(answer)
    return "\n".join(out)


def excerpt(text: str) -> str:
    """The first ``EXCERPT`` characters of a text, on one line."""
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[:EXCERPT - 1] + "…"


def _signature(text: str) -> np.ndarray:
    """The text's MinHash, computed once for the lookup and the record of one submit."""
    return _head_signature(text[:textprint.HEAD])


@lru_cache(maxsize=32)
def _head_signature(head: str) -> np.ndarray:
    # Keyed by the part MinHash reads (bounded memory); the cached array is shared, so it is
    # made read-only.
    signature = textprint.minhash(head)
    signature.flags.writeable = False
    return signature


def _band_hits(organization_id: int, bands: list[int]) -> list[int]:
    """The fingerprint ids of the organization's band rows equal to any of ``bands`` (one id
    per shared band), at most ``BAND_ROWS``. Written as SQL: the ORM takes longer to build
    the 16-term condition (about 2 ms) than the database to answer it. The organization is
    in every term, so each term is one probe of the (organization, band, value) index:
    SQLite's multi-index OR, PostgreSQL's BitmapOr."""
    table = connection.ops.quote_name(TextBand._meta.db_table)
    terms = " OR ".join(["(organization_id = %s AND band = %s AND value = %s)"] * len(bands))
    params: list[int] = []
    for n, value in enumerate(bands):
        params += [organization_id, n, value]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT fingerprint_id FROM {table} WHERE {terms} LIMIT %s",
                       [*params, BAND_ROWS])
        return [row[0] for row in cursor.fetchall()]


def _scope(row: dict[str, Any], worker_id: int, project_id: int) -> str:
    if row["worker_id"] == worker_id:
        return "worker"
    return "project" if row["project_id"] == project_id else "client"


def text_duplicates(*, organization_id: int, project_id: int, worker_id: int, text: str,
                    threshold: float = 0.8, limit: int = 5,
                    item_id: int | None = None) -> list[TextMatch]:
    """The organization's earlier answers whose estimated Jaccard similarity to ``text`` is
    at least ``threshold``, best first (then the worker's own, then the project's), at most
    ``limit``. ``item_id``: the item being answered, whose other answers are left out. A
    text too short to fingerprint has none."""
    if not textprint.long_enough(text) or limit < 1:
        return []
    signature = _signature(text)
    bands = textprint.bands(signature)
    hits = _band_hits(organization_id, bands)
    if not hits:
        return []
    shared = Counter(hits)
    best = sorted(shared, key=lambda pk: (-shared[pk], -pk))[:CANDIDATES]
    rows = Fingerprint.objects.filter(pk__in=best, organization_id=organization_id,
                                      media_kind=MEDIA_KIND)
    if item_id is not None:
        rows = rows.exclude(submission__assignment__item_id=item_id)
    found = list(rows.values("submission_id", "project_id", "worker_id", "signature"))
    if not found:
        return []
    stored = np.stack([textprint.from_bytes(r["signature"]) for r in found])
    alike = textprint.similarities(signature, stored)
    matches = [(float(s), r) for s, r in zip(alike, found, strict=True)
               if s >= threshold - 1e-9]
    matches.sort(key=lambda m: (-m[0], SCOPES.index(_scope(m[1], worker_id, project_id)),
                                -m[1]["submission_id"]))
    matches = matches[:limit]
    answers = dict(Submission.objects.filter(pk__in=[r["submission_id"] for _s, r in matches])
                   .values_list("pk", "answer"))
    return [TextMatch(r["submission_id"], r["project_id"], r["worker_id"], round(s, 2),
                      _scope(r, worker_id, project_id),
                      excerpt(answer_text(answers.get(r["submission_id"]))))
            for s, r in matches]


def text_fingerprint_record(*, organization_id: int, project_id: int, worker_id: int,
                            submission_id: int, text: str,
                            replaces_assignment: int | None = None) -> None:
    """Add a submitted text to its organization's index (nothing for a text too short to
    fingerprint). ``replaces_assignment``: a revision's assignment, whose earlier answers'
    fingerprints are removed (the index holds each answer's latest text)."""
    signature = _signature(text) if textprint.long_enough(text) else None
    with transaction.atomic(savepoint=False):  # the submit's own transaction, when in one
        if replaces_assignment is not None:
            Fingerprint.objects.filter(
                organization_id=organization_id, media_kind=MEDIA_KIND,
                submission__assignment_id=replaces_assignment,
            ).exclude(submission_id=submission_id).delete()
        if signature is None:
            return
        fingerprint = Fingerprint.objects.create(
            organization_id=organization_id, project_id=project_id, worker_id=worker_id,
            submission_id=submission_id, media_kind=MEDIA_KIND, hash=None,
            signature=textprint.to_bytes(signature))
        _bands_insert(fingerprint.pk, organization_id, textprint.bands(signature))


def _bands_insert(fingerprint_id: int, organization_id: int, bands: list[int]) -> None:
    """The fingerprint's band rows in one statement (a tenth of ``bulk_create``'s 0.5 ms)."""
    table = connection.ops.quote_name(TextBand._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(bands))
    params = [x for n, v in enumerate(bands) for x in (fingerprint_id, organization_id, n, v)]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (fingerprint_id, organization_id, band, value) "
                       f"VALUES {rows}", params)

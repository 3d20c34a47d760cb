"""Project results and the JSONL export, streamed in chunks so memory stays flat."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import orjson
from django.conf import settings
from django.db import connection

from datadam import rawsql
from datadam.assist.selectors import outcomes_of
from datadam.kinds import get_kind
from datadam.kinds.exporting import ExportOptions
from datadam.projects.models import Item, Project
from datadam.work.models import Submission

from .counting import counted_statuses, is_counted, is_provisional
from .current import current_results
from .masking import mask_records, masked_kinds
from .models import ItemResult

ANSWER_FIELDS = (
    "pk",
    "assignment_id",
    "assignment__item_id",
    "assignment__worker_id",
    "assignment__status",
    "assignment__revisions",
    "revision",
    "answer",
    "duration_ms",
    "created_at",
    "review__decision",
    "review__reason_code",
    "review__comment",
    "review__reviewer_id",
    "review__automatic",
)


def _answers_by_item(item_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Submission.objects.filter(assignment__item_id__in=item_ids)
        .order_by("assignment__item_id", "assignment_id", "revision")
        .values_list(*ANSWER_FIELDS)
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = list(rows)
    outcomes = outcomes_of([row[0] for row in rows])
    for (
        pk,
        assignment_id,
        item_id,
        worker_id,
        status,
        revisions,
        revision,
        answer,
        duration,
        created,
        decision,
        reason,
        comment,
        reviewer_id,
        automatic,
    ) in rows:
        out[item_id].append(
            {
                # The answer's number as the worker, reviewer and ledger show it.
                "answer_id": assignment_id,
                "submission_id": pk,
                "worker_id": worker_id,
                "assignment_status": status,
                "revision": revision,
                "latest": revision == revisions,
                "answer": answer,
                "duration_ms": duration,
                "submitted_at": created.isoformat(),
                # what the worker did with a model's suggestion, if they were shown one
                "suggestion": outcomes.get(pk),
                "review": None
                if decision is None
                else {
                    "decision": decision,
                    "reason_code": reason,
                    "comment": comment,
                    "reviewer_id": reviewer_id,
                    "automatic": automatic,
                },
            }
        )
    return out


def _stored_results(item_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = ItemResult.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "result", "confidence", "answers", "provisional", "method"
    )
    return {
        pk: {**result, "confidence": confidence, "answers": answers, "provisional": provisional,
             "method": method}
        for pk, result, confidence, answers, provisional, method in rows
    }


def _counted(project: Project, answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The item's answers that count (``counting``'s rule; export items are never gold)."""
    counted = counted_statuses(project)
    return [a for a in answers
            if a["latest"] and is_counted(a["assignment_status"], gold=False, counted=counted)]


def _changed(stored: dict[str, Any] | None, counted: list[dict[str, Any]]) -> bool:
    """Whether the counted answers moved on since the stored result (one came, one was
    decided: a provisional result whose answers are all reviewed now is stale too)."""
    if stored is None or stored["answers"] != len(counted):
        return True
    pending = any(is_provisional(a["assignment_status"]) for a in counted)
    return bool(stored.get("provisional")) != pending


def item_results(project: Project, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each item with its answers and its result, by the one rule of ``counting``.

    The result is the platform's stored aggregation (label, posterior ``confidence``, number
    of counted answers, ``provisional``, ``method``). Where the answers changed since it was
    stored (a review decided one, another came) or the item was not aggregated yet, the result
    is worked out from the counted answers now (``current.current_results``): the export never shows
    an answer that no longer counts, nor a vote share as a confidence. No counted answer: None.
    """
    ids = [item["pk"] for item in items]
    answers = _answers_by_item(ids)
    stored = _stored_results(ids)
    counted = {pk: _counted(project, answers.get(pk, [])) for pk in ids}
    fresh = {pk: rows for pk, rows in counted.items() if rows and _changed(stored.get(pk), rows)}
    computed = current_results(project, fresh) if fresh else {}
    for item in items:
        pk = item["pk"]
        result = computed.get(pk) if pk in fresh else stored.get(pk)
        if not counted[pk]:
            result = None  # every answer it rested on was rejected or returned since
        yield {
            "item_id": pk,
            "external_id": item["external_id"],
            "data": item["data"],
            "answers": answers.get(pk, []),
            "result": result,
        }


def iter_item_chunks(project: Project, chunk: int | None = None) -> Iterator[list[dict[str, Any]]]:
    """Items in id order, ``chunk`` at a time, by keyset (no OFFSET, no full scan held).

    Gold (known-answer) items are control questions, not part of the dataset: left out.
    """
    size = chunk or settings.DATADAM["EXPORT_CHUNK"]
    last = 0
    while True:
        items = list(
            # Gold items test workers; they are not data and never exported.
            Item.objects.filter(project=project, pk__gt=last, gold__isnull=True)
            .order_by("pk")
            .values("pk", "external_id", "data")[:size]
        )
        if not items:
            return
        yield items
        last = items[-1]["pk"]


def export_jsonl(project: Project, *, card: dict[str, Any] | None = None,
                 options: ExportOptions | None = None) -> Iterator[bytes]:
    """One JSON object per line per item: data, every answer with its review, the result.

    With ``card`` the first line is ``{"dataset_card": ...}`` (the accuracy statement);
    without, every line is an item, as JSONL consumers expect. ``options`` without
    ``answers``: each line's ``answers`` is empty (the results are the same). By default
    every answer is in.
    """
    answers = options is None or options.answers
    if card is not None:
        yield orjson.dumps({"dataset_card": card}) + b"\n"
    kinds = masked_kinds(project.config or {})
    own = get_kind(project.kind).export_records(project, options or ExportOptions())
    if own is not None:  # collection kinds: one line per capture
        chunks: Iterator[Iterator[dict[str, Any]]] = iter([own])
    else:
        chunks = (item_results(project, items) for items in iter_item_chunks(project))
    for records in chunks:
        if not answers:
            records = ({**record, "answers": []} for record in records)
        if kinds:
            records = mask_records(records, kinds)
        yield from _lines(records)


def _lines(records: Iterator[dict[str, Any]], size: int = 500) -> Iterator[bytes]:
    """JSON lines, ``size`` records a piece."""
    piece: list[bytes] = []
    for record in records:
        piece.append(orjson.dumps(record) + b"\n")
        if len(piece) >= size:
            yield b"".join(piece)
            piece.clear()
    if piece:
        yield b"".join(piece)


def _json_value(value: Any) -> Any:
    """A JSON column as the cursor returns it (text on SQLite and, by Django's loader, on
    PostgreSQL) parsed; already parsed values pass through."""
    if isinstance(value, str | bytes | bytearray | memoryview):
        return orjson.loads(value)
    return value


def stored_records(project: Project, chunk: int | None = None) -> Iterator[dict[str, Any]]:
    """Every data item (gold left out) with its stored result, in item-id order, for the
    export writers: one keyset query per ``EXPORT_CHUNK`` items joining the items with their
    ``ItemResult`` rows (raw SQL, JSON parsed by orjson), no individual answers (``answers``
    is empty). The result is the last aggregation's (``result`` plus ``confidence``,
    ``answers``, ``provisional``, ``method``), None for an item without one; the export job
    runs a pending aggregation first, so it is current (``export_jobs.export_run``).
    """
    size = chunk or settings.DATADAM["EXPORT_CHUNK"]
    item, result = rawsql.table(Item), rawsql.table(ItemResult)
    # The chunk of items first, then their results: joined outside the LIMIT, PostgreSQL
    # looks each result up by key instead of merging from the first result of the table.
    sql = (
        f"SELECT i.id, i.external_id, i.data, r.result, r.confidence, r.answers, r.provisional,"
        f" r.method FROM (SELECT id, external_id, data FROM {item}"
        f" WHERE project_id = %s AND gold IS NULL AND id > %s ORDER BY id LIMIT %s) i"
        f" LEFT JOIN {result} r ON r.item_id = i.id ORDER BY i.id"
    )
    loads = _json_value
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [project.pk, last, size])
            rows = cursor.fetchall()
        for pk, external_id, data, stored, confidence, answers, provisional, method in rows:
            if stored is None:
                out = None
            else:
                out = loads(stored)
                out["confidence"] = confidence
                out["answers"] = answers
                out["provisional"] = bool(provisional)
                out["method"] = method
            yield {"item_id": pk, "external_id": external_id, "data": loads(data),
                   "result": out, "answers": []}
        if len(rows) < size:
            return
        last = rows[-1][0]


def export_records(project: Project, options: ExportOptions) -> Iterator[dict[str, Any]]:
    """The records an export writer reads, personal data masked where the project says so
    (``masking``)."""
    records = _export_records(project, options)
    kinds = masked_kinds(project.config or {})
    return mask_records(records, kinds) if kinds else records


def _export_records(project: Project, options: ExportOptions) -> Iterator[dict[str, Any]]:
    """The records an export writer reads (``datadam.kinds.exporting``): with individual
    answers, ``item_results`` chunk by chunk (answers, reviews, results by the counting
    rule); without, the stored results only (``stored_records``, several times faster)."""
    own = get_kind(project.kind).export_records(project, options)
    if own is not None:
        yield from own
        return
    if not options.answers:
        yield from stored_records(project)
        return
    for items in iter_item_chunks(project):
        yield from item_results(project, items)

"""Project results and the JSONL export, streamed in chunks so memory stays flat."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import orjson
from django.conf import settings

from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.work.models import AssignmentStatus, Submission

from .models import ItemResult

ANSWER_FIELDS = (
    "pk",
    "assignment__item_id",
    "assignment__worker_id",
    "assignment__status",
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
    for (
        pk,
        item_id,
        worker_id,
        status,
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
                "submission_id": pk,
                "worker_id": worker_id,
                "assignment_status": status,
                "revision": revision,
                "answer": answer,
                "duration_ms": duration,
                "submitted_at": created.isoformat(),
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
        "item_id", "result", "confidence", "answers", "method"
    )
    return {
        pk: {**result, "confidence": confidence, "answers": answers, "method": method}
        for pk, result, confidence, answers, method in rows
    }


def item_results(project: Project, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each item with its answers and its result.

    The result is the platform's stored aggregation (label, posterior ``confidence``, number
    of answers, ``method``); an item not aggregated yet falls back to the majority vote of its
    approved answers (``method`` "mv", ``confidence`` = share of agreeing answers).
    """
    kind = get_kind(project.kind)
    ids = [item["pk"] for item in items]
    answers = _answers_by_item(ids)
    stored = _stored_results(ids)
    for item in items:
        mine = answers.get(item["pk"], [])
        result = stored.get(item["pk"])
        if result is None:
            approved = [
                a["answer"]
                for a in mine
                if a["review"]
                and a["review"]["decision"] == "approve"
                and a["assignment_status"] == AssignmentStatus.APPROVED
            ]
            result = kind.aggregate(approved, project.config) or None
            if result is not None:
                result["method"] = "mv"
        yield {
            "item_id": item["pk"],
            "external_id": item["external_id"],
            "data": item["data"],
            "answers": mine,
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


def export_jsonl(project: Project, *, card: dict[str, Any] | None = None) -> Iterator[bytes]:
    """One JSON object per line per item: data, every answer with its review, the result.

    With ``card`` the first line is ``{"dataset_card": ...}`` (the accuracy statement);
    without, every line is an item, as JSONL consumers expect.
    """
    if card is not None:
        yield orjson.dumps({"dataset_card": card}) + b"\n"
    for items in iter_item_chunks(project):
        yield b"".join(orjson.dumps(record) + b"\n" for record in item_results(project, items))

"""Reading a project's counted answers into flat arrays for the aggregation job.

Which answers count is ``counting``'s rule; this module only streams them out of the
database in chunks (a few bytes per answer) with a flag for those still awaiting review.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np
from django.db.models import F
from django.db.models.fields.json import KT

from datadam.projects.models import Item, Project
from datadam.work.models import Submission

from .counting import counted_statuses, is_counted, is_provisional, read_statuses

__all__ = ["gold_multi", "gold_single", "provisional_of", "read_answers", "read_multi_answers"]

READ_CHUNK = 10_000


def read_answers(project: Project, gold: dict[int, Any]) -> tuple[array, array, array, array]:
    """(worker ids, item ids, class codes, awaiting review) of every counted answer.

    Counted as ``counting`` says: the data items' counted answers and every answer given to
    a gold item. Read in chunks into flat arrays (25 bytes per answer).
    """
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    counted = counted_statuses(project)
    workers, items, labels, pending = array("q"), array("q"), array("q"), array("b")
    rows = (
        Submission.objects.filter(
            assignment__project_id=project.pk,
            assignment__status__in=read_statuses(project, with_gold=bool(gold)),
            revision=F("assignment__revisions"),
        )
        .values_list("assignment__worker_id", "assignment__item_id", KT("answer__label"),
                     "assignment__status")
        .iterator(chunk_size=READ_CHUNK)
    )
    for worker_id, item_id, label, status in rows:
        code = codes.get(label)
        if code is not None and is_counted(status, gold=item_id in gold, counted=counted):
            workers.append(worker_id)
            items.append(item_id)
            labels.append(code)
            pending.append(is_provisional(status))
    return workers, items, labels, pending


def provisional_of(tasks: np.ndarray, t: np.ndarray, pending: np.ndarray) -> np.ndarray:
    """Per task (sorted ``tasks``): whether one of its counted answers awaits review."""
    out = np.zeros(len(tasks), dtype=bool)
    out[np.searchsorted(tasks, t[pending.astype(bool)])] = True
    return out


def gold_single(project: Project) -> dict[int, int]:
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    out: dict[int, int] = {}
    gold_items = Item.objects.filter(project=project, gold__isnull=False).values_list("pk", "gold")
    for pk, gold in gold_items.iterator(chunk_size=READ_CHUNK):
        label = gold.get("label") if isinstance(gold, dict) else None
        if label in codes:
            out[pk] = codes[label]
    return out


def read_multi_answers(project: Project, gold: dict[int, Any]
                        ) -> tuple[array, array, array, array, array]:
    """(worker ids, item ids, offsets, label codes, awaiting review) of every counted
    multi-label answer (``counting``'s rule, as for single-label projects).

    Answer ``a`` chose ``codes[offsets[a]:offsets[a + 1]]``; read in chunks into flat arrays
    (25 bytes per answer + 2 per chosen label).
    """
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    counted = counted_statuses(project)
    workers, items, offsets, chosen = array("q"), array("q"), array("q", [0]), array("h")
    pending = array("b")
    rows = (
        Submission.objects.filter(
            assignment__project_id=project.pk,
            assignment__status__in=read_statuses(project, with_gold=bool(gold)),
            revision=F("assignment__revisions"),
        )
        .values_list("assignment__worker_id", "assignment__item_id", "answer",
                     "assignment__status")
        .iterator(chunk_size=READ_CHUNK)
    )
    for worker_id, item_id, answer, status in rows:
        labels = answer.get("labels") if isinstance(answer, dict) else None
        if not isinstance(labels, list) or not is_counted(status, gold=item_id in gold,
                                                          counted=counted):
            continue
        workers.append(worker_id)
        items.append(item_id)
        chosen.extend(sorted({codes[lb] for lb in labels if lb in codes}))
        offsets.append(len(chosen))
        pending.append(is_provisional(status))
    return workers, items, offsets, chosen, pending


def gold_multi(project: Project) -> dict[int, list[int]]:
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    out: dict[int, list[int]] = {}
    gold_items = Item.objects.filter(project=project, gold__isnull=False).values_list("pk", "gold")
    for pk, gold in gold_items.iterator(chunk_size=READ_CHUNK):
        labels = gold.get("labels") if isinstance(gold, dict) else None
        if isinstance(labels, list):
            out[pk] = sorted({codes[lb] for lb in labels if lb in codes})
    return out

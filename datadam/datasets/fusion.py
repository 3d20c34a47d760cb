"""Aggregation of kinds that combine each item's answers on their own (shapes, points, text).

Classification kinds share labels across items, so Dawid–Skene and kin learn every worker's
confusion from all items at once (``aggregation``). Boxes, polygons, keypoints and OCR
regions have no such shared label space: the kind's ``aggregate_item`` fuses one item's
answers, weighting each worker by skill. This module streams a project's counted answers
item by item (ordered by item id, flat memory), twice:

1. each worker's skill is the mean ``score_answer`` of their answers: against gold on gold
   items, elsewhere against the fused result of the other answers to the item (equal
   weights; an item with one answer says nothing of its worker);
2. each item's answers are fused with those skills (shrunk towards the prior) as weights.

So a run's results depend only on the answers, not on earlier runs: running it twice gives
the same rows. An item's confidence is its agreement; with one answer, the weight of its
worker (a lone answer is never certain). Gold items are judged by whether the crowd's fused
result matches gold within the kind's tolerance.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from django.db.models import F
from django.utils import timezone

from datadam.kinds import get_kind
from datadam.kinds.base import TaskKind
from datadam.projects.models import Item, Project
from datadam.work.models import Submission

from .counting import counted_statuses, is_counted, is_provisional, read_statuses
from .models import ItemResult
from .posterior import PRIOR_SKILL, PRIOR_WEIGHT

#: ``method`` of results fused item by item (``methods.METHOD_NAMES`` names it).
FUSION_METHOD = "fusion"
READ_CHUNK = 5_000
WRITE_CHUNK = 2_000
#: The least weight a worker keeps: a worker scored 0 still breaks ties among equals.
MIN_WEIGHT = 0.05


def worker_weight(skill: float | None, n_scored: int) -> float:
    """A worker's weight in fusion: the estimated skill shrunk towards the prior."""
    if skill is None:
        return PRIOR_SKILL
    value = (skill * n_scored + PRIOR_SKILL * PRIOR_WEIGHT) / (n_scored + PRIOR_WEIGHT)
    return max(MIN_WEIGHT, value)


def confidence_of(agreement: float, weights: Sequence[float]) -> float:
    """An item's confidence: the answers' agreement; a lone answer's worker's weight."""
    return agreement if len(weights) > 1 else min(agreement, weights[0])


def item_fusion(kind: TaskKind, config: Mapping[str, Any],
                answers: Sequence[tuple[int, Any]],
                estimates: Mapping[int, tuple[float, int]]) -> dict[str, Any] | None:
    """One item's result from ``(worker id, answer)`` pairs: the kind's result with its
    ``confidence`` (agreement); None without answers. Used between aggregation runs."""
    usable = [(w, a) for w, a in answers if isinstance(a, dict)]
    if not usable:
        return None
    weights = [worker_weight(*estimates.get(w, (None, 0))) for w, _ in usable]
    fused = kind.aggregate_item([a for _, a in usable], weights, dict(config))
    if fused is None:
        return None
    return {**fused.result, "confidence": round(confidence_of(fused.agreement, weights), 6)}


class ItemsFit:
    """A fusion run over a project; ``rows`` yields result rows chunk by chunk, and the
    worker estimates and gold figures are complete once ``rows`` is exhausted."""

    def __init__(self, project: Project, run: int) -> None:
        self.project, self.run = project, run
        self.kind = get_kind(project.kind)
        self.gold = dict(Item.objects.filter(project=project, gold__isnull=False)
                         .values_list("pk", "gold").iterator(chunk_size=READ_CHUNK))
        self.scores: dict[int, list[float]] = {}  # worker -> [sum of scores, count]
        self.n_answers = 0
        self.n_provisional = 0
        self.gold_total = self.gold_correct = 0
        self.conf_sum, self.n_items = 0.0, 0
        self.chosen = FUSION_METHOD

    def _answers(self) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
        """(item id, [(worker, answer, status)]) of counted answers, in item order."""
        counted = counted_statuses(self.project)
        rows = (
            Submission.objects.filter(
                assignment__project_id=self.project.pk,
                assignment__status__in=read_statuses(self.project, with_gold=bool(self.gold)),
                revision=F("assignment__revisions"),
            )
            .order_by("assignment__item_id")
            .values_list("assignment__item_id", "assignment__worker_id", "answer",
                         "assignment__status")
            .iterator(chunk_size=READ_CHUNK)
        )
        current, group = None, []
        for item_id, worker_id, answer, status in rows:
            if item_id != current:
                if group:
                    yield current, group
                current, group = item_id, []
            if isinstance(answer, dict) and is_counted(status, gold=item_id in self.gold,
                                                       counted=counted):
                group.append((worker_id, answer, status))
        if group:
            yield current, group

    def _score(self, worker: int, value: float) -> None:
        tally = self.scores.setdefault(worker, [0.0, 0])
        tally[0] += value
        tally[1] += 1

    def _estimate(self) -> dict[int, tuple[float, int]]:
        """Pass 1: (skill, answers scored) of each worker. Scored against gold on a gold
        item, else against the fused result of the item's other answers, equally weighted."""
        config = self.project.config
        for item_id, group in self._answers():
            gold = self.gold.get(item_id)
            if gold is not None:
                for worker, answer, _s in group:
                    self._score(worker, self.kind.score_answer(answer, gold, config))
                continue
            if len(group) < 2:
                continue
            for i, (worker, answer, _s) in enumerate(group):
                others = [a for j, (_w, a, _st) in enumerate(group) if j != i]
                rest = self.kind.aggregate_item(others, [1.0] * len(others), config)
                if rest is not None:
                    self._score(worker, self.kind.score_answer(answer, rest.result, config))
        return {w: (total / n, n) for w, (total, n) in self.scores.items()}

    def _results(self) -> Iterator[ItemResult]:
        """Pass 2: each item's answers fused with the estimated skills as weights."""
        skills = self._estimate()
        config, now = self.project.config, timezone.now()
        for item_id, group in self._answers():
            if not group:
                continue
            weights = [worker_weight(*skills.get(w, (None, 0))) for w, _a, _s in group]
            fused = self.kind.aggregate_item([a for _w, a, _s in group], weights, config)
            if fused is None:
                continue
            self.n_answers += len(group)
            gold = self.gold.get(item_id)
            if gold is not None:
                self.gold_total += 1
                self.gold_correct += int(self.kind.answer_matches(fused.result, gold, config))
                continue
            confidence = confidence_of(fused.agreement, weights)
            provisional = any(is_provisional(s) for _w, _a, s in group)
            self.n_provisional += provisional
            self.conf_sum += confidence
            self.n_items += 1
            yield ItemResult(item_id=item_id, project_id=self.project.pk,
                             label=fused.summary[:500], result=fused.result,
                             confidence=round(confidence, 6), answers=len(group),
                             provisional=provisional, method=FUSION_METHOD, run=self.run,
                             updated_at=now)

    @property
    def rows(self) -> Iterator[list[ItemResult]]:
        chunk: list[ItemResult] = []
        for row in self._results():
            chunk.append(row)
            if len(chunk) >= WRITE_CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    @property
    def workers(self) -> np.ndarray:
        return np.array(sorted(self.scores), dtype=np.int64)

    @property
    def skills(self) -> np.ndarray:
        return np.array([self.scores[w][0] / self.scores[w][1] for w in sorted(self.scores)],
                        dtype=np.float64)

    @property
    def n_labels(self) -> np.ndarray:
        return np.array([self.scores[w][1] for w in sorted(self.scores)], dtype=np.int64)

    @property
    def mean_conf(self) -> float | None:
        return self.conf_sum / self.n_items if self.n_items else None

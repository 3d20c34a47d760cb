"""One item's result worked out now from its answers, between aggregation runs.

Dynamic overlap judges an item after every answer, and the export shows items whose answers
changed since the last aggregation run; neither waits for the job. Both use the one-coin
posterior under the workers' last estimated skills (``posterior.shrunk_skill``: an unknown
worker counts as 0.7), so a lone answer never reads as certain. The next aggregation run
replaces it with the project's method.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from datadam.kinds import get_kind
from datadam.projects.models import Project

from .counting import is_provisional
from .fusion import item_fusion
from .models import WorkerEstimate
from .multilabel import item_label_posteriors
from .posterior import item_posterior, shrunk_skill

#: ``method`` of a result worked out this way (``methods.METHOD_NAMES`` names it).
CURRENT_METHOD = "current"

Estimates = Mapping[int, tuple[float, int]]


def estimates_of(project: Project, worker_ids: Iterable[int]) -> dict[int, tuple[float, int]]:
    """(skill, labels) of the given workers from the project's last aggregation: one query."""
    return {
        w: (s, n)
        for w, s, n in WorkerEstimate.objects.filter(
            project_id=project.pk, worker_id__in=set(worker_ids)
        ).values_list("worker_id", "skill", "n_labels")
    }


def posterior_result(config: Mapping[str, Any], answers: Sequence[tuple[int, Any]],
                     estimates: Estimates) -> dict[str, Any] | None:
    """The result of one item from ``(worker id, answer)`` pairs; None with no usable answer.

    Single-label: ``{"label", "confidence"}``; multi-label: ``{"labels", "probabilities",
    "confidence"}`` (min over labels of max(p, 1 − p)), as the aggregation job stores them.
    Ties go to the label listed first.
    """
    labels = list(config["labels"])
    codes = {label: i for i, label in enumerate(labels)}
    if config.get("multi_label"):
        chosen, skills = [], []
        for worker_id, answer in answers:
            picked = answer.get("labels") if isinstance(answer, dict) else None
            if isinstance(picked, list):
                chosen.append([codes[lb] for lb in picked if lb in codes])
                skills.append(shrunk_skill(*_estimate(estimates, worker_id), 2))
        if not chosen:
            return None
        p_yes = item_label_posteriors(chosen, skills, len(labels))
        return {"labels": [lb for lb, p in zip(labels, p_yes, strict=True) if p >= 0.5],
                "probabilities": {lb: round(p, 4) for lb, p in zip(labels, p_yes, strict=True)},
                "confidence": round(min(max(p, 1 - p) for p in p_yes), 6)}
    votes, skills = [], []
    for worker_id, answer in answers:
        label = answer.get("label") if isinstance(answer, dict) else None
        if label in codes:
            votes.append(codes[label])
            skills.append(shrunk_skill(*_estimate(estimates, worker_id), len(labels)))
    if not votes:
        return None
    post = item_posterior(votes, skills, len(labels))
    best = max(range(len(labels)), key=post.__getitem__)
    return {"label": labels[best], "confidence": round(post[best], 6)}


def _estimate(estimates: Estimates, worker_id: int) -> tuple[float | None, int]:
    return estimates.get(worker_id, (None, 0))


def current_results(project: Project, counted: Mapping[int, list[dict[str, Any]]]
                    ) -> dict[int, dict[str, Any]]:
    """Results of several items from their counted answers (export rows), one query in all."""
    estimates = estimates_of(project, (a["worker_id"] for rows in counted.values() for a in rows))
    kind = get_kind(project.kind)
    out = {}
    for item_id, rows in counted.items():
        pairs = [(a["worker_id"], a["answer"]) for a in rows]
        result = (posterior_result(project.config, pairs, estimates) if kind.crowd_labels
                  else item_fusion(kind, project.config, pairs, estimates))
        if result is not None:
            out[item_id] = {
                **result, "answers": len(rows), "method": CURRENT_METHOD,
                "provisional": any(is_provisional(a["assignment_status"]) for a in rows),
            }
    return out

"""Reads of a project's results: summary, dataset card, pages of results and estimates.

Callers pass a project they already resolved for the user (``project_for_manager``), so
everything here is scoped to it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.work.models import SLOT_HOLDING, Assignment

from .accuracy import AQL_CHOICES, wilson_interval
from .counting import rule_summary
from .models import AcceptanceSample, AggregationState, ItemResult, SampleStatus, WorkerEstimate
from .services import sample_outcome


def answers_used(project: Project, *, open_slots: int | None = None) -> int:
    """Answers a project's data items take so far: handed out (slot-holding assignments)
    or still open (``open_slots``, summed here unless the caller has it). Gold items hold
    no slots and are not in the budget, so their answers are left out too."""
    if open_slots is None:
        open_slots = Item.objects.filter(project=project).aggregate(s=Sum("slots_open"))["s"]
        open_slots = open_slots or 0
    held = Assignment.objects.filter(
        project=project, status__in=SLOT_HOLDING, item__gold__isnull=True
    ).count()
    return held + open_slots


def overlap_summary(project: Project) -> dict[str, Any]:
    """Answers budgeted (max × items), used (handed out or still open) and saved."""
    budgeted = project.items_count * project.overlap
    used = answers_used(project)
    return {
        "dynamic": project.dynamic_overlap,
        "min_answers": project.min_answers,
        "max_answers": project.overlap,
        "target_confidence": project.target_confidence,
        "answers_budgeted": budgeted,
        "answers_used": used,
        "answers_saved": max(0, budgeted - used),
    }


def aggregation_summary(project: Project) -> dict[str, Any]:
    state = AggregationState.objects.filter(project=project).first()
    if state is None:
        return {"run": 0, "requested": False, "finished_at": None, "method":
                project.aggregation_method, "chosen": "", "labels": 0, "items": 0,
                "provisional": 0, "mean_confidence": None}
    return {
        "run": state.run,
        "requested": state.requested,
        "finished_at": state.finished_at.isoformat() if state.finished_at else None,
        "method": state.method or project.aggregation_method,
        "chosen": state.chosen,
        "labels": state.n_labels,
        "items": state.n_items,
        "provisional": state.n_provisional,
        "mean_confidence": state.mean_confidence,
    }


def _interval(correct: int, total: int) -> dict[str, Any] | None:
    if not total:
        return None
    low, high = wilson_interval(correct, total)
    return {"items": total, "correct": correct, "accuracy": round(correct / total, 6),
            "wilson_95": [round(low, 6), round(high, 6)]}


def latest_sample(project: Project, *, done: bool = False) -> AcceptanceSample | None:
    qs = AcceptanceSample.objects.filter(project=project)
    if done:
        qs = qs.filter(status=SampleStatus.DONE)
    return qs.order_by("-id").first()


def accuracy_statement(project: Project) -> dict[str, Any]:
    """Estimated accuracy of the delivered labels: gold check and acceptance sample."""
    state = AggregationState.objects.filter(project=project).first()
    gold = _interval(state.gold_correct, state.gold_total) if state else None
    sample = latest_sample(project, done=True)
    outcome = sample_outcome(sample) if sample else None
    if outcome is not None:
        source, acc, ci = "acceptance_sample", outcome["result"]["accuracy"], outcome["result"][
            "wilson_95"]
    elif gold is not None:
        source, acc, ci = "gold", gold["accuracy"], gold["wilson_95"]
    else:
        source, acc, ci = None, None, None
    return {
        "estimate": acc,
        "interval_95": ci,
        "interval_method": "wilson" if ci else None,
        "source": source,
        "model_expected_accuracy": state.mean_confidence if state else None,
        "gold": gold,
        "acceptance_sample": outcome,
    }


def result_counts(project: Project) -> dict[str, int]:
    """Results of the last aggregation: all, those resting on an answer still awaiting
    review (provisional) and the delivered rest; read off the job's state row, not counted."""
    state = AggregationState.objects.filter(project=project).first()
    total, provisional = (state.n_items, state.n_provisional) if state else (0, 0)
    return {"total": total, "provisional": provisional, "final": total - provisional}


def dataset_card(project: Project) -> dict[str, Any]:
    """What a dataset is and how good its labels are: stated next to every export."""
    gold_items = Item.objects.filter(project=project, gold__isnull=False).count()
    counts = result_counts(project)
    kind = get_kind(project.kind)
    return {
        "version": 1,
        "generated_at": timezone.now().isoformat(),
        "project": {"id": project.pk, "name": project.name, "kind": project.kind,
                    "labels": (project.config or {}).get("labels", []),
                    "status": project.status},
        "items": project.items_count,  # gold items are not counted in items_count
        "gold_items": gold_items,
        "results": counts["total"],
        "results_provisional": counts["provisional"],
        "counting": rule_summary(project),
        # "labels": one label per item from the crowd models, confidence a posterior;
        # "item": each item's answers fused, confidence their agreement (shapes, text)
        "aggregation_kind": "labels" if kind.crowd_labels else "item",
        "correct_means": kind.correctness(project.config or {}),
        "page": reverse("console:dataset_card", args=[project.pk]),
        "aggregation": aggregation_summary(project),
        "overlap": overlap_summary(project),
        "accuracy": accuracy_statement(project),
        # what exports mask: faces, plates, metadata, personal data in texts
        "deidentification": kind.deidentification(project.config or {}),
    }


def results_page(project: Project, *, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """Stored results in item order (keyset paging)."""
    rows = list(
        ItemResult.objects.filter(project=project, item_id__gt=after)
        .order_by("item_id")
        .values("item_id", "label", "result", "confidence", "answers", "provisional", "method",
                "updated_at")[:limit]
    )
    return {"results": rows, "next_after": rows[-1]["item_id"] if len(rows) == limit else None}


def worker_estimates(project: Project, *, after: int = 0, limit: int = 100) -> dict[str, Any]:
    rows = list(
        WorkerEstimate.objects.filter(project=project, worker_id__gt=after)
        .order_by("worker_id")
        .values("worker_id", "skill", "n_labels", "updated_at")[:limit]
    )
    return {"workers": rows, "next_after": rows[-1]["worker_id"] if len(rows) == limit else None}


def samples_of(project: Project) -> list[dict[str, Any]]:
    return [sample_outcome(s) for s in AcceptanceSample.objects.filter(project=project)
            .order_by("-id")[:20]]


def sample_items(sample: AcceptanceSample) -> list[dict[str, Any]]:
    return list(
        sample.items.order_by("item_id").values(
            "item_id", "label", "result", "correct", "item__data", "item__external_id"
        )
    )


def quality_panel(project: Project) -> dict[str, Any]:
    """The dashboard's quality panel: accuracy, aggregation, saved answers, samples."""
    open_sample = latest_sample(project)
    if open_sample is not None and open_sample.status != SampleStatus.OPEN:
        open_sample = None
    return {
        "accuracy": accuracy_statement(project),
        "aggregation": aggregation_summary(project),
        "overlap": overlap_summary(project),
        "result_counts": result_counts(project),
        "open_sample": open_sample,
        "aql_choices": [(a, f"{a * 100:g} %") for a in AQL_CHOICES],
    }

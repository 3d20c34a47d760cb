"""Reads of model assistance: the suggestion a worker may see, and the figures of a
project's model (acceptance, coverage, estimated accuracy)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from datadam.projects.models import Item, Project

from .models import Mode, Outcome, ProjectModel, Suggestion, SuggestionOutcome


def settings_of(project: Project) -> ProjectModel | None:
    return ProjectModel.objects.filter(project=project).first()


def hidden_because(model: ProjectModel, project: Project) -> str:
    """Why the project's workers see no suggestions on its ordinary items ("" when they do):
    "off" (the mode), or "overlap": in "assist" mode suggestions show only where no answers
    are compared (one answer per item), since where several workers answer an item a shared
    suggestion would make their answers agree for the wrong reason. "correct" mode is the
    client's explicit choice to have every worker correct the model."""
    if model.mode == Mode.OFF:
        return "off"
    if model.mode == Mode.ASSIST and project.overlap != 1:
        return "overlap"
    return ""


def shows_suggestions(model: ProjectModel | None, project: Project, *, gold: bool) -> bool:
    """The bias rules: whether a worker on this project's item may see the model's
    suggestion. Never on gold (a known-answer question would test the model, not the
    worker); else as ``hidden_because`` says."""
    return model is not None and not gold and not hidden_because(model, project)


def suggestion_for_item(*, project_id: int, item_id: int) -> dict[str, Any] | None:
    """The suggestion to show with an item (the task page and the claim endpoint), or None:
    no model, the bias rules, none made yet. One primary-key probe when the project has no
    model."""
    model = ProjectModel.objects.select_related("project").filter(project_id=project_id).first()
    if model is None:
        return None
    gold = Item.objects.filter(pk=item_id, gold__isnull=False).exists()
    if not shows_suggestions(model, model.project, gold=gold):
        return None
    return Suggestion.objects.filter(item_id=item_id).values(
        "answer", "score", "model_version").first()


def outcomes_of(submission_ids: list[int]) -> dict[int, str]:
    """Submission id → accepted / edited / replaced, for answers given with a suggestion
    (exports list it with each answer; review cards show it)."""
    if not submission_ids:
        return {}
    return dict(SuggestionOutcome.objects.filter(submission_id__in=submission_ids)
                .values_list("submission_id", "outcome"))


def assist_summary(project: Project) -> dict[str, Any] | None:
    """The project's model as the console and the API show it."""
    model = settings_of(project)
    if model is None:
        return None
    outcomes = dict(SuggestionOutcome.objects.filter(project=project).values_list("outcome")
                    .annotate(n=Count("submission")).values_list("outcome", "n"))
    shown = sum(outcomes.values())
    suggested = Suggestion.objects.filter(project=project).count()
    return {
        "project_id": project.pk, "source": model.source, "mode": model.mode,
        "order": model.order, "backend_url": model.backend_url or None,
        "timeout_s": model.timeout_s, "target_accuracy": model.target_accuracy,
        "min_labels": model.min_labels, "version": model.version or None,
        "trained_on": model.trained_on, "estimated_accuracy": model.estimated_accuracy,
        "trained_at": model.trained_at, "predicted_at": model.predicted_at,
        "target_met_at": model.target_met_at, "last_error": model.last_error or None,
        "suggestions": suggested,
        "shown_to_workers": shows_suggestions(model, project, gold=False),
        "outcomes": {o: outcomes.get(o, 0) for o in Outcome.values},
        "accept_rate": round(outcomes.get(Outcome.ACCEPTED, 0) / shown, 4) if shown else None,
    }

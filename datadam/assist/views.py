"""The console page of a project's model: its settings, its state (what it was trained on,
its estimated accuracy, what workers did with its suggestions) and its latest suggestions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.errors import DomainError, NotFound
from datadam.kinds import get_kind
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager

from .forms import AssistForm
from .models import ProjectModel, Source, Suggestion
from .selectors import assist_summary, hidden_because, settings_of
from .services.settings import assist_configure, assist_disable

#: Suggestions listed on the page (the API lists them all).
LATEST = 10


def hidden_reason(model: ProjectModel, project: Project) -> str:
    """Why workers do not see the model's suggestions now, in plain words ("" if they do)."""
    reason = hidden_because(model, project)
    if reason == "off":
        return _("Suggestions are off: the model only orders the queue.")
    if reason == "overlap":
        return _("This project asks for %(n)s answers per item, and \"Suggest…\" shows "
                 "suggestions only where each item gets one answer (so that several workers "
                 "do not agree just because they saw the same suggestion). Choose \"Correct "
                 "the model\" to show them anyway.") % {"n": project.overlap}
    return ""


def latest_suggestions(project: Project) -> list[dict[str, Any]]:
    """The newest suggestions, each answer summarised as the kind words it."""
    kind = get_kind(project.kind)
    rows = list(Suggestion.objects.filter(project=project).order_by("-created_at", "-item_id")
                .values("item_id", "answer", "score", "uncertainty", "model_version",
                        "created_at")[:LATEST])
    for row in rows:
        answer = row["answer"] if isinstance(row["answer"], dict) else {}
        try:
            row["summary"] = kind.summary(answer) or "—"
        except Exception:  # noqa: BLE001 - a stored answer the kind cannot read still lists
            row["summary"] = "—"
    return rows


def _percent(summary: dict[str, Any] | None) -> dict[str, float | None]:
    """The summary's shares as percentages, as the page shows them."""
    out: dict[str, float | None] = {}
    for name in ("estimated_accuracy", "accept_rate", "target_accuracy"):
        value = (summary or {}).get(name)
        out[name] = None if value is None else round(value * 100, 1)
    return out


def _context(project: Project, model: ProjectModel | None, form: AssistForm) -> dict[str, Any]:
    summary = assist_summary(project)
    choices = form.fields["source"].choices
    return {
        "project": project, "model": model, "form": form, "summary": summary,
        "serves": bool(choices),
        "offers_backend": any(value == Source.BACKEND for value, _label in choices),
        "offers_text": any(value == Source.TEXT for value, _label in choices),
        "percent": _percent(summary),
        "kind": get_kind(project.kind),
        "hidden_reason": hidden_reason(model, project) if model is not None else "",
        "suggestions": latest_suggestions(project) if model is not None else [],
        "text_model": model is not None and model.source == Source.TEXT,
    }


@manager_required
def settings_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Set the project's model (saving trains and predicts in the background) and see how
    it is doing."""
    project = project_for_manager(user=request.user, project_id=project_id)
    model = settings_of(project)
    form = AssistForm(request.POST or None, kind=project.kind, model=model)
    if request.method == "POST":
        if form.is_valid():
            try:
                assist_configure(user=request.user, project_id=project.pk,
                                 **form.service_fields())
            except NotFound:
                raise
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved: the model trains and predicts in the "
                                            "background."))
                return redirect("assist:settings", project_id=project.pk)
        return render(request, "assist/settings.html", _context(project, model, form),
                      status=422)
    return render(request, "assist/settings.html", _context(project, model, form))


@manager_required
@require_POST
def train_now(request: HttpRequest, project_id: int) -> HttpResponse:
    """Train (when there are new approved labels) and predict again, in the background."""
    from .tasks import assist_train_task

    project = project_for_manager(user=request.user, project_id=project_id)
    if settings_of(project) is None:
        messages.error(request, _("This project has no model yet: choose one and save."))
    else:
        assist_train_task.enqueue(project.pk)
        messages.success(request, _("The model trains and predicts in the background. "
                                    "Refresh this page in a minute to see the result."))
    return redirect("assist:settings", project_id=project.pk)


@manager_required
@require_POST
def remove(request: HttpRequest, project_id: int) -> HttpResponse:
    """Remove the model: its suggestions go, the queue goes back to import order."""
    project = project_for_manager(user=request.user, project_id=project_id)
    try:
        assist_disable(user=request.user, project_id=project.pk)
    except NotFound:  # removed already (another tab, another manager)
        messages.error(request, _("This project has no model."))
    else:
        messages.success(request, _("Model removed. Workers see no suggestions; the queue is "
                                    "back in the order imported."))
    return redirect("assist:settings", project_id=project.pk)


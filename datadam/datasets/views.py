"""Console pages of results: the dataset card, acceptance samples."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.errors import DomainError, NotFound
from datadam.kinds import get_kind
from datadam.projects.views._common import managed_project

from . import selectors, services
from .models import SampleStatus


@manager_required
def card_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """The dataset card as a page: what the dataset holds, which answers count, and its
    measured accuracy with the interval (the same statement as the API and the export)."""
    project = managed_project(request, project_id)
    return render(request, "datasets/card.html", {
        "project": project,
        "kind": get_kind(project.kind),
        "card": selectors.dataset_card(project),
    })


@manager_required
@require_POST
def sample_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = managed_project(request, project_id)
    try:
        aql = float(request.POST.get("aql", ""))
        sample = services.sample_create(user=request.user, project_id=project.pk, aql=aql)
    except ValueError:
        messages.error(request, _("Choose an acceptable quality level."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        return redirect("console:sample", project_id=project.pk, sample_id=sample.pk)
    return redirect("console:dashboard", project_id=project.pk)


@manager_required
def sample_page(request: HttpRequest, project_id: int, sample_id: int) -> HttpResponse:
    """The sampled items with their delivered labels; mark each correct or wrong."""
    project = managed_project(request, project_id)
    try:
        sample = services.sample_for_inspector(user=request.user, sample_id=sample_id)
    except NotFound:
        raise Http404 from None
    if sample.project_id != project.pk:
        raise Http404
    error = ""
    if request.method == "POST":
        verdicts = {}
        for key, value in request.POST.items():
            if key.startswith("item-") and key[5:].isdigit() and value in ("correct", "wrong"):
                verdicts[int(key[5:])] = value == "correct"
        try:
            sample = services.sample_inspect(
                user=request.user, sample_id=sample.pk, verdicts=verdicts
            )
        except DomainError as exc:
            error = exc.message
        else:
            if sample.status == SampleStatus.DONE:
                messages.success(request, _("Sample inspected: the result is on the dashboard."))
                return redirect("console:dashboard", project_id=project.pk)
            messages.success(request, _("Saved. Mark the remaining items to finish."))
            return redirect("console:sample", project_id=project.pk, sample_id=sample.pk)
    return render(request, "datasets/sample.html", {
        "project": project,
        "kind": get_kind(project.kind),
        "sample": sample,
        "outcome": services.sample_outcome(sample),
        "items": selectors.sample_items(sample),
        "error": error,
    })

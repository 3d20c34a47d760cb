"""Console pages of results: the dataset card, acceptance samples, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.errors import DomainError, NotFound
from datadam.kinds import get_kind
from datadam.projects.views._common import managed_project

from . import export_jobs, selectors, services
from .models import ExportStatus, SampleStatus


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


# --- Exports ----------------------------------------------------------------------------------
#: One line on each format, shown where the client picks one (title: the format's own).
FORMAT_DESCRIPTIONS = {
    "jsonl": gettext_lazy("One JSON object per item: its data and the result with its "
                          "confidence (and every answer, if chosen)."),
    "csv": gettext_lazy("A spreadsheet: one row per item, or one per answer with the "
                        "individual answers."),
    "coco": gettext_lazy("COCO JSON for detection, segmentation and keypoint training, with "
                         "the dataset card in its info."),
    "yolo": gettext_lazy("A zip of YOLO label files (normalised boxes, polygons or "
                         "keypoints) with data.yaml."),
    "voc": gettext_lazy("A zip of Pascal VOC XML files, one per image, with the label map."),
    "hf": gettext_lazy("A zip of a Hugging Face dataset folder (Parquet and a README with the "
                       "dataset card): unzip it and load it with datasets.load_dataset."),
}


def _exports_context(project: Any) -> dict[str, Any]:
    rows = [{**export_jobs.export_summary(e), "status_name": e.get_status_display()}
            for e in export_jobs.exports_of(project)]
    return {
        "project": project,
        "exports": rows,
        "busy": any(r["status"] in (ExportStatus.QUEUED, ExportStatus.RUNNING) for r in rows),
    }


@manager_required
def exports_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Choose a format and options, queue an export; past exports with their downloads."""
    project = managed_project(request, project_id)
    formats = export_jobs.export_formats(project.kind)
    error = ""
    chosen = {"format": formats[0].slug, "answers": "no", "media": "reference"}
    if request.method == "POST":
        chosen = {key: request.POST.get(key, chosen[key]) for key in chosen}
        try:
            export_jobs.export_create(
                user=request.user, project_id=project.pk, fmt=chosen["format"],
                answers=chosen["answers"] == "yes", media=chosen["media"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Export queued: download it below when it is ready."))
            return redirect("console:exports", project_id=project.pk)
    return render(request, "datasets/exports.html", {
        **_exports_context(project),
        "kind": get_kind(project.kind),
        "formats": [(f, _(f.description) if f.description
                     else FORMAT_DESCRIPTIONS.get(f.slug, f.title)) for f in formats],
        "chosen": chosen,
        "error": error,
    }, status=422 if error else 200)


@manager_required
def exports_list(request: HttpRequest, project_id: int) -> HttpResponse:
    """The list of past exports alone (htmx polls it while one is queued or running)."""
    project = managed_project(request, project_id)
    return render(request, "datasets/_exports.html", _exports_context(project))

"""Uploading a project's items from a JSONL or CSV file, with a report of every bad line."""

from __future__ import annotations

import csv
import io

import orjson
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.accounts.access import manager_required
from datadam.errors import DomainError
from datadam.kinds import get_kind
from datadam.projects.forms import UploadForm
from datadam.projects.importing import guess_format, items_import_file
from datadam.projects.models import Project, ProjectStatus

from ._common import error_message, example_item, is_htmx, managed_project


def format_help(project: Project) -> dict[str, str]:
    """An example JSONL line and CSV file for the project's kind."""
    example = example_item(project.kind)
    jsonl = orjson.dumps(example).decode()
    wrapped = orjson.dumps({"data": example, "external_id": "row-1"}).decode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["external_id", *example])
    writer.writerow(["row-1", *example.values()])
    return {"jsonl": jsonl, "jsonl_wrapped": wrapped, "csv": buffer.getvalue().strip()}


@manager_required
def items(request: HttpRequest, project_id: int) -> HttpResponse:
    project = managed_project(request, project_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    error = ""
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = items_import_file(
                    user=request.user,
                    project_id=project.pk,
                    stream=upload.file,
                    fmt=guess_format(upload.name or ""),
                )
            except DomainError as exc:
                error = error_message(exc)
            project.refresh_from_db()
        else:
            error = "; ".join(str(e) for e in form.errors.get("file", []))
    context = {
        "project": project,
        "form": UploadForm(),
        "report": report,
        "error": error,
        "help": format_help(project),
        "closed": project.status == ProjectStatus.CLOSED,
        "kind_title": get_kind(project.kind).title,
    }
    if request.method == "POST" and is_htmx(request):
        context["oob"] = True  # also refresh the item count shown above the form
        return render(request, "projects/_import_report.html", context)
    return render(request, "projects/items.html", context)

"""The console page for uploading images into a project (a thin view over the service)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.accounts.access import manager_required
from datadam.errors import DomainError
from datadam.projects.models import ProjectStatus
from datadam.projects.views._common import error_message, managed_project

from .checks import FORMAT_NAMES
from .limits import limit
from .selectors import kind_takes_images
from .services import media_upload

ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/bmp,.zip,.tar,.tgz,.tar.gz,.gz"


@manager_required
def upload_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Upload images: with JavaScript each file goes to the API on its own, with a progress
    bar; without it, the form posts every file here at once."""
    project = managed_project(request, project_id)
    report = None
    error = ""
    if request.method == "POST":
        try:
            report = media_upload(
                user=request.user, project_id=project.pk, files=request.FILES.getlist("files")
            )
        except DomainError as exc:
            error = error_message(exc)
        project.refresh_from_db()
    context = {
        "project": project,
        "report": report,
        "error": error,
        "closed": project.status == ProjectStatus.CLOSED,
        "takes_images": kind_takes_images(project.kind),
        "accept": ACCEPT,
        "formats": FORMAT_NAMES,
        "max_mb": f"{limit('MEDIA_MAX_BYTES') / 1048576:g}",
        "max_files": limit("MEDIA_MAX_FILES"),
    }
    return render(request, "media/upload.html", context)

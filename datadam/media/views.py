"""The console page for uploading images, audio or video into a project (a thin view over
the service)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.accounts.access import manager_required
from datadam.errors import DomainError
from datadam.projects.models import ProjectStatus
from datadam.projects.views._common import error_message, managed_project

from . import probe
from .checks import FORMAT_NAMES
from .limits import limit
from .selectors import kind_media
from .services import media_upload

ARCHIVES = ".zip,.tar,.tgz,.tar.gz,.gz"
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/bmp," + ARCHIVES
#: What the file picker offers for each media (the server checks content, not names).
ACCEPTS = {
    "image": ACCEPT,
    "audio": "audio/*,.wav,.mp3,.ogg,.opus,.oga,.flac,.webm,.weba,.m4a,.aac,.aiff,"
             ".amr," + ARCHIVES,
    "video": "video/*,.webm,.mp4,.m4v,.mov,.mkv,.ogv,.avi,.ts," + ARCHIVES,
}


@manager_required
def upload_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Upload images: with JavaScript each file goes to the API on its own, with a progress
    bar; without it, the form posts every file here at once."""
    project = managed_project(request, project_id)
    media = kind_media(project.kind)
    max_bytes = "MEDIA_MAX_BYTES" if media in (None, "image") else "MEDIA_AV_MAX_BYTES"
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
        "media": media,
        "takes_images": media is not None,
        "accept": ACCEPTS.get(media or "image", ACCEPT),
        "formats": FORMAT_NAMES if media in (None, "image") else probe.FORMAT_NAMES,
        "max_mb": f"{limit(max_bytes) / 1048576:g}",
        "max_minutes": f"{limit('MEDIA_AV_MAX_SECONDS') / 60:g}",
        "max_files": limit("MEDIA_MAX_FILES"),
    }
    return render(request, "media/upload.html", context)

"""API: upload images (or archives of images) into a project, list a project's images."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from datadam.errors import ErrorOut

from .selectors import media_out, media_page
from .services import media_upload

router = Router(tags=["media"])


class RejectedOut(Schema):
    file: str
    error: str


class UploadOut(Schema):
    created: int
    duplicates: int
    rejected: list[RejectedOut]
    media_ids: list[int]


class MediaOut(Schema):
    id: int
    file: str
    item_id: int | None
    content_type: str
    width: int
    height: int
    bytes: int
    sha256: str
    gps_removed: bool
    status: str
    error: str
    url: str
    web_url: str
    thumb_url: str
    created_at: datetime


class MediaPageOut(Schema):
    items: list[MediaOut]
    next_after: int | None


@router.post(
    "/projects/{project_id}/media",
    response={200: UploadOut, 201: UploadOut, 422: UploadOut | ErrorOut, 400: ErrorOut},
    url_name="media_upload",
)
def upload_media(
    request: HttpRequest, project_id: int, files: File[list[UploadedFile]] = None
):
    """Upload images (JPEG, PNG, WebP, GIF, BMP) or .zip / .tar(.gz) archives of them, as
    multipart ``files``. Each new image becomes an item ``{"image", "width", "height",
    "media_id"}`` named by its file name (its path inside an archive). 201 when images were
    added; 200 when none was new but some were already in the project; 422 when every file
    was refused.
    ``rejected`` names each refused file and why."""
    report = media_upload(user=request.auth, project_id=project_id, files=files or [])
    if report.created:
        return Status(201, report)
    return Status(422 if report.rejected and not report.duplicates else 200, report)


@router.get("/projects/{project_id}/media", response=MediaPageOut, url_name="media_list")
def list_media(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """A project's images in upload order, ``limit`` (at most 1000) after the id ``after``;
    ``next_after`` continues the list (null at its end)."""
    rows, next_after = media_page(
        user=request.auth, project_id=project_id, after=after, limit=limit
    )
    return {"items": [media_out(row) for row in rows], "next_after": next_after}

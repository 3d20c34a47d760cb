"""API: upload images, audio or video (or archives of them) into a project, list a project's
media."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    media_kind: str
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
    duration: float | None
    probe: dict[str, Any]
    peaks_url: str
    poster_url: str
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
    """Upload what the project's kind takes, as multipart ``files``: images (JPEG, PNG,
    WebP, GIF, BMP), audio (WAV, MP3, Ogg/Opus, FLAC, WebM, M4A, ...) or video (WebM, MP4,
    MOV, Matroska, ...), or .zip / .tar(.gz) archives of them; checked by content. Each new
    file becomes an item named by its file name (its path inside an archive): ``{"image",
    "width", "height", "media_id"}``, ``{"audio", "duration", "sample_rate", "media_id"}``
    or ``{"video", "duration", "width", "height", "fps", "media_id"}``. 201 when files were
    added; 200 when none was new but some were already in the project; 422 when every file
    was refused. ``rejected`` names each refused file and why."""
    report = media_upload(user=request.auth, project_id=project_id, files=files or [])
    if report.created:
        return Status(201, report)
    return Status(422 if report.rejected and not report.duplicates else 200, report)


@router.get("/projects/{project_id}/media", response=MediaPageOut, url_name="media_list")
def list_media(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """A project's media in upload order, ``limit`` (at most 1000) after the id ``after``;
    ``next_after`` continues the list (null at its end). Audio and video have their
    ``duration``, what probing found (``probe``: codecs, sample rate, frame rate, ...) and,
    once made, their renditions (``web_url``, ``peaks_url``, ``poster_url``)."""
    rows, next_after = media_page(
        user=request.auth, project_id=project_id, after=after, limit=limit
    )
    return {"items": [media_out(row) for row in rows], "next_after": next_after}

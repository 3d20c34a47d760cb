"""Capture endpoints: a worker uploads a capture for a task and sees its checks at once; a
client lists a project's submitted captures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from datadam.errors import ErrorOut

from .selectors import capture_view, capture_visible, project_captures
from .services import capture_upload

router = Router(tags=["collection"])


class CaptureOut(Schema):
    id: int
    assignment: int
    item: int
    media_kind: str
    source: str
    url: str
    thumb_url: str
    width: int
    height: int
    duration: float | None
    size: int
    content_type: str
    metadata: dict[str, Any]
    checks: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]
    consent: int | None
    submission: int | None
    blocked: bool
    message: str
    created_at: str


class CapturePageOut(Schema):
    items: list[CaptureOut]
    next_after: int | None


@router.post("/assignments/{assignment_id}/captures",
             response={201: CaptureOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       422: ErrorOut},
             url_name="capture_upload")
def upload_capture(request: HttpRequest, assignment_id: int,
                   file: File[UploadedFile] = None, source: Form[str] = "camera",
                   consent: Form[int | None] = None):
    """Upload the photo, recording or clip captured for this task (multipart ``file``;
    ``source``: "camera" — taken in the browser — or "file", where the project allows chosen
    files; ``consent``: the id of the consent signed for a third party). Checked by content
    and by the project's automatic checks, and compared with earlier captures of the client;
    the answer says what was found (``checks``, ``duplicates``) and whether the project
    refuses it (``blocked``, ``message``). Then submit ``{"capture": id, "tags": {...}}``."""
    capture = capture_upload(worker=request.auth, assignment_id=assignment_id, upload=file,
                             source=source, consent_id=consent)
    return Status(201, capture_view(capture))


@router.get("/captures/{capture_id}", response={200: CaptureOut, 404: ErrorOut},
            url_name="capture_detail")
def get_capture(request: HttpRequest, capture_id: int):
    """One capture: its worker, the project's reviewers and client, operators."""
    return capture_view(capture_visible(request.auth, capture_id))


@router.get("/projects/{project_id}/captures", response={200: CapturePageOut, 404: ErrorOut},
            url_name="capture_list")
def list_captures(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """A project's submitted captures (client), ``limit`` (at most 1000) after id ``after``."""
    rows, next_after = project_captures(user=request.auth, project_id=project_id,
                                        after=after, limit=limit)
    return {"items": [capture_view(c) for c in rows], "next_after": next_after}

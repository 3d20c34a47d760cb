"""API: clients create projects, import items, launch, pause, close, read results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from datadam.datasets.export import export_jsonl, item_results
from datadam.datasets.export_jobs import export_formats
from datadam.datasets.selectors import dataset_card
from datadam.errors import ErrorOut, InvalidInput
from datadam.kinds import all_kinds, get_kind
from datadam.kinds.exporting import ExportOptions

from . import services
from .importing import guess_format, items_import, items_import_file, parse_records
from .models import Item, ReviewPolicy
from .selectors import project_stats, project_visible, projects_visible

router = Router(tags=["projects"])


class ProjectIn(Schema):
    organization_id: int
    name: str
    kind: str
    instructions: str = ""
    config: dict[str, Any] = {}
    reward: int
    review_reward: int = 0
    overlap: int = 1
    min_answers: int | None = None
    max_answers: int | None = None
    target_confidence: float | None = None
    aggregation_method: str = "auto"
    lease_seconds: int = 600
    review_policy: str = ReviewPolicy.MANUAL
    auto_approve_hours: int = 72


class ProjectPatch(Schema):
    name: str | None = None
    kind: str | None = None
    instructions: str | None = None
    config: dict[str, Any] | None = None
    reward: int | None = None
    review_reward: int | None = None
    overlap: int | None = None
    min_answers: int | None = None
    max_answers: int | None = None
    target_confidence: float | None = None
    aggregation_method: str | None = None
    lease_seconds: int | None = None
    review_policy: str | None = None
    auto_approve_hours: int | None = None


class ProjectOut(Schema):
    id: int
    organization_id: int
    name: str
    kind: str
    instructions: str
    config: dict[str, Any]
    reward: int
    review_reward: int
    overlap: int
    min_answers: int | None
    max_answers: int
    target_confidence: float | None
    aggregation_method: str
    lease_seconds: int
    review_policy: str
    auto_approve_hours: int
    status: str
    items_count: int
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None


class KindOut(Schema):
    slug: str
    title: str
    description: str
    aggregation: str
    export_formats: list[str]


class ImportOut(Schema):
    imported: int
    error_count: int
    errors: list[dict[str, Any]]


class ItemsIn(Schema):
    items: list[Any]


class ItemOut(Schema):
    id: int
    external_id: str
    data: Any
    slots_open: int


class PageOut(Schema):
    items: list[ItemOut]
    next_after: int | None


@router.get("/kinds", response=list[KindOut], auth=None)
def kinds(request: HttpRequest):
    """The task kinds this platform offers."""
    return [
        {"slug": k.slug, "title": str(k.title), "description": str(k.description),
         # "labels": answers are class labels aggregated across items (Dawid–Skene and kin);
         # "item": each item's answers are fused on their own (shapes, points, text)
         "aggregation": "labels" if k.crowd_labels else "item",
         "export_formats": [f.slug for f in export_formats(k.slug)]}
        for k in all_kinds()
    ]


@router.get("/kinds/{slug}/answer-schema", auth=None)
def answer_schema(request: HttpRequest, slug: str, labels: str = "", multi_label: bool = False,
                  points: str = ""):
    """JSON Schema of an answer for a kind with the given comma-separated labels (or, for
    keypoints, point names)."""
    kind = get_kind(slug)
    config = kind.validate_config({
        "labels": [x for x in labels.split(",") if x] or ["label"], "multi_label": multi_label,
        "points": [x for x in points.split(",") if x] or ["point"],
    })
    return kind.answer_schema(config)


@router.get("/projects", response=list[ProjectOut])
def list_projects(request: HttpRequest, status: str = "", limit: int = 100, after: int = 0):
    qs = projects_visible(request.auth).filter(pk__gt=after).order_by("pk")
    if status:
        qs = qs.filter(status=status)
    return list(qs[: max(1, min(limit, 500))])


@router.post("/projects", response={201: ProjectOut})
def create_project(request: HttpRequest, payload: ProjectIn):
    data = payload.dict()
    org = data.pop("organization_id")
    return Status(201, services.project_create(user=request.auth, organization_id=org, **data))


@router.get("/projects/{project_id}", response=ProjectOut)
def get_project(request: HttpRequest, project_id: int):
    return project_visible(request.auth, project_id)


@router.patch("/projects/{project_id}", response=ProjectOut)
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch):
    fields = payload.dict(exclude_unset=True)
    return services.project_update(user=request.auth, project_id=project_id, **fields)


@router.post("/projects/{project_id}/launch", response=ProjectOut)
def launch(request: HttpRequest, project_id: int):
    """Fund the budget into escrow and open the project (or resume a paused one)."""
    return services.project_launch(user=request.auth, project_id=project_id)


@router.post("/projects/{project_id}/pause", response=ProjectOut)
def pause(request: HttpRequest, project_id: int):
    return services.project_pause(user=request.auth, project_id=project_id)


@router.post("/projects/{project_id}/close", response=ProjectOut)
def close(request: HttpRequest, project_id: int):
    """Close for good; unused escrow returns to the organization."""
    return services.project_close(user=request.auth, project_id=project_id)


@router.get("/projects/{project_id}/stats")
def stats(request: HttpRequest, project_id: int):
    project = services.project_for_manager(user=request.auth, project_id=project_id)
    return project_stats(project)


@router.post("/projects/{project_id}/items", response={201: ImportOut, 422: ImportOut | ErrorOut})
def add_items(request: HttpRequest, project_id: int, payload: ItemsIn):
    """Add items given inline; all or nothing, with a report of every bad item."""
    if len(payload.items) > 10_000:
        raise InvalidInput(_("send at most 10,000 items per request; upload a file for more"))
    report = items_import(
        user=request.auth, project_id=project_id, lines=parse_records(payload.items),
        numbered="item",
    )
    return Status(201 if report.ok else 422, report)


@router.post(
    "/projects/{project_id}/items/upload", response={201: ImportOut, 422: ImportOut | ErrorOut}
)
def upload_items(request: HttpRequest, project_id: int, file: File[UploadedFile], format: str = ""):
    """Upload a JSONL, CSV or JSON-array file of items (streamed; millions of lines are fine).

    Each error in the report names the file's own line: ``line``, ``error`` and ``message``
    ("Line 3: this line is not valid JSON (…)")."""
    fmt = format or guess_format(file.name or "")
    report = items_import_file(user=request.auth, project_id=project_id, stream=file.file, fmt=fmt)
    return Status(201 if report.ok else 422, report)


@router.get("/projects/{project_id}/items", response=PageOut)
def list_items(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    project = services.project_for_manager(user=request.auth, project_id=project_id)
    limit = max(1, min(limit, 1000))
    items = list(
        Item.objects.filter(project=project, pk__gt=after)
        .order_by("pk")
        .values("id", "external_id", "data", "slots_open")[:limit]
    )
    return {"items": items, "next_after": items[-1]["id"] if len(items) == limit else None}


@router.get("/projects/{project_id}/results")
def results(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """A page of items with their answers and majority-vote result."""
    project = services.project_for_manager(user=request.auth, project_id=project_id)
    limit = max(1, min(limit, 1000))
    items = list(
        Item.objects.filter(project=project, pk__gt=after, gold__isnull=True)  # gold: not data
        .order_by("pk")
        .values("pk", "external_id", "data")[:limit]
    )
    rows = list(item_results(project, items))
    return {"results": rows, "next_after": items[-1]["pk"] if len(items) == limit else None}


@router.get("/projects/{project_id}/export.jsonl")
def export(request: HttpRequest, project_id: int, card: bool = False, answers: bool = True):
    """The whole project as JSON lines, streamed (memory stays flat at any size).

    Every line is one item. The dataset card (accuracy statement) is at
    ``/projects/{id}/dataset-card``, and as a page in the console (the ``Link`` header
    points to both); with ``card=true``
    it is also the first line, ``{"dataset_card": {...}}``. ``answers=false`` leaves the
    individual answers out (``"answers": []``). Other formats, and files to download
    later: ``POST /projects/{id}/exports``.
    """
    project = services.project_for_manager(user=request.auth, project_id=project_id)
    stated = dataset_card(project) if card else None
    response = StreamingHttpResponse(
        export_jsonl(project, card=stated, options=ExportOptions(answers=answers)),
        content_type="application/x-ndjson",
    )
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}.jsonl"'
    page = reverse("console:dataset_card", args=[project.pk])
    response["Link"] = (
        f'</api/v1/projects/{project.pk}/dataset-card>; rel="describedby"; '
        f'type="application/json", <{page}>; rel="describedby"; type="text/html"'
    )
    return response

"""API of the dataset hub: search, datasets, versions and their files, access requests,
improvement requests and relabeling. Public datasets are readable without signing in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from datadam.api import visitor
from datadam.errors import ErrorOut

from . import selectors
from .downloads import version_file_response
from .services.access import access_request_create, access_request_decide
from .services.datasets import dataset_publish, dataset_source_add, dataset_update
from .services.requests import (
    improvement_request_create,
    improvement_request_triage,
    relabel_project_create,
)
from .services.versions import version_create, version_format_request
from .visibility import dataset_managed, dataset_seen, dataset_used

router = Router(tags=["hub"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class PublishIn(Schema):
    project_ids: list[int]
    title: str
    title_ko: str = ""
    description: str = ""
    description_ko: str = ""
    licence: str = "cc-by-4.0"
    usage_terms: str = ""
    tags: list[str] = []
    languages: list[str] = []
    visibility: str = "public"
    changelog: str = ""


class DatasetPatchIn(Schema):
    title: str | None = None
    title_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    licence: str | None = None
    usage_terms: str | None = None
    tags: list[str] | None = None
    languages: list[str] | None = None
    visibility: str | None = None


class SourceIn(Schema):
    project_id: int


class VersionIn(Schema):
    changelog: str = ""
    resolves: list[int] = []


class FormatIn(Schema):
    format: str
    media: str = "reference"


class AccessIn(Schema):
    purpose: str
    accept_terms: bool = False
    organization_name: str = ""


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


class ImprovementIn(Schema):
    version: int
    kind: str
    reason: str
    items: list[int] = []
    proposed_label: str = ""


class TriageIn(Schema):
    decision: str
    response: str = ""
    duplicate_of: int | None = None


class RelabelIn(Schema):
    request_ids: list[int]
    name: str = ""


def _detail(request: HttpRequest, dataset_id: int) -> dict[str, Any]:
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    return selectors.dataset_detail(request.user, dataset)


@router.get("/hub/datasets", auth=visitor, response={200: dict, **ERRORS})
def hub_search(request: HttpRequest, q: str = "", kind: str = "", licence: str = "",
               language: str = "", size: str = "", sort: str = "", page: int = 1) -> Any:
    """Datasets you may see: full-text ``q`` over titles, descriptions and tags; filters by
    kind, licence, language and size (small < 1,000 items ≤ medium < 100,000 ≤ large)."""
    return selectors.hub_search(request.user, q=q, kind=kind, licence=licence,
                                language=language, size=size, sort=sort, page=page)


@router.post("/hub/datasets", response={201: dict, **ERRORS})
def hub_publish(request: HttpRequest, payload: PublishIn) -> Any:
    """Publish projects' results as a dataset; version 1 is built in the background."""
    fields = payload.dict()
    project_ids, changelog = fields.pop("project_ids"), fields.pop("changelog")
    dataset = dataset_publish(user=request.user, project_ids=project_ids, changelog=changelog,
                              **fields)
    return Status(201, _detail(request, dataset.pk))


@router.get("/hub/datasets/{dataset_id}", auth=visitor, response={200: dict, **ERRORS})
def hub_dataset(request: HttpRequest, dataset_id: int) -> Any:
    return _detail(request, dataset_id)


@router.patch("/hub/datasets/{dataset_id}", response={200: dict, **ERRORS})
def hub_dataset_update(request: HttpRequest, dataset_id: int, payload: DatasetPatchIn) -> Any:
    dataset_update(user=request.user, dataset_id=dataset_id,
                   **payload.dict(exclude_none=True))
    return _detail(request, dataset_id)


@router.post("/hub/datasets/{dataset_id}/sources", response={201: dict, **ERRORS})
def hub_source_add(request: HttpRequest, dataset_id: int, payload: SourceIn) -> Any:
    dataset_source_add(user=request.user, dataset_id=dataset_id, project_id=payload.project_id)
    return Status(201, _detail(request, dataset_id))


@router.post("/hub/datasets/{dataset_id}/versions", response={202: dict, **ERRORS})
def hub_version_create(request: HttpRequest, dataset_id: int, payload: VersionIn) -> Any:
    """Build the next version from the sources' current results (in the background)."""
    version = version_create(user=request.user, dataset_id=dataset_id,
                             changelog=payload.changelog, resolves=payload.resolves)
    return Status(202, selectors.version_brief(version))


@router.get("/hub/datasets/{dataset_id}/versions/{number}", auth=visitor,
            response={200: dict, **ERRORS})
def hub_version(request: HttpRequest, dataset_id: int, number: int) -> Any:
    """A version: card, files (sizes, SHA-256), label counts, changes, resolved requests."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    return selectors.version_detail(selectors.version_of(dataset, number))


@router.get("/hub/datasets/{dataset_id}/versions/{number}/items", auth=visitor,
            response={200: dict, **ERRORS})
def hub_version_items(request: HttpRequest, dataset_id: int, number: int,
                      label: str | None = None, after: int = 0, limit: int = 24) -> Any:
    dataset = dataset_used(user=request.user, dataset_id=dataset_id)
    return selectors.version_items(selectors.version_of(dataset, number), label=label,
                                   after=after, limit=limit)


@router.get("/hub/datasets/{dataset_id}/versions/{number}/changes", auth=visitor,
            response={200: dict, **ERRORS})
def hub_version_changes(request: HttpRequest, dataset_id: int, number: int,
                        change: str = "relabelled", after: int = 0, limit: int = 50) -> Any:
    """The diff against the previous version: ``added``, ``removed`` or ``relabelled``."""
    dataset = dataset_used(user=request.user, dataset_id=dataset_id)
    return selectors.version_changes(selectors.version_of(dataset, number), change,
                                     after=after, limit=limit)


@router.post("/hub/datasets/{dataset_id}/versions/{number}/formats",
             response={202: dict, **ERRORS})
def hub_version_format(request: HttpRequest, dataset_id: int, number: int,
                       payload: FormatIn) -> Any:
    """The version in one of its kind's export formats: built once, then a file of it."""
    file = version_format_request(user=request.user, dataset_id=dataset_id, number=number,
                                  fmt=payload.format, media=payload.media)
    return Status(202, selectors.file_row(file, dataset_id, number))


@router.get("/hub/datasets/{dataset_id}/versions/{number}/files/{path:path}", auth=visitor,
            response={200: None, 206: None, **ERRORS})
def hub_version_file(request: HttpRequest, dataset_id: int, number: int,
                     path: str) -> HttpResponse:
    """Download a file of the version (HTTP Range resumes; every download is recorded)."""
    return version_file_response(request, user=request.user, dataset_id=dataset_id,
                                 number=number, path=path)


@router.get("/hub/datasets/{dataset_id}/downloads", response={200: dict, **ERRORS})
def hub_downloads(request: HttpRequest, dataset_id: int) -> Any:
    """The latest downloads, for the dataset's organization."""
    dataset = dataset_managed(user=request.user, dataset_id=dataset_id)
    return {"downloads": selectors.downloads_of(dataset), "total": dataset.downloads}


@router.post("/hub/datasets/{dataset_id}/access-requests", response={201: dict, **ERRORS})
def hub_access_request(request: HttpRequest, dataset_id: int, payload: AccessIn) -> Any:
    """Ask for access to a by-request dataset, accepting its usage terms."""
    row = access_request_create(user=request.user, dataset_id=dataset_id,
                                purpose=payload.purpose, accept_terms=payload.accept_terms,
                                organization_name=payload.organization_name)
    return Status(201, selectors.access_row(row))


@router.get("/hub/datasets/{dataset_id}/access-requests", response={200: dict, **ERRORS})
def hub_access_requests(request: HttpRequest, dataset_id: int, status: str = "") -> Any:
    dataset = dataset_managed(user=request.user, dataset_id=dataset_id)
    return {"access_requests": selectors.access_requests_of(dataset, status=status)}


@router.post("/hub/access-requests/{request_id}/decide", response={200: dict, **ERRORS})
def hub_access_decide(request: HttpRequest, request_id: int, payload: DecisionIn) -> Any:
    """Approve or decline (with a reason) a request; declining an approved one revokes it."""
    row = access_request_decide(user=request.user, request_id=request_id,
                                approve=payload.approve, reason=payload.reason)
    return selectors.access_row(row)


@router.get("/hub/datasets/{dataset_id}/requests", auth=visitor, response={200: dict, **ERRORS})
def hub_requests(request: HttpRequest, dataset_id: int, status: str = "",
                 after: int | None = None) -> Any:
    """Improvement requests with their counts and response times."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    return {**selectors.requests_of(dataset, status=status, after=after),
            "stats": selectors.request_stats(dataset)}


@router.post("/hub/datasets/{dataset_id}/requests", response={201: dict, **ERRORS})
def hub_request_create(request: HttpRequest, dataset_id: int, payload: ImprovementIn) -> Any:
    row = improvement_request_create(
        user=request.user, dataset_id=dataset_id, version=payload.version, kind=payload.kind,
        reason=payload.reason, items=payload.items, proposed_label=payload.proposed_label)
    return Status(201, selectors.request_row(row))


@router.get("/hub/datasets/{dataset_id}/requests/{request_id}", auth=visitor,
            response={200: dict, **ERRORS})
def hub_request(request: HttpRequest, dataset_id: int, request_id: int) -> Any:
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    return selectors.request_row(selectors.request_of(dataset, request_id))


@router.post("/hub/requests/{request_id}/triage", response={200: dict, **ERRORS})
def hub_request_triage(request: HttpRequest, request_id: int, payload: TriageIn) -> Any:
    """Accept, decline (with a reason) or mark a duplicate."""
    row = improvement_request_triage(user=request.user, request_id=request_id,
                                     decision=payload.decision, response=payload.response,
                                     duplicate_of=payload.duplicate_of)
    return selectors.request_row(row)


@router.post("/hub/datasets/{dataset_id}/relabel", response={201: dict, **ERRORS})
def hub_relabel(request: HttpRequest, dataset_id: int, payload: RelabelIn) -> Any:
    """A draft relabeling project from accepted relabeling requests; launch it in the
    console. Its approved answers go into the next version."""
    project = relabel_project_create(user=request.user, dataset_id=dataset_id,
                                     request_ids=payload.request_ids, name=payload.name)
    return Status(201, {"project_id": project.pk, "name": project.name,
                        "items": project.items_count, "status": project.status,
                        "url": reverse("console:dashboard", args=[project.pk])})

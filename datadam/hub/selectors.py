"""Reads of the hub, always scoped to what the caller may see (``hub.visibility``)."""

from __future__ import annotations

import statistics
from typing import Any

import orjson
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from datadam.errors import InvalidInput, NotFound
from datadam.kinds import get_kind

from .diff import CHANGES, diff_page
from .models import (
    AccessRequest,
    AccessStatus,
    Dataset,
    DatasetVersion,
    FileStatus,
    ImprovementRequest,
    RequestStatus,
    VersionFile,
    VersionItem,
    VersionStatus,
)
from .search import search_filter
from .visibility import can_manage, can_use, visible_datasets

SIZES = {"small": (0, 999), "medium": (1000, 99_999), "large": (100_000, None)}
SORTS = ("downloads", "recent", "relevance", "items")
PAGE = 20


def hub_search(user: Any, *, q: str = "", kind: str = "", licence: str = "",
               language: str = "", size: str = "", sort: str = "",
               page: int = 1) -> dict[str, Any]:
    """A page of the datasets the user may see, filtered and sorted."""
    if size and size not in SIZES:
        raise InvalidInput(_("size must be one of: %(known)s") % {"known": ", ".join(SIZES)})
    if sort and sort not in SORTS:
        raise InvalidInput(_("sort must be one of: %(known)s") % {"known": ", ".join(SORTS)})
    if not isinstance(page, int) or page < 1 or page > 10_000:
        raise InvalidInput(_("page must be a whole number from 1"))
    qs: QuerySet[Dataset] = visible_datasets(user).filter(latest__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    if licence:
        qs = qs.filter(licence=licence)
    if language:
        # JSON containment is not on SQLite; the list is short, so a text match on the
        # stored JSON array is exact enough: '"ko"' never matches another code.
        qs = qs.filter(languages__icontains=f'"{language.lower()}"')
    if size:
        low, high = SIZES[size]
        qs = qs.filter(items__gte=low)
        if high is not None:
            qs = qs.filter(items__lte=high)
    ranked = False
    if q.strip():
        qs, ranked = search_filter(qs, q)
    sort = sort or ("relevance" if ranked else "downloads")
    if sort == "recent":
        qs = qs.order_by("-latest__finished_at", "-id")
    elif sort == "items":
        qs = qs.order_by("-items", "-id")
    elif sort == "downloads" or not ranked:
        qs = qs.order_by("-downloads", "-id")
    total = qs.count()
    rows = list(qs.select_related("organization", "latest")[(page - 1) * PAGE:page * PAGE])
    return {"datasets": [dataset_brief(d) for d in rows], "total": total, "page": page,
            "pages": max(1, -(-total // PAGE)), "sort": sort}


def dataset_brief(dataset: Dataset) -> dict[str, Any]:
    """A dataset as the listing shows it."""
    latest = dataset.latest
    return {
        "id": dataset.pk, "slug": dataset.slug, "title": dataset.title,
        "title_ko": dataset.title_ko, "organization": dataset.organization.name,
        "kind": dataset.kind, "kind_title": str(get_kind(dataset.kind).title),
        "licence": dataset.licence, "tags": dataset.tags, "languages": dataset.languages,
        "visibility": dataset.visibility, "items": dataset.items, "bytes": dataset.bytes,
        "downloads": dataset.downloads,
        "latest_version": latest.number if latest else None,
        "accuracy": ((latest.card or {}).get("accuracy") or {}) if latest else {},
        "updated_at": latest.finished_at if latest else dataset.updated_at,
        "url": f"/hub/{dataset.pk}/",
    }


def dataset_detail(user: Any, dataset: Dataset) -> dict[str, Any]:
    """Everything the dataset page shows (beyond the listing), as the user may see it."""
    mine = (AccessRequest.objects.filter(dataset=dataset, user_id=user.pk).first()
            if getattr(user, "is_authenticated", False) else None)
    managing = can_manage(user, dataset)
    out = {
        **dataset_brief(dataset),
        "description": dataset.description, "description_ko": dataset.description_ko,
        "usage_terms": dataset.usage_terms,
        "versions": versions_of(dataset, include_building=managing),
        "requests": request_stats(dataset),
        "can_use": can_use(user, dataset), "can_manage": managing,
        "access": None if mine is None else access_row(mine),
        "sources": [{"project_id": s.project_id, "name": s.project.name, "role": s.role}
                    for s in dataset.sources.select_related("project").order_by("id")]
        if managing else [],
    }
    return out


def versions_of(dataset: Dataset, *, include_building: bool = False) -> list[dict[str, Any]]:
    qs = DatasetVersion.objects.filter(dataset=dataset).order_by("-number")
    if not include_building:
        qs = qs.filter(status=VersionStatus.READY)
    return [version_brief(v) for v in qs[:100]]


def version_brief(version: DatasetVersion) -> dict[str, Any]:
    return {
        "number": version.number, "status": version.status, "changelog": version.changelog,
        "items": version.items, "bytes": version.bytes, "added": version.added,
        "removed": version.removed, "relabelled": version.relabelled,
        "created_at": version.created_at, "finished_at": version.finished_at,
        "error": version.error or None,
        "accuracy": (version.card or {}).get("accuracy") or {},
    }


def version_of(dataset: Dataset, number: int, *, ready: bool = True) -> DatasetVersion:
    version = DatasetVersion.objects.filter(dataset=dataset, number=number).first()
    if version is None or (ready and version.status != VersionStatus.READY):
        raise NotFound(_("version not found"))
    return version


def version_detail(version: DatasetVersion) -> dict[str, Any]:
    """The version's page: its card, files with sizes and checksums, labels, changes and
    the requests it resolved."""
    files = VersionFile.objects.filter(version=version).order_by("format", "path")
    resolved = ImprovementRequest.objects.filter(released_in=version,
                                                 status=RequestStatus.RELEASED).select_related(
        "user").order_by("pk")
    dataset_id = version.dataset_id
    return {
        **version_brief(version),
        "card": version.card,
        "labels": sorted(version.label_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:50],
        "previous": version.previous.number if version.previous_id else None,
        "files": [file_row(f, dataset_id, version.number) for f in files],
        "resolved_requests": [{"id": r.pk, "kind": r.kind, "reason": r.reason,
                               "by": r.user.display_name or r.user.email.split("@")[0]}
                              for r in resolved],
    }


def file_row(file: VersionFile, dataset_id: int, number: int) -> dict[str, Any]:
    """A version's file as the pages and the API list it (the download URL once ready)."""
    return {"path": file.path, "format": file.format, "media": file.media,
            "status": file.status, "bytes": file.bytes, "sha256": file.sha256 or None,
            "error": file.error or None,
            "url": f"/api/v1/hub/datasets/{dataset_id}/versions/{number}/files/{file.path}"
            if file.status == FileStatus.READY else None}


def version_items(version: DatasetVersion, *, label: str | None = None, after: int = 0,
                  limit: int = 24) -> dict[str, Any]:
    """A page of the version's records (keyset by key), optionally of one label."""
    limit = max(1, min(limit, 200))
    qs = VersionItem.objects.filter(version=version, key__gt=after)
    if label is not None:
        qs = qs.filter(label=label)
    rows = list(qs.order_by("key").values_list("key", "label", "record")[:limit])
    return {"items": [{"key": k, "label": lab, **orjson.loads(rec)} for k, lab, rec in rows],
            "next_after": rows[-1][0] if len(rows) == limit else None}


def version_changes(version: DatasetVersion, change: str, *, after: int = 0,
                    limit: int = 50) -> dict[str, Any]:
    if change not in CHANGES:
        raise InvalidInput(_("change must be one of: %(known)s") % {"known": ", ".join(CHANGES)})
    limit = max(1, min(limit, 200))
    rows = diff_page(version.pk, version.previous_id, change, after=after, limit=limit)
    return {"change": change, "changes": rows,
            "next_after": rows[-1]["key"] if len(rows) == limit else None}


def request_stats(dataset: Dataset) -> dict[str, Any]:
    """Counts by status and how quickly the owner answers (median hours to triage, and to
    release for the released ones), over the latest 500 triaged requests."""
    counts = dict(ImprovementRequest.objects.filter(dataset=dataset).values_list("status")
                  .annotate(n=Count("id")).values_list("status", "n"))
    triaged = list(ImprovementRequest.objects.filter(dataset=dataset, triaged_at__isnull=False)
                   .order_by("-id").values_list("created_at", "triaged_at")[:500])
    hours = [(t - c).total_seconds() / 3600 for c, t in triaged]
    released = list(ImprovementRequest.objects.filter(
        dataset=dataset, status=RequestStatus.RELEASED).order_by("-id").values_list(
        "created_at", "released_in__finished_at")[:500])
    release_days = [(f - c).total_seconds() / 86400 for c, f in released if f]
    return {
        "counts": {s: counts.get(s, 0) for s in RequestStatus.values},
        "total": sum(counts.values()),
        "median_hours_to_triage": round(statistics.median(hours), 1) if hours else None,
        "median_days_to_release": round(statistics.median(release_days), 1)
        if release_days else None,
    }


def request_row(request: ImprovementRequest) -> dict[str, Any]:
    return {
        "id": request.pk, "dataset_id": request.dataset_id,
        "version": request.version.number, "kind": request.kind, "items": request.keys,
        "proposed_label": request.proposed_label, "reason": request.reason,
        "status": request.status, "response": request.response,
        "duplicate_of": request.duplicate_of_id,
        "by": request.user.display_name or request.user.email.split("@")[0],
        "created_at": request.created_at, "triaged_at": request.triaged_at,
        "relabel_project": request.relabel_project_id,
        "released_in": request.released_in.number if request.released_in_id else None,
    }


def requests_of(dataset: Dataset, *, status: str = "", after: int | None = None,
                limit: int = 50) -> dict[str, Any]:
    if status and status not in RequestStatus.values:
        raise InvalidInput(_("status must be one of: %(known)s")
                           % {"known": ", ".join(RequestStatus.values)})
    qs = ImprovementRequest.objects.filter(dataset=dataset).select_related(
        "user", "version", "released_in")
    if status:
        qs = qs.filter(status=status)
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-id")[:limit])
    return {"requests": [request_row(r) for r in rows],
            "next_after": rows[-1].pk if len(rows) == limit else None}


def request_of(dataset: Dataset, request_id: int) -> ImprovementRequest:
    request = ImprovementRequest.objects.filter(dataset=dataset, pk=request_id).select_related(
        "user", "version", "released_in").first()
    if request is None:
        raise NotFound(_("improvement request not found"))
    return request


def access_row(request: AccessRequest) -> dict[str, Any]:
    return {"id": request.pk, "dataset_id": request.dataset_id, "user_id": request.user_id,
            "user": request.user.display_name or request.user.email,
            "purpose": request.purpose, "organization_name": request.organization_name,
            "status": request.status, "reason": request.reason,
            "terms_accepted_at": request.terms_accepted_at, "decided_at": request.decided_at,
            "created_at": request.created_at}


def pending_access_count(dataset: Dataset) -> int:
    """Access requests waiting for the organization's decision (on access_status_idx)."""
    return AccessRequest.objects.filter(dataset=dataset, status=AccessStatus.PENDING).count()


def access_requests_of(dataset: Dataset, *, status: str = "") -> list[dict[str, Any]]:
    if status and status not in AccessStatus.values:
        raise InvalidInput(_("status must be one of: %(known)s")
                           % {"known": ", ".join(AccessStatus.values)})
    qs = AccessRequest.objects.filter(dataset=dataset).select_related("user")
    if status:
        qs = qs.filter(status=status)
    return [access_row(r) for r in qs.order_by("-id")[:200]]


def downloads_of(dataset: Dataset, limit: int = 100) -> list[dict[str, Any]]:
    """The latest downloads (for the dataset's managers: every download is recorded)."""
    from .models import Download

    rows = Download.objects.filter(dataset=dataset).select_related("user", "version").order_by(
        "-id")[:limit]
    return [{"at": d.at, "version": d.version.number, "path": d.path,
             "user": (d.user.display_name or d.user.email) if d.user_id else None,
             "range_start": d.range_start} for d in rows]


"""Asking for a new version and for a version's files in the kind's export formats."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.datasets.export_jobs import MEDIA_CHOICES, export_formats, format_of
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.kinds.tabular import served_as

from ..models import (
    DatasetVersion,
    FileStatus,
    ImprovementRequest,
    RequestStatus,
    VersionFile,
    VersionStatus,
)
from ..visibility import dataset_managed, dataset_used

MAX_CHANGELOG = 20_000


def version_create(*, user: Any, dataset_id: int, changelog: str = "",
                   resolves: list[int] | None = None) -> DatasetVersion:
    """Queue the dataset's next version, built from its sources' current results.
    ``resolves``: accepted improvement requests this version answers (beside relabeling
    requests, which are found by themselves once their relabeling is done)."""
    if not isinstance(changelog, str) or len(changelog) > MAX_CHANGELOG:
        raise InvalidInput(_("changelog must be text of at most %(n)s characters")
                           % {"n": MAX_CHANGELOG})
    resolves = resolves or []
    if not isinstance(resolves, list) or not all(
            isinstance(r, int) and not isinstance(r, bool) for r in resolves):
        raise InvalidInput(_("resolves must list improvement request ids"))
    from ..tasks import version_build_task

    with transaction.atomic():
        dataset = dataset_managed(user=user, dataset_id=dataset_id, lock=True)
        if DatasetVersion.objects.filter(dataset=dataset,
                                         status=VersionStatus.BUILDING).exists():
            raise Conflict(_("a version of this dataset is being built; wait until it is "
                             "ready"))
        named = list(ImprovementRequest.objects.filter(dataset=dataset, pk__in=set(resolves)))
        if len(named) != len(set(resolves)):
            raise NotFound(_("improvement request not found"))
        if any(r.status != RequestStatus.ACCEPTED for r in named):
            raise InvalidInput(_("only accepted improvement requests can be resolved by a "
                                 "version"))
        last = DatasetVersion.objects.filter(dataset=dataset).order_by("-number").first()
        previous = (DatasetVersion.objects.filter(dataset=dataset, status=VersionStatus.READY)
                    .order_by("-number").first())
        version = DatasetVersion.objects.create(
            dataset=dataset, number=(last.number + 1) if last else 1,
            changelog=changelog.strip(), previous=previous, created_by=user)
        ImprovementRequest.objects.filter(pk__in=[r.pk for r in named]).update(
            released_in=version)
        audit_record(actor=user, action="hub.version.create", target=version,
                     organization_id=dataset.organization_id,
                     data={"dataset": dataset.pk, "number": version.number,
                           "resolves": sorted(set(resolves))})
        version_build_task.enqueue(version.pk)
    return version


def version_ready(*, user: Any, dataset_id: int, number: int) -> DatasetVersion:
    """A ready version the user may use (download, browse)."""
    dataset = dataset_used(user=user, dataset_id=dataset_id)
    version = DatasetVersion.objects.filter(dataset=dataset, number=number).first()
    if version is None:
        raise NotFound(_("version not found"))
    if version.status != VersionStatus.READY:
        raise Conflict(_("version %(n)s is not ready: its status is %(status)s")
                       % {"n": number, "status": version.status})
    version.dataset = dataset
    return version


def format_path(slug: str, extension: str, media: str) -> str:
    return f"formats/{slug}{'-media' if media == 'include' else ''}.{extension}"


def version_format_request(*, user: Any, dataset_id: int, number: int, fmt: str,
                           media: str = "reference") -> VersionFile:
    """The version's file in an export format of its kind: queued for building the first
    time anyone asks (then shared by everyone who may download the version)."""
    version = version_ready(user=user, dataset_id=dataset_id, number=number)
    chosen = format_of(version.dataset.kind, fmt) if isinstance(fmt, str) else None
    if chosen is None:
        known = ", ".join(f.slug for f in export_formats(version.dataset.kind))
        raise InvalidInput(_("unknown export format %(fmt)s for this dataset; choose one of: "
                             "%(known)s") % {"fmt": repr(fmt), "known": known})
    if media not in MEDIA_CHOICES:
        raise InvalidInput(_('media must be "reference" or "include"'))
    extension = served_as(chosen, media)[0]
    path = format_path(chosen.slug, extension, media)
    from ..tasks import version_format_task

    with transaction.atomic():
        file, created = VersionFile.objects.get_or_create(
            version=version, path=path, defaults={"format": chosen.slug, "media": media})
        if not created and file.status == FileStatus.FAILED:
            VersionFile.objects.filter(pk=file.pk).update(status=FileStatus.QUEUED, error="")
            file.status, created = FileStatus.QUEUED, True
        if created:
            audit_record(actor=user, action="hub.version.format", target=version,
                         organization_id=version.dataset.organization_id,
                         data={"format": chosen.slug, "media": media})
            version_format_task.enqueue(file.pk)
    return file

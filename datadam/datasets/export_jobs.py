"""Export jobs: a project's dataset written in a chosen format into storage, in the background.

``export_create`` checks the format against the project's kind (JSONL and CSV for every kind,
plus the kind's own ``exporters``), records an ``Export`` and enqueues ``export_task``.
``export_run`` (the job) brings the results up to date when an aggregation is pending, then
streams the format's writer (``datadam.kinds.exporting``) over the records
(``export.export_records``) into a temporary file, hashing as it goes, and saves that file
under the export's key in the default storage. Memory stays flat: the records are read in
keyset chunks and the writer's bytes go straight to disk. Safe to run twice: a second run
writes the file again and replaces the first (the same data gives the same bytes).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import IO, Any
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import DomainError, NotFound
from datadam.kinds import get_kind
from datadam.kinds.exporting import ExportContext, ExportFormat, ExportOptions, Record
from datadam.kinds.hf import HF
from datadam.kinds.tabular import COMMON, served_as
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager, user_can_manage

from .export import export_records
from .models import AggregationState, Export, ExportStatus

logger = logging.getLogger(__name__)

MEDIA_CHOICES = ("reference", "include")
STORAGE_FOLDER = "exports"


class InvalidExport(DomainError):
    """An export request the platform cannot make (unknown format, bad option): 400."""

    status = 400
    code = "invalid_export"


def export_formats(kind: str) -> list[ExportFormat]:
    """The formats a project of this kind exports to: JSONL and CSV, then the kind's own,
    then the Hugging Face ``datasets`` folder (every kind has it too)."""
    own = tuple(getattr(get_kind(kind), "exporters", ()) or ())
    seen = {f.slug for f in (*COMMON, HF)}
    return [*COMMON, *(f for f in own if f.slug not in seen), HF]


def format_of(kind: str, slug: str) -> ExportFormat | None:
    return next((f for f in export_formats(kind) if f.slug == slug), None)


def options_of(export: Export) -> ExportOptions:
    raw = export.options or {}
    return ExportOptions(answers=bool(raw.get("answers")), media=raw.get("media", "reference"))


def export_file_name(export: Export, extension: str) -> str:
    """The name a download gets: ``project-12-coco-export-5.json``."""
    return f"project-{export.project_id}-{export.format}-export-{export.pk}.{extension}"


def export_create(*, user: Any, project_id: int, fmt: str, answers: bool = False,
                  media: str = "reference") -> Export:
    """Queue an export of the project in format ``fmt`` (a slug its kind offers)."""
    project = project_for_manager(user=user, project_id=project_id)
    chosen = format_of(project.kind, fmt) if isinstance(fmt, str) else None
    if chosen is None:
        known = ", ".join(f.slug for f in export_formats(project.kind))
        raise InvalidExport(
            _("unknown export format %(fmt)s for this project; choose one of: %(known)s")
            % {"fmt": repr(fmt), "known": known}
        )
    if media not in MEDIA_CHOICES:
        raise InvalidExport(
            _('media must be "reference" (images by URL or path) or "include" (the image '
              "files in the archive)")
        )
    if not isinstance(answers, bool):
        raise InvalidExport(_("answers must be true or false"))
    from .tasks import export_task

    with transaction.atomic():
        export = Export.objects.create(
            project=project, format=chosen.slug,
            options={"answers": answers, "media": media}, created_by=user,
        )
        audit_record(actor=user, action="export.create", target=export, project_id=project.pk,
                     organization_id=project.organization_id,
                     data={"format": chosen.slug, "answers": answers, "media": media})
        # The database queue: the job row commits with the export (never one without the other).
        export_task.enqueue(export.pk)
    return export


def export_for_manager(*, user: Any, export_id: int) -> Export:
    """The export if the user may manage its project; else NotFound (as a missing one)."""
    export = Export.objects.select_related("project").filter(pk=export_id).first()
    if export is None or not user_can_manage(user, export.project):
        raise NotFound(_("export not found"))
    return export


def exports_of(project: Project, limit: int = 50) -> list[Export]:
    return list(Export.objects.filter(project=project).select_related("project")
                .order_by("-id")[:limit])


def export_summary(export: Export) -> dict[str, Any]:
    """An export as the API and the page show it."""
    options = options_of(export)
    fmt = None
    try:
        fmt = format_of(export.project.kind, export.format)
    except DomainError:
        pass
    extension = served_as(fmt, options.media)[0] if fmt is not None else ""
    done = export.status == ExportStatus.DONE
    return {
        "id": export.pk,
        "project_id": export.project_id,
        "format": export.format,
        "format_title": fmt.title if fmt is not None else export.format,
        "answers": options.answers,
        "media": options.media,
        "status": export.status,
        "items": export.items,
        "bytes": export.bytes,
        "sha256": export.sha256 or None,
        "file_name": export_file_name(export, extension) if done else None,
        "download": f"/api/v1/exports/{export.pk}/download" if done else None,
        "error": export.error or None,
        "created_by": export.created_by_id,
        "created_at": export.created_at,
        "started_at": export.started_at,
        "finished_at": export.finished_at,
    }


# --- The job ----------------------------------------------------------------------------------
def open_media(reference: str) -> IO[bytes] | None:
    """One of our media files by the item's image reference (``MEDIA_URL`` + name in the
    default storage); None for anything else (a URL elsewhere: the export references it)."""
    prefix = settings.MEDIA_URL
    if not prefix or not isinstance(reference, str) or not reference.startswith(prefix):
        return None
    name = unquote(reference[len(prefix):].split("?", 1)[0])
    if not name or any(part in ("", "..") for part in name.split("/")):
        return None
    try:
        return default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation):
        return None


class _Counted:
    """Passes records on, counting them."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = records
        self.n = 0

    def __iter__(self) -> Iterator[Record]:
        for record in self.records:
            self.n += 1
            yield record


def _write(fmt: ExportFormat, ctx: ExportContext, records: Iterable[Record],
           out: IO[bytes]) -> tuple[int, str]:
    """Stream the writer's bytes into ``out``; (bytes, sha256)."""
    digest = hashlib.sha256()
    size = 0
    for chunk in fmt.write(ctx, records):
        if chunk:
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def export_context(project: Project, options: ExportOptions, *,
                   card: dict[str, Any] | None) -> ExportContext:
    kind = get_kind(project.kind)
    config = dict(project.config or {})
    return ExportContext(project_id=project.pk, name=project.name, kind=project.kind,
                         config=config, options=options,
                         open_media=kind.export_media(config, open_media), card=card,
                         summarise=kind.summary)


def export_run(*, export_id: int) -> dict[str, Any]:
    """Write the export's file (the job). Safe to run twice: the file is written again."""
    from .aggregation import results_aggregate
    from .selectors import dataset_card

    export = Export.objects.select_related("project").filter(pk=export_id).first()
    if export is None:
        return {"export": export_id, "skipped": "missing"}
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING,
                                               started_at=timezone.now())
    project = export.project
    try:
        fmt = format_of(project.kind, export.format)
        if fmt is None:
            raise InvalidExport(_("the project's kind no longer offers the format %(fmt)s")
                                % {"fmt": export.format})
        if AggregationState.objects.filter(project_id=project.pk, requested=True).exists():
            results_aggregate(project_id=project.pk)  # results current before reading them
        options = options_of(export)
        card = dataset_card(project)
        # Dated by the export, so that the same data run twice gives the same file.
        card["generated_at"] = export.created_at.isoformat()
        records = _Counted(export_records(project, options))
        extension = served_as(fmt, options.media)[0]
        key = f"{STORAGE_FOLDER}/project-{project.pk}/export-{export.pk}.{extension}"
        with tempfile.TemporaryFile(prefix="datadam-export-") as tmp:
            size, sha256 = _write(fmt, export_context(project, options, card=card), records,
                                  tmp)
            tmp.seek(0)
            if default_storage.exists(key):
                default_storage.delete(key)  # a second run replaces the first's file
            name = default_storage.save(key, File(tmp, name=key))
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=message[:2000], finished_at=timezone.now())
        return {"export": export.pk, "status": ExportStatus.FAILED, "error": message}
    previous = export.file
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, file=name, bytes=size, items=records.n, sha256=sha256,
        error="", finished_at=timezone.now())
    if previous and previous != name and default_storage.exists(previous):
        default_storage.delete(previous)  # an earlier run's file saved under another name
    return {"export": export.pk, "status": ExportStatus.DONE, "bytes": size,
            "items": records.n, "sha256": sha256}


#: A running export not finished after this long died with its worker process.
STALE_EXPORT = timedelta(hours=1)


def exports_sweep() -> int:
    """Periodic: mark exports whose job died while running (a killed worker) as failed, so
    the page stops waiting and says to export again; returns how many."""
    due = timezone.now() - STALE_EXPORT
    return Export.objects.filter(status=ExportStatus.RUNNING, started_at__lt=due).update(
        status=ExportStatus.FAILED, finished_at=timezone.now(),
        error=_("the export stopped before it finished (its worker was stopped); export again"))

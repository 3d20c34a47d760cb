"""Building a version (the background job): the sources' records snapshotted into
``VersionItem`` rows and the version's folder of files.

``version_build`` claims the version (a second run of the same job, or a run after a crash
within the hour, finds it claimed and stops), brings each source's results up to date,
then streams the base projects' export records (item-id order per project, gold left out,
personal data masked as the project says) through one pass that

- replaces the result of a record a relabeling project relabelled (its approved answers
  win: ``RelabelItem`` maps its items to the records' keys),
- writes a ``VersionItem`` row per record in batches (label, result digest, JSON line),
- writes ``train.jsonl`` and the Parquet file to a temporary folder (``hub.folder``),

then counts the changes against the previous version in SQL (``hub.diff``), writes the
README and manifest, saves the files into the default storage and marks the version ready.
Memory stays flat but for the relabeled results, held by key (a relabeling project is small
beside its dataset). A failed build deletes what it wrote and says why.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from datadam import rawsql
from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.export import export_records
from datadam.datasets.export_jobs import open_media
from datadam.datasets.models import AggregationState
from datadam.errors import DomainError
from datadam.kinds import get_kind
from datadam.kinds.exporting import ExportContext, ExportOptions, Record
from datadam.kinds.hf import DATA_FILE, RESULT_META, _label
from datadam.projects.models import Project

from .card import version_card
from .diff import diff_counts
from .folder import JSONL_FILE, MANIFEST_FILE, README_FILE, FolderFacts, VersionFolder, line_of
from .models import (
    Dataset,
    DatasetSource,
    DatasetVersion,
    FileStatus,
    ImprovementRequest,
    RelabelItem,
    RequestStatus,
    SourceRole,
    VersionFile,
    VersionItem,
    VersionStatus,
)

logger = logging.getLogger(__name__)

BATCH = 2000
#: A build not finished after this long died with its worker; a later run may take it over.
STALE_BUILD = timedelta(hours=1)
#: Distinct labels counted per version (the rest are counted together as "…").
MAX_LABELS = 1000


def storage_key(version: DatasetVersion, path: str) -> str:
    return f"hub/dataset-{version.dataset_id}/v{version.number}/{path}"


def record_key(record: Record) -> int:
    """The record's key in a version: the capture's id for capture kinds, else the item's."""
    data = record.get("data")
    if isinstance(data, dict) and isinstance(data.get("capture_id"), int):
        return data["capture_id"]
    return int(record["item_id"])


def result_digest(result: dict[str, Any] | None) -> str:
    """A digest of what the result says (its confidence and counts left out)."""
    own = None if result is None else {k: v for k, v in result.items() if k not in RESULT_META}
    return hashlib.blake2b(orjson.dumps(own, option=orjson.OPT_SORT_KEYS),
                           digest_size=16).hexdigest()


def record_label(kind: Any, result: dict[str, Any] | None) -> str:
    """The result in a few words, for browsing and filtering: the class label(s) of a
    classification, else the kind's summary."""
    if result is None:
        return ""
    label = _label(result)
    if label is None:
        try:
            label = kind.summary({k: v for k, v in result.items() if k not in RESULT_META})
        except (KeyError, TypeError, ValueError, AttributeError):
            label = ""
    return (label or "")[:200]


def sources_of(dataset: Dataset) -> tuple[list[Project], list[Project]]:
    rows = DatasetSource.objects.filter(dataset=dataset).select_related("project").order_by(
        "project_id")
    base = [s.project for s in rows if s.role == SourceRole.BASE]
    relabel = [s.project for s in rows if s.role == SourceRole.RELABEL]
    return base, relabel


def merged_config(projects: list[Project]) -> dict[str, Any]:
    """The first project's settings, with the labels of all of them (in order met)."""
    config = dict(projects[0].config or {}) if projects else {}
    labels: list[Any] = []
    for project in projects:
        for label in (project.config or {}).get("labels") or []:
            if label not in labels:
                labels.append(label)
    if labels:
        config["labels"] = labels
    return config


def export_context_of(dataset: Dataset, version: DatasetVersion, base: list[Project],
                      options: ExportOptions) -> ExportContext:
    kind = get_kind(dataset.kind)
    config = merged_config(base)
    return ExportContext(
        project_id=base[0].pk if base else 0, name=dataset.title, kind=dataset.kind,
        config=config, options=options, open_media=kind.export_media(config, open_media),
        card=version.card, summarise=kind.summary)


def _current(project: Project) -> None:
    if AggregationState.objects.filter(project_id=project.pk, requested=True).exists():
        results_aggregate(project_id=project.pk)


def relabeled_results(relabel: list[Project]) -> dict[int, dict[str, Any]]:
    """Key → the relabeling projects' result for that record (later projects win)."""
    out: dict[int, dict[str, Any]] = {}
    for project in relabel:
        keys = dict(RelabelItem.objects.filter(project=project).values_list("item_id", "key"))
        for record in export_records(project, ExportOptions()):
            key = keys.get(record["item_id"])
            if key is not None and record.get("result") is not None:
                out[key] = record["result"]
    return out


def _records(base: list[Project], overrides: dict[int, dict[str, Any]]) -> Iterator[Record]:
    for project in base:
        for record in export_records(project, ExportOptions()):
            key = record_key(record)
            if key in overrides:
                record = {**record, "result": overrides[key]}
            yield record


def _claim(version_id: int) -> bool:
    now = timezone.now()
    return DatasetVersion.objects.filter(
        Q(started_at__isnull=True) | Q(started_at__lt=now - STALE_BUILD),
        pk=version_id, status=VersionStatus.BUILDING).update(started_at=now) == 1


def _clear(version: DatasetVersion) -> None:
    """Whatever an earlier, broken run of this build wrote: its rows, and its files in
    storage (the folder's files too, saved before a failure rolled back their rows)."""
    VersionItem.objects.filter(version=version).delete()
    names = {storage_key(version, path)
             for path in (README_FILE, DATA_FILE, JSONL_FILE, MANIFEST_FILE)}
    names.update(f.storage_name for f in VersionFile.objects.filter(version=version)
                 if f.storage_name)
    for name in sorted(names):
        if default_storage.exists(name):
            default_storage.delete(name)
    VersionFile.objects.filter(version=version).delete()


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """VersionItem rows in one statement per batch (the ORM's bulk_create spent more time
    building the SQL than the database spent storing the rows)."""
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_INSERT, rows)


_INSERT = (f"INSERT INTO {rawsql.table(VersionItem)} (version_id, key, label, digest, record)"
           f" VALUES (%s, %s, %s, %s, %s)")


def version_build(*, version_id: int) -> dict[str, Any]:
    """Build the version (the job). Safe to run twice: a claimed or finished version is
    left alone."""
    if not _claim(version_id):
        return {"version": version_id, "skipped": "claimed or finished"}
    version = DatasetVersion.objects.select_related("dataset").get(pk=version_id)
    dataset = version.dataset
    try:
        _clear(version)
        outcome = _build(dataset, version)
    except Exception as exc:
        logger.exception("version %s failed", version.pk)
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        _clear(version)
        DatasetVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.FAILED, error=message[:2000], finished_at=timezone.now())
        ImprovementRequest.objects.filter(released_in=version).update(released_in=None)
        _notify_managers(dataset, "hub.version_failed",
                         {"dataset": dataset.title, "version": version.number,
                          "error": message[:300]}, version)
        return {"version": version.pk, "status": VersionStatus.FAILED, "error": message}
    return outcome


def _build(dataset: Dataset, version: DatasetVersion) -> dict[str, Any]:
    base, relabel = sources_of(dataset)
    if not base:
        raise DomainError("the dataset has no source project")
    for project in (*base, *relabel):
        _current(project)
    version.card = version_card(base, relabel)
    overrides = relabeled_results(relabel)
    # Decided once, with the relabeled results just read: the changelog credits exactly the
    # requests the build releases.
    releasing = _releasing(dataset, version)
    kind = get_kind(dataset.kind)
    labels: Counter[str] = Counter()
    n = 0
    with tempfile.TemporaryDirectory(prefix="datadam-version-") as tmp:
        folder = VersionFolder(Path(tmp), export_context_of(dataset, version, base,
                                                            ExportOptions()))
        batch: list[tuple[Any, ...]] = []
        for record in _records(base, overrides):
            line = line_of(record)
            result = record.get("result")
            label = record_label(kind, result)
            if label in labels or len(labels) < MAX_LABELS:
                labels[label] += 1
            else:
                labels["…"] += 1
            batch.append((version.pk, record_key(record), label, result_digest(result),
                           line[:-1].decode()))
            folder.add(record, line)
            n += 1
            if len(batch) >= BATCH:
                _insert(batch)
                batch.clear()
        _insert(batch)
        previous = version.previous
        changes = diff_counts(version.pk, previous.pk if previous else None)
        version.changelog = _with_credits(version, releasing)
        facts = FolderFacts(
            title=dataset.title, slug=dataset.slug, version=version.number, kind=dataset.kind,
            licence=dataset.licence, description=dataset.description,
            description_ko=dataset.description_ko, title_ko=dataset.title_ko,
            languages=list(dataset.languages or []), tags=list(dataset.tags or []),
            changelog=version.changelog, changes=changes if previous else None,
            usage_terms=dataset.usage_terms, card=version.card)
        files = folder.finish(facts)
        saved = []
        for f in files:
            key = storage_key(version, f.path)
            if default_storage.exists(key):
                default_storage.delete(key)
            with f.local.open("rb") as stream:
                name = default_storage.save(key, File(stream, name=key))
            saved.append(VersionFile(version=version, path=f.path, status=FileStatus.READY,
                                     storage_name=name, bytes=f.bytes, sha256=f.sha256,
                                     finished_at=timezone.now()))
    total = sum(f.bytes for f in files)
    with transaction.atomic():
        VersionFile.objects.bulk_create(saved)
        DatasetVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.READY, items=n, bytes=total, card=version.card,
            label_counts=dict(labels.most_common()), changelog=version.changelog,
            finished_at=timezone.now(), error="", **changes)
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        latest = locked.latest
        if latest is None or latest.number < version.number:
            Dataset.objects.filter(pk=dataset.pk).update(latest=version, items=n, bytes=total)
        released = _release(dataset, version, releasing)
    _notify_managers(dataset, "hub.version_ready",
                     {"dataset": dataset.title, "version": version.number}, version)
    return {"version": version.pk, "status": VersionStatus.READY, "items": n, "bytes": total,
            "released_requests": released, **changes}


def _relabel_done(request: ImprovementRequest) -> bool:
    """Whether every item the request's relabeling project holds has a result."""
    from datadam.datasets.models import ItemResult

    project_id = request.relabel_project_id
    items = RelabelItem.objects.filter(project_id=project_id, key__in=request.keys or [])
    total = items.count()
    done = ItemResult.objects.filter(item_id__in=items.values("item_id")).count()
    return total > 0 and done == total


def _releasing(dataset: Dataset, version: DatasetVersion) -> list[ImprovementRequest]:
    """Accepted requests this version resolves: those named when it was asked for, and
    those whose relabeling is finished."""
    named = list(ImprovementRequest.objects.filter(
        released_in=version, status=RequestStatus.ACCEPTED).select_related("user"))
    relabeled = [r for r in ImprovementRequest.objects.filter(
        dataset=dataset, status=RequestStatus.ACCEPTED, released_in__isnull=True,
        relabel_project__isnull=False).select_related("user") if _relabel_done(r)]
    return named + relabeled


def _with_credits(version: DatasetVersion, requests: list[ImprovementRequest]) -> str:
    """The changelog, with a line thanking each requester whose request it resolves."""
    if not requests:
        return version.changelog
    names = ", ".join(f"#{r.pk} ({r.user.display_name or r.user.email.split('@')[0]})"
                      for r in sorted(requests, key=lambda r: r.pk))
    line = f"Improvement requests resolved: {names}."
    if line in version.changelog:
        return version.changelog
    return f"{version.changelog}\n\n{line}".strip()


def _release(dataset: Dataset, version: DatasetVersion,
             requests: list[ImprovementRequest]) -> list[int]:
    from datadam.notifications.services import notification_send

    for request in requests:
        ImprovementRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.RELEASED, released_in=version)
        notification_send(user=request.user, code="hub.request_released",
                          params={"dataset": dataset.title, "version": version.number,
                                  "request": request.pk},
                          link=f"/hub/{dataset.pk}/v{version.number}/")
    return [r.pk for r in requests]


def _notify_managers(dataset: Dataset, code: str, params: dict[str, Any],
                     version: DatasetVersion) -> None:
    from datadam.notifications.services import organization_notify

    organization_notify(organization_id=dataset.organization_id, code=code, params=params,
                        link=f"/hub/{dataset.pk}/v{version.number}/")

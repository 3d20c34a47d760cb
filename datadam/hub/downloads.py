"""Serving a version's files: access checked, every request recorded, resumable.

Each request served bytes of a file is a ``Download`` row (who, which version and file,
from which byte; a range past the end, 416, sends nothing and is not one); the dataset's
download count grows only for requests from the first byte, so a download resumed in
pieces counts once.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from datadam.datasets.downloads import parse_range, stored_file_response
from datadam.errors import Conflict, NotFound

from .models import Dataset, DatasetVersion, Download, FileStatus, VersionFile
from .services.versions import version_ready

CONTENT_TYPES = {".jsonl": "application/jsonl", ".md": "text/markdown; charset=utf-8",
                 ".parquet": "application/vnd.apache.parquet", "SHA256SUMS": "text/plain"}


def _content_type(path: str) -> str:
    for suffix, kind in CONTENT_TYPES.items():
        if path.endswith(suffix):
            return kind
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def download_name(dataset: Dataset, number: int, path: str) -> str:
    """``<slug>-v3-train.jsonl``: the name a saved file gets."""
    return f"{dataset.slug}-v{number}-{path.replace('/', '-')}"


def download_record(*, user: Any, version: DatasetVersion, path: str,
                    range_start: int = 0) -> Download:
    """Record one request for a version's file; one from the first byte adds a download to
    the dataset's count (a resumed download counts once)."""
    signed_in = getattr(user, "is_authenticated", False)
    row = Download.objects.create(dataset_id=version.dataset_id, version=version, path=path,
                                  user=user if signed_in else None, range_start=range_start)
    if range_start == 0:
        Dataset.objects.filter(pk=version.dataset_id).update(downloads=F("downloads") + 1)
    return row


def version_file_response(request: HttpRequest, *, user: Any, dataset_id: int, number: int,
                          path: str) -> HttpResponse:
    """The file at ``path`` of the version, as a download (200/206/416)."""
    version = version_ready(user=user, dataset_id=dataset_id, number=number)
    dataset = version.dataset
    file = VersionFile.objects.filter(version=version, path=path).first()
    if file is None:
        raise NotFound(_("no file %(path)s in version %(n)s") % {"path": path, "n": number})
    if file.status != FileStatus.READY:
        raise Conflict(_("the file is not ready: its status is %(status)s")
                       % {"status": file.status})
    # The range that will be served (as stored_file_response decides): a range of another
    # file version (If-Range does not match) gets the whole file; one past the end, nothing.
    if_range = request.headers.get("If-Range", "")
    wanted = "" if if_range and if_range != f'"{file.sha256}"' else request.headers.get(
        "Range", "")
    span = parse_range(wanted, file.bytes or 0) if wanted else None
    if span is not False:
        download_record(user=user, version=version, path=path,
                        range_start=span[0] if span is not None else 0)
    return stored_file_response(
        request, name=file.storage_name, size=file.bytes, sha256=file.sha256,
        filename=download_name(dataset, number, path), content_type=_content_type(path),
        gone=_("the file is gone from storage; ask the dataset's owner to build the version "
               "again"))

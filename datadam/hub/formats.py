"""A version's file in one of its kind's export formats (the background job), written by the
same writers as project exports from the version's own records, so it shows exactly what
the version holds."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from typing import Any

import orjson
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from datadam import rawsql
from datadam.datasets.export_jobs import format_of
from datadam.errors import DomainError
from datadam.kinds.exporting import ExportOptions, Record

from .models import FileStatus, VersionFile, VersionItem
from .snapshot import export_context_of, sources_of, storage_key

logger = logging.getLogger(__name__)
CHUNK = 5000


def version_records(version_id: int, chunk: int = CHUNK) -> Iterator[Record]:
    """The version's records in key order, by keyset (one query per chunk)."""
    table = rawsql.table(VersionItem)
    sql = (f"SELECT key, record FROM {table} WHERE version_id = %s AND key > %s"
           f" ORDER BY key LIMIT %s")
    last = -(1 << 62)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [version_id, last, chunk])
            rows = cursor.fetchall()
        for _key, text in rows:
            record = orjson.loads(text)
            record["answers"] = []
            yield record
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def version_format_build(*, file_id: int) -> dict[str, Any]:
    """Write the file (the job). Safe to run twice: a ready file is left as it is."""
    file = VersionFile.objects.select_related("version__dataset").filter(pk=file_id).first()
    if file is None or file.status == FileStatus.READY:
        return {"file": file_id, "skipped": "missing or ready"}
    version = file.version
    dataset = version.dataset
    try:
        fmt = format_of(dataset.kind, file.format)
        if fmt is None:
            raise DomainError(f"the kind no longer offers the format {file.format}")
        base, _relabel = sources_of(dataset)
        ctx = export_context_of(dataset, version, base,
                                ExportOptions(answers=False, media=file.media or "reference"))
        key = storage_key(version, file.path)
        digest, size = hashlib.sha256(), 0
        with tempfile.TemporaryFile(prefix="datadam-version-format-") as tmp:
            for piece in fmt.write(ctx, version_records(version.pk)):
                if piece:
                    tmp.write(piece)
                    digest.update(piece)
                    size += len(piece)
            tmp.seek(0)
            if default_storage.exists(key):
                default_storage.delete(key)
            name = default_storage.save(key, File(tmp, name=key))
    except Exception as exc:
        logger.exception("version file %s failed", file.pk)
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        VersionFile.objects.filter(pk=file.pk).update(status=FileStatus.FAILED,
                                                      error=message[:2000],
                                                      finished_at=timezone.now())
        return {"file": file.pk, "status": FileStatus.FAILED, "error": message}
    VersionFile.objects.filter(pk=file.pk).update(
        status=FileStatus.READY, storage_name=name, bytes=size, sha256=digest.hexdigest(),
        error="", finished_at=timezone.now())
    return {"file": file.pk, "status": FileStatus.READY, "bytes": size}

"""Serving a finished export's file: streamed from storage, one byte range when asked.

A ``Range: bytes=a-b`` (or ``a-``, or ``-n``) header gets 206 with that part, so a broken
download of a large archive resumes where it stopped; ``If-Range`` with the ``ETag`` (the
file's SHA-256) makes sure the part is of the same file. Several ranges in one request are
answered with the whole file (200), which HTTP allows; a range past the end gets 416.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from datadam.errors import Conflict, NotFound
from datadam.kinds.tabular import served_as

from .export_jobs import export_file_name, format_of, options_of
from .models import Export, ExportStatus

BLOCK = 256 << 10
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single range; None to send the whole file (no range, several
    or one we do not understand); False when it cannot be satisfied (416)."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        n = int(last)
        if n == 0 or size == 0:
            return False
        return max(size - n, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _span(stream: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        stream.seek(start)
        while length > 0:
            block = stream.read(min(BLOCK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        stream.close()


def export_response(request: HttpRequest, export: Export) -> HttpResponse:
    """The export's file as a download (200, or 206/416 for a byte range)."""
    if export.status != ExportStatus.DONE or not export.file:
        raise Conflict(_("the export is not ready: its status is %(status)s")
                       % {"status": export.status})
    fmt = format_of(export.project.kind, export.format)
    options = options_of(export)
    extension, content_type = (served_as(fmt, options.media) if fmt is not None
                               else (export.file.rsplit(".", 1)[-1], "application/octet-stream"))
    return stored_file_response(
        request, name=export.file, size=export.bytes, sha256=export.sha256,
        filename=export_file_name(export, extension), content_type=content_type,
        gone=_("the export's file is gone; export again"))


def stored_file_response(request: HttpRequest, *, name: str, size: int | None, sha256: str,
                         filename: str, content_type: str, gone: str) -> HttpResponse:
    """A file of the default storage as a download: 200 with the whole file, 206 with the
    one byte range asked for, 416 for a range past the end; ``ETag`` is the SHA-256 and
    ``If-Range`` with another tag gets the whole file. ``gone``: the 404 message when the
    file is missing from storage."""
    try:
        stream = default_storage.open(name, "rb")
    except OSError:
        raise NotFound(gone) from None
    size = size if size is not None else default_storage.size(name)
    etag = f'"{sha256}"' if sha256 else ""
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    span = parse_range(wanted, size) if wanted and (not if_range or if_range == etag) else None
    if span is False:
        stream.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif span is not None:
        start, end = span
        response = StreamingHttpResponse(_span(stream, start, end - start + 1), status=206,
                                         content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(stream, as_attachment=True, filename=filename,
                                content_type=content_type)
        response.block_size = BLOCK  # 4 kB by default: large files would crawl
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    if etag:
        response["ETag"] = etag
    return response

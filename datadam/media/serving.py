"""Serving stored media at MEDIA_URL to signed-in users, whatever DEBUG says.

Files are read through ``default_storage`` (any backend), streamed, with an ETag, a private
cache lifetime and single byte ranges (``Range: bytes=a-b``, for large images and resumed
downloads, and the seeking of audio and video players). Only the folders of media meant for
the task pages are served: uploaded images (``images/``), audio (``audio/``) and video
(``video/``), and the demo's (``demo/``); other stored files, such as the
documents workers send for credential checks, have views of their own that check who asks.
"""

from __future__ import annotations

import mimetypes
import re
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

SERVED_PREFIXES = ("images/", "audio/", "video/", "demo/")
CACHE_CONTROL = "private, max-age=86400"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single ``Range`` header, both included; None to send the
    whole file (no header, or one this server does not serve, such as several ranges).
    ValueError when the range lies outside the file (416)."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or end < start:
        raise ValueError("range outside the file")
    return start, end


class _Slice:
    """Reads at most ``length`` bytes of an open file from where it stands."""

    def __init__(self, handle: IO[bytes], length: int) -> None:
        self.handle, self.left = handle, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def servable(path: str) -> bool:
    """Whether a storage name is one of the media files served by URL (uploads and their
    renditions; never captures, exports or version files), safely spelled."""
    parts = path.split("/")
    return (
        path.startswith(SERVED_PREFIXES)
        and not any(part in ("", ".", "..") for part in parts)
        and "\\" not in path
        and "\x00" not in path
    )


@require_safe
def media_serve(request: HttpRequest, path: str) -> HttpResponse:
    """One stored file, for signed-in users (403 otherwise, 404 if it is not there)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not servable(path):
        raise Http404
    return stored_file_response(request, path)


def stored_file_response(request: HttpRequest, path: str) -> HttpResponse:
    """One file of the default storage, streamed with an ETag and byte ranges; for views
    that have checked who may read it (media here, captures in ``datadam.collection``)."""
    try:
        handle = default_storage.open(path, "rb")
        size = default_storage.size(path)
        modified = default_storage.get_modified_time(path)
    except (OSError, SuspiciousFileOperation, NotImplementedError):
        raise Http404 from None
    etag = f'"{size:x}-{int(modified.timestamp() * 1_000_000):x}"'
    last_modified = int(modified.timestamp())
    if (early := get_conditional_response(request, etag=etag, last_modified=last_modified)):
        handle.close()
        early["Cache-Control"] = CACHE_CONTROL
        return early
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    try:
        span = byte_range(wanted, size) if wanted and if_range in ("", etag) else None
    except ValueError:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if span is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        first, last = span
        handle.seek(first)
        response = FileResponse(_Slice(handle, last - first + 1), content_type=content_type,
                                status=206)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def serve_urlpatterns() -> list[URLPattern]:
    """The pattern for MEDIA_URL when it is a path on this site (none for another host)."""
    prefix = settings.MEDIA_URL or ""
    if not prefix.startswith("/") or prefix.startswith("//"):
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.+)$", media_serve,
                    name="media_serve")]

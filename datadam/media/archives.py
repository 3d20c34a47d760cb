"""The files of an upload: images as sent, and the members of zip and tar archives.

Archives are read member by member into memory (never unpacked to disk), within limits: at
most ``max_members`` files and ``max_total`` bytes unpacked per archive, each member at most
``max_bytes`` (zip bombs stop at the first limit reached). A member's path is only ever a
name (the external id of its item): ``..``, ``.`` and empty parts are dropped, so
``../evil.png`` is ``evil.png``; nothing is written under that name anywhere. Directories,
links and the clutter of desktop archivers (``__MACOSX/``, ``.DS_Store``) are skipped.

Audio and video may be larger than an image (``max_media_bytes``): a file above ``max_bytes``
is not read into memory but handed on as a file (``Member.file``): the upload itself, or an
archive member spooled to a temporary file (in memory up to 8 MiB, then on disk).
"""

from __future__ import annotations

import lzma
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_COMPRESSED_TAR = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
_JUNK_PARTS = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini"}
_READ_ERRORS = (
    zipfile.BadZipFile, tarfile.TarError, zlib.error, lzma.LZMAError, OSError, EOFError,
    NotImplementedError, RuntimeError, ValueError,
)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_members: int
    max_total: int
    #: Largest audio or video file (0: the same as ``max_bytes``); larger than
    #: ``max_bytes`` comes as ``Member.file``.
    max_media_bytes: int = 0

    @property
    def largest(self) -> int:
        return max(self.max_bytes, self.max_media_bytes)


@dataclass(frozen=True)
class Member:
    """One file to check: its bytes, or (when larger than an image may be) an open file
    positioned anywhere, or why it was not read (``error``)."""

    name: str
    data: bytes | None = None
    error: str | None = None
    file: IO[bytes] | None = None


def archive_type(head: bytes) -> str | None:
    """"zip", "tar" or None (not an archive), from the first 512 bytes of a file."""
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_COMPRESSED_TAR) or head[257:262] == b"ustar":
        return "tar"
    return None


def member_name(raw: str) -> str:
    """A member's path without parts that climb or anchor it ("" when nothing is left)."""
    parts = raw.replace("\\", "/").split("/")
    clean = ["".join(ch for ch in part if ch.isprintable()) for part in parts]
    return "/".join(part for part in clean if part not in ("", ".", ".."))


def _is_junk(name: str) -> bool:
    parts = name.split("/")
    return any(part in _JUNK_PARTS for part in parts) or parts[-1].startswith("._")


def _too_big(limits: Limits) -> str:
    return _("the file is larger than %(mb)s MB") % {"mb": f"{limits.largest / 1048576:g}"}


_SPOOL = 8 << 20


def _read(name: str, handle: IO[bytes], size: int, limits: Limits) -> Member:
    """A member's bytes, or (larger than an image may be) a spooled copy of them."""
    if size <= limits.max_bytes:
        return _nested(name, handle.read(limits.max_bytes + 1))
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - handed on
    shutil.copyfileobj(handle, spool, 1 << 20)
    spool.seek(0)
    if archive_type(spool.read(512)):
        spool.close()
        return Member(name, error=_("archives inside archives are not read"))
    spool.seek(0)
    return Member(name, file=spool)


def _too_many(archive: str, limits: Limits) -> Member:
    return Member(archive, error=_(
        "the archive holds more than %(n)s files; the files after that were not read"
    ) % {"n": limits.max_members})


def _too_large(archive: str, limits: Limits) -> Member:
    return Member(archive, error=_(
        "the archive unpacks to more than %(mb)s MB; the files after that were not read"
    ) % {"mb": f"{limits.max_total / 1048576:g}"})


def _nested(name: str, data: bytes) -> Member:
    if archive_type(data[:512]):
        return Member(name, error=_("archives inside archives are not read"))
    return Member(name, data=data)


def _zip_members(archive: str, stream: IO[bytes], limits: Limits) -> Iterator[Member]:
    try:
        zf = zipfile.ZipFile(stream)
    except _READ_ERRORS:
        yield Member(archive, error=_("the zip archive cannot be read"))
        return
    count = total = 0
    with zf:
        for info in zf.infolist():
            name = member_name(info.filename)
            if info.is_dir() or not name or _is_junk(name):
                continue
            count += 1
            if count > limits.max_members:
                yield _too_many(archive, limits)
                return
            if info.flag_bits & 0x1:
                yield Member(name, error=_("the file is encrypted"))
                continue
            if info.file_size > limits.largest:  # zipfile never reads past this size
                yield Member(name, error=_too_big(limits))
                continue
            total += info.file_size
            if total > limits.max_total:
                yield _too_large(archive, limits)
                return
            try:
                with zf.open(info) as handle:
                    member = _read(name, handle, info.file_size, limits)
            except _READ_ERRORS:
                yield Member(name, error=_("the file cannot be unpacked from the archive"))
                continue
            yield member


def _tar_members(archive: str, stream: IO[bytes], limits: Limits) -> Iterator[Member]:
    count = total = 0
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as tf:
            for info in tf:
                name = member_name(info.name)
                if info.isdir() or not name or _is_junk(name):
                    continue
                count += 1
                if count > limits.max_members:
                    yield _too_many(archive, limits)
                    return
                if not info.isfile():
                    yield Member(name, error=_("not a regular file (a link or a device)"))
                    continue
                total += info.size  # counted even when skipped: skipping unpacks it too
                if total > limits.max_total:
                    yield _too_large(archive, limits)
                    return
                if info.size > limits.largest:
                    yield Member(name, error=_too_big(limits))
                    continue
                handle = tf.extractfile(info)
                if handle is None:
                    yield _nested(name, b"")
                else:
                    yield _read(name, handle, info.size, limits)
    except _READ_ERRORS:
        yield Member(archive, error=_("the tar archive is damaged or incomplete"))


def upload_members(files: Iterable[Any], limits: Limits) -> Iterator[Member]:
    """Every file to check in an upload, in order: each image, then each archive's members.

    ``files`` are uploaded files (``name``, ``size``, ``read``, ``seek``).
    """
    for upload in files:
        name = member_name(str(upload.name or "")) or "upload"
        upload.seek(0)
        head = upload.read(512)
        upload.seek(0)
        kind = archive_type(head)
        if kind is not None:
            read = _zip_members if kind == "zip" else _tar_members
            empty = True
            for member in read(name, upload, limits):
                empty = False
                yield member
            if empty:
                yield Member(name, error=_("the archive holds no files"))
        elif (upload.size or 0) > limits.largest:
            yield Member(name, error=_too_big(limits))
        elif (upload.size or 0) > limits.max_bytes:
            yield Member(name, file=upload)  # audio or video: checked from the file
        else:
            yield Member(name, data=upload.read(limits.max_bytes + 1))

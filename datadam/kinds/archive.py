"""Zip archives written as a stream, and unique file names for exported media (no Django).

``ZipStream`` writes a zip as a stream of bytes, handed back after each entry (or each
block of a large entry), never seeking back, so an archive of any size is produced with flat
memory, ready to stream to a client or to storage. Every entry has the same fixed date and
mode, so the same export run twice gives the same bytes.

``UniqueNames`` gives each exported image a file name from its reference (``.../cat.jpg`` →
``cat.jpg``); a stem met before gets the item id (``cat_1234.jpg``). It remembers the stems
in a fixed-size Bloom filter, not a set: memory stays at 4 MiB however many items there are.
A Bloom filter never misses a name it has seen, so names are always unique; it may rarely
think it saw one it did not (about 1 in 1,600 names at 10⁶ items), which only means that
image gets the id suffix too.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
import zlib
from collections.abc import Generator, Iterable, Iterator
from typing import IO, Any
from urllib.parse import unquote

#: Date of every archive entry (zip's earliest): the same data gives the same bytes.
ENTRY_DATE = (1980, 1, 1, 0, 0, 0)
COPY_BLOCK = 1 << 20
#: Writers hand on what a ZipStream holds once it passes this.
FLUSH_AT = 256 << 10


class ZipStream:
    """A zip archive written as a stream; ``drain()`` returns the bytes written since.

    Usage: ``z = ZipStream(); z.writestr("a.txt", b"..."); yield z.drain(); ...;
    yield z.close()``; a large entry block by block: ``yield from z.copy(name, fileobj)``.

    Written here rather than with ``zipfile``, which keeps a ``ZipInfo`` per entry in memory
    until the archive closes (hundreds of bytes each: a YOLO or VOC export has a file per
    item); the central directory records go to a spooled temporary file instead. Entries
    whose size is known are written with their sizes in the local header; streamed ones with
    a data descriptor (zip64 when ``large``). Archives with 65,535 entries or more, or past
    4 GiB, get the zip64 end records. Any unzip, ``zipfile`` included, reads them.
    """

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._pending = 0
        self.offset = 0  # bytes written so far
        self.entries = 0
        self._central = tempfile.SpooledTemporaryFile(max_size=4 << 20)

    def _out(self, data: bytes) -> None:
        self._chunks.append(data)
        self._pending += len(data)
        self.offset += len(data)

    @property
    def pending(self) -> int:
        """Bytes written and not drained yet."""
        return self._pending

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self._pending = 0
        return data

    @staticmethod
    def _flags(raw: bytes, streamed: bool) -> int:
        return (0x800 if not raw.isascii() else 0) | (0x08 if streamed else 0)

    def _record(self, raw: bytes, flags: int, method: int, crc: int, csize: int, usize: int,
                header_at: int) -> None:
        """The entry's central directory record, spooled until ``close``."""
        zip64 = max(csize, usize, header_at) >= _LIMIT
        extra = struct.pack("<HHQQQ", 1, 24, usize, csize, header_at) if zip64 else b""
        if zip64:
            csize = usize = header_at = _LIMIT
        version = 45 if zip64 else 20
        self._central.write(struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | version, version, flags, method,
            _DOS_TIME, _DOS_DATE, crc, csize, usize, len(raw), len(extra), 0, 0, 0,
            _MODE, header_at) + raw + extra)
        self.entries += 1

    def writestr(self, name: str, data: bytes | str, *, compress: bool = True) -> None:
        """An entry whose bytes are all known (sizes in the local header)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        raw = name.encode("utf-8")
        crc = zlib.crc32(data)
        method = 8 if compress else 0
        body = _deflate(data) if compress else data
        if max(len(body), len(data)) >= _LIMIT:
            raise ValueError(f"{name} passes 4 GiB; write it with copy(..., large=True)")
        flags = self._flags(raw, streamed=False)
        header_at = self.offset
        self._out(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, _DOS_TIME,
                              _DOS_DATE, crc, len(body), len(data), len(raw), 0) + raw)
        self._out(body)
        self._record(raw, flags, method, crc, len(body), len(data), header_at)

    def copy(self, name: str, source: IO[bytes], *, compress: bool = False,
             large: bool = False) -> Iterator[bytes]:
        """Copy a file object into the archive block by block, yielding the bytes so far.

        ``large``: the entry may pass 4 GiB (zip64 sizes: a stream must say so before its
        data)."""
        raw = name.encode("utf-8")
        flags = self._flags(raw, streamed=True)
        method = 8 if compress else 0
        version = 45 if large else 20
        extra = struct.pack("<HHQQ", 1, 16, 0, 0) if large else b""
        header_at = self.offset
        self._out(struct.pack("<IHHHHHIIIHH", 0x04034B50, version, flags, method, _DOS_TIME,
                              _DOS_DATE, 0, 0, 0, len(raw), len(extra)) + raw + extra)
        crc = usize = csize = 0
        packer = zlib.compressobj(6, zlib.DEFLATED, -15) if compress else None
        while block := source.read(COPY_BLOCK):
            crc = zlib.crc32(block, crc)
            usize += len(block)
            if packer is not None:
                block = packer.compress(block)
            csize += len(block)
            if block:
                self._out(block)
            if self._pending >= COPY_BLOCK:
                yield self.drain()
        if packer is not None:
            tail = packer.flush()
            csize += len(tail)
            self._out(tail)
        if large:
            self._out(struct.pack("<IIQQ", 0x08074B50, crc, csize, usize))
        else:
            if max(csize, usize) >= _LIMIT:
                raise ValueError(f"{name} passed 4 GiB; copy it with large=True")
            self._out(struct.pack("<IIII", 0x08074B50, crc, csize, usize))
        self._record(raw, flags, method, crc, csize, usize, header_at)
        yield self.drain()

    def close(self) -> bytes:
        """The central directory and end records; returns the last bytes."""
        start = self.offset
        self._central.seek(0)
        while block := self._central.read(COPY_BLOCK):
            self._out(block)
        self._central.close()
        size = self.offset - start
        count = self.entries
        if count >= 0xFFFF or max(size, start) >= _LIMIT:
            at = self.offset
            self._out(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, (3 << 8) | 45, 45, 0, 0,
                                  count, count, size, start))
            self._out(struct.pack("<IIQI", 0x07064B50, 0, at, 1))
            count, size, start = min(count, 0xFFFF), min(size, _LIMIT), min(start, _LIMIT)
        self._out(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, start, 0))
        return self.drain()


_LIMIT = 0xFFFFFFFF
_DOS_DATE = ((ENTRY_DATE[0] - 1980) << 9) | (ENTRY_DATE[1] << 5) | ENTRY_DATE[2]
_DOS_TIME = (ENTRY_DATE[3] << 11) | (ENTRY_DATE[4] << 5) | (ENTRY_DATE[5] // 2)
_MODE = 0o100644 << 16  # a regular file, rw-r--r--


def _deflate(data: bytes) -> bytes:
    # A small entry (a label file) needs no 32 KiB window: setting up zlib's full state
    # costs ten times more than compressing a few hundred bytes with a 4 KiB one.
    small = len(data) <= 4096
    packer = zlib.compressobj(6, zlib.DEFLATED, -12 if small else -15, 1 if small else 8)
    return packer.compress(data) + packer.flush()


_UNSAFE = re.compile(r"[^\w.\- ]+")


def split_name(reference: str) -> tuple[str, str]:
    """(stem, extension) of the file a reference names: a URL's or a path's last part,
    percent-decoded, reduced to safe characters. Either may be empty."""
    if reference.startswith("data:"):
        return "", ""
    path = reference.split("#", 1)[0].split("?", 1)[0] if "://" in reference else reference
    base = unquote(path.rsplit("/", 1)[-1]).strip()
    if len(base) > 200:
        base = ""
    stem, ext = os.path.splitext(base)
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:120]
    ext = _UNSAFE.sub("", ext)[:10].lower()
    return stem, ext


class UniqueNames:
    """File stems unique within one export, in fixed memory (see the module docstring)."""

    BITS = 1 << 25  # 4 MiB
    HASHES = 3

    def __init__(self) -> None:
        self._bits = bytearray(self.BITS // 8)

    def _positions(self, stem: str) -> list[int]:
        digest = hashlib.blake2b(stem.casefold().encode("utf-8"), digest_size=12).digest()
        return [int.from_bytes(digest[4 * i: 4 * i + 4], "little") % self.BITS
                for i in range(self.HASHES)]

    def _seen(self, positions: list[int]) -> bool:
        return all(self._bits[p >> 3] & (1 << (p & 7)) for p in positions)

    def _add(self, positions: list[int]) -> None:
        for p in positions:
            self._bits[p >> 3] |= 1 << (p & 7)

    def stem(self, reference: str, item_id: int) -> tuple[str, str]:
        """(unique stem, extension) for an item's image: the reference's own stem unless
        that was given out already (then ``<stem>_<item id>``, then ``_2``, ... on)."""
        stem, ext = split_name(reference)
        candidate = stem or f"item_{item_id}"
        n = 1
        while True:
            positions = self._positions(candidate)
            if not self._seen(positions):
                self._add(positions)
                return candidate, ext
            n += 1
            candidate = f"{stem or 'item'}_{item_id}" + ("" if n == 2 else f"_{n - 1}")


# --- Media copied into an archive -------------------------------------------------------------
_MAGIC = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"GIF8", ".gif"),
    (b"BM", ".bmp"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)


def sniff_extension(head: bytes) -> str:
    """An image file's extension from its first bytes ("" when unknown)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    for magic, ext in _MAGIC:
        if head.startswith(magic):
            return ext
    return ""


class LineSpool:
    """Lines of a text file made while an archive is written (``images.txt``): memory up
    to 4 MiB, then a temporary file. ``reader()`` hands it to ``ZipStream.copy``."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=4 << 20)
        self.count = 0

    def add(self, line: str) -> None:
        self.file.write(line.replace("\n", " ").encode("utf-8") + b"\n")
        self.count += 1

    def reader(self) -> IO[bytes]:
        self.file.seek(0)
        return self.file  # type: ignore[return-value]


class ChainReader:
    """A file object reading the bytes an iterable yields (for ``ZipStream.copy``)."""

    def __init__(self, parts: Iterable[bytes]) -> None:
        self.parts = iter(parts)

    def read(self, n: int = -1) -> bytes:
        for part in self.parts:
            if part:
                return part
        return b""


class _Prefixed:
    """A file object read from ``head`` first (bytes already read to sniff), then on."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.rest.read(n)


class Media:
    """Names every exported image uniquely and, with media included, copies our own files
    into the archive (``open`` returns None for an image that is not ours: it stays a
    reference)."""

    def __init__(self, open_media: Any, include: bool, folder: str = "images") -> None:
        self.open = open_media if include else None
        self.folder = folder
        self.names = UniqueNames()
        self.copied = 0

    def copy(self, zs: ZipStream, reference: str, item_id: int
             ) -> Generator[bytes, None, tuple[str, str, bool]]:
        """Generator: copies the image if included and ours; its return value is
        ``(stem, path, copied)``: the unique stem, the path to list (in the archive, else
        the reference) and whether the file is in the archive."""
        stem, ext = self.names.stem(reference, item_id)
        source = self.open(reference) if self.open is not None and reference else None
        if source is None:
            return stem, reference, False
        try:
            head = source.read(16)
            ext = ext or sniff_extension(head)
            path = f"{self.folder}/{stem}{ext}"
            yield from zs.copy(path, _Prefixed(head, source))
        finally:
            source.close()
        self.copied += 1
        return stem, path, True

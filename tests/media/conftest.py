"""Fixtures for the media app: generated images and archives, storage in a temporary folder,
image projects."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from datadam.projects.models import Project


class Pics:
    """Generated test files (bytes)."""

    @staticmethod
    def png(w: int = 40, h: int = 30, color: tuple[int, ...] = (200, 30, 30),
            mode: str = "RGB") -> bytes:
        buf = io.BytesIO()
        Image.new(mode, (w, h), color).save(buf, format="PNG")
        return buf.getvalue()

    @staticmethod
    def jpeg(w: int = 64, h: int = 48, color: tuple[int, int, int] = (10, 120, 200), *,
             gps: bool = False, orientation: int | None = None, icc: bytes | None = None
             ) -> bytes:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "Canon"
        exif[ExifTags.Base.Model] = "EOS 5D"
        if orientation:
            exif[ExifTags.Base.Orientation] = orientation
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:06 07:08:09"
        if gps:
            exif.get_ifd(ExifTags.IFD.GPSInfo).update(
                {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)}
            )
        buf = io.BytesIO()
        img = Image.new("RGB", (w, h), color)
        options: dict[str, Any] = {"exif": exif, "quality": 90}
        if icc:
            options["icc_profile"] = icc
        img.save(buf, format="JPEG", **options)
        return buf.getvalue()

    @staticmethod
    def png_bomb(w: int = 20_000, h: int = 20_000) -> bytes:
        """A real 1-bit PNG of w×h black pixels: tiny compressed, huge decoded."""

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(
                ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        z = zlib.compressobj(9)
        row = b"\x00" * (1 + (w + 7) // 8)
        idat = b"".join(z.compress(row) for _ in range(h)) + z.flush()
        ihdr = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
                + chunk(b"IEND", b""))

    @staticmethod
    def png_header_only(w: int = 100_000, h: int = 100_000) -> bytes:
        """A PNG whose header claims huge dimensions, with a few bytes of pixel data."""

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(
                ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))

    @staticmethod
    def zip_of(members: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return buf.getvalue()

    @staticmethod
    def tar_of(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode=mode) as tf:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
        return buf.getvalue()

    @staticmethod
    def upload(name: str, data: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data)


@pytest.fixture
def pics() -> type[Pics]:
    return Pics


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Every media test stores into a folder of its own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def stored_files(media_root) -> Callable[[], list[str]]:
    """The files in storage, as sorted storage names."""

    def files() -> list[str]:
        return sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*")
                      if p.is_file())

    return files


@pytest.fixture
def image_project(make_project) -> Callable[..., Project]:
    """An image classification project (a draft without items unless told otherwise)."""

    def make(**fields: Any) -> Project:
        fields.setdefault("items", 0)
        fields.setdefault("launch", False)
        return make_project(kind="image_classification",
                            config={"labels": ["cat", "dog"]}, **fields)

    return make

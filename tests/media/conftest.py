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


class AvFiles:
    """Generated audio and video files (bytes): a tone as WAV (numpy + wave) or encoded
    with PyAV; colour frames as WebM (VP9 + Opus) or MP4 (H.264 + AAC)."""

    @staticmethod
    def wav(seconds: float = 1.0, rate: int = 16000, freq: float = 440.0,
            channels: int = 1) -> bytes:
        import wave

        import numpy as np

        t = np.arange(int(seconds * rate)) / rate
        x = (0.4 * np.sin(2 * np.pi * freq * t) * 32767).astype("<i2")
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(np.repeat(x, channels).tobytes())
        return buf.getvalue()

    @staticmethod
    def audio(fmt: str = "ogg", codec: str = "libopus", seconds: float = 1.0,
              rate: int = 48000) -> bytes:
        """A tone encoded by PyAV: Ogg/Opus by default (``("webm", "libopus")``,
        ``("mp3", "libmp3lame")`` ... too)."""
        import av
        import numpy as np

        out = io.BytesIO()
        with av.open(out, "w", format=fmt) as c:
            s = c.add_stream(codec, rate=rate, layout="mono")
            n = int(seconds * rate)
            x = (0.3 * np.sin(2 * np.pi * 330 * np.arange(n) / rate)).astype("float32")
            resampler = av.AudioResampler(format=s.codec_context.format.name, layout="mono",
                                          rate=rate)
            for i in range(0, n, 960):
                f = av.AudioFrame.from_ndarray(x[i:i + 960].reshape(1, -1), format="flt",
                                               layout="mono")
                f.sample_rate, f.pts = rate, i
                for g in resampler.resample(f):
                    for p in s.encode(g):
                        c.mux(p)
            for p in s.encode(None):
                c.mux(p)
        return out.getvalue()

    @staticmethod
    def video(fmt: str = "webm", codec: str = "libvpx-vp9", seconds: float = 1.0,
              fps: int = 10, size: tuple[int, int] = (64, 48), sound: bool = True) -> bytes:
        """Frames of a colour that changes every frame, with silence as sound."""
        import av
        import numpy as np

        w, h = size
        out = io.BytesIO()
        with av.open(out, "w", format=fmt) as c:
            v = c.add_stream(codec, rate=fps)
            v.width, v.height, v.pix_fmt = w, h, "yuv420p"
            a = None
            if sound:
                a = c.add_stream("libopus" if fmt == "webm" else "aac", rate=48000,
                                 layout="mono")
            for i in range(int(seconds * fps)):
                img = np.zeros((h, w, 3), np.uint8)
                img[:, :, i % 3] = 200
                f = av.VideoFrame.from_ndarray(img, format="rgb24")
                f.pts = i
                for p in v.encode(f):
                    c.mux(p)
            for p in v.encode(None):
                c.mux(p)
            if a is not None:
                resampler = av.AudioResampler(format=a.codec_context.format.name,
                                              layout="mono", rate=48000)
                for i in range(0, int(seconds * 48000), 1024):
                    f = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32),
                                                   format="flt", layout="mono")
                    f.sample_rate, f.pts = 48000, i
                    for g in resampler.resample(f):
                        for p in a.encode(g):
                            c.mux(p)
                for p in a.encode(None):
                    c.mux(p)
        return out.getvalue()


@pytest.fixture
def avfiles() -> type[AvFiles]:
    return AvFiles


@pytest.fixture
def audio_project(make_project) -> Callable[..., Project]:
    """An audio classification project (a draft without items unless told otherwise)."""

    def make(**fields: Any) -> Project:
        fields.setdefault("items", 0)
        fields.setdefault("launch", False)
        return make_project(kind="audio_classification",
                            config={"labels": ["speech", "music"]}, **fields)

    return make

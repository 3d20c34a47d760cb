"""Reading uploads: images as sent, zip and tar members one by one, within limits."""

from __future__ import annotations

import io
import tarfile

from datadam.media.archives import Limits, archive_type, member_name, upload_members

LIMITS = Limits(max_bytes=1_000_000, max_members=100, max_total=10_000_000)


def members(pics, name: str, data: bytes, limits: Limits = LIMITS) -> list[tuple]:
    return [(m.name, m.data, m.error) for m in upload_members([pics.upload(name, data)], limits)]


def test_member_names_lose_the_parts_that_climb_or_anchor_them():
    assert member_name("../evil.png") == "evil.png"
    assert member_name("/etc/../../x/./y.png") == "etc/x/y.png"
    assert member_name("..\\..\\windows\\a.png") == "windows/a.png"
    assert member_name("../..") == ""
    assert member_name("a\x00b.png") == "ab.png"


def test_archives_are_told_by_content():
    assert archive_type(b"PK\x03\x04rest") == "zip"
    assert archive_type(b"\x1f\x8b\x08") == "tar"
    assert archive_type(b"\x89PNG\r\n") is None


def test_a_plain_image_is_one_member(pics):
    data = pics.png()
    assert members(pics, "a.png", data) == [("a.png", data, None)]


def test_zip_members_are_read_in_order_and_a_climbing_name_is_made_safe(pics):
    a, b = pics.png(color=(1, 1, 1)), pics.png(color=(2, 2, 2))
    archive = pics.zip_of({"dir/a.png": a, "notes.txt": b"text", "../evil.png": b,
                           "__MACOSX/._a.png": b"junk", "dir/": b""})
    got = members(pics, "batch.zip", archive)
    assert got == [("dir/a.png", a, None), ("notes.txt", b"text", None), ("evil.png", b, None)]


def test_tar_gz_members_are_streamed_and_links_are_reported(pics):
    a = pics.png()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("pics/a.png")
        info.size = len(a)
        tf.addfile(info, io.BytesIO(a))
        link = tarfile.TarInfo("pics/link.png")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    got = members(pics, "batch.tar.gz", buf.getvalue())
    assert got[0] == ("pics/a.png", a, None)
    assert got[1][0] == "pics/link.png" and "not a regular file" in got[1][2]


def test_an_uncompressed_tar_is_read_too(pics):
    a = pics.png()
    assert members(pics, "x.tar", pics.tar_of({"a.png": a}, mode="w")) == [("a.png", a, None)]


def test_reading_stops_after_the_member_limit(pics):
    archive = pics.zip_of({f"{i}.png": pics.png(color=(i, 0, 0)) for i in range(5)})
    got = members(pics, "many.zip", archive, Limits(1_000_000, 3, 10_000_000))
    assert [n for n, _d, _e in got] == ["0.png", "1.png", "2.png", "many.zip"]
    assert "more than 3 files" in got[-1][2]


def test_reading_stops_when_the_unpacked_total_passes_the_limit(pics):
    big = b"\x00" * 400_000  # compresses to almost nothing: a small zip bomb
    for archive in (pics.zip_of({f"{i}.bin": big for i in range(5)}),
                    pics.tar_of({f"{i}.bin": big for i in range(5)})):
        got = members(pics, "bomb", archive, Limits(1_000_000, 100, 1_000_000))
        assert len(got) == 3 and "unpacks to more than" in got[-1][2]


def test_a_member_over_the_byte_limit_is_refused_without_reading_it(pics):
    archive = pics.tar_of({"huge.png": b"\x00" * 2000, "ok.png": b"x"})
    got = members(pics, "t.tgz", archive, Limits(1000, 100, 10_000_000))
    assert got[0][0] == "huge.png" and got[0][1] is None and "larger than" in got[0][2]
    assert got[1] == ("ok.png", b"x", None)


def test_an_archive_inside_an_archive_is_not_read(pics):
    inner = pics.zip_of({"a.png": pics.png()})
    got = members(pics, "outer.zip", pics.zip_of({"inner.zip": inner}))
    assert got == [("inner.zip", None, "archives inside archives are not read")]


def test_a_damaged_archive_and_an_empty_one_are_reported(pics):
    broken = pics.zip_of({"a.png": pics.png()})[:40]
    assert members(pics, "b.zip", broken)[0][2] == "the zip archive cannot be read"
    truncated = pics.tar_of({"a.png": pics.png(200, 200)})[:60]
    assert "damaged" in members(pics, "t.tgz", truncated)[-1][2]
    assert members(pics, "e.zip", pics.zip_of({})) == [
        ("e.zip", None, "the archive holds no files")]

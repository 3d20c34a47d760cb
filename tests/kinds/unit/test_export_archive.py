"""The streamed zip writer and unique file names (no database)."""

from __future__ import annotations

import ast
import io
import os
import zipfile
from pathlib import Path

from datadam.kinds.archive import UniqueNames, ZipStream, split_name

ROOT = Path(__file__).resolve().parents[3]


def test_entries_of_every_kind_read_back_with_zipfile():
    zs = ZipStream()
    out = io.BytesIO()
    zs.writestr("a.txt", "hello 한국")
    zs.writestr("labels/사진.txt", b"0 0.5 0.5 1 1\n" * 5000)
    zs.writestr("raw.bin", b"\x00\x01", compress=False)
    blob = os.urandom(3 << 20)
    for part in zs.copy("images/big.jpg", io.BytesIO(blob)):
        out.write(part)
    for part in zs.copy("big.json", io.BytesIO(b"[]" * 100000), compress=True, large=True):
        out.write(part)
    out.write(zs.close())
    archive = zipfile.ZipFile(out)
    assert archive.testzip() is None
    assert archive.read("a.txt").decode() == "hello 한국"
    assert archive.read("labels/사진.txt").count(b"\n") == 5000
    assert archive.read("images/big.jpg") == blob
    assert archive.read("big.json") == b"[]" * 100000
    assert archive.getinfo("images/big.jpg").compress_type == zipfile.ZIP_STORED


def test_more_than_65535_entries_get_zip64_end_records():
    zs = ZipStream()
    parts = []
    for i in range(70_000):
        zs.writestr(f"labels/{i}.txt", b"")
        if i % 5000 == 0:
            parts.append(zs.drain())
    parts.append(zs.close())
    archive = zipfile.ZipFile(io.BytesIO(b"".join(parts)))
    assert len(archive.infolist()) == 70_000
    assert archive.read("labels/69999.txt") == b""


def test_the_same_entries_give_the_same_bytes():
    def make():
        zs = ZipStream()
        zs.writestr("x.txt", "1")
        return zs.drain() + b"".join(zs.copy("y", io.BytesIO(b"2"))) + zs.close()

    assert make() == make()


def test_names_are_unique_without_regard_to_case():
    names = UniqueNames()
    got = [names.stem(ref, i) for i, ref in enumerate([
        "https://x.test/a/cat.jpg", "/media/b/Cat.PNG", "cat", "https://x.test/c/cat.jpg?s=1",
        "data:image/png;base64,AAAA", "", "https://x.test/%EC%82%AC%EC%A7%84.jpg",
        "../../etc/passwd"], 1)]
    assert got == [("cat", ".jpg"), ("Cat_2", ".png"), ("cat_3", ""), ("cat_4", ".jpg"),
                   ("item_5", ""), ("item_6", ""), ("사진", ".jpg"), ("passwd", "")]
    assert split_name("https://x.test/a b/my photo (1).jpeg") == ("my photo _1", ".jpeg")


def test_writer_modules_import_no_django():
    for path in [ROOT / "datadam/kinds/archive.py", ROOT / "datadam/kinds/tabular.py",
                 ROOT / "datadam/kinds/exporting.py",
                 *sorted((ROOT / "datadam/kinds/imaging").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "django" for n in names), path

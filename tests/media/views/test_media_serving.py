"""Serving stored media without DEBUG: signed-in users only, only the image folders, with
ETag, caching and byte ranges."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(pics) -> tuple[str, bytes]:
    data = pics.png(50, 40)
    return default_storage.save("images/1/ab/pic.png", ContentFile(data)), data


@pytest.fixture
def browser(worker) -> Client:
    client = Client()
    client.force_login(worker)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_signed_in_user_gets_the_file_with_its_type_and_cache_headers(browser, stored):
    key, data = stored
    response = browser.get(f"/media/{key}")
    assert response.status_code == 200
    assert body(response) == data
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(data))
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"].startswith('"')


def test_a_known_etag_is_answered_with_304(browser, stored):
    key, _data = stored
    etag = browser.get(f"/media/{key}")["ETag"]
    again = browser.get(f"/media/{key}", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_a_byte_range_is_answered_with_206_and_a_bad_one_with_416(browser, stored):
    key, data = stored
    part = browser.get(f"/media/{key}", headers={"Range": "bytes=4-11"})
    assert part.status_code == 206
    assert body(part) == data[4:12]
    assert part["Content-Range"] == f"bytes 4-11/{len(data)}"
    assert part["Content-Length"] == "8"
    outside = browser.get(f"/media/{key}", headers={"Range": f"bytes={len(data)}-"})
    assert outside.status_code == 416
    assert outside["Content-Range"] == f"bytes */{len(data)}"


def test_signed_out_visitors_are_refused(stored):
    key, _data = stored
    assert Client().get(f"/media/{key}").status_code == 403


def test_other_folders_missing_files_and_climbing_paths_are_not_found(browser, stored):
    default_storage.save("credentials/7/doc.png", ContentFile(b"private"))
    for path in ("credentials/7/doc.png", "images/1/ab/nothing.png", "images/1/ab",
                 "images/../credentials/7/doc.png", "images//x.png"):
        assert browser.get(f"/media/{path}").status_code == 404, path


def test_only_reads_are_served(browser, stored):
    key, _data = stored
    assert browser.post(f"/media/{key}").status_code == 405

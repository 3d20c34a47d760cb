"""The media API and the upload page for an audio project."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.media.services import media_renditions_make

pytestmark = pytest.mark.django_db


def test_an_audio_upload_is_listed_with_its_kind_duration_probe_and_renditions(
    api, client_org, audio_project, avfiles, pics
):
    project = audio_project()
    client = api(client_org[0])
    response = client.client.post(
        f"/api/v1/projects/{project.pk}/media",
        {"files": [pics.upload("a.ogg", avfiles.audio(seconds=0.5)),
                   pics.upload("fake.wav", b"text " * 100)]}, headers=client.headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 1 and body["rejected"][0]["file"] == "fake.wav"
    media_renditions_make(asset_ids=body["media_ids"])
    (row,) = client.get(f"projects/{project.pk}/media").json()["items"]
    assert (row["media_kind"], row["content_type"], row["width"]) == ("audio", "audio/ogg", 0)
    assert row["duration"] == pytest.approx(0.5, abs=0.05)
    assert row["probe"]["codecs"] == ["opus"] and row["probe"]["sample_rate"] == 48000
    assert row["web_url"].endswith(".web.webm") and row["peaks_url"].endswith(".peaks.json")
    assert row["poster_url"] == "" and row["status"] == "ready"
    # the files are served to signed-in users, with byte ranges for seeking
    signed_in = Client()
    signed_in.force_login(client_org[0])
    part = signed_in.get(row["web_url"], headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and b"".join(part.streaming_content) == b"\x1aE\xdf\xa3"


def test_the_upload_page_of_an_audio_project_asks_for_audio(client_org, audio_project):
    client = Client()
    client.force_login(client_org[0])
    project = audio_project()
    html = client.get(f"/console/projects/{project.pk}/images/").content.decode()
    assert "<h1>Upload audio</h1>" in html and 'id="av-formats"' in html
    assert 'accept="audio/*' in html
    items = client.get(f"/console/projects/{project.pk}/items/").content.decode()
    assert "Upload audio" in items

"""Export jobs through the API: queue, poll, download (whole or a byte range)."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage

from datadam.datasets.export_jobs import export_run

pytestmark = pytest.mark.django_db


def _done(api_client, project, **body):
    r = api_client.post(f"projects/{project.pk}/exports", {"format": "coco", **body})
    assert r.status_code == 202, r.content
    export = r.json()
    export_run(export_id=export["id"])
    return api_client.get(f"exports/{export['id']}").json()


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_queue_poll_and_download(box_project, client_org, api):
    client = api(client_org[0])
    r = client.post(f"projects/{box_project.pk}/exports",
                    {"format": "coco", "answers": False, "media": "reference"})
    assert r.status_code == 202
    queued = r.json()
    assert (queued["status"], queued["format"], queued["download"]) == ("queued", "coco", None)

    export_run(export_id=queued["id"])
    done = client.get(f"exports/{queued['id']}").json()
    assert done["status"] == "done" and done["items"] == 3
    assert done["download"] == f"/api/v1/exports/{queued['id']}/download"
    assert done["file_name"] == f"project-{box_project.pk}-coco-export-{queued['id']}.json"

    r = client.get(done["download"])
    body = _body(r)
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert r["Accept-Ranges"] == "bytes" and r["ETag"] == f'"{done["sha256"]}"'
    assert done["file_name"] in r["Content-Disposition"]
    with default_storage.open(f"exports/project-{box_project.pk}/export-{queued['id']}.json",
                              "rb") as f:
        assert body == f.read()
    assert len(body) == done["bytes"] == int(r["Content-Length"])
    assert json.loads(body)["images"][0]["file_name"] == "https://img.test/street/0.jpg"

    listed = client.get(f"projects/{box_project.pk}/exports").json()
    assert [e["id"] for e in listed["exports"]] == [queued["id"]]
    assert [f["slug"] for f in listed["formats"]] == ["jsonl", "csv", "coco", "yolo", "voc",
                                                      "hf"]


def test_byte_ranges_resume_a_download(box_project, client_org, api):
    client = api(client_org[0])
    done = _done(client, box_project)
    url, size = done["download"], done["bytes"]
    whole = _body(client.get(url))

    r = client.get(url, headers={"Range": "bytes=10-19"})
    assert r.status_code == 206 and _body(r) == whole[10:20]
    assert r["Content-Range"] == f"bytes 10-19/{size}" and r["Content-Length"] == "10"
    r = client.get(url, headers={"Range": "bytes=100-"})
    assert r.status_code == 206 and _body(r) == whole[100:]
    r = client.get(url, headers={"Range": "bytes=-7"})
    assert r.status_code == 206 and _body(r) == whole[-7:]
    r = client.get(url, headers={"Range": f"bytes={size}-"})
    assert r.status_code == 416 and r["Content-Range"] == f"bytes */{size}"
    # A range of another version of the file (If-Range does not match): the whole file.
    r = client.get(url, headers={"Range": "bytes=0-1", "If-Range": '"other"'})
    assert r.status_code == 200 and _body(r) == whole
    r = client.get(url, headers={"Range": "bytes=0-1", "If-Range": r["ETag"]})
    assert r.status_code == 206 and _body(r) == whole[:2]
    r = client.get(url, headers={"Range": "bytes=0-1,5-6"})  # several ranges: whole file
    assert r.status_code == 200 and _body(r) == whole


def test_a_bad_format_is_a_400_that_names_the_choices(box_project, client_org, api):
    client = api(client_org[0])
    r = client.post(f"projects/{box_project.pk}/exports", {"format": "tfrecord"})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_export"
    assert "jsonl, csv, coco, yolo, voc" in r.json()["message"]
    r = client.post(f"projects/{box_project.pk}/exports", {"format": "csv", "media": "x"})
    assert r.status_code == 400 and "media must be" in r.json()["message"]
    r = client.post(f"projects/{box_project.pk}/exports", {"answers": True})
    assert r.status_code == 422  # no format at all


def test_not_ready_is_a_409(box_project, client_org, api):
    client = api(client_org[0])
    queued = client.post(f"projects/{box_project.pk}/exports", {"format": "csv"}).json()
    r = client.get(f"exports/{queued['id']}/download")
    assert r.status_code == 409 and "not ready" in r.json()["message"]


def test_other_organizations_and_workers_see_nothing(
    box_project, client_org, make_client_org, make_user, api
):
    done = _done(api(client_org[0]), box_project)
    for outsider in (make_client_org()[0], make_user("worker")):
        client = api(outsider)
        assert client.post(f"projects/{box_project.pk}/exports",
                           {"format": "coco"}).status_code == 404
        assert client.get(f"projects/{box_project.pk}/exports").status_code == 404
        assert client.get(f"exports/{done['id']}").status_code == 404
        assert client.get(f"exports/{done['id']}/download").status_code == 404
    assert api(None).get(f"exports/{done['id']}/download").status_code == 401


def test_the_jsonl_route_leaves_answers_out_when_asked(
    make_project, make_user, do_work, client_org, api
):
    project = make_project(items=1, overlap=1, review_policy="auto")
    do_work(project, make_user(), {"label": "neg"})
    client = api(client_org[0])
    full = json.loads(_body(client.get(f"projects/{project.pk}/export.jsonl")))
    assert len(full["answers"]) == 1
    lean = json.loads(_body(client.get(f"projects/{project.pk}/export.jsonl?answers=false")))
    assert lean["answers"] == [] and lean["data"] == full["data"]
    assert lean["result"] == full["result"] and lean["result"]["label"] == "neg"

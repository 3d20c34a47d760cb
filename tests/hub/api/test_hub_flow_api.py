"""The dataset hub through its JSON API (/api/v1/hub/...): publish a by-request dataset,
browse it, ask for and get access, download its files (whole and resumed), report wrong
labels, relabel them and publish the fixed version."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from datadam.hub.models import Dataset, Download
from datadam.projects.services import project_launch

pytestmark = pytest.mark.django_db

TERMS = "Research use only."


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_publish_use_download_report_relabel_and_release_through_the_api(
    client_org, labeled_project, hub_storage, build, make_user, api, worker, do_work
):
    owner = api(client_org[0])
    r = owner.post("hub/datasets", {
        "project_ids": [labeled_project.pk], "title": "Sentiment", "licence": "cc-by-nc-4.0",
        "tags": ["sentiment"], "languages": ["en"], "visibility": "request",
        "usage_terms": TERMS})
    assert r.status_code == 201, r.content
    created = r.json()
    dataset_id = created["id"]
    assert created["can_manage"] and created["latest_version"] is None
    assert [(v["number"], v["status"]) for v in created["versions"]] == [(1, "building")]
    assert created["sources"] == [{"project_id": labeled_project.pk,
                                   "name": labeled_project.name, "role": "base"}]
    dataset = Dataset.objects.get(pk=dataset_id)
    build(dataset)

    detail = owner.get(f"hub/datasets/{dataset_id}").json()
    assert detail["latest_version"] == 1 and detail["items"] == 4 and detail["can_use"]
    version = owner.get(f"hub/datasets/{dataset_id}/versions/1").json()
    assert (version["items"], version["added"], version["previous"]) == (4, 4, None)
    files = {f["path"]: f for f in version["files"]}
    assert sorted(files) == ["README.md", "SHA256SUMS", "data/train-00000-of-00001.parquet",
                             "train.jsonl"]
    assert dict(version["labels"]) == {"pos": 2, "neg": 1, "neu": 1}
    items = owner.get(f"hub/datasets/{dataset_id}/versions/1/items").json()
    assert len(items["items"]) == 4 and items["next_after"] is None
    positive = [i["key"] for i in owner.get(
        f"hub/datasets/{dataset_id}/versions/1/items?label=pos").json()["items"]]
    assert len(positive) == 2
    added = owner.get(f"hub/datasets/{dataset_id}/versions/1/changes?change=added").json()
    assert sorted(c["key"] for c in added["changes"]) == sorted(i["key"] for i in items["items"])

    # A stranger sees the page, must ask for access, and gets it.
    user = make_user("worker", email="mina@example.test")
    stranger = api(user)
    seen = stranger.get(f"hub/datasets/{dataset_id}").json()
    assert (seen["can_use"], seen["can_manage"], seen["access"], seen["sources"]) == (
        False, False, None, [])
    assert seen["usage_terms"] == TERMS
    assert stranger.get(f"hub/datasets/{dataset_id}/versions/1/items").status_code == 403
    r = stranger.post(f"hub/datasets/{dataset_id}/access-requests",
                      {"purpose": "Training a model for a thesis.", "accept_terms": True})
    assert r.status_code == 201, r.content
    access = r.json()
    assert access["status"] == "pending"
    listed = owner.get(f"hub/datasets/{dataset_id}/access-requests?status=pending").json()
    assert [a["id"] for a in listed["access_requests"]] == [access["id"]]
    r = owner.post(f"hub/access-requests/{access['id']}/decide", {"approve": True})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert stranger.get(f"hub/datasets/{dataset_id}").json()["can_use"]

    # Downloads: whole, a range, past the end, a range of another file version.
    url = files["train.jsonl"]["url"]
    assert url == f"/api/v1/hub/datasets/{dataset_id}/versions/1/files/train.jsonl"
    r = stranger.get(url)
    whole = _body(r)
    assert r.status_code == 200 and r["Content-Type"] == "application/jsonl"
    assert hashlib.sha256(whole).hexdigest() == files["train.jsonl"]["sha256"]
    assert len(whole) == files["train.jsonl"]["bytes"] == int(r["Content-Length"])
    assert "sentiment-v1-train.jsonl" in r["Content-Disposition"]
    etag, size = r["ETag"], len(whole)
    r = stranger.get(url, headers={"Range": "bytes=10-19"})
    assert r.status_code == 206 and _body(r) == whole[10:20]
    assert r["Content-Range"] == f"bytes 10-19/{size}"
    r = stranger.get(url, headers={"Range": f"bytes={size}-"})
    assert r.status_code == 416 and r["Content-Range"] == f"bytes */{size}"
    r = stranger.get(url, headers={"Range": "bytes=10-19", "If-Range": '"not-it"'})
    assert r.status_code == 200 and _body(r) == whole
    r = stranger.get(url, headers={"Range": "bytes=10-19", "If-Range": etag})
    assert r.status_code == 206 and _body(r) == whole[10:20]
    readme = stranger.get(files["README.md"]["url"])
    assert readme.status_code == 200 and _body(readme).startswith(b"---\n")
    with default_storage.open(f"hub/dataset-{dataset_id}/v1/SHA256SUMS", "rb") as f:
        assert _body(stranger.get(files["SHA256SUMS"]["url"])) == f.read()
    # Every request served is recorded (the 416 served nothing); the count grows for those
    # from the first byte: the whole file, the If-Range miss, README and SHA256SUMS.
    starts = list(Download.objects.filter(dataset_id=dataset_id, user=user).order_by(
        "id").values_list("path", "range_start"))
    assert starts == [("train.jsonl", 0), ("train.jsonl", 10), ("train.jsonl", 0),
                      ("train.jsonl", 10), ("README.md", 0), ("SHA256SUMS", 0)]
    dataset.refresh_from_db()
    assert dataset.downloads == 4

    # The stranger reports two wrong labels; the owner accepts and relabels them.
    r = stranger.post(f"hub/datasets/{dataset_id}/requests", {
        "version": 1, "kind": "relabel", "items": positive, "proposed_label": "neg",
        "reason": "Both texts are negative."})
    assert r.status_code == 201, r.content
    request = r.json()
    assert (request["status"], request["items"], request["by"]) == ("open", positive, "mina")
    r = owner.post(f"hub/requests/{request['id']}/triage", {"decision": "accept"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = owner.post(f"hub/datasets/{dataset_id}/relabel", {"request_ids": [request["id"]]})
    assert r.status_code == 201, r.content
    relabel = r.json()
    assert (relabel["items"], relabel["status"]) == (2, "draft")
    project = project_launch(user=client_org[0], project_id=relabel["project_id"])
    for _ in positive:
        do_work(project, worker, {"label": "neg"})

    r = owner.post(f"hub/datasets/{dataset_id}/versions", {"changelog": "Relabelled."})
    assert r.status_code == 202 and (r.json()["number"], r.json()["status"]) == (2, "building")
    build(dataset)
    changes = stranger.get(f"hub/datasets/{dataset_id}/versions/2/changes?change=relabelled")
    assert changes.status_code == 200
    assert [(c["key"], c["old_label"], c["new_label"]) for c in changes.json()["changes"]] \
        == [(key, "pos", "neg") for key in positive]
    v2 = stranger.get(f"hub/datasets/{dataset_id}/versions/2").json()
    assert (v2["relabelled"], v2["previous"]) == (2, 1)
    assert [r["id"] for r in v2["resolved_requests"]] == [request["id"]]
    done = stranger.get(f"hub/datasets/{dataset_id}/requests/{request['id']}").json()
    assert (done["status"], done["released_in"]) == ("released", 2)
    listing = stranger.get(f"hub/datasets/{dataset_id}/requests").json()
    assert listing["stats"]["counts"]["released"] == 1
    downloads = owner.get(f"hub/datasets/{dataset_id}/downloads").json()
    assert len(downloads["downloads"]) == 6 and downloads["total"] == 4

"""Bad input to the hub's API is a 4xx in the API's one error shape ({"error", "message"}),
never a 500: filters and pages of the search, changes, formats, ids out of range, bodies
that miss the schema, texts too long."""

from __future__ import annotations

from typing import Any

import pytest

from datadam.hub.models import Dataset, ImprovementRequest

pytestmark = pytest.mark.django_db

HUGE = 2**70  # beyond any database integer


def _refused(response: Any, status: int | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.content)
    if status is not None:
        assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["error"], str) and isinstance(body["message"], str), body
    assert body["message"], body
    return body


@pytest.mark.parametrize(("query", "message"), [
    ("size=huge", "size must be one of: small, medium, large"),
    ("sort=popular", "sort must be one of"),
    ("page=0", "page must be a whole number from 1"),
    ("page=-1", "page must be a whole number from 1"),
    (f"page={HUGE}", "page must be a whole number from 1"),
    ("page=abc", "query.page"),
    ("page=", "query.page"),
    ("page=1.5", "query.page"),
])
def test_bad_search_parameters_are_422(published, api, query, message):
    body = _refused(api(None).get(f"hub/datasets?{query}"), 422)
    assert message in body["message"] and body["error"] == "invalid_input"


def test_odd_search_words_are_searched_not_refused(published, api):
    client = api(None)
    for query in ("q=" + "a" * 5000, 'q="(*)"', "q=%22%22%22", "q=AND OR NOT", "licence=zzz",
                  "language=KO", "kind=nothing"):
        r = client.get(f"hub/datasets?{query}")
        assert r.status_code == 200, (query, r.content)


@pytest.mark.parametrize("path", [
    "versions/1/changes?change=bogus",
    "versions/1/changes?change=",
    "versions/1/items?after=abc",
    "versions/1/items?limit=abc",
    "requests?status=maybe",
    "access-requests?status=maybe",
])
def test_bad_reads_of_a_dataset_are_422(published, client_org, api, path):
    body = _refused(api(client_org[0]).get(f"hub/datasets/{published.pk}/{path}"), 422)
    assert body["error"] == "invalid_input"


@pytest.mark.parametrize("path", [
    "hub/datasets/{huge}", "hub/datasets/{id}/versions/{huge}",
    "hub/datasets/{id}/versions/-1", "hub/datasets/{id}/versions/{huge}/items",
    "hub/datasets/{id}/versions/{huge}/files/train.jsonl",
    "hub/datasets/{id}/requests/{huge}",
])
def test_ids_out_of_range_are_404(published, api, path):
    r = api(None).get(path.format(id=published.pk, huge=HUGE))
    assert _refused(r, 404)["error"] == "not_found"


def test_pages_out_of_range_are_clamped_or_refused_not_500(published, api, client_org):
    client = api(client_org[0])
    base = f"hub/datasets/{published.pk}"
    assert len(client.get(f"{base}/versions/1/items?limit=-5").json()["items"]) == 1
    assert len(client.get(f"{base}/versions/1/items?limit={HUGE}").json()["items"]) == 4
    for path in (f"{base}/versions/1/items?after={HUGE}", f"{base}/requests?after={HUGE}",
                 f"{base}/versions/1/changes?change=added&after={HUGE}",
                 f"{base}/versions/1/changes?change=added&limit={HUGE}"):
        r = client.get(path)
        if r.status_code != 200:
            _refused(r, 422)


def test_bad_ranges_get_the_whole_file_or_416(published, api):
    client = api(None)
    url = f"hub/datasets/{published.pk}/versions/1/files/train.jsonl"
    for header in ("bytes=abc", "items=0-1", "bytes=0-1,4-5", "bytes=-"):
        assert client.get(url, headers={"Range": header}).status_code == 200, header
    for header in ("bytes=5-2", "bytes=-0", f"bytes={HUGE}-"):
        assert client.get(url, headers={"Range": header}).status_code == 416, header
    assert client.get(url, headers={"Range": f"bytes=0-{HUGE}"}).status_code == 206


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"project_ids": [], "title": "x"}, 422, "project_ids must list"),
    ({"project_ids": "1", "title": "x"}, 422, "project_ids"),
    ({"project_ids": [HUGE], "title": "x"}, None, ""),
    ({"title": "x"}, 422, "project_ids: Field required"),
    ({"project_ids": ["{project}"], "title": "x" * 201}, 422, "longer than 200"),
    ({"project_ids": ["{project}"], "title": "ok", "tags": [1, 2]}, 422, "tags.0"),
    ({"project_ids": ["{project}"], "title": "ok", "changelog": "x" * 20_001}, 422,
     "changelog must be text"),
    ({"project_ids": ["{project}"], "title": "ok", "licence": "mine"}, 422, "unknown licence"),
    ({"project_ids": ["{project}"], "title": "ok", "languages": ["xx"]}, 422,
     "unknown language codes: xx"),
])
def test_bad_publications_are_refused(client_org, labeled_project, api, body, status, message):
    body = {k: [labeled_project.pk if p == "{project}" else p for p in v]
            if k == "project_ids" and isinstance(v, list) else v for k, v in body.items()}
    refused = _refused(api(client_org[0]).post("hub/datasets", body), status)
    assert message in refused["message"]
    assert not Dataset.objects.exists()


def test_a_body_that_is_not_json_is_400(published, client_org, api):
    client = api(client_org[0])
    r = client.client.post("/api/v1/hub/datasets", data="not json",
                           content_type="application/json", headers=client.headers)
    assert _refused(r, 400)["error"] == "invalid"


def test_bad_improvement_requests_are_refused(published, api, make_user):
    client = api(make_user("worker"))
    url = f"hub/datasets/{published.pk}/requests"
    cases = [
        ({"version": 1, "kind": "other", "reason": "x" * 5001}, 422, "at most 5000"),
        ({"version": 1, "kind": "other", "reason": "   "}, 422, "give a reason"),
        ({"version": 1, "kind": "relabel", "reason": "r", "items": ["a"]}, 422, "items.0"),
        ({"version": 1, "kind": "relabel", "reason": "r", "items": list(range(1001))}, 422,
         "at most 1000"),
        ({"version": 1, "kind": "relabel", "reason": "r", "items": [HUGE]}, 422, ""),
        ({"version": 1, "kind": "relabel", "reason": "r"}, 422, "names the items"),
        ({"version": 1, "kind": "wish", "reason": "r"}, 422, "kind must be one of"),
        ({"version": 1, "kind": "other", "reason": "r", "proposed_label": "x" * 201}, 422,
         "proposed_label"),
        ({"version": 7, "kind": "other", "reason": "r"}, 404, "version not found"),
        ({"version": HUGE, "kind": "other", "reason": "r"}, 404, "version not found"),
        ({"kind": "other", "reason": "r"}, 422, "version: Field required"),
    ]
    for body, status, message in cases:
        assert message in _refused(client.post(url, body), status)["message"], body
    assert not ImprovementRequest.objects.exists()


def test_bad_triage_and_decisions_are_refused(published, client_org, api):
    from datadam.hub.services.requests import improvement_request_create

    owner = api(client_org[0])
    request = improvement_request_create(user=client_org[0], dataset_id=published.pk,
                                         version=1, kind="other", reason="More texts.")
    url = f"hub/requests/{request.pk}/triage"
    cases = [
        ({"decision": "maybe"}, 422, "decision must be one of"),
        ({"decision": "duplicate", "duplicate_of": HUGE}, 422, "duplicate_of"),
        ({"decision": "duplicate", "duplicate_of": "x"}, 422, "duplicate_of"),
        ({"decision": "duplicate"}, 422, "duplicate_of"),
        ({"decision": "decline", "response": "x" * 5001}, 422, "at most 5000"),
        ({}, 422, "decision: Field required"),
    ]
    for body, status, message in cases:
        assert message in _refused(owner.post(url, body), status)["message"], body
    request.refresh_from_db()
    assert request.status == "open"
    assert _refused(owner.post(f"hub/requests/{HUGE}/triage", {"decision": "accept"}), 404)
    for body in ({"approve": "maybe"}, {}, {"approve": False, "reason": "x" * 2001}):
        _refused(owner.post("hub/access-requests/1/decide", body))
    _refused(owner.post(f"hub/access-requests/{HUGE}/decide", {"approve": True}), 404)


def test_bad_versions_formats_and_relabels_are_refused(published, client_org, api):
    owner = api(client_org[0])
    base = f"hub/datasets/{published.pk}"
    body = _refused(owner.post(f"{base}/versions/1/formats", {"format": "coco"}), 422)
    assert "unknown export format 'coco'" in body["message"] and "csv" in body["message"]
    _refused(owner.post(f"{base}/versions/1/formats", {"format": "csv", "media": "x"}), 422)
    _refused(owner.post(f"{base}/versions/1/formats", {}), 422)
    _refused(owner.post(f"{base}/versions/{HUGE}/formats", {"format": "csv"}), 404)
    _refused(owner.post(f"{base}/versions", {"changelog": "x" * 20_001}), 422)
    _refused(owner.post(f"{base}/versions", {"resolves": ["a"]}), 422)
    _refused(owner.post(f"{base}/versions", {"resolves": [HUGE]}))
    _refused(owner.post(f"{base}/relabel", {"request_ids": []}), 422)
    _refused(owner.post(f"{base}/relabel", {"request_ids": [HUGE]}))
    _refused(owner.post(f"{base}/sources", {"project_id": HUGE}))
    _refused(owner.patch(base, {"languages": "ko,xx"}), 422)
    _refused(owner.patch(base, {"visibility": "request", "usage_terms": ""}), 422)
    _refused(owner.patch(base, {"visibility": "hidden"}), 422)
    assert published.versions.count() == 1


def test_a_version_being_built_is_not_served_yet(published, client_org, api):
    owner = api(client_org[0])
    base = f"hub/datasets/{published.pk}"
    assert owner.post(f"{base}/versions", {}).status_code == 202
    _refused(owner.post(f"{base}/versions", {}), 409)
    assert _refused(owner.get(f"{base}/versions/2"), 404)["message"] == "version not found"
    body = _refused(owner.get(f"{base}/versions/2/files/train.jsonl"), 409)
    assert "not ready" in body["message"]
    _refused(owner.post(f"{base}/versions/2/formats", {"format": "csv"}), 409)
    versions = owner.get(base).json()["versions"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "building"), (1, "ready")]
    assert [v["number"] for v in api(None).get(base).json()["versions"]] == [1]

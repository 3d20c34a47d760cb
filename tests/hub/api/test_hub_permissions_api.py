"""Who may see, use and change a dataset through the API: organization-only datasets are
invisible to others, public ones are open to anonymous visitors (downloads recorded),
by-request ones show their page but not their data, and writes need a signed-in user."""

from __future__ import annotations

import pytest

from datadam.hub.models import Download
from datadam.hub.services.datasets import dataset_update

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _url(dataset, path: str = "train.jsonl") -> str:
    return f"hub/datasets/{dataset.pk}/versions/1/files/{path}"


def test_an_organization_only_dataset_is_invisible_to_a_stranger(published, client_org, api,
                                                                 make_client_org, make_user):
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="organization")
    owner = api(client_org[0])
    assert owner.get(f"hub/datasets/{published.pk}").status_code == 200
    assert [d["id"] for d in owner.get("hub/datasets").json()["datasets"]] == [published.pk]
    assert owner.get("hub/datasets?q=sentiment").json()["total"] == 1
    for stranger in (api(make_client_org()[0]), api(make_user("worker")), api(None)):
        for path in (f"hub/datasets/{published.pk}", f"hub/datasets/{published.pk}/versions/1",
                     f"hub/datasets/{published.pk}/versions/1/items",
                     f"hub/datasets/{published.pk}/requests", _url(published)):
            r = stranger.get(path)
            assert r.status_code == 404, (path, r.content)
            assert r.json() == {"error": "not_found", "message": "dataset not found"}
        assert stranger.get("hub/datasets").json()["total"] == 0
        assert stranger.get("hub/datasets?q=sentiment").json()["datasets"] == []
    assert not Download.objects.exists()


def test_an_operator_sees_every_dataset(published, client_org, operator, api):
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="organization")
    assert api(operator).get("hub/datasets").json()["total"] == 1


def test_anonymous_visitors_read_and_download_a_public_dataset(published, api):
    visitor = api(None)
    detail = visitor.get(f"hub/datasets/{published.pk}")
    assert detail.status_code == 200, detail.content
    assert detail.json()["can_use"] and not detail.json()["can_manage"]
    assert visitor.get("hub/datasets?q=sentiment").json()["total"] == 1
    assert len(visitor.get(f"hub/datasets/{published.pk}/versions/1/items").json()["items"]) \
        == 4

    r = visitor.get(_url(published))
    whole = _body(r)
    assert r.status_code == 200 and len(whole) > 20
    (row,) = Download.objects.all()
    assert (row.user_id, row.path, row.range_start, row.version_id) == (
        None, "train.jsonl", 0, published.latest_id)
    published.refresh_from_db()
    assert published.downloads == 1
    # The rest of the same download, resumed: recorded, not counted again.
    r = visitor.get(_url(published), headers={"Range": "bytes=20-"})
    assert r.status_code == 206 and _body(r) == whole[20:]
    assert Download.objects.count() == 2
    assert Download.objects.order_by("-id").first().range_start == 20
    published.refresh_from_db()
    assert published.downloads == 1
    # A range past the end sends nothing: neither recorded nor counted.
    r = visitor.get(_url(published), headers={"Range": f"bytes={len(whole)}-"})
    assert r.status_code == 416 and Download.objects.count() == 2
    # A second whole download counts.
    visitor.get(_url(published, "README.md"))
    published.refresh_from_db()
    assert published.downloads == 2 and Download.objects.count() == 3


def test_every_download_of_a_signed_in_user_is_recorded_with_the_user(published, api,
                                                                      make_user):
    user = make_user("worker")
    client = api(user)
    for path in ("train.jsonl", "README.md", "SHA256SUMS", "data/train-00000-of-00001.parquet"):
        assert client.get(_url(published, path)).status_code == 200, path
    assert sorted(Download.objects.filter(user=user).values_list("path", flat=True)) == [
        "README.md", "SHA256SUMS", "data/train-00000-of-00001.parquet", "train.jsonl"]
    manager = api(published.created_by)
    listed = manager.get(f"hub/datasets/{published.pk}/downloads").json()
    assert len(listed["downloads"]) == 4 and listed["total"] == 4
    assert client.get(f"hub/datasets/{published.pk}/downloads").status_code == 403


def test_a_missing_file_or_version_is_404(published, api):
    client = api(None)
    for path in (_url(published, "nope.csv"), _url(published, "../../../etc/passwd"),
                 f"hub/datasets/{published.pk}/versions/9/files/train.jsonl",
                 f"hub/datasets/{published.pk + 100}/versions/1/files/train.jsonl"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"] == "not_found", path
    assert not Download.objects.exists()


def test_anonymous_writes_are_401(published, api, labeled_project):
    visitor = api(None)
    writes = [
        ("post", "hub/datasets", {"project_ids": [labeled_project.pk], "title": "x"}),
        ("patch", f"hub/datasets/{published.pk}", {"title": "x"}),
        ("post", f"hub/datasets/{published.pk}/versions", {}),
        ("post", f"hub/datasets/{published.pk}/versions/1/formats", {"format": "csv"}),
        ("post", f"hub/datasets/{published.pk}/access-requests",
         {"purpose": "a long enough purpose", "accept_terms": True}),
        ("post", f"hub/datasets/{published.pk}/requests",
         {"version": 1, "kind": "other", "reason": "more"}),
        ("post", "hub/requests/1/triage", {"decision": "accept"}),
        ("post", "hub/access-requests/1/decide", {"approve": True}),
        ("post", f"hub/datasets/{published.pk}/relabel", {"request_ids": [1]}),
        ("post", f"hub/datasets/{published.pk}/sources", {"project_id": labeled_project.pk}),
    ]
    for method, path, body in writes:
        r = getattr(visitor, method)(path, body)
        assert r.status_code == 401, (path, r.content)
        assert r.json()["error"] == "unauthenticated"
    for path in (f"hub/datasets/{published.pk}/downloads",
                 f"hub/datasets/{published.pk}/access-requests"):
        assert visitor.get(path).status_code == 401, path
    published.refresh_from_db()
    assert published.title == "Sentiment" and published.versions.count() == 1


def test_a_bad_bearer_token_is_401_even_on_a_public_read(published, api):
    visitor = api(None)
    bad = {"Authorization": "Bearer not-a-token"}
    for path in (f"hub/datasets/{published.pk}", "hub/datasets", _url(published)):
        r = visitor.get(path, headers=bad)
        assert r.status_code == 401, path
        assert r.json()["error"] == "unauthenticated"
    assert not Download.objects.exists()


def test_a_by_request_dataset_shows_its_page_but_not_its_data_to_a_stranger(
    published, client_org, api, make_user
):
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="request",
                   usage_terms="Research only.")
    for stranger in (api(make_user("worker")), api(None)):
        page = stranger.get(f"hub/datasets/{published.pk}")
        assert page.status_code == 200 and page.json()["can_use"] is False
        assert page.json()["usage_terms"] == "Research only."
        assert stranger.get(f"hub/datasets/{published.pk}/versions/1").status_code == 200
        assert stranger.get(f"hub/datasets/{published.pk}/requests").status_code == 200
        assert stranger.get("hub/datasets?q=sentiment").json()["total"] == 1
        for path in (f"hub/datasets/{published.pk}/versions/1/items",
                     f"hub/datasets/{published.pk}/versions/1/changes?change=added",
                     _url(published), _url(published, "README.md")):
            r = stranger.get(path)
            assert r.status_code == 403, (path, r.content)
            assert r.json()["error"] == "forbidden"
            assert "request access" in r.json()["message"]
    signed_in = api(make_user("worker"))
    for path, body in ((f"hub/datasets/{published.pk}/versions/1/formats", {"format": "csv"}),
                       (f"hub/datasets/{published.pk}/requests",
                        {"version": 1, "kind": "other", "reason": "more"})):
        r = signed_in.post(path, body)
        assert r.status_code == 403 and "request access" in r.json()["message"], path
    assert not Download.objects.exists()


def test_a_stranger_cannot_manage_a_public_dataset(published, api, make_user,
                                                   make_client_org):
    for stranger in (api(make_user("worker")), api(make_client_org()[0])):
        r = stranger.patch(f"hub/datasets/{published.pk}", {"title": "Mine"})
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
        assert stranger.post(f"hub/datasets/{published.pk}/versions", {}).status_code == 403
        assert stranger.get(f"hub/datasets/{published.pk}/access-requests").status_code == 403
        detail = stranger.get(f"hub/datasets/{published.pk}").json()
        assert detail["can_manage"] is False and detail["sources"] == []
    published.refresh_from_db()
    assert published.title == "Sentiment"

"""The hub's pages for visitors: the index, a dataset page, a version, its items and its
changes, as each kind of visitor may see them."""

from __future__ import annotations

import re

import pytest

from datadam.hub.models import FileStatus, VersionFile
from datadam.hub.services.datasets import dataset_update
from tests.hub.views.conftest import TERMS

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_the_public_index_dataset_version_and_items(published, signed_in):
    visitor = signed_in()
    index = visitor.get("/hub/")
    assert index.status_code == 200
    html = index.content.decode()
    assert f'href="/hub/{published.pk}/"' in html and "Sentiment" in html
    assert 'data-stat="items">4<' in html and "Public" in html

    page = visitor.get(f"/hub/{published.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Short texts with their sentiment." in html
    assert f'href="/api/v1/hub/datasets/{published.pk}/versions/1/files/train.jsonl"' in html
    assert "Dataset card of version 1" in html and "Log in to build other formats" in html
    assert 'id="manage"' not in html  # no Edit / New version for visitors

    assert visitor.get(f"/hub/{published.pk}/v1/").status_code == 200
    items = visitor.get(f"/hub/{published.pk}/v1/items/")
    assert items.status_code == 200
    html = items.content.decode()
    assert html.count('class="hub-item"') == 4 and "Log in to report a problem" in html
    only_pos = visitor.get(f"/hub/{published.pk}/v1/items/?label=pos").content.decode()
    assert only_pos.count('class="hub-item"') == 2


def test_sha256_is_shortened_with_the_full_digest_at_hand(published, signed_in):
    jsonl = VersionFile.objects.get(version=published.latest, path="train.jsonl")
    html = signed_in().get(f"/hub/{published.pk}/").content.decode()
    assert f'title="{jsonl.sha256}">{jsonl.sha256[:12]}…<' in html
    assert f'<code class="full">{jsonl.sha256}</code>' in html


def test_an_organization_only_dataset_is_404_to_others_and_missing_from_their_index(
    published, client_org, signed_in, make_client_org, worker
):
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="organization")
    for client in (signed_in(), signed_in(worker), signed_in(make_client_org()[0])):
        for path in ("", "v1/", "v1/items/", "v1/changes/", "requests/"):
            assert client.get(f"/hub/{published.pk}/{path}").status_code == 404, path
        assert f"/hub/{published.pk}/" not in client.get("/hub/").content.decode()
    member = signed_in(client_org[0])
    assert member.get(f"/hub/{published.pk}/").status_code == 200
    assert f"/hub/{published.pk}/" in member.get("/hub/").content.decode()


def test_by_request_items_are_403_for_a_stranger_and_open_after_approval(
    by_request, client_org, signed_in, worker
):
    stranger = signed_in(worker)
    page = stranger.get(f"/hub/{by_request.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert TERMS in html and 'id="access-form"' in html
    assert "/versions/1/files/train.jsonl" not in html  # no download link yet
    refused = stranger.get(f"/hub/{by_request.pk}/v1/items/")
    assert refused.status_code == 403
    assert "request access" in refused.content.decode()
    assert stranger.get(f"/hub/{by_request.pk}/v1/changes/").status_code == 403

    sent = stranger.post(f"/hub/{by_request.pk}/access-request/", {
        "purpose": "Training a sentiment model for research.", "accept_terms": "on"})
    assert sent.status_code == 302
    html = stranger.get(f"/hub/{by_request.pk}/").content.decode()
    assert "Waiting for approval" in html and 'id="access-form"' not in html

    owner = signed_in(client_org[0])
    assert 'data-stat="pending-access">1<' in owner.get(f"/hub/{by_request.pk}/").content.decode()
    access_page = owner.get(f"/hub/{by_request.pk}/access/").content.decode()
    access_id = int(re.search(r'id="access-(\d+)"', access_page).group(1))
    decided = owner.post(f"/hub/{by_request.pk}/access/{access_id}/decide/",
                         {"action": "approve"})
    assert decided.status_code == 302

    assert stranger.get(f"/hub/{by_request.pk}/v1/items/").status_code == 200
    html = stranger.get(f"/hub/{by_request.pk}/").content.decode()
    assert "/versions/1/files/train.jsonl" in html and "Approved" in html


def test_anonymous_visitors_of_a_by_request_dataset_are_asked_to_log_in(by_request, signed_in):
    visitor = signed_in()
    html = visitor.get(f"/hub/{by_request.pk}/").content.decode()
    assert 'id="login-to-request"' in html and 'id="access-form"' not in html
    refused = visitor.get(f"/hub/{by_request.pk}/v1/items/")
    assert refused.status_code == 403 and "Log in, then request access" in \
        refused.content.decode()
    assert visitor.post(f"/hub/{by_request.pk}/access-request/",
                        {"purpose": "x" * 20, "accept_terms": "on"}).status_code == 302


def test_korean_readers_see_the_korean_title_and_description(published, client_org,
                                                             signed_in):
    dataset_update(user=client_org[0], dataset_id=published.pk, title_ko="감성 분석",
                   description_ko="짧은 글과 그 감성.")
    korean = signed_in()
    korean.cookies.load({"django_language": "ko"})
    for path in ("/hub/", f"/hub/{published.pk}/"):
        html = korean.get(path, headers={"accept-language": "ko"}).content.decode()
        assert "감성 분석" in html, path
    html = korean.get(f"/hub/{published.pk}/", headers={"accept-language": "ko"}).content.decode()
    assert "짧은 글과 그 감성." in html
    assert "감성 분석" not in signed_in().get(f"/hub/{published.pk}/").content.decode()


def test_the_search_filters_and_refuses_bad_input_without_a_500(published, signed_in):
    visitor = signed_in()
    assert f"/hub/{published.pk}/" in visitor.get("/hub/?q=sentiment").content.decode()
    assert f"/hub/{published.pk}/" not in visitor.get("/hub/?q=zebra").content.decode()
    assert f"/hub/{published.pk}/" in visitor.get(
        "/hub/?kind=text_classification&licence=cc-by-4.0&language=en&size=small&sort=recent"
    ).content.decode()
    assert f"/hub/{published.pk}/" not in visitor.get("/hub/?language=ko").content.decode()
    for query in ("size=huge", "sort=random", "page=0", "page=x", "kind=nope", "licence=gpl"):
        response = visitor.get(f"/hub/?{query}")
        assert response.status_code == 400, query
        assert 'class="errorlist"' in response.content.decode()
    assert visitor.get("/hub/?page=2").status_code == 200  # past the end: empty, not an error


def test_a_format_file_is_built_on_request_and_the_section_polls_until_ready(
    published, signed_in, worker
):
    from datadam.hub.formats import version_format_build

    client = signed_in(worker)
    response = client.post(f"/hub/{published.pk}/v1/formats/",
                           {"format": "csv", "media": "reference"})
    assert response.status_code == 302
    assert response["Location"] == f"/hub/{published.pk}/#files"
    file = VersionFile.objects.get(version=published.latest, format="csv")
    html = client.get(f"/hub/{published.pk}/").content.decode()
    assert f'hx-get="/hub/{published.pk}/v1/files/"' in html
    assert f'data-path="{file.path}" data-status="queued"' in html

    version_format_build(file_id=file.pk)
    fragment = client.get(f"/hub/{published.pk}/v1/files/").content.decode()
    assert fragment.startswith('<section class="card" id="files"') and "hx-get" not in \
        fragment.split(">", 1)[0]
    assert f"/versions/1/files/{file.path}" in fragment
    assert VersionFile.objects.get(pk=file.pk).status == FileStatus.READY

    bad = client.post(f"/hub/{published.pk}/v1/formats/", {"format": "nope",
                                                            "media": "reference"})
    assert bad.status_code == 422 and 'class="errorlist"' in bad.content.decode()
    anonymous = signed_in().post(f"/hub/{published.pk}/v1/formats/", {"format": "csv"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_changes_page_lists_version_ones_records_as_added(published, signed_in):
    client = signed_in()
    html = client.get(f"/hub/{published.pk}/v1/changes/").content.decode()
    assert 'data-count="added">4<' in html and html.count("<tr data-key=") == 4
    assert client.get(f"/hub/{published.pk}/v1/changes/?change=moved").status_code == 400
    assert client.get(f"/hub/{published.pk}/v9/changes/").status_code == 404
    assert client.get(f"/hub/{published.pk}/v1/items/?after=oops").status_code == 200

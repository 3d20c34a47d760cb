"""The organization's hub pages: publishing from the dashboard, editing, new versions,
access decisions; who may open them; and their forms' errors."""

from __future__ import annotations

import re

import pytest

from datadam.hub.models import AccessRequest, Dataset, DatasetVersion, VersionStatus
from datadam.hub.services.access import access_request_create
from datadam.hub.services.datasets import dataset_update
from datadam.hub.services.versions import version_create

pytestmark = pytest.mark.django_db

MANAGER_PAGES = ("edit/", "versions/new/", "access/")


def test_the_dashboard_links_to_publishing_and_publishing_builds_version_one(
    labeled_project, make_project, client_org, signed_in, hub_storage, build
):
    owner = signed_in(client_org[0])
    sibling = make_project(items=1)
    other_kind = make_project(items=0, launch=False, kind="image_classification")
    dashboard = owner.get(f"/console/projects/{labeled_project.pk}/").content.decode()
    link = f'id="publish-dataset" href="/hub/publish/?project={labeled_project.pk}"'
    assert link in dashboard

    form = owner.get(f"/hub/publish/?project={labeled_project.pk}").content.decode()
    assert re.search(rf'value="{labeled_project.pk}"[^>]*checked', form)
    assert f'value="{sibling.pk}"' in form and f'value="{other_kind.pk}"' not in form

    response = owner.post(f"/hub/publish/?project={labeled_project.pk}", {
        "projects": [labeled_project.pk], "title": "Reviews", "licence": "cc-by-4.0",
        "visibility": "public", "tags": "sentiment, reviews", "languages": "en, ko",
        "changelog": "First cut."})
    dataset = Dataset.objects.get(title="Reviews")
    assert response.status_code == 302 and response["Location"] == f"/hub/{dataset.pk}/"
    assert (dataset.tags, dataset.languages) == (["sentiment", "reviews"], ["en", "ko"])
    page = owner.get(f"/hub/{dataset.pk}/").content.decode()
    assert f'hx-get="/hub/{dataset.pk}/building/?number=1"' in page
    assert "Version 1 is being built" in page

    assert owner.get(f"/hub/{dataset.pk}/building/?number=1").content.decode().startswith(
        '<section class="card notice" id="building"')
    build(dataset)
    done = owner.get(f"/hub/{dataset.pk}/building/?number=1")
    assert done["HX-Refresh"] == "true"
    assert 'id="building"' not in owner.get(f"/hub/{dataset.pk}/").content.decode()


def test_publishing_refuses_bad_input_with_the_error_on_the_form(
    labeled_project, client_org, signed_in, make_client_org
):
    owner = signed_in(client_org[0])
    url = f"/hub/publish/?project={labeled_project.pk}"
    base = {"projects": [labeled_project.pk], "title": "Reviews", "licence": "cc-by-4.0",
            "visibility": "public"}
    no_terms = owner.post(url, {**base, "visibility": "request"})
    assert no_terms.status_code == 422
    assert "needs usage terms" in no_terms.content.decode()
    bad_language = owner.post(url, {**base, "languages": "english"})
    assert bad_language.status_code == 422
    assert "unknown language codes: english" in bad_language.content.decode()
    assert owner.post(url, {**base, "projects": ["999999"]}).status_code == 422
    assert owner.post(url, {**base, "title": ""}).status_code == 422
    assert not Dataset.objects.exists()
    assert signed_in(make_client_org()[0]).get(url).status_code == 404
    assert owner.get("/hub/publish/?project=abc").status_code == 200  # a project chooser


def test_workers_cannot_publish_and_managers_pages_are_closed_to_others(
    published, client_org, signed_in, worker, make_client_org
):
    assert signed_in(worker).get("/hub/publish/").status_code == 403
    stranger = signed_in(make_client_org()[0])
    visitor = signed_in()
    for path in MANAGER_PAGES:
        url = f"/hub/{published.pk}/{path}"
        assert stranger.get(url).status_code == 403, path
        assert signed_in(worker).get(url).status_code == 403, path
        assert visitor.get(url).status_code == 302, path  # to the log-in page
        assert signed_in(client_org[0]).get(url).status_code == 200, path
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="organization")
    for path in MANAGER_PAGES:
        assert stranger.get(f"/hub/{published.pk}/{path}").status_code == 404, path
    assert stranger.post(f"/hub/{published.pk}/edit/", {"title": "Mine"}).status_code == 404
    assert signed_in(client_org[0]).get("/hub/999999/edit/").status_code == 404


def test_editing_changes_the_page_and_bad_input_stays_on_the_form(published, client_org,
                                                                   signed_in):
    owner = signed_in(client_org[0])
    form = owner.get(f"/hub/{published.pk}/edit/").content.decode()
    assert 'value="Sentiment"' in form and 'value="sentiment"' in form
    fields = {"title": "Sentiment 2", "licence": "cc0-1.0", "visibility": "public",
              "tags": "sentiment", "languages": "en", "description": "New words."}
    assert owner.post(f"/hub/{published.pk}/edit/", fields).status_code == 302
    published.refresh_from_db()
    assert (published.title, published.licence) == ("Sentiment 2", "cc0-1.0")
    bad = owner.post(f"/hub/{published.pk}/edit/", {**fields, "licence": "gpl"})
    assert bad.status_code == 422 and 'class="errorlist"' in bad.content.decode()
    too_many = owner.post(f"/hub/{published.pk}/edit/",
                          {**fields, "tags": ",".join(f"t{i}" for i in range(30))})
    assert too_many.status_code == 422 and "at most 20 tags" in too_many.content.decode()


def test_a_new_version_is_queued_and_a_second_one_meanwhile_is_refused(
    published, client_org, signed_in
):
    owner = signed_in(client_org[0])
    url = f"/hub/{published.pk}/versions/new/"
    assert owner.post(url, {"changelog": ""}).status_code == 422  # a changelog is asked for
    response = owner.post(url, {"changelog": "More answers."})
    assert response.status_code == 302 and response["Location"] == f"/hub/{published.pk}/"
    version = DatasetVersion.objects.get(dataset=published, number=2)
    assert version.status == VersionStatus.BUILDING and version.changelog == "More answers."
    again = owner.post(url, {"changelog": "Again."})
    assert again.status_code == 409 and "being built" in again.content.decode()
    page = owner.get(f"/hub/{published.pk}/").content.decode()
    assert 'data-version="2"' in page and "Building" in page
    assert 'data-version="2"' not in signed_in().get(f"/hub/{published.pk}/").content.decode()


def test_access_decisions_need_a_reason_to_decline_or_revoke(by_request, client_org,
                                                               signed_in, worker):
    request = access_request_create(user=worker, dataset_id=by_request.pk,
                                    purpose="Research on sentiment.", accept_terms=True)
    owner = signed_in(client_org[0])
    url = f"/hub/{by_request.pk}/access/{request.pk}/decide/"
    refused = owner.post(url, {"action": "decline", "reason": ""})
    assert refused.status_code == 422
    assert "say why the request is declined" in refused.content.decode()
    assert owner.post(url, {"action": "maybe"}).status_code == 422
    assert owner.post(url, {"action": "approve"}).status_code == 302
    assert owner.post(url, {"action": "approve"}).status_code == 409  # decided already
    assert owner.post(url, {"action": "decline", "reason": "Misuse."}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reason) == ("revoked", "Misuse.")
    html = signed_in(worker).get(f"/hub/{by_request.pk}/").content.decode()
    assert "Revoked" in html and "Misuse." in html and 'id="access-form"' in html
    assert signed_in(worker).post(url, {"action": "approve"}).status_code == 403
    assert AccessRequest.objects.get(pk=request.pk).status == "revoked"


def test_access_request_form_errors_are_shown_on_the_dataset_page(by_request, signed_in,
                                                                  worker):
    client = signed_in(worker)
    url = f"/hub/{by_request.pk}/access-request/"
    no_terms = client.post(url, {"purpose": "Research on sentiment."})
    assert no_terms.status_code == 422 and 'class="errorlist"' in no_terms.content.decode()
    short = client.post(url, {"purpose": "x", "accept_terms": "on"})
    assert short.status_code == 422
    assert client.post(url, {"purpose": "Research on sentiment.",
                             "accept_terms": "on"}).status_code == 302
    twice = client.post(url, {"purpose": "Research on sentiment.", "accept_terms": "on"})
    assert twice.status_code == 409 and "waiting for a decision" in twice.content.decode()


def test_the_navigation_links_to_the_datasets(worker, client_org, operator, signed_in):
    for user in (worker, client_org[0], operator):
        html = signed_in(user).get("/hub/").content.decode()
        nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
        assert nav.count('href="/hub/"') == 1, user.role


def test_a_building_version_that_finished_refreshes_the_page_for_anyone(published, client_org,
                                                                         signed_in):
    version_create(user=client_org[0], dataset_id=published.pk, changelog="v2")
    response = signed_in().get(f"/hub/{published.pk}/building/?number=2")
    assert response["HX-Refresh"] == "true"  # visitors never see a building version


def test_the_organization_opens_a_failed_version_with_its_error_and_others_get_404(
    published, client_org, signed_in, worker
):
    version = version_create(user=client_org[0], dataset_id=published.pk, changelog="v2")
    DatasetVersion.objects.filter(pk=version.pk).update(status=VersionStatus.FAILED,
                                                        error="the disk is full")
    owner = signed_in(client_org[0])
    page = owner.get(f"/hub/{published.pk}/v2/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "could not be built" in html and "the disk is full" in html
    assert 'id="files"' not in html
    assert f'href="/hub/{published.pk}/v2/"' in owner.get(f"/hub/{published.pk}/").content.decode()
    assert signed_in(worker).get(f"/hub/{published.pk}/v2/").status_code == 404
    assert signed_in().get(f"/hub/{published.pk}/v2/").status_code == 404

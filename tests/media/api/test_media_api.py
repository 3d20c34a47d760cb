"""The media API: uploading images and archives, the refusals, the list of a project's
images, and the browser session with its CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.media.models import MediaAsset

pytestmark = pytest.mark.django_db


def post_files(api_client, project_id: int, files: list, **extra):
    return api_client.client.post(
        f"/api/v1/projects/{project_id}/media", {"files": files}, headers=api_client.headers,
        **extra)


def test_uploading_several_images_and_an_archive_answers_with_a_report(
    api, client_org, image_project, pics
):
    project = image_project()
    archive = pics.zip_of({"in/b.png": pics.png(color=(5, 5, 5)), "in/note.txt": b"x"})
    response = post_files(api(client_org[0]), project.pk, [
        pics.upload("a.jpg", pics.jpeg()), pics.upload("pack.zip", archive)])
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["duplicates"]) == (2, 0)
    assert body["rejected"] == [{"file": "in/note.txt", "error": (
        "not an image in a format that is taken (JPEG, PNG, WebP, GIF, BMP)")}]
    assert len(body["media_ids"]) == 2


def test_a_repeated_upload_is_a_200_with_duplicates_and_all_refused_is_a_422(
    api, client_org, image_project, pics
):
    project = image_project()
    client = api(client_org[0])
    data = pics.png()
    assert post_files(client, project.pk, [pics.upload("a.png", data)]).status_code == 201
    again = post_files(client, project.pk, [pics.upload("a.png", data)])
    assert again.status_code == 200 and again.json()["duplicates"] == 1
    bad = post_files(client, project.pk, [pics.upload("x.png", b"text")])
    assert bad.status_code == 422
    assert bad.json()["rejected"][0]["file"] == "x.png"


def test_a_request_without_files_is_a_400(api, client_org, image_project):
    project = image_project()
    response = api(client_org[0]).client.post(
        f"/api/v1/projects/{project.pk}/media", {}, headers=api(client_org[0]).headers)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert "files" in response.json()["message"]


def test_another_organizations_project_and_a_workers_request_are_404s(
    api, make_client_org, make_user, image_project, pics
):
    project = image_project()
    stranger, _org = make_client_org()
    for user in (stranger, make_user(Role.WORKER)):
        response = post_files(api(user), project.pk, [pics.upload("a.png", pics.png())])
        assert response.status_code == 404
        assert api(user).get(f"projects/{project.pk}/media").status_code == 404
    assert not MediaAsset.objects.exists()


def test_signed_out_requests_are_401s(api, image_project, pics):
    project = image_project()
    response = Client().post(f"/api/v1/projects/{project.pk}/media",
                             {"files": [pics.upload("a.png", pics.png())]})
    assert response.status_code == 401


def test_a_text_project_refuses_images_with_a_422(api, client_org, make_project, pics):
    project = make_project(items=0, launch=False)
    response = post_files(api(client_org[0]), project.pk, [pics.upload("a.png", pics.png())])
    assert response.status_code == 422
    assert response.json()["message"] == "this project's task kind does not take images"


def test_the_list_is_keyset_paginated(api, client_org, image_project, pics):
    project = image_project()
    client = api(client_org[0])
    post_files(client, project.pk,
               [pics.upload(f"{i}.png", pics.png(color=(i, 0, 0))) for i in range(5)])
    first = client.get(f"projects/{project.pk}/media?limit=2").json()
    assert [m["file"] for m in first["items"]] == ["0.png", "1.png"]
    assert first["next_after"] == first["items"][-1]["id"]
    rest = client.get(f"projects/{project.pk}/media?after={first['next_after']}&limit=10").json()
    assert [m["file"] for m in rest["items"]] == ["2.png", "3.png", "4.png"]
    assert rest["next_after"] is None
    one = rest["items"][0]
    assert one["status"] == "pending" and one["url"].startswith("/media/images/")
    assert (one["width"], one["height"], one["content_type"]) == (40, 30, "image/png")
    assert one["web_url"] == "" and one["item_id"]


def test_the_browser_session_uploads_with_its_csrf_token_and_not_without(
    client_org, image_project, pics
):
    project = image_project()
    client = Client(enforce_csrf_checks=True)
    client.force_login(client_org[0])
    page = client.get(f"/console/projects/{project.pk}/images/")
    token = page.context["csrf_token"]
    url = f"/api/v1/projects/{project.pk}/media"
    refused = client.post(url, {"files": [pics.upload("a.png", pics.png())]})
    assert refused.status_code == 403
    done = client.post(url, {"files": [pics.upload("a.png", pics.png())]},
                       headers={"X-CSRFToken": str(token)})
    assert done.status_code == 201, done.content

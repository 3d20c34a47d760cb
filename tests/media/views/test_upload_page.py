"""The console's image upload page: who may open it, English and Korean, the form without
JavaScript, and the link from the items page."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_upload_page_renders_in_english_and_korean(client_org, image_project, language):
    project = image_project()
    response = signed_in(client_org[0]).get(
        f"/console/projects/{project.pk}/images/", headers={"Accept-Language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'id="media-upload"' in html and 'type="file" name="files" multiple' in html
    assert f'data-api="/api/v1/projects/{project.pk}/media"' in html
    assert "/static/media/upload.js" in html


def test_workers_are_refused_and_another_organization_gets_a_404(
    make_user, make_client_org, image_project
):
    project = image_project()
    url = f"/console/projects/{project.pk}/images/"
    assert signed_in(make_user(Role.WORKER)).get(url).status_code == 403
    assert signed_in(make_client_org()[0]).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_without_javascript_the_form_uploads_every_file_and_shows_the_report(
    client_org, image_project, pics
):
    project = image_project()
    response = signed_in(client_org[0]).post(
        f"/console/projects/{project.pk}/images/",
        {"files": [pics.upload("a.png", pics.png()), pics.upload("b.txt", b"words")]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Added 1 image." in html
    assert "1 file was refused" in html and "b.txt" in html
    assert Item.objects.filter(project=project).count() == 1


def test_a_text_project_says_it_takes_no_images(client_org, make_project):
    project = make_project(items=0, launch=False)
    response = signed_in(client_org[0]).get(f"/console/projects/{project.pk}/images/")
    assert 'id="no-images"' in response.content.decode()
    assert 'id="media-upload"' not in response.content.decode()


def test_the_items_page_links_to_the_upload_only_for_image_projects(
    client_org, image_project, make_project
):
    client = signed_in(client_org[0])
    image = image_project()
    html = client.get(f"/console/projects/{image.pk}/items/").content.decode()
    assert f'href="/console/projects/{image.pk}/images/"' in html
    text = make_project(items=0, launch=False)
    html = client.get(f"/console/projects/{text.pk}/items/").content.decode()
    assert "upload-images-link" not in html

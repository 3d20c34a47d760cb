"""The dataset card page: the API's statement as a page, for the project's managers only."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.datasets.aggregation import results_aggregate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def test_the_card_page_is_the_managers_and_404_to_others(
    make_project, make_user, do_work, client_org, make_client_org
):
    project = make_project(items=1, overlap=1, review_policy="auto")
    do_work(project, make_user("worker"), {"label": "pos"})
    results_aggregate(project_id=project.pk)
    url = f"/console/projects/{project.pk}/dataset-card/"
    r = _client(client_org[0]).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Dataset card" in html and 'data-stat="provisional">1<' in html
    assert f"/api/v1/projects/{project.pk}/dataset-card" in html
    assert _client(make_client_org()[0]).get(url).status_code == 404
    assert _client(make_user("worker")).get(url).status_code == 403


def test_the_dashboard_and_the_export_link_to_the_card_page(make_project, client_org, api):
    project = make_project(items=1)
    page = f"/console/projects/{project.pk}/dataset-card/"
    assert page.encode() in _client(client_org[0]).get(f"/console/projects/{project.pk}/").content
    response = api(client_org[0]).get(f"projects/{project.pk}/export.jsonl")
    assert f'<{page}>; rel="describedby"; type="text/html"' in response["Link"]
    card = api(client_org[0]).get(f"projects/{project.pk}/dataset-card").json()
    assert card["page"] == page and card["counting"]["review_policy"] == "manual"


def test_the_korean_card_page_is_translated(make_project, client_org):
    project = make_project(items=1)
    c = Client(headers={"accept-language": "ko"})
    assert c.login(username=client_org[0].email, password=PASSWORD)
    r = c.get(f"/console/projects/{project.pk}/dataset-card/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "데이터셋 카드" in html and "Dataset card" not in html

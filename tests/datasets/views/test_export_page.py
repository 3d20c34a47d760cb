"""The console's Export page: formats of the project's kind, queueing, the list polling."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.datasets.export_jobs import export_run
from datadam.datasets.models import Export
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def test_the_page_lists_the_kinds_formats_and_queues_an_export(box_project, client_org):
    client = _client(client_org[0])
    url = f"/console/projects/{box_project.pk}/exports/"
    html = client.get(url).content.decode()
    for slug in ("jsonl", "csv", "coco", "yolo", "voc"):
        assert f'value="{slug}"' in html
    assert "COCO JSON for detection" in html and "No exports yet." in html

    r = client.post(url, {"format": "yolo", "answers": "no", "media": "reference"})
    assert r.status_code == 302 and r["Location"] == url
    export = Export.objects.get()
    assert (export.format, export.options) == ("yolo", {"answers": False, "media": "reference"})

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'data-export="{export.pk}"' in page
    export_run(export_id=export.pk)
    part = client.get(f"/console/projects/{box_project.pk}/exports/list/").content.decode()
    assert "hx-trigger" not in part  # nothing left running: no more polling
    assert f'href="/api/v1/exports/{export.pk}/download"' in part
    assert 'data-status="done"' in part


def test_a_refused_export_shows_the_message(box_project, client_org):
    r = _client(client_org[0]).post(f"/console/projects/{box_project.pk}/exports/",
                                    {"format": "coco", "media": "inline"})
    assert r.status_code == 422
    assert 'id="export-error"' in r.content.decode() and not Export.objects.exists()


def test_text_projects_offer_jsonl_and_csv_only(make_project, client_org):
    project = make_project(items=1)
    html = _client(client_org[0]).get(f"/console/projects/{project.pk}/exports/").content
    assert b'value="csv"' in html and b'value="coco"' not in html


def test_the_dashboard_links_the_page_and_others_are_kept_out(
    make_project, client_org, make_client_org, make_user
):
    project = make_project(items=1)
    url = f"/console/projects/{project.pk}/exports/"
    dashboard = _client(client_org[0]).get(f"/console/projects/{project.pk}/").content
    assert f'id="exports" href="{url}"'.encode() in dashboard
    assert _client(make_client_org()[0]).get(url).status_code == 404
    assert _client(make_user("worker")).get(url).status_code == 403

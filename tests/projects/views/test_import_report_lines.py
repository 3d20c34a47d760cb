"""The import report names each bad line by the file's own line number, in words a person
understands, on the import page and in the API, for JSONL, CSV and JSON-array files."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from datadam.projects.models import Item

pytestmark = pytest.mark.django_db

PRETTY_ARRAY = b'[\n  {"text": "one"},\n  {"text": "two"} x\n]\n'


def report_rows(html: str) -> list[tuple[str, str]]:
    body = re.search(r'id="import-errors".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, "no error report on the page"
    return [(n, " ".join(e.split()))
            for n, e in re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", body.group(1), re.S)]


def upload_page(user, project, name: str, content: bytes) -> str:
    client = Client()
    client.force_login(user)
    return client.post(f"/console/projects/{project.pk}/items/",
                       {"file": SimpleUploadedFile(name, content)}).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "rows"),
    [
        pytest.param(
            "items.jsonl", b'{"text": "one"}\n\n{"text": "three"} x\n',
            [("3", "this line is not valid JSON (unexpected character after the value, "
                   "at character 19)")],
            id="jsonl",
        ),
        pytest.param(
            "items.csv", b'text,source\nok,web\n"open,app\nok,web\n',
            [("3", "this line has 1 value, but the header names 2 columns; its quoted value "
                   "runs on to line 4: is a closing quote missing?")],
            id="csv",
        ),
        pytest.param(
            "items.json", PRETTY_ARRAY,
            [("3", "this line is not valid JSON (a missing comma or colon, at character 19)")],
            id="json-array",
        ),
    ],
)
def test_the_import_page_reports_the_files_line_and_a_plain_problem(
    client_org, make_project, name, content, rows
):
    project = make_project(items=0, launch=False)
    html = upload_page(client_org[0], project, name, content)
    assert "Nothing was imported." in html
    assert report_rows(html) == rows
    assert not re.search(r"line \d+ column \d+", html)  # no parser's own line and column
    assert not Item.objects.filter(project=project).exists()


def test_a_pretty_printed_json_array_file_imports_every_item(client_org, make_project):
    project = make_project(items=0, launch=False)
    content = b'[\n  {"text": "one"},\n  {"data": {"text": "two"}, "external_id": "b"}\n]\n'
    html = upload_page(client_org[0], project, "items.json", content)
    assert "Imported 2 items." in html
    assert list(Item.objects.filter(project=project).order_by("pk")
                .values_list("external_id", "data")) == [("", {"text": "one"}),
                                                         ("b", {"text": "two"})]


def test_the_api_report_keeps_line_and_error_and_adds_a_sentence(client_org, make_project, api):
    project = make_project(items=0, launch=False)
    content = b'{"text": "one"}\n{"text": "two"\n{"text": ""}\n'
    r = api(client_org[0]).upload(f"projects/{project.pk}/items/upload", "items.jsonl", content)
    assert r.status_code == 422
    first, second = r.json()["errors"]
    assert first == {
        "line": 2,
        "error": "this line is not valid JSON (the line ends before the value is complete)",
        "message": "Line 2: this line is not valid JSON (the line ends before the value is "
                   "complete)",
    }
    assert second["line"] == 3 and second["message"].startswith("Line 3: ")


def test_the_api_reads_a_json_array_upload_and_names_its_lines(client_org, make_project, api):
    project = make_project(items=0, launch=False)
    r = api(client_org[0]).upload(f"projects/{project.pk}/items/upload", "items.json",
                                  b'[\n  {"text": "one"},\n  {"text": ""}\n]')
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["line"] == 3 and error["message"].startswith("Line 3: ")
    ok = api(client_org[0]).upload(f"projects/{project.pk}/items/upload", "whatever.txt",
                                   PRETTY_ARRAY.replace(b" x", b""), format="json")
    assert ok.status_code == 201 and ok.json()["imported"] == 2


def test_inline_items_are_reported_by_position_as_items_not_lines(
    client_org, make_project, api
):
    project = make_project(items=0, launch=False)
    r = api(client_org[0]).post(f"projects/{project.pk}/items",
                                {"items": [{"text": "ok"}, {"text": ""}]})
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["line"] == 2 and error["message"].startswith("Item 2: ")

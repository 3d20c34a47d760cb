"""Importing items through the API: file upload (JSONL, CSV) and inline, all or nothing."""

from __future__ import annotations

import json

import pytest

from datadam.projects.models import Item
from datadam.rewards.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _jsonl(*rows) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in rows)


@pytest.fixture
def owner_api(client_org, api):
    return api(client_org[0])


@pytest.fixture
def unchanged(balance_of):
    """Snapshot a project's item count, item rows, ledger and escrow; assert them unchanged."""

    def snapshot(project):
        project.refresh_from_db()
        return (
            project.items_count,
            project.funded_items,
            list(Item.objects.filter(project=project).order_by("pk").values_list("pk", "data")),
            LedgerEntry.objects.count(),
            balance_of(project),
            balance_of(project.organization),
        )

    return snapshot


def test_jsonl_upload_imports_every_line_with_external_ids(make_project, owner_api, ledger_ok):
    project = make_project(items=0, launch=False)
    content = _jsonl(
        {"text": "plain"},
        {"data": {"text": "wrapped", "lang": "ko"}, "external_id": "ext-1"},
        b"   ",
        {"data": {"text": "numbered id"}, "external_id": 42},
    )

    r = owner_api.upload(f"projects/{project.pk}/items/upload", "items.jsonl", content)

    assert r.status_code == 201, r.content
    assert r.json() == {"imported": 3, "error_count": 0, "errors": []}
    rows = list(Item.objects.filter(project=project).order_by("pk").values("external_id", "data"))
    assert rows == [
        {"external_id": "", "data": {"text": "plain"}},
        {"external_id": "ext-1", "data": {"text": "wrapped", "lang": "ko"}},
        {"external_id": "42", "data": {"text": "numbered id"}},
    ]
    project.refresh_from_db()
    assert project.items_count == 3
    ledger_ok()


def test_csv_upload_turns_columns_into_fields_and_external_id_into_the_id(make_project, owner_api):
    project = make_project(items=0, launch=False)
    content = '\ufeffexternal_id,text,source\na1,first text,web\na2,"quoted, with comma",app\n'

    r = owner_api.upload(f"projects/{project.pk}/items/upload", "items.csv", content.encode())

    assert r.status_code == 201, r.content
    assert r.json()["imported"] == 2
    rows = list(Item.objects.filter(project=project).order_by("pk").values("external_id", "data"))
    assert rows == [
        {"external_id": "a1", "data": {"text": "first text", "source": "web"}},
        {"external_id": "a2", "data": {"text": "quoted, with comma", "source": "app"}},
    ]


def test_format_query_parameter_overrides_the_file_name(make_project, owner_api):
    project = make_project(items=0, launch=False)
    r = owner_api.upload(
        f"projects/{project.pk}/items/upload", "export.txt", b"text\nhello\n", format="csv"
    )
    assert r.status_code == 201, r.content
    assert r.json()["imported"] == 1


def test_upload_with_an_unknown_format_is_refused(make_project, owner_api, unchanged):
    project = make_project(items=1, launch=False)
    before = unchanged(project)
    r = owner_api.upload(f"projects/{project.pk}/items/upload", "items.xlsx", b"text\nx\n")
    assert r.status_code == 422
    assert "format" in r.json()["message"]
    r = owner_api.upload(
        f"projects/{project.pk}/items/upload", "items.csv", b"text\nx\n", format="xml"
    )
    assert r.status_code == 422
    assert unchanged(project) == before


@pytest.mark.parametrize("launched", [False, True], ids=["draft", "open"])
@pytest.mark.parametrize(
    ("name", "content", "bad_lines"),
    [
        pytest.param(
            "bad.jsonl",
            _jsonl({"text": "ok"}, b"{not json", {"text": "ok"}, b'{"text": "unterminated'),
            [2, 4],
            id="jsonl-bad-json",
        ),
        pytest.param(
            "bad.jsonl",
            _jsonl({"text": "ok"}, {"txt": "typo"}, {"text": ""}, {"text": 5}, [1, 2], "str"),
            [2, 3, 4, 5, 6],
            id="jsonl-missing-text",
        ),
        pytest.param(
            "bad.jsonl",
            _jsonl({"text": "ok"}, {"data": {"text": "ok"}, "external_id": "x" * 201}),
            [2],
            id="jsonl-external-id-too-long",
        ),
        pytest.param(
            "bad.jsonl",
            _jsonl({"text": "ok"}, '{"text": "caf\xe9"}'.encode("latin-1"), {"text": "ok"}),
            [2],
            id="jsonl-not-utf8",
        ),
        pytest.param(
            "bad.csv",
            b"text,source\nok,web\ntoo,many,columns\nmissing\nok,app\n",
            [3, 4],
            id="csv-wrong-column-count",
        ),
        pytest.param(
            "bad.csv",
            b"title,source\na,web\nb,app\n",
            [2, 3],
            id="csv-missing-text-column",
        ),
        pytest.param(
            "bad.csv",
            b"text,source\nok,web\n,empty\n",
            [3],
            id="csv-empty-text",
        ),
    ],
)
def test_a_malformed_file_imports_nothing_and_reports_every_bad_line(
    make_project, owner_api, unchanged, ledger_ok, name, content, bad_lines, launched
):
    project = make_project(items=2, launch=launched)
    before = unchanged(project)

    r = owner_api.upload(f"projects/{project.pk}/items/upload", name, content)

    assert r.status_code == 422, r.content
    body = r.json()
    assert body["imported"] == 0
    assert body["error_count"] == len(bad_lines)
    assert [e["line"] for e in body["errors"]] == bad_lines
    assert all(e["error"] for e in body["errors"])
    assert unchanged(project) == before
    ledger_ok()


@pytest.mark.parametrize(
    ("name", "content", "bad_lines"),
    [
        ("latin1.csv", "text,source\nok,web\ncaf\xe9,app\nok,web\n".encode("latin-1"), [3]),
        (
            "latin1.csv",
            "text,source\nok,web\ncaf\xe9,app\nok,web\nna\xefve,app\n".encode("latin-1"),
            [3, 5],
        ),
        ("latin1-header.csv", "t\xe9xt,source\nok,web\n".encode("latin-1"), [1]),
    ],
    ids=["in-a-row", "in-two-rows", "in-the-header"],
)
def test_a_csv_file_that_is_not_utf8_is_rejected_naming_every_bad_line(
    make_project, owner_api, unchanged, name, content, bad_lines
):
    project = make_project(items=1, launch=False)
    before = unchanged(project)

    r = owner_api.upload(f"projects/{project.pk}/items/upload", name, content)

    assert r.status_code == 422, r.content
    body = r.json()
    assert body["imported"] == 0
    assert [e["line"] for e in body["errors"]] == bad_lines
    assert all("UTF-8" in e["error"] for e in body["errors"])
    assert unchanged(project) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.jsonl", b""),
        ("blank.jsonl", b"\n  \n\n"),
        ("empty.csv", b""),
        ("hdr.csv", b"text\n"),
    ],
)
def test_an_empty_file_is_rejected_and_imports_nothing(
    make_project, owner_api, unchanged, name, content
):
    project = make_project(items=1)
    before = unchanged(project)
    r = owner_api.upload(f"projects/{project.pk}/items/upload", name, content)
    assert r.status_code == 422, r.content
    assert r.json().get("imported", 0) == 0
    assert r.json().get("message") or r.json().get("errors")
    assert unchanged(project) == before


def test_a_bad_line_after_a_full_chunk_still_imports_nothing(
    make_project, owner_api, unchanged, settings
):
    settings.DATADAM = {**settings.DATADAM, "IMPORT_CHUNK": 3}
    project = make_project(items=1)
    before = unchanged(project)
    content = _jsonl(*[{"text": f"t{i}"} for i in range(7)], {"nope": 1}, {"text": "last"})

    r = owner_api.upload(f"projects/{project.pk}/items/upload", "big.jsonl", content)

    assert r.status_code == 422
    assert [e["line"] for e in r.json()["errors"]] == [8]
    assert unchanged(project) == before


def test_the_report_lists_at_most_the_limit_but_counts_every_bad_line(
    make_project, owner_api, settings
):
    settings.DATADAM = {**settings.DATADAM, "IMPORT_REPORT_LIMIT": 2}
    project = make_project(items=0, launch=False)
    r = owner_api.upload(
        f"projects/{project.pk}/items/upload", "x.jsonl", _jsonl(*[{"no": i} for i in range(5)])
    )
    assert r.status_code == 422
    assert r.json()["error_count"] == 5
    assert [e["line"] for e in r.json()["errors"]] == [1, 2]


def test_upload_into_an_open_project_funds_the_new_items(
    make_project, owner_api, balance_of, ledger_ok
):
    project = make_project(items=1, overlap=2, reward=3, review_reward=1)
    escrow = balance_of(project)
    r = owner_api.upload(
        f"projects/{project.pk}/items/upload", "more.jsonl", _jsonl({"text": "a"}, {"text": "b"})
    )
    assert r.status_code == 201
    assert balance_of(project) == escrow + 2 * 2 * 4
    ledger_ok()


def test_upload_the_organization_cannot_pay_for_gets_402_and_imports_nothing(
    make_client_org, make_project, api, unchanged, ledger_ok
):
    user, org = make_client_org(credit=50)
    project = make_project(items=1, reward=40, review_reward=0, owner=(user, org))
    before = unchanged(project)
    r = api(user).upload(f"projects/{project.pk}/items/upload", "more.jsonl", _jsonl({"text": "a"}))
    assert r.status_code == 402
    assert r.json()["error"] == "insufficient_funds"
    assert unchanged(project) == before
    ledger_ok()


def test_inline_items_are_imported(make_project, owner_api):
    project = make_project(items=0, launch=False)
    r = owner_api.post(
        f"projects/{project.pk}/items",
        {"items": [{"text": "a"}, {"data": {"text": "b"}, "external_id": "B"}]},
    )
    assert r.status_code == 201, r.content
    assert r.json()["imported"] == 2
    assert list(
        Item.objects.filter(project=project).order_by("pk").values_list("external_id", flat=True)
    ) == ["", "B"]


def test_inline_items_with_bad_entries_import_nothing_and_report_positions(
    make_project, owner_api, unchanged
):
    project = make_project(items=1)
    before = unchanged(project)
    r = owner_api.post(
        f"projects/{project.pk}/items",
        {"items": [{"text": "ok"}, {"image": "x.png"}, "text", {"text": "ok"}, None]},
    )
    assert r.status_code == 422
    assert [e["line"] for e in r.json()["errors"]] == [2, 3, 5]
    assert unchanged(project) == before


def test_inline_empty_list_is_rejected(make_project, owner_api, unchanged):
    project = make_project(items=1, launch=False)
    before = unchanged(project)
    r = owner_api.post(f"projects/{project.pk}/items", {"items": []})
    assert r.status_code == 422
    assert unchanged(project) == before


def test_image_projects_need_an_image_field(client_org, make_project, owner_api):
    project = make_project(items=0, launch=False, kind="image_classification")
    r = owner_api.post(
        f"projects/{project.pk}/items", {"items": [{"image": "a.png"}, {"text": "no image"}]}
    )
    assert r.status_code == 422
    assert [e["line"] for e in r.json()["errors"]] == [2]
    assert "image" in r.json()["errors"][0]["error"]
    r = owner_api.post(f"projects/{project.pk}/items", {"items": [{"image": "a.png"}]})
    assert r.status_code == 201


def test_importing_into_a_closed_project_gets_409(make_project, owner_api, unchanged):
    project = make_project(items=1)
    assert owner_api.post(f"projects/{project.pk}/close").status_code == 200
    before = unchanged(project)
    r = owner_api.upload(f"projects/{project.pk}/items/upload", "a.jsonl", _jsonl({"text": "a"}))
    assert r.status_code == 409
    r = owner_api.post(f"projects/{project.pk}/items", {"items": [{"text": "a"}]})
    assert r.status_code == 409
    assert unchanged(project) == before


@pytest.mark.parametrize(
    "bad",
    [
        {"text": "nul \u0000 inside"},
        {"data": {"text": "ok"}, "external_id": "id\u0000"},
        {"text": "ok", "count": 2**70},
        {"text": "ok", "nested": {"deep": ["x\u0000"]}},
    ],
    ids=["nul-in-text", "nul-in-external-id", "integer-beyond-64-bits", "nul-nested"],
)
def test_items_no_database_can_store_are_reported_on_their_line(
    make_project, owner_api, unchanged, bad
):
    project = make_project(items=1)
    before = unchanged(project)
    good = {"text": "literal \\u0000 is just text"}
    r = owner_api.post(f"projects/{project.pk}/items", {"items": [good, bad, good]})
    assert r.status_code == 422, r.content
    assert [e["line"] for e in r.json()["errors"]] == [2]
    assert unchanged(project) == before
    if "count" in bad:
        return  # a JSONL file's big integers are read as floats, which store fine
    r = owner_api.upload(f"projects/{project.pk}/items/upload", "x.jsonl", _jsonl(good, bad))
    assert r.status_code == 422, r.content
    assert [e["line"] for e in r.json()["errors"]] == [2]
    assert unchanged(project) == before


def test_a_csv_cell_with_a_nul_character_is_reported_on_its_line(
    make_project, owner_api, unchanged
):
    project = make_project(items=1)
    before = unchanged(project)
    r = owner_api.upload(
        f"projects/{project.pk}/items/upload", "x.csv", b"text,src\nok,a\nbad\x00,b\n"
    )
    assert r.status_code == 422, r.content
    assert [e["line"] for e in r.json()["errors"]] == [3]
    assert unchanged(project) == before


def test_text_that_merely_spells_a_nul_escape_is_imported(make_project, owner_api):
    project = make_project(items=0, launch=False)
    r = owner_api.post(f"projects/{project.pk}/items", {"items": [{"text": "a \\u0000 b"}]})
    assert r.status_code == 201
    assert Item.objects.get(project=project).data == {"text": "a \\u0000 b"}

"""Request bodies are JSON objects of storable text; anything else is refused with a 4xx in
the API's one error shape, and changes nothing. Found by fuzzing the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.api import api as ninja_api

pytestmark = pytest.mark.django_db

SURROGATE = b'"\\ud800"'  # a valid JSON escape, but not text: it cannot be encoded as UTF-8


def _post(path: str, body: bytes, headers: dict[str, str] | None = None, method: str = "post"):
    return getattr(Client(), method)(
        f"/api/v1/{path}", data=body, content_type="application/json", headers=headers or {}
    )


def test_an_unpaired_surrogate_in_any_field_is_a_400_even_before_signing_in() -> None:
    for path, body in [
        ("auth/token", b'{"email": ' + SURROGATE + b', "password": "x"}'),
        ("auth/token", b'{"email": "a@example.test", "password": ' + SURROGATE + b"}"),
        ("auth/signup", b'{"email": "n@example.test", "password": "longpassword1", '
                        b'"display_name": ' + SURROGATE + b', "role": "worker"}'),
    ]:
        r = _post(path, body)
        assert r.status_code == 400, (path, r.content)
        assert r.json()["error"] == "invalid" and "surrogate" in r.json()["message"]


def test_a_surrogate_in_a_clients_edit_changes_nothing(make_project, api) -> None:
    project = make_project(items=1, launch=False)
    owner = api(project.created_by)
    body = b'{"name": ' + SURROGATE + b"}"
    r = _post(f"projects/{project.pk}", body, owner.headers, method="patch")
    assert r.status_code == 400
    project.refresh_from_db()
    assert project.name == owner.get(f"projects/{project.pk}").json()["name"]


@pytest.mark.parametrize("body", [b'"hello world"', b"[]", b"42", b"true", b"null"])
def test_a_body_that_is_not_an_object_is_refused_not_read_as_one(make_project, api, body):
    """ninja read a string body as an object: its str methods (say ``title``) became
    fields, so a PATCH with "hello world" once renamed an exam "Hello World"."""
    project = make_project(items=1, launch=False)
    owner = api(project.created_by)
    before = owner.get(f"projects/{project.pk}").json()
    r = _post(f"projects/{project.pk}", body, owner.headers, method="patch")
    assert r.status_code == 400 and "JSON object" in r.json()["message"]
    assert owner.get(f"projects/{project.pk}").json() == before


def test_nan_and_infinity_are_not_json(make_project, api) -> None:
    project = make_project(items=1, launch=False)
    owner = api(project.created_by)
    for literal in (b"NaN", b"Infinity", b"-Infinity"):
        r = _post(f"projects/{project.pk}", b'{"reward": ' + literal + b"}", owner.headers,
                  method="patch")  # fmt: skip
        assert r.status_code == 400, literal


def test_a_body_that_misses_the_schema_gets_422_naming_the_field(api, make_user) -> None:
    r = api(make_user(Role.WORKER)).post("payouts", {"amount": "lots"})
    body = r.json()
    assert r.status_code == 422 and body["error"] == "invalid_input"
    assert body["message"].startswith("amount:") and body["details"][0]["loc"][-1] == "amount"


def test_a_long_region_in_a_recommendation_search_is_a_422(make_project, api) -> None:
    project = make_project(items=1)
    owner = api(project.created_by)
    for filters in ({"region": "x" * 50_001}, {"occupation": "y" * 101},
                    {"tags": ["t"] * 51}, {"tags": ["z" * 101]}):  # fmt: skip
        r = owner.post(f"projects/{project.pk}/recommendations", filters)
        assert r.status_code == 422, (filters.keys(), r.content[:200])
    r = owner.post(f"projects/{project.pk}/recommendations", {"region": "Seoul"})
    assert r.status_code == 200


def test_every_schema_in_the_openapi_document_has_a_name_of_its_own() -> None:
    """Two request schemas with one name made the document describe the wrong body (say,
    a payout decision documented as an appeal's)."""
    from ninja import Schema

    seen: dict[str, str] = {}
    ninja_api.get_openapi_schema()  # every router is imported by now

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("datadam."):
                where = f"{sub.__module__}.{sub.__qualname__}"
                assert seen.setdefault(sub.__name__, where) == where, (sub.__name__, seen)
            walk(sub)

    walk(Schema)


def test_a_surrogate_or_nan_deep_inside_an_import_is_refused(make_project, api) -> None:
    project = make_project(items=1, launch=False)
    owner = api(project.created_by)
    for body in (b'{"items": [{"n": 1180591620717411303424, "t": ' + SURROGATE + b"}]}",
                 b'{"items": [{"n": 1180591620717411303424, "x": NaN}]}'):  # fmt: skip
        r = _post(f"projects/{project.pk}/items", body, owner.headers)
        assert r.status_code == 400, r.content


def test_a_browser_session_without_its_csrf_token_is_refused_as_forbidden(make_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.WORKER))
    r = client.post("/api/v1/payouts", data=b'{"amount": 1}', content_type="application/json")
    assert r.status_code == 403 and r.json()["error"] == "forbidden", r.content


def test_the_import_endpoints_document_both_shapes_of_their_422() -> None:
    paths = ninja_api.get_openapi_schema()["paths"]
    for path in ("/api/v1/projects/{project_id}/items", "/api/v1/projects/{project_id}/gold",
                 "/api/v1/projects/{project_id}/items/upload"):  # fmt: skip
        schema = paths[path]["post"]["responses"][422]["content"]["application/json"]["schema"]
        refs = {option["$ref"].rsplit("/", 1)[1] for option in schema["anyOf"]}
        assert refs == {"ImportOut", "ErrorOut"}, path

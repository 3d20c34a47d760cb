"""Garbage sent to any endpoint gets a 4xx answer with a message, never a 500.

Endpoints are read from the OpenAPI schema, so new ones are covered without editing this file.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.accounts.models import Role

pytestmark = pytest.mark.django_db


def _endpoints(with_body: bool | None = None) -> list[tuple[str, str, dict]]:
    import django

    django.setup()
    from datadam.api import api

    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            has_body = "application/json" in (op.get("requestBody") or {}).get("content", {})
            if with_body is None or with_body == has_body:
                out.append((method, path, op))
    return sorted(out, key=lambda e: (e[1], e[0]))


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[a-z_]+\}", value, path)


def _send(client: Client, method: str, path: str, headers: dict, body: bytes = b"{}"):
    if method in ("get", "delete"):
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(
        path, data=body, content_type="application/json", headers=headers
    )


def _message(response) -> str:
    body = response.json()
    return body.get("message") or body.get("detail")


@pytest.fixture
def as_operator(make_user):
    from datadam.accounts.services import token_create

    _, raw = token_create(user=make_user(Role.OPERATOR))
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def as_worker(make_user):
    from datadam.accounts.services import token_create

    _, raw = token_create(user=make_user(Role.WORKER, reviewer=True))
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[1, 2", b"\xff\xfe", b"null", b"[]", b'"text"', b"42"],
    ids=["broken", "empty", "truncated", "binary", "null", "array", "string", "number"],
)
def test_a_body_that_is_not_the_expected_json_object_gets_4xx_on_every_endpoint(
    as_operator, as_worker, body
):
    client = Client()
    for method, path, _ in _endpoints(with_body=True):
        for headers in (as_operator, as_worker):
            r = _send(client, method, _fill(path, "1"), headers, body)
            assert 400 <= r.status_code < 500, (method, path, r.status_code, r.content[:200])
            assert _message(r), (method, path)


def _multipart_endpoints() -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, op in _endpoints()
        if "multipart/form-data" in (op.get("requestBody") or {}).get("content", {})
    ]


def test_the_schema_has_multipart_endpoints_to_check():
    paths = {path for _, path in _multipart_endpoints()}
    assert "/api/v1/projects/{project_id}/items/upload" in paths
    assert "/api/v1/qualifications/{qualification_id}/credentials" in paths


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary="],
    ids=["no-boundary", "empty-boundary"],
)
def test_a_multipart_body_without_a_usable_boundary_gets_400_not_500(
    as_operator, as_worker, content_type
):
    """Found by schemathesis: Django's parser raised MultiPartParserError, which became a 500."""
    client = Client()
    for method, path in _multipart_endpoints():
        for headers in (as_operator, as_worker):
            r = getattr(client, method)(
                _fill(path, "1"), data=b"x", content_type=content_type, headers=headers
            )
            assert r.status_code == 400, (method, path, r.status_code, r.content[:200])
            assert "multipart" in _message(r), (method, path)


@pytest.mark.parametrize("value", ["987654321", str(2**63), str(2**70), "-1", "0"])
def test_ids_that_do_not_exist_or_do_not_fit_get_4xx_on_every_endpoint(as_operator, value):
    client = Client()
    for method, path, _ in _endpoints():
        if "{" not in path:
            continue
        r = _send(client, method, _fill(path, value), as_operator)
        assert 400 <= r.status_code < 500, (method, path, value, r.status_code, r.content[:200])


def test_ids_that_are_not_numbers_get_4xx(as_operator):
    client = Client()
    for method, path, _ in _endpoints():
        if "{project_id}" not in path:
            continue
        r = _send(client, method, _fill(path, "abc"), as_operator)
        assert r.status_code in (404, 422), (method, path, r.status_code)


@pytest.mark.parametrize(
    "query", ["limit=abc", "limit=-5", "limit=99999999999999999999999", "after=-1", "before=x"]
)
def test_odd_paging_parameters_never_give_a_500(as_operator, as_worker, make_project, query):
    project = make_project(items=2)
    client = Client()
    for path in (
        "/api/v1/projects",
        f"/api/v1/projects/{project.pk}/items",
        f"/api/v1/projects/{project.pk}/results",
        f"/api/v1/projects/{project.pk}/audit",
        "/api/v1/me/ledger",
        "/api/v1/ops/audit",
    ):
        r = client.get(f"{path}?{query}", headers=as_operator)
        assert r.status_code < 500, (path, query, r.content[:200])
    for path in ("/api/v1/assignments", f"/api/v1/review/projects/{project.pk}/batch"):
        r = client.get(f"{path}?{query}", headers=as_worker)
        assert r.status_code < 500, (path, query, r.content[:200])


def test_a_garbage_bearer_token_is_401_not_500():
    client = Client()
    for token in ("dd_nope", "", "x" * 5000, "dd_\x00"):
        r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401


def test_text_with_nul_characters_or_huge_numbers_never_gives_a_500(
    make_project, make_user, operator, client_org, api
):
    """PostgreSQL refuses NUL in text and numbers beyond 64 bits; neither may become a 500."""
    project = make_project(items=3)
    worker, reviewer = api(make_user()), api(make_user(reviewer=True))
    a = worker.post(f"projects/{project.pk}/next").json()["assignment"]
    r = worker.post(
        f"assignments/{a['id']}/submit", {"answer": {"label": "pos"}, "idempotency_key": "k\x00"}
    )
    assert r.status_code < 500, r.content
    if r.status_code >= 400:
        r = worker.post(f"assignments/{a['id']}/submit", {"answer": {"label": "pos"}})
    sid = r.json()["id"]
    r = reviewer.post(
        f"submissions/{sid}/review",
        {"decision": "return", "reason_code": "other", "comment": "see\x00this"},
    )
    assert r.status_code < 500, r.content
    ops, owner = api(operator), api(client_org[0])
    for client, method, path, body in [
        (
            ops,
            "post",
            f"ops/organizations/{client_org[1].pk}/topup",
            {"amount": 5, "reference": "r\x00"},
        ),
        (
            ops,
            "post",
            f"ops/organizations/{client_org[1].pk}/topup",
            {"amount": 5, "reference": "r" * 500},
        ),
        (ops, "post", f"ops/users/{worker.user.pk}/active", {"value": False, "reason": "x\x00"}),
        (owner, "post", "auth/token", {"email": "a\x00@example.test", "password": "x\x00"}),
        (
            owner,
            "post",
            f"organizations/{client_org[1].pk}/members",
            {"email": "m@example.test", "password": "x" * 10 + "\x00"},
        ),
        (owner, "patch", f"projects/{project.pk}", {"instructions": "a\x00"}),
        (worker, "post", "payouts", {"amount": 2**70}),
        (
            reviewer,
            "post",
            "review/decisions",
            {"decisions": [{"submission_id": 2**70, "decision": "approve"}]},
        ),
        (worker, "get", f"assignments?project_id={2**70}", None),
        (ops, "get", f"ops/audit?actor_id={2**70}", None),
        (ops, "get", f"ops/audit?before={2**70}", None),
        (ops, "get", f"projects?after={2**70}", None),
        (ops, "get", "projects?status=a%00b", None),
        (ops, "get", "ops/payouts?status=%00", None),
        (ops, "get", "ops/audit?action=%00", None),
        (worker, "get", "assignments?status=%00", None),
    ]:
        r = getattr(client, method)(path, body) if body is not None else client.get(path)
        assert r.status_code < 500, (path, r.content[:300])

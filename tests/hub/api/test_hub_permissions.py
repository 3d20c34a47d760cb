"""Every role × every hub endpoint: the expected status, never a 500.

The world holds three datasets of the client's organization: a public one, one shared by
approved request and one for the organization only. Each role's request runs in a
savepoint rolled back afterwards, so every role meets the same world. Endpoints come from
the OpenAPI schema: a new hub endpoint without a case here fails.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from datadam.accounts.models import Membership, Organization, Role, User
from datadam.hub.services.access import access_request_create
from datadam.hub.services.datasets import dataset_publish
from datadam.hub.services.requests import (
    improvement_request_create,
    improvement_request_triage,
)
from datadam.hub.snapshot import version_build
from datadam.rewards.services import account_topup

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "worker", "reviewer", "client", "other_client", "operator")
H = "/api/v1/hub"


@pytest.fixture
def world(make_project, api, do_work, hub_storage) -> dict[str, Any]:
    def user(role: str, name: str, **extra: Any) -> User:
        if role == Role.OPERATOR:
            return User.objects.create_superuser(f"{name}@hubperm.test", "pw-secret-123")
        return User.objects.create_user(f"{name}@hubperm.test", "pw-secret-123", role=role,
                                        **extra)

    operator = user(Role.OPERATOR, "op")
    client, other = user(Role.CLIENT, "client"), user(Role.CLIENT, "other")
    org = Organization.objects.create(name="Mine")
    Membership.objects.create(organization=org, user=client, level=Membership.Level.OWNER)
    account_topup(operator=operator, organization=org, amount=10_000)
    other_org = Organization.objects.create(name="Theirs")
    Membership.objects.create(organization=other_org, user=other)
    worker = user(Role.WORKER, "worker")
    reviewer = user(Role.WORKER, "reviewer", is_reviewer=True)
    project = make_project(owner=(client, org), items=3, review_policy="auto")
    spare = make_project(owner=(client, org), items=1, launch=False)
    for _ in range(3):
        do_work(project, worker, {"label": "pos"})

    def publish(title: str, visibility: str) -> Any:
        dataset = dataset_publish(user=client, project_ids=[project.pk], title=title,
                                  visibility=visibility, usage_terms="Research only.")
        version_build(version_id=dataset.versions.get().pk)
        dataset.refresh_from_db()
        return dataset

    public = publish("Public", "public")
    by_request = publish("By request", "request")
    private = publish("Private", "organization")
    keys = [int(k) for k in project.items.values_list("pk", flat=True)]
    access = access_request_create(user=worker, dataset_id=by_request.pk,
                                   purpose="Training a classifier.", accept_terms=True)
    request = improvement_request_create(user=worker, dataset_id=public.pk, version=1,
                                         kind="relabel", items=keys[:1], reason="Wrong.")
    users = {"anonymous": None, "worker": worker, "reviewer": reviewer, "client": client,
             "other_client": other, "operator": operator}
    return {"clients": {r: api(u) for r, u in users.items()}, "public": public,
            "request": by_request, "private": private, "access": access,
            "improvement": request, "project": project, "spare": spare, "keys": keys,
            "client": client, "worker": worker}


@dataclass
class Case:
    method: str
    path: Callable[[dict], str]
    expect: dict[str, int]
    body: Callable[[dict], Any] | None = None


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, status), **overrides}


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, anonymous=401, **overrides)


def managers(status: int, others: int = 403) -> dict[str, int]:
    """The dataset's organization and operators; others may see the dataset but not manage
    it (403), or, for an organization-only one, do not see it at all (404)."""
    return signed_in(others, client=status, operator=status)


def _accepted_relabel(w: dict) -> int:
    request = improvement_request_create(user=w["worker"], dataset_id=w["public"].pk,
                                         version=1, kind="relabel", items=w["keys"][1:2],
                                         reason="Should be neg.")
    improvement_request_triage(user=w["client"], request_id=request.pk, decision="accept")
    return request.pk


def _p(w: dict) -> int:
    return w["public"].pk


CASES: dict[str, Case] = {
    f"GET {H}/datasets": Case("get", lambda w: "hub/datasets", everyone(200)),
    f"POST {H}/datasets": Case(
        "post", lambda w: "hub/datasets", signed_in(404, client=201, operator=201),
        body=lambda w: {"project_ids": [w["project"].pk], "title": "Again"}),
    f"GET {H}/datasets/{{dataset_id}}": Case(
        "get", lambda w: f"hub/datasets/{w['private'].pk}",
        everyone(404, client=200, operator=200)),
    f"PATCH {H}/datasets/{{dataset_id}}": Case(
        "patch", lambda w: f"hub/datasets/{_p(w)}", managers(200),
        body=lambda w: {"tags": ["reviews"]}),
    f"POST {H}/datasets/{{dataset_id}}/sources": Case(
        "post", lambda w: f"hub/datasets/{_p(w)}/sources", managers(201),
        body=lambda w: {"project_id": w["spare"].pk}),
    f"POST {H}/datasets/{{dataset_id}}/versions": Case(
        "post", lambda w: f"hub/datasets/{w['private'].pk}/versions", managers(202, 404),
        body=lambda w: {"changelog": "Again."}),
    f"GET {H}/datasets/{{dataset_id}}/versions/{{number}}": Case(
        "get", lambda w: f"hub/datasets/{_p(w)}/versions/1", everyone(200)),
    f"GET {H}/datasets/{{dataset_id}}/versions/{{number}}/items": Case(
        "get", lambda w: f"hub/datasets/{w['request'].pk}/versions/1/items",
        everyone(403, client=200, operator=200)),
    f"GET {H}/datasets/{{dataset_id}}/versions/{{number}}/changes": Case(
        "get", lambda w: f"hub/datasets/{_p(w)}/versions/1/changes?change=added",
        everyone(200)),
    f"POST {H}/datasets/{{dataset_id}}/versions/{{number}}/formats": Case(
        "post", lambda w: f"hub/datasets/{_p(w)}/versions/1/formats", signed_in(202),
        body=lambda w: {"format": "csv"}),
    f"GET {H}/datasets/{{dataset_id}}/versions/{{number}}/files/{{path}}": Case(
        "get", lambda w: f"hub/datasets/{w['request'].pk}/versions/1/files/README.md",
        everyone(403, client=200, operator=200)),
    f"GET {H}/datasets/{{dataset_id}}/downloads": Case(
        "get", lambda w: f"hub/datasets/{_p(w)}/downloads", managers(200)),
    f"POST {H}/datasets/{{dataset_id}}/access-requests": Case(
        "post", lambda w: f"hub/datasets/{w['request'].pk}/access-requests",
        signed_in(201, worker=409, client=409, operator=409),
        body=lambda w: {"purpose": "Evaluating our model.", "accept_terms": True}),
    f"GET {H}/datasets/{{dataset_id}}/access-requests": Case(
        "get", lambda w: f"hub/datasets/{w['request'].pk}/access-requests", managers(200)),
    f"POST {H}/access-requests/{{request_id}}/decide": Case(
        "post", lambda w: f"hub/access-requests/{w['access'].pk}/decide", managers(200),
        body=lambda w: {"approve": True}),
    f"GET {H}/datasets/{{dataset_id}}/requests": Case(
        "get", lambda w: f"hub/datasets/{_p(w)}/requests", everyone(200)),
    f"POST {H}/datasets/{{dataset_id}}/requests": Case(
        "post", lambda w: f"hub/datasets/{_p(w)}/requests", signed_in(201),
        body=lambda w: {"version": 1, "kind": "extend", "reason": "More night photos."}),
    f"GET {H}/datasets/{{dataset_id}}/requests/{{request_id}}": Case(
        "get", lambda w: f"hub/datasets/{_p(w)}/requests/{w['improvement'].pk}",
        everyone(200)),
    f"POST {H}/requests/{{request_id}}/triage": Case(
        "post", lambda w: f"hub/requests/{w['improvement'].pk}/triage", managers(200),
        body=lambda w: {"decision": "accept"}),
    f"POST {H}/datasets/{{dataset_id}}/relabel": Case(
        "post", lambda w: f"hub/datasets/{_p(w)}/relabel", managers(201),
        body=lambda w: {"request_ids": [_accepted_relabel(w)]}),
}


def _request(world: dict, role: str, case: Case, path: str | None = None) -> Any:
    client = world["clients"][role]
    path = path or case.path(world)
    if case.body is not None:
        return client._call(case.method, path, case.body(world))
    return getattr(client, case.method)(path)


def _in_savepoint(fn: Callable[[], Any]) -> Any:
    with transaction.atomic():
        result = fn()
        transaction.set_rollback(True)
    return result


def test_every_hub_endpoint_has_a_case():
    schema = Client().get("/api/v1/openapi.json").json()
    endpoints = {f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops
                 if p.startswith(H)}
    assert endpoints ^ set(CASES) == set()


def test_each_role_gets_the_expected_status(world):
    wrong = []
    for key, case in CASES.items():
        for role in ROLES:
            response = _in_savepoint(lambda role=role, case=case: _request(world, role, case))
            assert response.status_code < 500, (key, role)
            if response.status_code != case.expect[role]:
                body = b"" if response.streaming else response.content[:160]
                wrong.append(f"{key} {role}: {response.status_code} != {case.expect[role]} "
                             f"{body!r}")
    assert wrong == []


def test_a_missing_object_in_the_path_is_404_to_those_allowed_to_use_the_endpoint(world):
    wrong = []
    for missing, (key, case) in itertools.product(("987654321", str(2**63), "0"),
                                                  CASES.items()):
        if "{" not in key:
            continue
        path = re.sub(r"\{[a-z_]+\}", missing, key.split(" ", 1)[1]).removeprefix("/api/v1/")
        allowed = {r for r, status in case.expect.items() if status < 300}
        for role in ROLES[1:]:
            response = _in_savepoint(
                lambda role=role, case=case, path=path: _request(world, role, case, path))
            expected = {404} if role in allowed else {403, 404}
            if response.status_code not in expected:
                wrong.append(f"{key} {role} ({missing}): {response.status_code}")
    assert wrong == []


def test_an_organization_only_dataset_is_missing_from_a_strangers_listing(world):
    for role, sees in (("other_client", False), ("worker", False), ("anonymous", False),
                       ("client", True), ("operator", True)):
        found = {d["id"] for d in world["clients"][role].get("hub/datasets").json()["datasets"]}
        assert (world["private"].pk in found) is sees, role
        assert world["public"].pk in found and world["request"].pk in found

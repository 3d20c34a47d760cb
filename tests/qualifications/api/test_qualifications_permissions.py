"""Every role × every qualifications endpoint: the expected status, never a 500.

Each role's request runs in a savepoint rolled back afterwards, so every role meets the same
world. Endpoints come from the OpenAPI schema: a new endpoint without a case here fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from datadam.accounts.models import Membership, Organization, Role, User
from datadam.qualifications import services
from datadam.rewards.services import account_topup

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "worker", "reviewer", "client", "other_client", "operator")
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(make_project, api) -> dict[str, Any]:
    def user(role: str, name: str, **extra: Any) -> User:
        if role == Role.OPERATOR:
            return User.objects.create_superuser(f"{name}@perm.test", "pw-secret-123")
        return User.objects.create_user(f"{name}@perm.test", "pw-secret-123", role=role, **extra)

    operator = user(Role.OPERATOR, "op")
    client, other = user(Role.CLIENT, "client"), user(Role.CLIENT, "other")
    org = Organization.objects.create(name="Mine")
    Membership.objects.create(organization=org, user=client, level=Membership.Level.OWNER)
    account_topup(operator=operator, organization=org, amount=10_000)
    other_org = Organization.objects.create(name="Theirs")
    Membership.objects.create(organization=other_org, user=other)
    worker, sender = user(Role.WORKER, "worker"), user(Role.WORKER, "sender")
    reviewer = user(Role.WORKER, "reviewer", is_reviewer=True)
    q = services.qualification_create(user=client, organization_id=org.pk, name="Q")
    unused = services.qualification_create(user=client, organization_id=org.pk, name="Unused")
    computed = services.qualification_create(user=client, organization_id=org.pk, name="C",
                                             granting="computed")
    rule = services.rule_add(user=client, qualification_id=computed.pk, min_reviewed=5)
    doctor = services.qualification_create(user=operator, organization_id=None, name="Doctor",
                                           granting="credential")
    exam = services.exam_create(user=client, qualification_id=q.pk, title="E",
                                kind="text_classification", config={"labels": ["a", "b"]})
    spare = services.exam_create(user=client, qualification_id=q.pk, title="Spare",
                                 kind="text_classification", config={"labels": ["a", "b"]})
    question = services.question_add(user=client, exam_id=exam.pk, data={"text": "x"},
                                     answer={"label": "a"})
    services.question_add(user=client, exam_id=exam.pk, data={"text": "y"},
                          answer={"label": "b"})
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk, mode="training")
    services.qualification_grant(actor=operator, qualification_id=q.pk, email=worker.email,
                                 level=1)
    check = services.credential_submit(worker=sender, qualification_id=doctor.pk,
                                       file=SimpleUploadedFile("a.pdf", PDF))
    project = make_project(owner=(client, org))
    users = {"anonymous": None, "worker": worker, "reviewer": reviewer, "client": client,
             "other_client": other, "operator": operator}
    return {"clients": {r: api(u) for r, u in users.items()}, "q": q, "unused": unused,
            "computed": computed, "rule": rule, "doctor": doctor, "exam": exam, "spare": spare,
            "question": question, "attempt": attempt, "check": check, "project": project,
            "org": org, "worker": worker}


@dataclass
class Case:
    method: str
    path: Callable[[dict], str]
    expect: dict[str, int]
    body: Callable[[dict], Any] | None = None
    upload: bool = False


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, status), "anonymous": 401, **overrides}


def workers(status: int, **overrides: int) -> dict[str, int]:
    return signed_in(403, **{"worker": status, "reviewer": status, **overrides})


def managers(status: int) -> dict[str, int]:
    """The owning organization and operators; workers are refused, other clients see nothing."""
    return signed_in(404, worker=403, reviewer=403, client=status, operator=status)


def operator_only(status: int) -> dict[str, int]:
    return signed_in(403, operator=status)


Q = "/api/v1/qualifications"
CASES: dict[str, Case] = {
    f"GET {Q}/mine": Case("get", lambda w: "qualifications/mine", workers(200)),
    f"GET {Q}/exams": Case("get", lambda w: "qualifications/exams", workers(200)),
    f"POST {Q}/exams/{{exam_id}}/attempts": Case(
        "post", lambda w: f"qualifications/exams/{w['exam'].pk}/attempts", workers(201),
        body=lambda w: {"mode": "training"}),
    f"GET {Q}/attempts/{{attempt_id}}": Case(
        "get", lambda w: f"qualifications/attempts/{w['attempt'].pk}", workers(200, reviewer=404)),
    f"POST {Q}/attempts/{{attempt_id}}/answer": Case(
        "post", lambda w: f"qualifications/attempts/{w['attempt'].pk}/answer",
        workers(200, reviewer=404),
        body=lambda w: {"question_id": w["question"].pk, "answer": {"label": "b"}}),
    f"GET {Q}/attempts/{{attempt_id}}/result": Case(
        "get", lambda w: f"qualifications/attempts/{w['attempt'].pk}/result",
        workers(409, reviewer=404)),
    f"POST {Q}/{{qualification_id}}/credentials": Case(
        "post", lambda w: f"qualifications/{w['doctor'].pk}/credentials", workers(201),
        upload=True),
    f"GET {Q}/credentials/mine": Case("get", lambda w: "qualifications/credentials/mine",
                                      workers(200)),
    f"GET {Q}/projects/{{project_id}}/eligibility": Case(
        "get", lambda w: f"qualifications/projects/{w['project'].pk}/eligibility",
        workers(200)),
    f"GET {Q}": Case("get", lambda w: "qualifications", signed_in(200)),
    f"POST {Q}": Case(
        "post", lambda w: "qualifications",
        signed_in(403, client=201, operator=201),
        body=lambda w: {"organization_id": w["org"].pk, "name": "New"}),
    f"GET {Q}/{{qualification_id}}": Case(
        "get", lambda w: f"qualifications/{w['q'].pk}", signed_in(200, other_client=404)),
    f"PATCH {Q}/{{qualification_id}}": Case(
        "patch", lambda w: f"qualifications/{w['q'].pk}", managers(200),
        body=lambda w: {"description": "changed"}),
    f"DELETE {Q}/{{qualification_id}}": Case(
        "delete", lambda w: f"qualifications/{w['unused'].pk}", managers(204)),
    f"GET {Q}/{{qualification_id}}/exams": Case(
        "get", lambda w: f"qualifications/{w['q'].pk}/exams", managers(200)),
    f"POST {Q}/{{qualification_id}}/exams": Case(
        "post", lambda w: f"qualifications/{w['q'].pk}/exams", managers(201),
        body=lambda w: {"title": "New", "kind": "text_classification",
                        "config": {"labels": ["a", "b"]}}),
    f"GET {Q}/exams/{{exam_id}}": Case(
        "get", lambda w: f"qualifications/exams/{w['exam'].pk}", managers(200)),
    f"PATCH {Q}/exams/{{exam_id}}": Case(
        "patch", lambda w: f"qualifications/exams/{w['exam'].pk}", managers(200),
        body=lambda w: {"title": "Renamed"}),
    f"DELETE {Q}/exams/{{exam_id}}": Case(
        "delete", lambda w: f"qualifications/exams/{w['spare'].pk}", managers(204)),
    f"POST {Q}/exams/{{exam_id}}/questions": Case(
        "post", lambda w: f"qualifications/exams/{w['exam'].pk}/questions", managers(201),
        body=lambda w: {"data": {"text": "z"}, "answer": {"label": "a"}}),
    f"PATCH {Q}/questions/{{question_id}}": Case(
        "patch", lambda w: f"qualifications/questions/{w['question'].pk}", managers(200),
        body=lambda w: {"explanation": "because"}),
    f"DELETE {Q}/questions/{{question_id}}": Case(
        "delete", lambda w: f"qualifications/questions/{w['question'].pk}", managers(204)),
    f"GET {Q}/{{qualification_id}}/rules": Case(
        "get", lambda w: f"qualifications/{w['computed'].pk}/rules", managers(200)),
    f"POST {Q}/{{qualification_id}}/rules": Case(
        "post", lambda w: f"qualifications/{w['computed'].pk}/rules", managers(201),
        body=lambda w: {"min_reviewed": 3}),
    f"DELETE {Q}/rules/{{rule_id}}": Case(
        "delete", lambda w: f"qualifications/rules/{w['rule'].pk}", managers(204)),
    f"POST {Q}/{{qualification_id}}/compute": Case(
        "post", lambda w: f"qualifications/{w['computed'].pk}/compute", managers(202)),
    f"POST {Q}/{{qualification_id}}/grants": Case(
        "post", lambda w: f"qualifications/{w['q'].pk}/grants", managers(200),
        body=lambda w: {"email": w["worker"].email, "level": 2}),
    f"POST {Q}/{{qualification_id}}/revoke": Case(
        "post", lambda w: f"qualifications/{w['q'].pk}/revoke", managers(200),
        body=lambda w: {"email": w["worker"].email}),
    f"GET {Q}/projects/{{project_id}}/requirements": Case(
        "get", lambda w: f"qualifications/projects/{w['project'].pk}/requirements",
        managers(200)),
    f"PUT {Q}/projects/{{project_id}}/requirements": Case(
        "put", lambda w: f"qualifications/projects/{w['project'].pk}/requirements",
        managers(200), body=lambda w: {"age_min": 20}),
    f"GET {Q}/credentials": Case("get", lambda w: "qualifications/credentials",
                                 operator_only(200)),
    f"GET {Q}/credentials/{{check_id}}/document": Case(
        "get", lambda w: f"qualifications/credentials/{w['check'].pk}/document",
        signed_in(404, operator=200)),
    f"POST {Q}/credentials/{{check_id}}/decision": Case(
        "post", lambda w: f"qualifications/credentials/{w['check'].pk}/decision",
        operator_only(200), body=lambda w: {"decision": "approve", "level": 1}),
}


def _request(world: dict, role: str, case: Case) -> Any:
    client = world["clients"][role]
    path = case.path(world)
    if case.upload:
        return client.upload(path, "licence.pdf", PDF)
    if case.method == "put":
        return client._call("put", path, case.body(world))
    if case.body is not None:
        return getattr(client, case.method)(path, case.body(world))
    return getattr(client, case.method)(path)


def test_every_qualifications_endpoint_has_a_case():
    schema = Client().get("/api/v1/openapi.json").json()
    endpoints = {f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops
                 if p.startswith(Q)}
    assert endpoints ^ set(CASES) == set()


def test_each_role_gets_the_expected_status(world):
    wrong = []
    for key, case in CASES.items():
        for role in ROLES:
            with transaction.atomic():
                response = _request(world, role, case)
                transaction.set_rollback(True)
            if response.status_code != case.expect[role]:
                body = b"" if response.streaming else response.content[:160]
                wrong.append(f"{key} {role}: {response.status_code} != {case.expect[role]} "
                             f"{body!r}")
    assert wrong == []


@pytest.mark.parametrize("missing", ["987654321", str(2**63), "0"])
def test_a_missing_object_in_the_path_is_404_to_those_allowed_to_use_the_endpoint(world,
                                                                                  missing):
    import re

    wrong = []
    for key, case in CASES.items():
        if "{" not in key:
            continue
        path = re.sub(r"\{[a-z_]+\}", missing, key.split(" ", 1)[1]).removeprefix("/api/v1/")
        allowed = {r for r, status in case.expect.items() if status < 300}
        for role in ROLES[1:]:
            with transaction.atomic():
                missing_case = Case(case.method, lambda w, path=path: path, case.expect,
                                    case.body, case.upload)
                response = _request(world, role, missing_case)
                transaction.set_rollback(True)
            expected = {404} if role in allowed else {403, 404}
            if response.status_code not in expected:
                wrong.append(f"{key} {role}: {response.status_code}")
    assert wrong == []

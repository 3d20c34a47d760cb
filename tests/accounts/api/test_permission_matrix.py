"""Every role × every API endpoint: the expected status, never a 500.

The endpoints are read from the OpenAPI schema, so an endpoint added without an expectation
here fails ``test_every_endpoint_has_an_expectation``. The world is built once per module and
each role's request runs in a savepoint that is rolled back, so every role meets the same
world.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from datadam.accounts.models import ApiToken, Membership, Organization, Role, User
from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.services import sample_create
from datadam.projects.importing import items_import, parse_records
from datadam.projects.services import project_create, project_launch
from datadam.recommendations.models import Invitation
from datadam.recommendations.services import invitation_create
from datadam.review.services import review_decide
from datadam.reviewchecks.models import ReviewerBlock
from datadam.rewards.services import account_topup, payout_request
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "worker", "reviewer", "client", "other_client", "operator")
NEW_PASSWORD = "correct-horse-battery-9"


@dataclass
class World:
    clients: dict[str, Any]
    users: dict[str, Any]
    org: Any
    project: Any
    draft: Any
    submission: Any
    leased: Any
    payout: Any
    worker_token: int
    sample: Any = None
    images: Any = None  # a draft image project (uploads go there)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, api_client_class) -> Iterator[World]:
    """Built once for the module inside a transaction rolled back at its end; each test runs
    in a savepoint of it (the setUpTestData pattern), so every test meets the same world."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world(api_client_class)
        transaction.set_rollback(True)


def _build_world(api_client_class) -> World:
    def user(role, name, **extra):
        if role == Role.OPERATOR:
            return User.objects.create_superuser(f"{name}@matrix.test", "pw-secret-123")
        return User.objects.create_user(f"{name}@matrix.test", "pw-secret-123", role=role, **extra)

    operator = user(Role.OPERATOR, "operator")

    def organization(owner):
        org = Organization.objects.create(name=f"Org of {owner.email}")
        Membership.objects.create(organization=org, user=owner, level=Membership.Level.OWNER)
        account_topup(operator=operator, organization=org, amount=100_000)
        return org

    client, other_client = user(Role.CLIENT, "client"), user(Role.CLIENT, "other")
    org = organization(client)
    organization(other_client)
    worker = user(Role.WORKER, "worker")
    reviewer = user(Role.WORKER, "reviewer", is_reviewer=True)

    def project(name, items, launch):
        p = project_create(
            user=client,
            organization_id=org.pk,
            name=name,
            kind="text_classification",
            reward=10,
            review_reward=2,
            config={"labels": ["pos", "neg"]},
        )
        rows = [{"text": f"{name} {i}"} for i in range(items)]
        items_import(user=client, project_id=p.pk, lines=parse_records(rows))
        return project_launch(user=client, project_id=p.pk) if launch else p

    open_project = project("Open", 6, launch=True)
    draft = project("Draft", 2, launch=False)
    images = project_create(user=client, organization_id=org.pk, name="Images",
                            kind="bounding_box", reward=10, config={"labels": ["car"]})

    def work():
        a = assignment_claim(worker=worker, project_id=open_project.pk)
        return assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})[0]

    review_decide(reviewer=reviewer, submission_id=work().pk, decision="approve")
    submission = work()
    leased = assignment_claim(worker=worker, project_id=open_project.pk)
    payout = payout_request(worker=worker, amount=1)
    results_aggregate(project_id=open_project.pk)
    sample = sample_create(user=client, project_id=open_project.pk, aql=0.1)
    invitation_create(user=client, project_id=open_project.pk, worker_id=worker.pk)
    ReviewerBlock.objects.create(project=draft, reviewer=reviewer, accuracy=0.2, controls=10)
    users = {
        "anonymous": None,
        "worker": worker,
        "reviewer": reviewer,
        "client": client,
        "other_client": other_client,
        "operator": operator,
    }
    clients = {role: api_client_class(u) for role, u in users.items()}
    return World(
        clients=clients,
        users=users,
        org=org,
        project=open_project,
        draft=draft,
        submission=submission,
        leased=leased,
        payout=payout,
        worker_token=ApiToken.objects.filter(user=worker).latest("pk").pk,
        sample=sample,
        images=images,
    )


@dataclass
class Case:
    method: str
    path: Callable[[World], str]
    expect: dict[str, int | set[int]]
    body: Callable[[World, str], Any] | None = None
    upload: bool = False
    image: bool = False  # post one PNG as the multipart "files"
    photo: bool = False  # post one PNG as the multipart "file" (a capture)


def everyone(status: int) -> dict[str, int | set[int]]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, **overrides: int | set[int]) -> dict[str, int | set[int]]:
    return {**everyone(status), "anonymous": 401, **overrides}


def operator_only(status: int) -> dict[str, int | set[int]]:
    return signed_in(403, operator=status)


def managers(status: int) -> dict[str, int | set[int]]:
    """The owning organization's members and operators; to everyone else it does not exist."""
    return signed_in(404, client=status, operator=status)


def workers(status: int, **overrides: int | set[int]) -> dict[str, int | set[int]]:
    return signed_in(403, **{"worker": status, "reviewer": status, **overrides})


WRONG_ROLE = {403, 404}


# Quality objects made inside each request's savepoint (rolled back with it).
def _quality_rule(w: World) -> int:
    from datadam.quality.models import QualityRule

    return QualityRule.objects.create(project=w.project, kind="skips", params={"count": 5},
                                      action="warn").pk


def _quality_hit(w: World) -> Any:
    from datadam.quality.rules import hit_apply

    return hit_apply(worker_id=w.users["worker"].pk, project_id=w.project.pk, kind="skips",
                     action="pause", reason="matrix", key=f"matrix:{w.project.pk}")


def _quality_appeal(w: World) -> int:
    from datadam.quality.models import Appeal

    hit = _quality_hit(w)
    return Appeal.objects.create(hit=hit, worker_id=hit.worker_id, message="matrix").pk
# Consent (made inside each request's savepoint, rolled back with it).
def _consent_form(w: World) -> int:
    from datadam.consent.services import consent_form_save

    consent_form_save(user=w.users["client"], project_id=w.project.pk, title="Matrix",
                      body="We record your voice.", subject="worker")
    return w.project.pk


def _consent(w: World) -> int:
    from datadam.consent.services import consent_sign

    _consent_form(w)
    return consent_sign(worker=w.users["worker"], project_id=w.project.pk, subject_name="W",
                        signature="W", agree=True).pk


def _capture(w: World) -> int:
    """A capture on the world's leased task, made directly (the world's project is not a
    collection project; the rows are what the reads need)."""
    from datadam.collection.models import Capture

    return Capture.objects.create(
        project=w.project, organization_id=w.project.organization_id, assignment=w.leased,
        item_id=w.leased.item_id, worker=w.users["worker"], media_kind="image", key="x.jpg",
        content_type="image/jpeg", size=1, sha256="0" * 64).pk


def _assist(w: World) -> int:
    """The world's project with the built-in text model set (inside the savepoint)."""
    from datadam.assist.services.settings import assist_configure

    assist_configure(user=w.users["client"], project_id=w.project.pk, source="text_embeddings")
    return w.project.pk


def _notification(w: World) -> int:
    """A notification of the world's worker."""
    from datadam.notifications.services import notification_send

    return notification_send(user=w.users["worker"], code="hub.version_ready",
                             params={"dataset": "Matrix", "version": 1}).pk


def _capture_task(w: World) -> int:
    """The worker's task on a photo collection project of the world's organization."""
    project = project_create(user=w.users["client"], organization_id=w.org.pk,
                             name="Photos", kind="photo_capture", reward=1, overlap=1,
                             config={})
    items_import(user=w.users["client"], project_id=project.pk,
                 lines=parse_records([{"data": {"prompt": "A cup"}}]))
    project_launch(user=w.users["client"], project_id=project.pk)
    return assignment_claim(worker=w.users["worker"], project_id=project.pk).pk


def _png() -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile("one.png", buf.getvalue(), content_type="image/png")


def _export(w: World, *, run: bool) -> int:
    from datadam.datasets.export_jobs import export_create, export_run

    export = export_create(user=w.users["client"], project_id=w.project.pk, fmt="jsonl")
    if run:
        export_run(export_id=export.pk)
    return export.pk


P = "/api/v1/projects/{project_id}"

CASES: dict[str, Case] = {
    # accounts
    "POST /api/v1/auth/signup": Case(
        "post",
        lambda w: "auth/signup",
        everyone(201),
        body=lambda w, role: {"email": f"new-{role}@example.test", "password": NEW_PASSWORD},
    ),
    "POST /api/v1/auth/token": Case(
        "post",
        lambda w: "auth/token",
        everyone(201),
        body=lambda w, role: {"email": w.users["worker"].email, "password": "pw-secret-123"},
    ),
    "GET /api/v1/me": Case("get", lambda w: "me", signed_in(200)),
    "GET /api/v1/me/tokens": Case("get", lambda w: "me/tokens", signed_in(200)),
    "GET /api/v1/me/profile": Case(
        "get", lambda w: "me/profile", signed_in(403, worker=200, reviewer=200)
    ),
    "PATCH /api/v1/me/profile": Case(
        "patch", lambda w: "me/profile", signed_in(403, worker=200, reviewer=200),
        body=lambda w, role: {"native_language": "ko", "region": "Seoul"},
    ),
    "DELETE /api/v1/me/tokens/{token_id}": Case(
        "delete", lambda w: f"me/tokens/{w.worker_token}", signed_in(404, worker=204)
    ),
    "POST /api/v1/organizations/{org_id}/members": Case(
        "post",
        lambda w: f"organizations/{w.org.pk}/members",
        signed_in(404, worker=WRONG_ROLE, reviewer=WRONG_ROLE, client=201, operator=403),
        body=lambda w, role: {"email": f"member-{role}@example.test", "password": NEW_PASSWORD},
    ),
    "POST /api/v1/ops/users/{user_id}/reviewer": Case(
        "post",
        lambda w: f"ops/users/{w.users['worker'].pk}/reviewer",
        operator_only(200),
        body=lambda w, role: {"value": True},
    ),
    "POST /api/v1/ops/users/{user_id}/active": Case(
        "post",
        lambda w: f"ops/users/{w.users['worker'].pk}/active",
        operator_only(200),
        body=lambda w, role: {"value": False, "reason": "test"},
    ),
    # projects
    "GET /api/v1/kinds": Case("get", lambda w: "kinds", everyone(200)),
    "GET /api/v1/kinds/{slug}/answer-schema": Case(
        "get", lambda w: "kinds/text_classification/answer-schema?labels=a,b", everyone(200)
    ),
    "GET /api/v1/projects": Case("get", lambda w: "projects", signed_in(200)),
    "POST /api/v1/projects": Case(
        "post",
        lambda w: "projects",
        signed_in(404, worker=WRONG_ROLE, reviewer=WRONG_ROLE, client=201, operator=201),
        body=lambda w, role: {
            "organization_id": w.org.pk,
            "name": "New",
            "kind": "text_classification",
            "reward": 5,
            "config": {"labels": ["a", "b"]},
        },
    ),
    f"GET {P}": Case("get", lambda w: f"projects/{w.project.pk}", signed_in(200, other_client=404)),
    f"PATCH {P}": Case(
        "patch",
        lambda w: f"projects/{w.project.pk}",
        managers(200),
        body=lambda w, role: {"name": "Renamed"},
    ),
    f"POST {P}/launch": Case("post", lambda w: f"projects/{w.draft.pk}/launch", managers(200)),
    f"POST {P}/pause": Case("post", lambda w: f"projects/{w.project.pk}/pause", managers(200)),
    f"POST {P}/close": Case("post", lambda w: f"projects/{w.project.pk}/close", managers(200)),
    f"GET {P}/stats": Case("get", lambda w: f"projects/{w.project.pk}/stats", managers(200)),
    f"POST {P}/items": Case(
        "post",
        lambda w: f"projects/{w.project.pk}/items",
        managers(201),
        body=lambda w, role: {"items": [{"text": "one more"}]},
    ),
    f"GET {P}/items": Case("get", lambda w: f"projects/{w.project.pk}/items", managers(200)),
    f"POST {P}/items/upload": Case(
        "post", lambda w: f"projects/{w.project.pk}/items/upload", managers(201), upload=True
    ),
    f"GET {P}/results": Case("get", lambda w: f"projects/{w.project.pk}/results", managers(200)),
    f"GET {P}/export.jsonl": Case(
        "get", lambda w: f"projects/{w.project.pk}/export.jsonl", managers(200)
    ),
    f"GET {P}/audit": Case("get", lambda w: f"projects/{w.project.pk}/audit", managers(200)),
    # media: uploads into the world's image project
    f"POST {P}/media": Case(
        "post", lambda w: f"projects/{w.images.pk}/media", managers(201), image=True),
    f"GET {P}/media": Case("get", lambda w: f"projects/{w.images.pk}/media", managers(200)),
    # export jobs (each request makes its own export inside its savepoint)
    f"POST {P}/exports": Case(
        "post", lambda w: f"projects/{w.project.pk}/exports", managers(202),
        body=lambda w, role: {"format": "jsonl"}),
    f"GET {P}/exports": Case("get", lambda w: f"projects/{w.project.pk}/exports", managers(200)),
    "GET /api/v1/exports/{export_id}": Case(
        "get", lambda w: f"exports/{_export(w, run=False)}", managers(200)),
    "GET /api/v1/exports/{export_id}/download": Case(
        "get", lambda w: f"exports/{_export(w, run=True)}/download", managers(200)),
    # results (datasets)
    f"GET {P}/dataset-card": Case(
        "get", lambda w: f"projects/{w.project.pk}/dataset-card", managers(200)
    ),
    f"GET {P}/aggregation": Case(
        "get", lambda w: f"projects/{w.project.pk}/aggregation", managers(200)
    ),
    f"POST {P}/aggregation/run": Case(
        "post", lambda w: f"projects/{w.project.pk}/aggregation/run", managers(202)
    ),
    f"GET {P}/aggregated-results": Case(
        "get", lambda w: f"projects/{w.project.pk}/aggregated-results", managers(200)
    ),
    f"GET {P}/worker-estimates": Case(
        "get", lambda w: f"projects/{w.project.pk}/worker-estimates", managers(200)
    ),
    f"GET {P}/samples": Case("get", lambda w: f"projects/{w.project.pk}/samples", managers(200)),
    f"POST {P}/samples": Case(
        "post",
        lambda w: f"projects/{w.project.pk}/samples",
        managers(201),
        body=lambda w, role: {"aql": 0.1},
    ),
    "GET /api/v1/samples/{sample_id}": Case(
        "get", lambda w: f"samples/{w.sample.pk}", managers(200) | {"reviewer": 200}
    ),
    "POST /api/v1/samples/{sample_id}/inspect": Case(
        "post",
        lambda w: f"samples/{w.sample.pk}/inspect",
        managers(200) | {"reviewer": 200},
        body=lambda w, role: {
            "verdicts": [{"item_id": w.sample.items.first().item_id, "correct": True}]
        },
    ),
    # work
    "GET /api/v1/feed": Case("get", lambda w: "feed", workers(200)),
    f"POST {P}/next": Case("post", lambda w: f"projects/{w.project.pk}/next", workers(200)),
    "POST /api/v1/assignments/{assignment_id}/submit": Case(
        "post",
        lambda w: f"assignments/{w.leased.pk}/submit",
        workers(201, reviewer=404),
        body=lambda w, role: {"answer": {"label": "neg"}},
    ),
    "POST /api/v1/assignments/{assignment_id}/release": Case(
        "post", lambda w: f"assignments/{w.leased.pk}/release", workers(200, reviewer=404)
    ),
    "GET /api/v1/assignments": Case("get", lambda w: "assignments", workers(200)),
    f"GET {P}/brief": Case(
        "get", lambda w: f"projects/{w.project.pk}/brief", signed_in(200, other_client=404)
    ),
    # review
    "GET /api/v1/review/queue": Case("get", lambda w: "review/queue", signed_in(200)),
    "GET /api/v1/review/projects/{project_id}/batch": Case(
        "get",
        lambda w: f"review/projects/{w.project.pk}/batch",
        signed_in(200, worker=404, other_client=404),
    ),
    "POST /api/v1/submissions/{submission_id}/review": Case(
        "post",
        lambda w: f"submissions/{w.submission.pk}/review",
        signed_in(201, worker=WRONG_ROLE, other_client=404),
        body=lambda w, role: {"decision": "approve"},
    ),
    "POST /api/v1/review/decisions": Case(
        "post",
        lambda w: "review/decisions",
        signed_in(200),
        body=lambda w, role: {
            "decisions": [{"submission_id": w.submission.pk, "decision": "approve"}]
        },
    ),
    # points
    "GET /api/v1/me/balance": Case("get", lambda w: "me/balance", signed_in(200)),
    "GET /api/v1/me/ledger": Case("get", lambda w: "me/ledger", signed_in(200)),
    "GET /api/v1/organizations/{org_id}/balance": Case(
        "get", lambda w: f"organizations/{w.org.pk}/balance", managers(200)
    ),
    "GET /api/v1/organizations/{org_id}/ledger": Case(
        "get", lambda w: f"organizations/{w.org.pk}/ledger", managers(200)
    ),
    "GET /api/v1/payouts": Case("get", lambda w: "payouts", signed_in(200)),
    "POST /api/v1/payouts": Case(
        "post", lambda w: "payouts", workers(201), body=lambda w, role: {"amount": 1}
    ),
    "POST /api/v1/ops/organizations/{org_id}/topup": Case(
        "post",
        lambda w: f"ops/organizations/{w.org.pk}/topup",
        operator_only(201),
        body=lambda w, role: {"amount": 100, "reference": "matrix"},
    ),
    "GET /api/v1/ops/payouts": Case("get", lambda w: "ops/payouts", operator_only(200)),
    "POST /api/v1/ops/payouts/{payout_id}/decide": Case(
        "post",
        lambda w: f"ops/payouts/{w.payout.pk}/decide",
        operator_only(200),
        body=lambda w, role: {"paid": True},
    ),
    # audit
    "GET /api/v1/ops/audit": Case("get", lambda w: "ops/audit", operator_only(200)),
    # quality
    f"GET {P}/quality": Case("get", lambda w: f"projects/{w.project.pk}/quality", managers(200)),
    f"PATCH {P}/quality/policy": Case(
        "patch",
        lambda w: f"projects/{w.project.pk}/quality/policy",
        managers(200),
        body=lambda w, role: {"gold_rate": 10},
    ),
    f"POST {P}/gold": Case(
        "post",
        lambda w: f"projects/{w.project.pk}/gold",
        managers(201),
        body=lambda w, role: {"items": [{"data": {"text": "g"}, "gold": {"label": "pos"}}]},
    ),
    f"POST {P}/quality/rules": Case(
        "post",
        lambda w: f"projects/{w.project.pk}/quality/rules",
        managers(201),
        body=lambda w, role: {"kind": "skips"},
    ),
    f"PATCH {P}/quality/rules/{{rule_id}}": Case(
        "patch",
        lambda w: f"projects/{w.project.pk}/quality/rules/{_quality_rule(w)}",
        managers(200),
        body=lambda w, role: {"enabled": False},
    ),
    f"DELETE {P}/quality/rules/{{rule_id}}": Case(
        "delete",
        lambda w: f"projects/{w.project.pk}/quality/rules/{_quality_rule(w)}",
        managers(204),
    ),
    "GET /api/v1/quality/me": Case("get", lambda w: "quality/me", signed_in(200)),
    "POST /api/v1/quality/hits/{hit_id}/appeal": Case(
        "post",
        lambda w: f"quality/hits/{_quality_hit(w).pk}/appeal",
        signed_in(404, worker=201),
        body=lambda w, role: {"message": "please"},
    ),
    "GET /api/v1/quality/appeals": Case("get", lambda w: "quality/appeals", operator_only(200)),
    "POST /api/v1/quality/appeals/{appeal_id}/decide": Case(
        "post",
        lambda w: f"quality/appeals/{_quality_appeal(w)}/decide",
        operator_only(200),
        body=lambda w, role: {"lift": True},
    ),
    # skills, recommendations, invitations, reviewer checks
    "GET /api/v1/skills/me": Case("get", lambda w: "skills/me", signed_in(200)),
    "POST /api/v1/skills/me/refresh": Case("post", lambda w: "skills/me/refresh", signed_in(200)),
    "POST /api/v1/skills/refresh": Case("post", lambda w: "skills/refresh", operator_only(202)),
    "GET /api/v1/workers/{worker_id}/skills": Case(
        "get",
        lambda w: f"workers/{w.users['worker'].pk}/skills",
        signed_in(404, worker=200, client=200, operator=200),
    ),
    f"GET {P}/worker-skills": Case(
        "get", lambda w: f"projects/{w.project.pk}/worker-skills", managers(200)
    ),
    f"GET {P}/skill-settings": Case(
        "get", lambda w: f"projects/{w.project.pk}/skill-settings", managers(200)
    ),
    f"PUT {P}/skill-settings": Case(
        "put",
        lambda w: f"projects/{w.project.pk}/skill-settings",
        managers(200),
        body=lambda w, role: {"tags": ["matrix"]},
    ),
    f"POST {P}/recommendations": Case(
        "post",
        lambda w: f"projects/{w.project.pk}/recommendations",
        managers(200),
        body=lambda w, role: {"query": "careful"},
    ),
    f"POST {P}/invitations": Case(
        "post",
        lambda w: f"projects/{w.project.pk}/invitations",
        managers(201),
        body=lambda w, role: {"worker_id": w.users["reviewer"].pk},
    ),
    f"GET {P}/invitations": Case(
        "get", lambda w: f"projects/{w.project.pk}/invitations", managers(200)
    ),
    "GET /api/v1/invitations": Case("get", lambda w: "invitations", signed_in(200)),
    "POST /api/v1/invitations/{invitation_id}/accept": Case(
        "post",
        lambda w: f"invitations/{Invitation.objects.get(project=w.project).pk}/accept",
        signed_in(404, worker=200),
    ),
    "POST /api/v1/invitations/{invitation_id}/decline": Case(
        "post",
        lambda w: f"invitations/{Invitation.objects.get(project=w.project).pk}/decline",
        signed_in(404, worker=200),
    ),
    "POST /api/v1/invitations/{invitation_id}/withdraw": Case(
        "post",
        lambda w: f"invitations/{Invitation.objects.get(project=w.project).pk}/withdraw",
        managers(200),
    ),
    "GET /api/v1/review-checks/me": Case("get", lambda w: "review-checks/me", signed_in(200)),
    "GET /api/v1/review-checks/reviewers": Case(
        "get", lambda w: "review-checks/reviewers", operator_only(200)
    ),
    "GET /api/v1/review-checks/blocks": Case(
        "get", lambda w: "review-checks/blocks", operator_only(200)
    ),
    # consent
    f"GET {P}/consent-form": Case(
        "get", lambda w: f"projects/{w.project.pk}/consent-form", signed_in(200, other_client=404)
    ),
    f"PUT {P}/consent-form": Case(
        "put",
        lambda w: f"projects/{w.project.pk}/consent-form",
        managers(200),
        body=lambda w, role: {"title": "Consent", "body": "We record.", "subject": "worker"},
    ),
    f"DELETE {P}/consent-form": Case(
        "delete", lambda w: f"projects/{_consent_form(w)}/consent-form", managers(204)
    ),
    f"POST {P}/consents": Case(
        "post",
        lambda w: f"projects/{_consent_form(w)}/consents",
        workers(201),
        body=lambda w, role: {"subject_name": "Kim", "signature": "kim", "agree": True},
    ),
    f"GET {P}/consents/withdrawn": Case(
        "get", lambda w: f"projects/{w.project.pk}/consents/withdrawn", managers(200)
    ),
    "GET /api/v1/consents": Case("get", lambda w: "consents", workers(200)),
    "POST /api/v1/consents/{consent_id}/withdraw": Case(
        "post",
        lambda w: f"consents/{_consent(w)}/withdraw",
        signed_in(404, worker=200, operator=200),
        body=lambda w, role: {"reason": "matrix"},
    ),
    "GET /api/v1/ops/consents": Case("get", lambda w: "ops/consents", operator_only(200)),
    # collection
    "POST /api/v1/assignments/{assignment_id}/captures": Case(
        "post", lambda w: f"assignments/{_capture_task(w)}/captures",
        signed_in(403, worker=201, reviewer=404), photo=True),
    "GET /api/v1/captures/{capture_id}": Case(
        "get", lambda w: f"captures/{_capture(w)}", signed_in(200, other_client=404)),
    f"GET {P}/captures": Case("get", lambda w: f"projects/{w.project.pk}/captures",
                              managers(200)),
    # model assistance
    f"GET {P}/assist": Case("get", lambda w: f"projects/{_assist(w)}/assist", managers(200)),
    f"PUT {P}/assist": Case("put", lambda w: f"projects/{w.project.pk}/assist", managers(200),
                            body=lambda w, role: {"source": "text_embeddings"}),
    f"DELETE {P}/assist": Case("delete", lambda w: f"projects/{_assist(w)}/assist",
                               managers(204)),
    f"POST {P}/assist/train": Case("post", lambda w: f"projects/{_assist(w)}/assist/train",
                                   managers(202)),
    f"GET {P}/assist/suggestions": Case(
        "get", lambda w: f"projects/{w.project.pk}/assist/suggestions", managers(200)),
    # notifications
    "GET /api/v1/notifications": Case("get", lambda w: "notifications", signed_in(200)),
    "POST /api/v1/notifications/read-all": Case(
        "post", lambda w: "notifications/read-all", signed_in(200)),
    "POST /api/v1/notifications/{notification_id}/read": Case(
        "post", lambda w: f"notifications/{_notification(w)}/read",
        signed_in(404, worker=200)),
    "DELETE /api/v1/review-checks/blocks/{block_id}": Case(
        "delete",
        lambda w: f"review-checks/blocks/{ReviewerBlock.objects.get(project=w.draft).pk}",
        operator_only(204),
    ),
}


def _request(world: World, role: str, case: Case, path: str | None = None) -> Any:
    client = world.clients[role]
    path = path or case.path(world)
    if case.upload:
        return client.upload(path, "items.jsonl", b'{"text": "uploaded"}\n')
    if case.image:
        return client.client.post(f"/api/v1/{path}", {"files": _png()}, headers=client.headers)
    if case.photo:
        return client.client.post(f"/api/v1/{path}", {"file": _png()}, headers=client.headers)
    if case.body is not None:
        return getattr(client, case.method)(path, case.body(world, role))
    return getattr(client, case.method)(path)


def _in_savepoint(fn: Callable[[], Any]) -> Any:
    with transaction.atomic():
        result = fn()
        transaction.set_rollback(True)
    return result


# Apps that keep their own matrix (same roles, same rules, its own completeness test) own
# every endpoint under their prefix.
DELEGATED = {
    "/api/v1/qualifications": "qualifications/api/test_qualifications_permissions.py",
    "/api/v1/hub": "hub/api/test_hub_permissions.py",
}


def test_every_endpoint_has_an_expectation():
    schema = Client().get("/api/v1/openapi.json").json()
    endpoints = {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if not path.startswith(tuple(DELEGATED))
    }
    assert endpoints - set(CASES) == set(), "endpoints without an expectation in CASES"
    assert set(CASES) - endpoints == set(), "expectations for endpoints that no longer exist"


def test_delegated_endpoints_have_their_own_matrix():
    tests = Path(__file__).resolve().parents[2]
    for prefix, module in DELEGATED.items():
        text = (tests / module).read_text()
        assert prefix in text, f"{module} does not cover {prefix}"
        assert "openapi.json" in text, f"{module} must check that it covers every endpoint"


def test_every_case_names_every_role():
    assert [key for key, case in CASES.items() if set(case.expect) != set(ROLES)] == []


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_each_role_gets_the_expected_status(world, endpoint):
    case = CASES[endpoint]
    wrong = []
    for role in ROLES:
        response = _in_savepoint(lambda role=role: _request(world, role, case))
        expected = case.expect[role]
        allowed = expected if isinstance(expected, set) else {expected}
        if response.status_code not in allowed:
            body = b"" if response.streaming else response.content[:200]
            wrong.append(f"{role}: got {response.status_code}, expected {expected} {body!r}")
        assert response.status_code < 500
    assert wrong == []


PROJECT_SCOPED = sorted(k for k in CASES if "{project_id}" in k)


@pytest.mark.parametrize("endpoint", PROJECT_SCOPED)
def test_another_organizations_project_looks_exactly_like_a_missing_one(world, endpoint):
    case = CASES[endpoint]
    real = case.path(world)
    missing = real.replace(f"/{world.project.pk}/", "/987654321/").replace(
        f"/{world.draft.pk}/", "/987654321/"
    ).replace(f"/{world.images.pk}/", "/987654321/")
    if real.endswith(f"/{world.project.pk}"):
        missing = real[: -len(str(world.project.pk))] + "987654321"
    assert missing != real
    for role in ("other_client", "worker"):
        theirs = _in_savepoint(lambda role=role: _request(world, role, case))
        nothing = _in_savepoint(lambda role=role: _request(world, role, case, missing))
        if role == "other_client" or theirs.status_code == 404:
            assert theirs.status_code == nothing.status_code, (role, theirs.content)
            if not theirs.streaming and theirs.status_code >= 400:
                assert theirs.json() == nothing.json()


def test_a_worker_sees_a_draft_project_as_missing(world):
    worker = world.clients["worker"]
    r = worker.get(f"projects/{world.draft.pk}")
    assert r.status_code == 404
    assert r.json() == worker.get("projects/987654321").json()


def test_project_lists_are_scoped_to_what_each_role_may_see(world):
    visible = {
        role: {p["id"] for p in world.clients[role].get("projects").json()}
        for role in ROLES
        if role != "anonymous"
    }
    both = {world.project.pk, world.draft.pk, world.images.pk}
    assert visible["client"] == both
    assert visible["operator"] >= both
    assert visible["other_client"] == set()
    assert visible["worker"] == visible["reviewer"] == {world.project.pk}


def test_a_suspended_users_token_stops_working(world):
    worker = world.clients["worker"]
    assert worker.get("me").status_code == 200
    r = world.clients["operator"].post(
        f"ops/users/{world.users['worker'].pk}/active", {"value": False}
    )
    assert r.status_code == 200
    assert worker.get("me").status_code == 401


def test_a_revoked_token_stops_working(world):
    worker = world.clients["worker"]
    assert worker.delete(f"me/tokens/{world.worker_token}").status_code == 204
    assert worker.get("me").status_code == 401
    assert world.clients["anonymous"].get("me").json()["error"] == "unauthenticated"


@pytest.mark.parametrize("endpoint", sorted(k for k in CASES if "{" in k and "{slug}" not in k))
def test_a_missing_object_in_the_path_is_404_to_those_allowed_to_use_the_endpoint(world, endpoint):
    import re

    case = CASES[endpoint]
    allowed = [r for r, status in case.expect.items() if isinstance(status, int) and status < 300]
    assert allowed
    for missing in ("987654321", str(2**63), "0"):
        path = re.sub(r"\{[a-z_]+\}", missing, endpoint.split(" ", 1)[1])
        path = path.removeprefix("/api/v1/")
        for role in ROLES[1:]:
            r = _in_savepoint(lambda role=role, path=path: _request(world, role, case, path))
            expected = {404} if role in allowed else {403, 404}
            assert r.status_code in expected, (role, path, r.status_code, r.content[:200])

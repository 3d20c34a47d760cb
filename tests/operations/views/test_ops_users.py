"""Managing users on /ops/users/: search and filters, suspension, the reviewer role."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role, User
from datadam.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _emails(response) -> list[str]:
    return [row["user"].email for row in response.context["page"].rows]


def test_search_by_email_and_filters_by_role_reviewer_and_status(ops, make_user):
    ana = make_user(email="ana@kr.example")
    bo = make_user(reviewer=True, email="bo@kr.example")
    cy = make_user(Role.CLIENT, email="cy@kr.example")
    dee = make_user(email="dee@other.example")
    User.objects.filter(pk=dee.pk).update(is_active=False)
    assert _emails(ops.get("/ops/users/", {"q": "KR.example"})) == [cy.email, bo.email, ana.email]
    assert _emails(ops.get("/ops/users/", {"q": "kr.", "role": "client"})) == [cy.email]
    assert _emails(ops.get("/ops/users/", {"q": "example", "reviewer": "1"})) == [bo.email]
    assert _emails(ops.get("/ops/users/", {"q": "example", "active": "0"})) == [dee.email]


def test_user_list_pages_by_id(ops, make_user, monkeypatch):
    from datadam.operations import selectors

    users = [make_user(email=f"page{i}@list.example") for i in range(3)]
    monkeypatch.setattr(selectors, "PAGE", 2)
    first = ops.get("/ops/users/", {"q": "@list.example"})
    assert _emails(first) == [users[2].email, users[1].email]
    second = ops.get("/ops/users/" + first.context["next_query"])
    assert _emails(second) == [users[0].email]
    assert second.context["next_query"] is None and second.context["first_query"]


def test_suspension_needs_a_reason(ops, worker):
    response = ops.post(f"/ops/users/{worker.pk}/active/", {"active": "0", "reason": "  "})
    assert response.status_code == 200
    assert "Give a reason." in response.content.decode()
    worker.refresh_from_db()
    assert worker.is_active


def test_suspended_workers_token_is_refused_until_reinstated(ops, worker, api):
    worker_api = api(worker)
    assert worker_api.get("me").status_code == 200
    response = ops.post(f"/ops/users/{worker.pk}/active/",
                        {"active": "0", "reason": "copy-pasted answers"}, follow=True)
    assert f"{worker.email} is suspended." in response.content.decode()
    assert worker_api.get("me").status_code == 401
    event = AuditEvent.objects.filter(action="user.suspend", target_id=worker.pk).get()
    assert event.data == {"reason": "copy-pasted answers"}
    ops.post(f"/ops/users/{worker.pk}/active/", {"active": "1", "reason": "appeal accepted"})
    assert worker_api.get("me").status_code == 200


def test_operator_cannot_suspend_themselves(ops, operator):
    response = ops.post(f"/ops/users/{operator.pk}/active/", {"active": "0", "reason": "test"})
    assert "operators cannot suspend themselves" in response.content.decode()
    operator.refresh_from_db()
    assert operator.is_active


def test_grant_and_revoke_the_reviewer_role(ops, worker):
    response = ops.post(f"/ops/users/{worker.pk}/reviewer/", {"granted": "1"}, follow=True)
    assert f"{worker.email} is now a reviewer." in response.content.decode()
    worker.refresh_from_db()
    assert worker.is_reviewer
    ops.post(f"/ops/users/{worker.pk}/reviewer/", {"granted": "0"})
    worker.refresh_from_db()
    assert not worker.is_reviewer
    assert list(
        AuditEvent.objects.filter(target_id=worker.pk, action__startswith="user.reviewer")
        .order_by("pk").values_list("action", flat=True)
    ) == ["user.reviewer_grant", "user.reviewer_revoke"]


def test_clients_cannot_become_reviewers(ops, client_org):
    client_user = client_org[0]
    response = ops.post(f"/ops/users/{client_user.pk}/reviewer/", {"granted": "1"}, follow=True)
    assert "only workers can become reviewers" in response.content.decode()
    client_user.refresh_from_db()
    assert not client_user.is_reviewer


def test_user_detail_shows_assignments_balance_approval_rate_and_events(
    ops, make_project, do_work, reviewer, worker, balance_of
):
    from datadam.review.services import review_decide

    project = make_project(items=4)
    for decision in ("approve", "approve", "approve", "reject"):
        submission = do_work(project, worker)
        review_decide(reviewer=reviewer, submission_id=submission.pk, decision=decision,
                      reason_code="careless" if decision == "reject" else "")
    ops.post(f"/ops/users/{worker.pk}/reviewer/", {"granted": "1"})
    response = ops.get(f"/ops/users/{worker.pk}/")
    context = response.context
    assert len(context["assignments"]) == 4
    assert context["stats"]["approval_rate"] == 75
    assert context["balance"] == balance_of(worker) == 3 * project.reward
    actions = [e.action for e in context["events"]]
    assert actions[0] == "user.reviewer_grant"
    assert actions.count("submission.create") == 4
    html = response.content.decode()
    assert 'id="user-approval">75%' in html

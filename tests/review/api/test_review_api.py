"""The reviewer's side of the API: batches by worker, decisions, the return loop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.review.models import Review
from datadam.rewards.models import LedgerTransaction
from datadam.work.models import Assignment, Submission

pytestmark = pytest.mark.django_db


def _submit(client, project, label="pos"):
    a = client.post(f"projects/{project.pk}/next").json()["assignment"]
    r = client.post(f"assignments/{a['id']}/submit", {"answer": {"label": label}})
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_the_batch_holds_one_workers_submissions_oldest_worker_first(
    make_project, make_user, reviewer, api
):
    project = make_project(items=6, overlap=1)
    alice_user, bob_user = make_user(), make_user()
    alice, bob = api(alice_user), api(bob_user)
    a1 = _submit(alice, project)
    b1 = _submit(bob, project)
    a2 = _submit(alice, project)
    Assignment.objects.filter(submissions__pk=a1).update(
        submitted_at=timezone.now() - timedelta(minutes=5)
    )

    r = api(reviewer).get(f"review/projects/{project.pk}/batch")

    assert r.status_code == 200
    body = r.json()
    assert body["worker_id"] == alice_user.pk
    assert [s["submission_id"] for s in body["submissions"]] == [a1, a2]
    assert body["submissions"][0]["answer"] == {"label": "pos"}
    assert body["submissions"][0]["data"]["text"].startswith("text ")

    api(reviewer).post(
        "review/decisions",
        {
            "decisions": [
                {"submission_id": a1, "decision": "approve"},
                {"submission_id": a2, "decision": "approve"},
            ]
        },
    )
    body = api(reviewer).get(f"review/projects/{project.pk}/batch").json()
    assert body["worker_id"] == bob_user.pk
    assert [s["submission_id"] for s in body["submissions"]] == [b1]


def test_a_reviewer_never_gets_their_own_work_in_a_batch(make_project, make_user, api):
    project = make_project(items=4)
    reviewing_worker = make_user(reviewer=True)
    mine = api(reviewing_worker)
    _submit(mine, project)
    assert mine.get(f"review/projects/{project.pk}/batch").json() == {
        "project_id": project.pk,
        "worker_id": None,
        "submissions": [],
    }
    other_user = make_user()
    theirs = _submit(api(other_user), project)
    body = mine.get(f"review/projects/{project.pk}/batch").json()
    assert body["worker_id"] == other_user.pk
    assert [s["submission_id"] for s in body["submissions"]] == [theirs]


def test_the_batch_limit_is_respected(make_project, worker, reviewer, api):
    project = make_project(items=5)
    client = api(worker)
    ids = [_submit(client, project) for _ in range(5)]
    body = api(reviewer).get(f"review/projects/{project.pk}/batch?limit=2").json()
    assert [s["submission_id"] for s in body["submissions"]] == ids[:2]


def test_approve_pays_once_and_a_second_decision_gets_409(
    make_project, worker, reviewer, make_user, api, ledger_ok
):
    project = make_project(items=1, reward=10, review_reward=2)
    sid = _submit(api(worker), project)
    rev = api(reviewer)

    r = rev.post(f"submissions/{sid}/review", {"decision": "approve"})
    assert r.status_code == 201
    assert r.json()["decision"] == "approve"
    txns = LedgerTransaction.objects.count()

    r = rev.post(f"submissions/{sid}/review", {"decision": "approve"})
    assert r.status_code == 409
    r = api(make_user(reviewer=True)).post(
        f"submissions/{sid}/review", {"decision": "reject", "reason_code": "spam"}
    )
    assert r.status_code == 409
    assert LedgerTransaction.objects.count() == txns
    assert api(worker).get("me/balance").json()["balance"] == 10
    assert rev.get("me/balance").json()["balance"] == 2
    ledger_ok()


@pytest.mark.parametrize("decision", ["reject", "return"])
def test_reject_or_return_without_a_reason_gets_422(make_project, worker, reviewer, api, decision):
    sid = _submit(api(worker), make_project(items=1))
    r = api(reviewer).post(f"submissions/{sid}/review", {"decision": decision})
    assert r.status_code == 422
    assert "reason_code" in r.json()["message"]
    assert not Review.objects.exists()


def test_a_returned_answer_shows_its_reason_to_the_worker_who_resubmits(
    make_project, worker, reviewer, api, ledger_ok
):
    project = make_project(items=2, reward=10, review_reward=2)
    client, rev = api(worker), api(reviewer)
    sid = _submit(client, project, "neg")

    r = rev.post(
        f"submissions/{sid}/review",
        {"decision": "return", "reason_code": "guidelines", "comment": "read rule 3"},
    )
    assert r.status_code == 201

    mine = client.get("assignments?status=returned").json()
    assert len(mine) == 1
    assert mine[0]["review"] == {
        "decision": "return",
        "reason_code": "guidelines",
        "comment": "read rule 3",
    }
    assert mine[0]["revisions"] == 1

    r = client.post(f"assignments/{mine[0]['id']}/submit", {"answer": {"label": "pos"}})
    assert r.status_code == 201
    assert r.json()["revision"] == 1
    assert Submission.objects.filter(assignment_id=mine[0]["id"]).count() == 2

    batch = rev.get(f"review/projects/{project.pk}/batch").json()
    assert [(s["submission_id"], s["revision"]) for s in batch["submissions"]] == [
        (r.json()["id"], 1)
    ]
    assert rev.post(f"submissions/{sid}/review", {"decision": "approve"}).status_code == 409
    assert (
        rev.post(f"submissions/{r.json()['id']}/review", {"decision": "approve"}).status_code == 201
    )
    rows = client.get("assignments").json()
    assert rows[0]["status"] == "approved"
    assert rows[0]["review"]["decision"] == "approve"
    assert client.get("me/balance").json()["balance"] == 10
    assert rev.get("me/balance").json()["balance"] == 4
    ledger_ok()


def test_a_rejected_answer_shows_its_reason_and_the_item_goes_to_someone_else(
    make_project, worker, make_user, reviewer, api
):
    project = make_project(items=1, overlap=1)
    client = api(worker)
    sid = _submit(client, project)
    api(reviewer).post(
        f"submissions/{sid}/review", {"decision": "reject", "reason_code": "careless"}
    )
    row = client.get("assignments").json()[0]
    assert (row["status"], row["review"]["reason_code"]) == ("rejected", "careless")
    assert client.post(f"projects/{project.pk}/next").json()["assignment"] is None
    assert api(make_user()).post(f"projects/{project.pk}/next").json()["assignment"] is not None


def test_the_batch_decision_endpoint_reports_each_item(
    make_project, worker, reviewer, api, ledger_ok
):
    project = make_project(items=4, reward=10, review_reward=1)
    client = api(worker)
    s1, s2, s3 = (_submit(client, project) for _ in range(3))
    rev = api(reviewer)
    assert rev.post(f"submissions/{s3}/review", {"decision": "approve"}).status_code == 201

    r = rev.post(
        "review/decisions",
        {
            "decisions": [
                {"submission_id": s1, "decision": "approve"},
                {"submission_id": s2, "decision": "reject"},
                {"submission_id": s3, "decision": "approve"},
                {"submission_id": 999999, "decision": "approve"},
                {"submission_id": s2, "decision": "return", "reason_code": "incomplete"},
            ]
        },
    )

    assert r.status_code == 200
    results = r.json()
    assert [(x["submission_id"], x["ok"]) for x in results] == [
        (s1, True),
        (s2, False),
        (s3, False),
        (999999, False),
        (s2, True),
    ]
    assert [x["error"] for x in results] == [None, "invalid_input", "conflict", "not_found", None]
    assert all(x["message"] for x in results if not x["ok"])
    assert results[0]["decision"] == "approve" and results[4]["decision"] == "return"
    assert client.get("me/balance").json()["balance"] == 20
    assert rev.get("me/balance").json()["balance"] == 3
    ledger_ok()


def test_the_review_queue_lists_projects_with_pending_work(make_project, worker, reviewer, api):
    waiting = make_project(items=2)
    make_project(items=2)
    _submit(api(worker), waiting)
    rows = api(reviewer).get("review/queue").json()
    assert [(r["project_id"], r["pending"]) for r in rows] == [(waiting.pk, 1)]
    assert api(worker).get("review/queue").json() == []


def test_a_worker_without_the_reviewer_role_cannot_see_batches_or_decide(
    make_project, make_user, api
):
    project = make_project(items=2)
    sid = _submit(api(make_user()), project)
    plain = api(make_user())
    assert plain.get(f"review/projects/{project.pk}/batch").status_code == 404
    assert plain.post(f"submissions/{sid}/review", {"decision": "approve"}).status_code in (
        403,
        404,
    )
    assert not Review.objects.exists()

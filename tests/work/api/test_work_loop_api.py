"""The worker's loop through the API: next task, submit, review, points."""

from __future__ import annotations

from datadam.accounts.models import Role


def test_worker_claims_submits_and_is_paid_after_approval(make_project, make_user, api):
    project = make_project(items=2, overlap=1, reward=10, review_reward=2)
    worker = api(make_user(Role.WORKER))
    reviewer = api(make_user(Role.WORKER, reviewer=True))

    r = worker.post(f"projects/{project.pk}/next")
    assert r.status_code == 200, r.content
    assignment = r.json()["assignment"]
    assert assignment["data"]["text"].startswith("text ")

    r = worker.post(f"assignments/{assignment['id']}/submit", {"answer": {"label": "pos"}})
    assert r.status_code == 201, r.content
    submission_id = r.json()["id"]

    batch = reviewer.get(f"review/projects/{project.pk}/batch").json()
    assert [s["submission_id"] for s in batch["submissions"]] == [submission_id]
    r = reviewer.post(f"submissions/{submission_id}/review", {"decision": "approve"})
    assert r.status_code == 201, r.content

    assert worker.get("me/balance").json()["balance"] == 10
    assert reviewer.get("me/balance").json()["balance"] == 2

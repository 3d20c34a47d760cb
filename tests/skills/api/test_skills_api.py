"""API: who sees whose skills, skill settings, recommendations, invitations, reviewer scores."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role
from datadam.review.services import review_decide
from datadam.skills.services import skills_compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(make_project, mark_gold, make_user, do_work, reviewer):
    project = make_project(items=4)
    worker = make_user(Role.WORKER)
    for _ in range(3):
        s = do_work(project, worker)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(project, 2)
    skills_compute()
    return project, worker


def test_worker_sees_only_own_skills(worked, api, make_user):
    _project, worker = worked
    mine = api(worker).get("skills/me")
    assert mine.status_code == 200
    assert [(r["kind"], r["gold_correct"], r["approved"]) for r in mine.json()] == [
        ("text_classification", 2, 3)]
    assert api(worker).get(f"workers/{worker.pk}/skills").status_code == 200
    other = make_user(Role.WORKER)
    assert api(other).get(f"workers/{worker.pk}/skills").status_code == 404
    assert api(other).post("skills/me/refresh").json() == []
    assert api(None).get("skills/me").status_code == 401


def test_client_sees_workers_on_its_projects_only(worked, api, client_org, make_client_org,
                                                  operator):
    project, worker = worked
    owner = api(client_org[0])
    rows = owner.get(f"projects/{project.pk}/worker-skills").json()
    assert [r["worker_id"] for r in rows] == [worker.pk]
    assert owner.get(f"workers/{worker.pk}/skills").status_code == 200
    stranger = api(make_client_org()[0])
    assert stranger.get(f"projects/{project.pk}/worker-skills").status_code == 404
    assert stranger.get(f"workers/{worker.pk}/skills").status_code == 404
    assert api(operator).get(f"workers/{worker.pk}/skills").status_code == 200


def test_skill_settings_put_and_get(worked, api, client_org, make_client_org):
    project, _worker = worked
    owner = api(client_org[0])
    body = {"tags": ["Boxes"], "min_skill": 0.3, "bonus_skill": 0.6, "bonus_percent": 20,
            "invite_only": True}
    res = owner.put(f"projects/{project.pk}/skill-settings", body)
    assert res.status_code == 200, res.content
    assert res.json()["tags"] == ["boxes"]
    assert owner.get(f"projects/{project.pk}/skill-settings").json()["bonus_percent"] == 20
    bad = owner.put(f"projects/{project.pk}/skill-settings", {"min_skill": 2})
    assert bad.status_code == 422
    stranger = api(make_client_org()[0])
    assert stranger.get(f"projects/{project.pk}/skill-settings").status_code == 404


def test_operator_queues_the_job(api, operator, worker):
    assert api(worker).post("skills/refresh").status_code == 403
    res = api(operator).post("skills/refresh")
    assert res.status_code == 202 and res.json()["task_id"]


def test_recommend_and_invite_through_the_api(worked, api, client_org, make_project,
                                              make_client_org):
    _project, worker = worked
    target = make_project(items=2)
    owner = api(client_org[0])
    res = owner.post(f"projects/{target.pk}/recommendations", {"query": "careful zebra"})
    assert res.status_code == 200
    body = res.json()
    assert body["unknown_words"] == ["zebra"]
    assert body["results"][0]["worker_id"] == worker.pk
    assert body["results"][0]["explanation"][0]["criterion"] == "accuracy"
    stranger = api(make_client_org()[0])
    assert stranger.post(f"projects/{target.pk}/recommendations", {}).status_code == 404
    assert stranger.post(f"projects/{target.pk}/invitations",
                         {"worker_id": worker.pk}).status_code == 404
    inv = owner.post(f"projects/{target.pk}/invitations", {"worker_id": worker.pk,
                                                           "message": "hi"})
    assert inv.status_code == 201
    inv_id = inv.json()["id"]
    assert owner.post(f"projects/{target.pk}/invitations",
                      {"worker_id": worker.pk}).status_code == 409
    assert [i["id"] for i in api(worker).get("invitations").json()] == [inv_id]
    assert api(worker).post(f"invitations/{inv_id + 999}/accept").status_code == 404
    accepted = api(worker).post(f"invitations/{inv_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert api(worker).post(f"invitations/{inv_id}/decline").status_code == 409
    listed = owner.get(f"projects/{target.pk}/invitations").json()
    assert listed[0]["status"] == "accepted"


def test_reviewer_scores_visibility(api, reviewer, operator):
    assert api(reviewer).get("review-checks/me").json() == []
    assert api(reviewer).get("review-checks/reviewers").status_code == 403
    assert api(operator).get("review-checks/reviewers").status_code == 200
    assert api(reviewer).delete("review-checks/blocks/1").status_code == 403
    assert api(operator).delete("review-checks/blocks/999").status_code == 404


def test_controls_in_the_api_batch_look_like_work_and_are_scored(
    make_project, mark_gold, make_user, do_work, api
):
    from datadam.reviewchecks.models import ControlDecision

    project = make_project(items=10, overlap=2)
    reviewer = make_user(Role.WORKER, reviewer=True)
    for _ in range(4):
        do_work(project, reviewer)
    worker = make_user(Role.WORKER)
    for _ in range(4):
        do_work(project, worker)
    mark_gold(project, 4)
    batch = api(reviewer).get(f"review/projects/{project.pk}/batch").json()
    assert len(batch["submissions"]) == 5
    assert {tuple(sorted(s)) for s in batch["submissions"]} == {
        tuple(sorted(batch["submissions"][0]))}
    real = {s.pk for s in worker.assignments.first().submissions.all()}
    ids = [s["submission_id"] for s in batch["submissions"]]
    decided = api(reviewer).post("review/decisions", {"decisions": [
        {"submission_id": i, "decision": "approve"} for i in ids]}).json()
    assert all(d["ok"] for d in decided)
    assert ControlDecision.objects.filter(reviewer=reviewer).count() == 1
    assert real <= set(ids)

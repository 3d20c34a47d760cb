"""Submitting answers through the API: validation, idempotency, expiry, durations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.accounts.models import Role
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def leased(make_project, worker, api):
    """An open single-label project, the worker's API client and their leased assignment."""
    project = make_project(items=3, overlap=1, config={"labels": ["pos", "neg"]})
    client = api(worker)
    r = client.post(f"projects/{project.pk}/next")
    assert r.status_code == 200, r.content
    return project, client, r.json()["assignment"]


def _state(assignment_id):
    a = Assignment.objects.get(pk=assignment_id)
    return a.status, a.submitted_at, Submission.objects.filter(assignment=a).count()


def test_a_valid_answer_is_stored_and_awaits_review(leased):
    _, client, assignment = leased
    r = client.post(f"assignments/{assignment['id']}/submit", {"answer": {"label": "neg"}})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["answer"] == {"label": "neg"}
    assert body["revision"] == 0
    assert body["replayed"] is False
    sub = Submission.objects.get(pk=body["id"])
    assert sub.answer == {"label": "neg"}
    assert sub.assignment.status == AssignmentStatus.SUBMITTED


@pytest.mark.parametrize(
    "answer",
    [{"label": "maybe"}, {"labels": ["pos"]}, {"label": ["pos"]}, "pos", None, {}, []],
)
def test_an_answer_that_does_not_fit_the_kind_gets_422_and_changes_nothing(leased, answer):
    _, client, assignment = leased
    before = _state(assignment["id"])
    r = client.post(f"assignments/{assignment['id']}/submit", {"answer": answer})
    assert r.status_code == 422, r.content
    assert r.json()["message"]
    assert _state(assignment["id"]) == before


def test_a_body_without_an_answer_gets_422(leased):
    _, client, assignment = leased
    r = client.post(f"assignments/{assignment['id']}/submit", {"idempotency_key": "k"})
    assert r.status_code == 422
    assert _state(assignment["id"])[2] == 0


def test_multi_label_answers_are_validated_against_the_label_set(make_project, worker, api):
    project = make_project(items=1, config={"labels": ["a", "b", "c"], "multi_label": True})
    client = api(worker)
    aid = client.post(f"projects/{project.pk}/next").json()["assignment"]["id"]
    r = client.post(f"assignments/{aid}/submit", {"answer": {"labels": ["c", "z"]}})
    assert r.status_code == 422
    assert "z" in r.json()["message"]
    r = client.post(f"assignments/{aid}/submit", {"answer": {"label": "a"}})
    assert r.status_code == 422
    r = client.post(f"assignments/{aid}/submit", {"answer": {"labels": ["c", "a"]}})
    assert r.status_code == 201
    assert r.json()["answer"] == {"labels": ["a", "c"]}


@pytest.mark.parametrize("how", ["body", "header"])
def test_a_retry_with_the_same_idempotency_key_replays_the_first_submission(leased, how):
    _, client, assignment = leased
    url = f"assignments/{assignment['id']}/submit"

    def send(label):
        if how == "body":
            return client.post(url, {"answer": {"label": label}, "idempotency_key": "try-1"})
        return client.post(url, {"answer": {"label": label}}, headers={"Idempotency-Key": "try-1"})

    first = send("pos")
    again = send("neg")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["answer"] == {"label": "pos"}
    assert Submission.objects.filter(assignment_id=assignment["id"]).count() == 1


def test_a_replay_still_answers_after_the_submission_was_approved(leased, reviewer, api):
    _, client, assignment = leased
    url = f"assignments/{assignment['id']}/submit"
    first = client.post(url, {"answer": {"label": "pos"}, "idempotency_key": "k1"}).json()
    api(reviewer).post(f"submissions/{first['id']}/review", {"decision": "approve"})
    again = client.post(url, {"answer": {"label": "pos"}, "idempotency_key": "k1"})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_a_second_submission_without_the_key_is_a_conflict(leased):
    _, client, assignment = leased
    url = f"assignments/{assignment['id']}/submit"
    assert client.post(url, {"answer": {"label": "pos"}, "idempotency_key": "a"}).status_code == 201
    r = client.post(url, {"answer": {"label": "pos"}, "idempotency_key": "b"})
    assert r.status_code == 409
    assert client.post(url, {"answer": {"label": "pos"}}).status_code == 409
    assert Submission.objects.filter(assignment_id=assignment["id"]).count() == 1


def test_someone_elses_idempotency_key_does_not_replay_their_submission(
    make_project, make_user, api
):
    project = make_project(items=2)
    alice, bob = api(make_user()), api(make_user())
    a1 = alice.post(f"projects/{project.pk}/next").json()["assignment"]["id"]
    alice.post(f"assignments/{a1}/submit", {"answer": {"label": "pos"}, "idempotency_key": "x"})
    r = bob.post(f"assignments/{a1}/submit", {"answer": {"label": "neg"}, "idempotency_key": "x"})
    assert r.status_code == 404
    assert Submission.objects.filter(assignment_id=a1).count() == 1


def test_submitting_after_the_lease_expired_gets_409_and_stores_nothing(leased):
    _, client, assignment = leased
    Assignment.objects.filter(pk=assignment["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    r = client.post(f"assignments/{assignment['id']}/submit", {"answer": {"label": "pos"}})
    assert r.status_code == 409
    assert "expired" in r.json()["message"]
    assert not Submission.objects.filter(assignment_id=assignment["id"]).exists()


def test_submitting_a_released_or_swept_lease_gets_409(leased, make_project, make_user, api):
    project, client, assignment = leased
    assert client.post(f"assignments/{assignment['id']}/release").status_code == 200
    r = client.post(f"assignments/{assignment['id']}/submit", {"answer": {"label": "pos"}})
    assert r.status_code == 409


def test_server_measured_and_client_reported_durations_are_recorded(leased):
    _, client, assignment = leased
    Assignment.objects.filter(pk=assignment["id"]).update(
        leased_at=timezone.now() - timedelta(seconds=7)
    )
    r = client.post(
        f"assignments/{assignment['id']}/submit", {"answer": {"label": "pos"}, "duration_ms": 6500}
    )
    assert r.status_code == 201
    sub = Submission.objects.get(pk=r.json()["id"])
    assert 7000 <= sub.duration_ms < 60_000
    assert r.json()["duration_ms"] == sub.duration_ms
    assert sub.client_duration_ms == 6500


@pytest.mark.parametrize("duration", [-1, 2**31, 10**15, "slow", 1.5])
def test_an_impossible_client_duration_gets_422_and_changes_nothing(leased, duration):
    _, client, assignment = leased
    before = _state(assignment["id"])
    r = client.post(
        f"assignments/{assignment['id']}/submit",
        {"answer": {"label": "pos"}, "duration_ms": duration},
    )
    assert r.status_code == 422, r.content
    assert _state(assignment["id"]) == before


def test_an_overlong_idempotency_key_is_cut_not_refused(leased):
    _, client, assignment = leased
    url = f"assignments/{assignment['id']}/submit"
    key = "k" * 300
    first = client.post(url, {"answer": {"label": "pos"}, "idempotency_key": key})
    again = client.post(url, {"answer": {"label": "pos"}, "idempotency_key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_unknown_or_foreign_assignments_are_not_found(leased, make_user, api):
    _, _, assignment = leased
    stranger = api(make_user())
    r = stranger.post(f"assignments/{assignment['id']}/submit", {"answer": {"label": "pos"}})
    assert r.status_code == 404
    r = stranger.post("assignments/999999/submit", {"answer": {"label": "pos"}})
    assert r.status_code == 404


@pytest.mark.parametrize("role", [Role.CLIENT, Role.OPERATOR])
def test_only_workers_submit(leased, make_user, api, role):
    _, _, assignment = leased
    r = api(make_user(role)).post(
        f"assignments/{assignment['id']}/submit", {"answer": {"label": "pos"}}
    )
    assert r.status_code == 403

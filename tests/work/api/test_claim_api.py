"""The worker's side of the API: feed, next task, skip, my assignments."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role
from datadam.work.models import Assignment, AssignmentStatus

pytestmark = pytest.mark.django_db


def test_next_returns_a_lease_with_the_item_data(make_project, worker, api):
    project = make_project(items=1, lease_seconds=300)
    r = api(worker).post(f"projects/{project.pk}/next")
    assert r.status_code == 200
    a = r.json()["assignment"]
    assert a["project_id"] == project.pk
    assert a["status"] == "leased"
    assert a["data"] == {"text": "text 0"}
    assert a["revisions"] == 0


def test_next_twice_returns_the_same_lease(make_project, worker, api):
    project = make_project(items=3)
    client = api(worker)
    first = client.post(f"projects/{project.pk}/next").json()["assignment"]
    again = client.post(f"projects/{project.pk}/next").json()["assignment"]
    assert again["id"] == first["id"]
    assert again["item_id"] == first["item_id"]


def test_next_when_nothing_is_left_returns_a_null_assignment_and_a_message(
    make_project, make_user, api
):
    project = make_project(items=1, overlap=1)
    api(make_user()).post(f"projects/{project.pk}/next")
    r = api(make_user()).post(f"projects/{project.pk}/next")
    assert r.status_code == 200
    assert r.json()["assignment"] is None
    assert r.json()["message"]


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_next_on_a_project_that_is_not_open_gets_409(client_org, make_project, worker, api, status):
    project = make_project(items=2, launch=status != "draft")
    owner = api(client_org[0])
    if status == "paused":
        assert owner.post(f"projects/{project.pk}/pause").status_code == 200
    if status == "closed":
        assert owner.post(f"projects/{project.pk}/close").status_code == 200
    r = api(worker).post(f"projects/{project.pk}/next")
    assert r.status_code == 409
    assert status in r.json()["message"]
    assert not Assignment.objects.exists()


def test_next_on_a_missing_project_gets_404(worker, api):
    assert api(worker).post("projects/424242/next").status_code == 404


@pytest.mark.parametrize("role", [Role.CLIENT, Role.OPERATOR])
def test_only_workers_take_tasks(make_project, make_user, api, role):
    project = make_project(items=1)
    client = api(make_user(role))
    assert client.post(f"projects/{project.pk}/next").status_code == 403
    assert client.get("feed").status_code == 403
    assert client.get("assignments").status_code == 403


def test_release_skips_the_item_and_next_gives_a_different_one(make_project, worker, api):
    project = make_project(items=2, overlap=1)
    client = api(worker)
    first = client.post(f"projects/{project.pk}/next").json()["assignment"]
    r = client.post(f"assignments/{first['id']}/release")
    assert r.status_code == 200
    assert r.json()["status"] == "released"
    second = client.post(f"projects/{project.pk}/next").json()["assignment"]
    assert second["item_id"] != first["item_id"]
    assert client.post(f"assignments/{first['id']}/release").status_code == 409
    # Only one item left unseen, now leased: nothing more for this worker.
    client.post(f"assignments/{second['id']}/release")
    assert client.post(f"projects/{project.pk}/next").json()["assignment"] is None


def test_feed_lists_only_open_projects_best_paid_first(client_org, make_project, worker, api):
    low = make_project(items=1, reward=5)
    high = make_project(items=1, reward=50)
    make_project(items=1, reward=500, launch=False)
    closed = make_project(items=1, reward=100)
    api(client_org[0]).post(f"projects/{closed.pk}/close")
    r = api(worker).get("feed")
    assert r.status_code == 200
    assert [p["id"] for p in r.json()] == [high.pk, low.pk]


def test_my_assignments_show_status_newest_first_and_filter(make_project, worker, api):
    p1 = make_project(items=1)
    p2 = make_project(items=1)
    client = api(worker)
    a1 = client.post(f"projects/{p1.pk}/next").json()["assignment"]
    client.post(f"assignments/{a1['id']}/submit", {"answer": {"label": "pos"}})
    a2 = client.post(f"projects/{p2.pk}/next").json()["assignment"]

    rows = client.get("assignments").json()
    assert [(r["id"], r["status"]) for r in rows] == [(a2["id"], "leased"), (a1["id"], "submitted")]
    assert rows[1]["project_name"] == p1.name
    assert rows[1]["review"] is None
    assert [r["id"] for r in client.get("assignments?status=leased").json()] == [a2["id"]]
    assert [r["id"] for r in client.get(f"assignments?project_id={p1.pk}").json()] == [a1["id"]]
    assert [r["id"] for r in client.get(f"assignments?before={a2['id']}").json()] == [a1["id"]]


def test_my_assignments_never_show_other_workers_work(make_project, make_user, api):
    project = make_project(items=2)
    alice, bob = api(make_user()), api(make_user())
    alice.post(f"projects/{project.pk}/next")
    assert bob.get("assignments").json() == []
    assert Assignment.objects.filter(status=AssignmentStatus.LEASED).count() == 1


def test_brief_shows_an_open_projects_instructions_and_labels(make_project, worker, api):
    project = make_project(items=1, instructions="Read carefully.")
    r = api(worker).get(f"projects/{project.pk}/brief")
    assert r.status_code == 200
    assert r.json()["instructions"] == "Read carefully."
    assert r.json()["config"]["labels"] == ["pos", "neg", "neu"]
    draft = make_project(items=1, launch=False)
    assert api(worker).get(f"projects/{draft.pk}/brief").status_code == 404


def _hit(worker, project, *, action: str, platform: bool = False, **fields):
    from datadam.quality.models import RuleHit

    return RuleHit.objects.create(
        worker=worker, project=None if platform else project, source_project=project,
        kind="skips", action=action, reason="too many skips", key=f"k-{action}-{project.pk}",
        **fields,
    )


def test_feed_leaves_out_projects_a_pause_or_removal_keeps_the_worker_from(
    make_project, worker, api
):
    from datetime import timedelta

    from django.utils import timezone

    paused = make_project(items=1, reward=30)
    removed = make_project(items=1, reward=20)
    warned = make_project(items=1, reward=10)
    ended = make_project(items=1, reward=5)
    _hit(worker, paused, action="pause", until=timezone.now() + timedelta(hours=1))
    _hit(worker, removed, action="remove")
    _hit(worker, warned, action="warn")
    _hit(worker, ended, action="pause", until=timezone.now() - timedelta(minutes=1))
    client = api(worker)
    assert [p["id"] for p in client.get("feed").json()] == [warned.pk, ended.pk]
    # The feed and the claim agree.
    assert client.post(f"projects/{paused.pk}/next").status_code == 403


def test_feed_is_empty_for_a_suspended_worker_and_back_once_lifted(make_project, worker, api):
    from django.utils import timezone

    project = make_project(items=1)
    hit = _hit(worker, project, action="suspend", platform=True)
    client = api(worker)
    assert client.get("feed").json() == []
    hit.lifted_at = timezone.now()
    hit.save(update_fields=["lifted_at"])
    assert [p["id"] for p in client.get("feed").json()] == [project.pk]

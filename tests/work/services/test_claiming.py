"""Claiming tasks: who gets which item, how many times, and when nothing is left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from datadam.accounts.models import Role
from datadam.errors import Conflict, NotFound, PermissionDenied
from datadam.projects.models import Item
from datadam.projects.services import project_close, project_pause
from datadam.review.services import review_decide
from datadam.work.models import SLOT_HOLDING, Assignment, AssignmentStatus
from datadam.work.services import (
    assignment_claim,
    assignment_release,
    assignment_submit,
    leases_expire,
)

pytestmark = pytest.mark.django_db


def expire(assignment: Assignment) -> None:
    """Time travel: the lease ran out a second ago."""
    Assignment.objects.filter(pk=assignment.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def assert_slots_consistent(project) -> None:
    """No item holds more answers than its overlap, and slots_open mirrors the assignments."""
    items = Item.objects.filter(project=project).annotate(
        holding=Count("assignments", filter=Q(assignments__status__in=SLOT_HOLDING))
    )
    for item in items:
        assert item.holding <= project.overlap, f"item {item.pk} over-assigned"
        assert item.slots_open == project.overlap - item.holding, f"item {item.pk} slots drift"
    twice = (
        Assignment.objects.filter(project=project)
        .values("item", "worker")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists()


def test_a_worker_gets_an_item_with_open_slots_on_a_lease(make_project, worker):
    project = make_project(items=2, overlap=1, lease_seconds=120)

    assignment = assignment_claim(worker=worker, project_id=project.pk)

    assert assignment.status == AssignmentStatus.LEASED
    assert assignment.item.project_id == project.pk
    assert assignment.expires_at - assignment.leased_at == timedelta(seconds=120)
    assert Item.objects.get(pk=assignment.item_id).slots_open == 0
    assert_slots_consistent(project)


def test_asking_again_returns_the_same_live_lease(make_project, worker):
    project = make_project(items=3)
    first = assignment_claim(worker=worker, project_id=project.pk)
    again = assignment_claim(worker=worker, project_id=project.pk)
    assert again.pk == first.pk
    assert Assignment.objects.filter(worker=worker).count() == 1


def test_workers_are_spread_so_no_item_exceeds_its_overlap(make_project, make_user):
    project = make_project(items=3, overlap=2)
    granted = []
    for _ in range(8):
        a = assignment_claim(worker=make_user(), project_id=project.pk)
        if a is not None:
            granted.append(a.item_id)
    assert len(granted) == 6
    assert sorted(granted.count(i) for i in set(granted)) == [2, 2, 2]
    assert set(Item.objects.filter(project=project).values_list("slots_open", flat=True)) == {0}
    assert_slots_consistent(project)


def test_a_worker_works_through_distinct_items_and_then_gets_none(make_project, worker):
    project = make_project(items=3, overlap=2)
    seen = []
    while (a := assignment_claim(worker=worker, project_id=project.pk)) is not None:
        seen.append(a.item_id)
        assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    assert len(seen) == len(set(seen)) == 3
    assert assignment_claim(worker=worker, project_id=project.pk) is None
    assert_slots_consistent(project)


def test_a_skipped_item_is_never_offered_to_the_same_worker_again(make_project, worker, make_user):
    project = make_project(items=1, overlap=2)
    a = assignment_claim(worker=worker, project_id=project.pk)
    released = assignment_release(worker=worker, assignment_id=a.pk)

    assert released.status == AssignmentStatus.RELEASED
    assert Item.objects.get(pk=a.item_id).slots_open == 2
    assert assignment_claim(worker=worker, project_id=project.pk) is None
    other = assignment_claim(worker=make_user(), project_id=project.pk)
    assert other.item_id == a.item_id
    assert_slots_consistent(project)


def test_an_expired_lease_frees_the_slot_for_another_worker_but_not_for_its_holder(
    make_project, worker, make_user
):
    project = make_project(items=1, overlap=1)
    mine = assignment_claim(worker=worker, project_id=project.pk)
    other = make_user()
    assert assignment_claim(worker=other, project_id=project.pk) is None

    expire(mine)

    assert assignment_claim(worker=worker, project_id=project.pk) is None
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.EXPIRED
    theirs = assignment_claim(worker=other, project_id=project.pk)
    assert theirs is not None and theirs.item_id == mine.item_id
    assert_slots_consistent(project)


def test_an_expired_lease_is_not_handed_back_as_the_live_one(make_project, worker):
    project = make_project(items=2, overlap=1)
    first = assignment_claim(worker=worker, project_id=project.pk)
    expire(first)
    second = assignment_claim(worker=worker, project_id=project.pk)
    assert second.pk != first.pk
    assert second.item_id != first.item_id


def test_leases_expire_is_bounded_and_runs_twice_without_double_counting(make_project, make_user):
    project = make_project(items=5, overlap=1)
    leases = [assignment_claim(worker=make_user(), project_id=project.pk) for _ in range(5)]
    for a in leases:
        expire(a)

    assert leases_expire(project_id=project.pk, limit=2) == 2
    assert leases_expire(project_id=project.pk, limit=10) == 3
    assert leases_expire(project_id=project.pk, limit=10) == 0
    assert set(Item.objects.filter(project=project).values_list("slots_open", flat=True)) == {1}
    assert_slots_consistent(project)


def test_a_rejected_answer_frees_the_slot_for_a_different_worker(
    make_project, worker, make_user, reviewer, do_work
):
    project = make_project(items=1, overlap=1)
    submission = do_work(project, worker)
    review_decide(
        reviewer=reviewer, submission_id=submission.pk, decision="reject", reason_code="careless"
    )
    assert assignment_claim(worker=worker, project_id=project.pk) is None
    assert assignment_claim(worker=make_user(), project_id=project.pk) is not None
    assert_slots_consistent(project)


def test_when_nothing_is_left_the_claim_returns_none(make_project, worker, make_user):
    project = make_project(items=1, overlap=1)
    assignment_claim(worker=make_user(), project_id=project.pk)
    assert assignment_claim(worker=worker, project_id=project.pk) is None
    assert not Assignment.objects.filter(worker=worker).exists()


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_claims_on_a_project_that_is_not_open_are_refused(client_org, make_project, worker, status):
    user, _ = client_org
    project = make_project(items=2, launch=status != "draft")
    if status == "paused":
        project_pause(user=user, project_id=project.pk)
    if status == "closed":
        project_close(user=user, project_id=project.pk)
    with pytest.raises(Conflict):
        assignment_claim(worker=worker, project_id=project.pk)
    assert not Assignment.objects.exists()


def test_a_missing_project_is_not_found(worker):
    with pytest.raises(NotFound):
        assignment_claim(worker=worker, project_id=987654)


@pytest.mark.parametrize("role", [Role.CLIENT, Role.OPERATOR])
def test_only_workers_claim(make_project, make_user, role):
    project = make_project(items=1)
    with pytest.raises(PermissionDenied):
        assignment_claim(worker=make_user(role), project_id=project.pk)


def test_a_suspended_worker_cannot_claim(make_project, worker):
    project = make_project(items=1)
    worker.is_active = False
    worker.save()
    with pytest.raises(PermissionDenied):
        assignment_claim(worker=worker, project_id=project.pk)


def test_releasing_twice_or_someone_elses_lease_is_refused(make_project, worker, make_user):
    project = make_project(items=2)
    a = assignment_claim(worker=worker, project_id=project.pk)
    with pytest.raises(NotFound):
        assignment_release(worker=make_user(), assignment_id=a.pk)
    assignment_release(worker=worker, assignment_id=a.pk)
    with pytest.raises(Conflict):
        assignment_release(worker=worker, assignment_id=a.pk)
    assert_slots_consistent(project)


def test_closing_a_project_ends_live_leases_and_gives_their_slots_back(
    client_org, make_project, make_user
):
    user, _ = client_org
    project = make_project(items=2, overlap=2)
    leases = [assignment_claim(worker=make_user(), project_id=project.pk) for _ in range(3)]
    project_close(user=user, project_id=project.pk)
    assert set(
        Assignment.objects.filter(pk__in=[a.pk for a in leases]).values_list("status", flat=True)
    ) == {AssignmentStatus.EXPIRED}
    assert_slots_consistent(project)

"""Project lifecycle draft → open → paused → closed, and the budget that moves with it."""

from __future__ import annotations

import pytest

from datadam.errors import Conflict, InsufficientFunds, InvalidInput, NotFound
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item, ProjectStatus
from datadam.projects.services import (
    project_close,
    project_create,
    project_launch,
    project_pause,
    project_update,
)
from datadam.review.services import review_decide
from datadam.rewards.models import LedgerTransaction
from datadam.work.models import AssignmentStatus
from datadam.work.services import assignment_claim

pytestmark = pytest.mark.django_db


def _import(user, project, n):
    return items_import(
        user=user,
        project_id=project.pk,
        lines=parse_records([{"text": f"more {i}"} for i in range(n)]),
    )


def test_launch_moves_items_times_overlap_times_unit_cost_into_escrow(
    client_org, make_project, balance_of, ledger_ok
):
    user, org = client_org
    before = balance_of(org)
    project = make_project(items=4, overlap=3, reward=10, review_reward=2, launch=False)
    assert project.status == ProjectStatus.DRAFT
    assert balance_of(project) == 0

    project = project_launch(user=user, project_id=project.pk)

    assert project.status == ProjectStatus.OPEN
    assert project.launched_at is not None
    assert balance_of(project) == 4 * 3 * (10 + 2)
    assert balance_of(org) == before - 4 * 3 * 12
    project.refresh_from_db()
    assert project.funded_items == 4
    ledger_ok()


def test_launch_without_enough_funds_is_refused_and_changes_nothing(
    make_client_org, make_project, balance_of, ledger_ok
):
    user, org = make_client_org(credit=100)
    project = make_project(items=5, overlap=2, reward=10, owner=(user, org), launch=False)
    txns = LedgerTransaction.objects.count()

    with pytest.raises(InsufficientFunds) as exc:
        project_launch(user=user, project_id=project.pk)

    assert exc.value.status == 402
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert project.funded_items == 0
    assert project.launched_at is None
    assert balance_of(org) == 100
    assert balance_of(project) == 0
    assert LedgerTransaction.objects.count() == txns
    ledger_ok()


def test_launch_of_a_project_without_items_is_refused(client_org, make_project):
    user, _ = client_org
    project = make_project(items=0, launch=False)
    with pytest.raises(Conflict):
        project_launch(user=user, project_id=project.pk)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_pause_and_resume_keep_the_budget_funded_once(
    client_org, make_project, balance_of, ledger_ok
):
    user, org = client_org
    project = make_project(items=3, overlap=1, reward=10, review_reward=0)
    funded_org_balance = balance_of(org)

    assert project_pause(user=user, project_id=project.pk).status == ProjectStatus.PAUSED
    resumed = project_launch(user=user, project_id=project.pk)

    assert resumed.status == ProjectStatus.OPEN
    assert balance_of(project) == 30
    assert balance_of(org) == funded_org_balance
    ledger_ok()


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_only_an_open_project_can_be_paused(client_org, make_project, status):
    user, _ = client_org
    project = make_project(launch=status != "draft")
    if status == "paused":
        project_pause(user=user, project_id=project.pk)
    elif status == "closed":
        project_close(user=user, project_id=project.pk)
    with pytest.raises(Conflict):
        project_pause(user=user, project_id=project.pk)


def test_open_and_closed_projects_cannot_be_launched(client_org, make_project):
    user, _ = client_org
    project = make_project()
    with pytest.raises(Conflict):
        project_launch(user=user, project_id=project.pk)
    project_close(user=user, project_id=project.pk)
    with pytest.raises(Conflict):
        project_launch(user=user, project_id=project.pk)
    with pytest.raises(Conflict):
        project_close(user=user, project_id=project.pk)


def test_closing_refunds_all_escrow_when_no_work_is_pending(
    client_org, make_project, balance_of, ledger_ok
):
    user, org = client_org
    start = balance_of(org)
    project = make_project(items=5, overlap=2, reward=7, review_reward=3)
    assert balance_of(org) == start - 100

    closed = project_close(user=user, project_id=project.pk)

    assert closed.status == ProjectStatus.CLOSED
    assert closed.closed_at is not None
    assert balance_of(project) == 0
    assert balance_of(org) == start
    ledger_ok()


def test_closing_keeps_the_pay_of_submitted_and_returned_work_reserved(
    client_org, make_project, make_user, reviewer, do_work, balance_of, ledger_ok
):
    user, org = client_org
    start = balance_of(org)
    project = make_project(items=4, overlap=1, reward=10, review_reward=2)
    submitted = do_work(project, make_user())
    returned = do_work(project, make_user())
    review_decide(
        reviewer=reviewer, submission_id=returned.pk, decision="return", reason_code="incomplete"
    )
    leased = assignment_claim(worker=make_user(), project_id=project.pk)

    project_close(user=user, project_id=project.pk)

    leased.refresh_from_db()
    assert leased.status == AssignmentStatus.EXPIRED
    # The reviewer already earned 2 for the return; two answers (12 each) stay reserved.
    assert balance_of(reviewer) == 2
    assert balance_of(project) == 2 * 12
    assert balance_of(org) == start - 2 - 2 * 12
    submitted.assignment.refresh_from_db()
    assert submitted.assignment.status == AssignmentStatus.SUBMITTED
    ledger_ok()


def test_reviewing_reserved_work_after_closing_pays_from_escrow_and_refunds_the_rest(
    client_org, make_project, make_user, reviewer, do_work, balance_of, ledger_ok
):
    user, org = client_org
    start = balance_of(org)
    project = make_project(items=3, overlap=1, reward=10, review_reward=2)
    approved_worker, rejected_worker = make_user(), make_user()
    to_approve = do_work(project, approved_worker)
    to_reject = do_work(project, rejected_worker)
    project_close(user=user, project_id=project.pk)
    assert balance_of(project) == 24

    review_decide(reviewer=reviewer, submission_id=to_approve.pk, decision="approve")
    review_decide(
        reviewer=reviewer, submission_id=to_reject.pk, decision="reject", reason_code="spam"
    )

    assert balance_of(approved_worker) == 10
    assert balance_of(rejected_worker) == 0
    assert balance_of(reviewer) == 4
    assert balance_of(project) == 0
    assert balance_of(org) == start - 14
    ledger_ok()


def test_importing_into_an_open_project_funds_the_new_items_in_the_same_transaction(
    client_org, make_project, balance_of, ledger_ok
):
    user, org = client_org
    project = make_project(items=2, overlap=2, reward=5, review_reward=1)
    org_before = balance_of(org)

    report = _import(user, project, 3)

    assert report.ok and report.imported == 3
    project.refresh_from_db()
    assert project.items_count == 5
    assert project.funded_items == 5
    assert balance_of(project) == 5 * 2 * 6
    assert balance_of(org) == org_before - 3 * 2 * 6
    assert Item.objects.filter(project=project, slots_open=2).count() == 5
    ledger_ok()


def test_importing_into_a_paused_project_funds_the_new_items(
    client_org, make_project, balance_of, ledger_ok
):
    user, org = client_org
    project = make_project(items=1, overlap=1, reward=5, review_reward=0)
    project_pause(user=user, project_id=project.pk)

    assert _import(user, project, 2).imported == 2

    assert balance_of(project) == 15
    project_launch(user=user, project_id=project.pk)
    assert balance_of(project) == 15
    ledger_ok()


def test_import_into_an_open_project_the_organization_cannot_pay_for_imports_nothing(
    make_client_org, make_project, balance_of, ledger_ok
):
    user, org = make_client_org(credit=100)
    project = make_project(items=2, overlap=1, reward=40, review_reward=0, owner=(user, org))
    assert balance_of(org) == 20

    with pytest.raises(InsufficientFunds):
        _import(user, project, 1)

    project.refresh_from_db()
    assert project.items_count == 2
    assert project.funded_items == 2
    assert Item.objects.filter(project=project).count() == 2
    assert balance_of(org) == 20
    assert balance_of(project) == 80
    ledger_ok()


def test_importing_into_a_draft_moves_no_points(client_org, make_project, balance_of):
    user, org = client_org
    project = make_project(items=0, launch=False)
    before = balance_of(org)
    assert _import(user, project, 4).imported == 4
    assert balance_of(org) == before
    project.refresh_from_db()
    assert (project.items_count, project.funded_items) == (4, 0)


def test_importing_into_a_closed_project_is_refused(client_org, make_project):
    user, _ = client_org
    project = make_project(items=1)
    project_close(user=user, project_id=project.pk)
    with pytest.raises(Conflict):
        _import(user, project, 1)
    assert Item.objects.filter(project=project).count() == 1


def test_budget_fields_are_editable_only_in_draft(client_org, make_project):
    user, _ = client_org
    draft = make_project(items=2, launch=False, overlap=1)
    project_update(user=user, project_id=draft.pk, overlap=3, reward=20)
    draft.refresh_from_db()
    assert (draft.overlap, draft.reward) == (3, 20)
    assert set(Item.objects.filter(project=draft).values_list("slots_open", flat=True)) == {3}

    project_launch(user=user, project_id=draft.pk)
    for field, value in (("reward", 1), ("overlap", 1), ("review_reward", 0), ("kind", "x")):
        with pytest.raises(Conflict):
            project_update(user=user, project_id=draft.pk, **{field: value})
    updated = project_update(user=user, project_id=draft.pk, name="Renamed", lease_seconds=60)
    assert (updated.name, updated.lease_seconds, updated.reward) == ("Renamed", 60, 20)


@pytest.mark.parametrize(
    "fields",
    [
        {"overlap": 0},
        {"overlap": 101},
        {"reward": -1},
        {"review_reward": -5},
        {"reward": True},
        {"reward": "10"},
        {"lease_seconds": 5},
        {"review_policy": "sometimes"},
        {"kind": "video_segmentation"},
        {"config": {"labels": []}},
        {"config": {"labels": ["a", "a"]}},
        {"config": {"labels": ["a"], "multi_label": "yes"}},
        {"name": "   "},
        {"colour": "blue"},
    ],
)
def test_project_create_rejects_invalid_fields(client_org, fields):
    user, org = client_org
    base = {
        "name": "Valid",
        "kind": "text_classification",
        "reward": 10,
        "config": {"labels": ["a", "b"]},
    }
    with pytest.raises(InvalidInput):
        project_create(user=user, organization_id=org.pk, **{**base, **fields})


def test_another_organizations_project_cannot_be_managed(make_client_org, make_project):
    project = make_project(items=1, launch=False)
    outsider, _ = make_client_org()
    for action in (project_launch, project_pause, project_close):
        with pytest.raises(NotFound):
            action(user=outsider, project_id=project.pk)
    with pytest.raises(NotFound):
        project_update(user=outsider, project_id=project.pk, name="hijacked")
    with pytest.raises(NotFound):
        _import(outsider, project, 1)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert project.items_count == 1


def test_operators_manage_any_project(operator, make_project):
    project = make_project(items=1, launch=False)
    assert project_launch(user=operator, project_id=project.pk).status == ProjectStatus.OPEN
    assert project_close(user=operator, project_id=project.pk).status == ProjectStatus.CLOSED

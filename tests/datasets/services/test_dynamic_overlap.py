"""Dynamic overlap in the database: slots open while the posterior is below target."""

from __future__ import annotations

import pytest

from datadam.errors import InvalidInput
from datadam.projects.models import Item
from datadam.projects.services import project_close, project_update
from datadam.review.services import review_decide
from datadam.work.services import assignment_claim

pytestmark = pytest.mark.django_db


def _dynamic(make_project, items: int = 1, **fields):
    fields.setdefault("min_answers", 2)
    fields.setdefault("max_answers", 4)
    fields.setdefault("target_confidence", 0.9)
    return make_project(items=items, **fields)


def test_items_start_with_min_slots_and_budget_for_max(make_project, balance_of):
    project = _dynamic(make_project, items=3)
    assert project.overlap == 4 and project.min_answers == 2
    assert set(Item.objects.filter(project=project).values_list("slots_open", flat=True)) == {2}
    assert balance_of(project) == 3 * 4 * (10 + 2)


def test_agreement_stops_at_min_and_disagreement_opens_one_slot_at_a_time(
    make_project, make_user, do_work
):
    agree = _dynamic(make_project)
    do_work(agree, make_user("worker"), {"label": "pos"})
    do_work(agree, make_user("worker"), {"label": "pos"})
    assert Item.objects.get(project=agree).slots_open == 0  # 0.92 >= 0.9: done
    assert assignment_claim(worker=make_user("worker"), project_id=agree.pk) is None

    split = _dynamic(make_project)
    do_work(split, make_user("worker"), {"label": "pos"})
    item = Item.objects.get(project=split)
    assert item.slots_open == 1  # the second slot is still open: nothing to judge yet
    do_work(split, make_user("worker"), {"label": "neg"})
    item.refresh_from_db()
    assert item.slots_open == 1  # disagreement: one more answer wanted
    do_work(split, make_user("worker"), {"label": "neu"})
    item.refresh_from_db()
    assert item.slots_open == 1
    do_work(split, make_user("worker"), {"label": "pos"})
    item.refresh_from_db()
    assert item.slots_open == 0  # max reached even though still below target


def test_no_slot_opens_while_someone_still_works_on_the_item(make_project, make_user, do_work):
    project = _dynamic(make_project)
    slow = make_user("worker")
    assert assignment_claim(worker=slow, project_id=project.pk) is not None
    do_work(project, make_user("worker"), {"label": "pos"})
    assert Item.objects.get(project=project).slots_open == 0


def test_rejection_gives_the_slot_back_and_review_rejudges(
    make_project, make_user, do_work, reviewer
):
    project = _dynamic(make_project)
    first = do_work(project, make_user("worker"), {"label": "pos"})
    do_work(project, make_user("worker"), {"label": "pos"})
    item = Item.objects.get(project=project)
    assert item.slots_open == 0
    review_decide(reviewer=reviewer, submission_id=first.pk, decision="reject",
                  reason_code="wrong_answer")
    item.refresh_from_db()
    assert item.slots_open == 1


def test_unused_budget_returns_once_at_close(
    make_project, make_user, do_work, reviewer, client_org, balance_of, ledger_ok
):
    user, org = client_org
    project = _dynamic(make_project, items=2)
    before = balance_of(org)
    subs = [do_work(project, make_user("worker"), {"label": "pos"}) for _ in range(4)]
    for s in subs:
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    project_close(user=user, project_id=project.pk)
    # Funded for 2 items × 4 answers; 4 answers were used: 4 × 12 points come back.
    assert balance_of(org) - before == 4 * 12
    assert balance_of(project) == 0
    from datadam.rewards.models import LedgerTransaction

    assert LedgerTransaction.objects.filter(kind="project_refund").count() == 1
    ledger_ok()


@pytest.mark.parametrize(
    "fields",
    [
        {"min_answers": 3, "max_answers": 2, "target_confidence": 0.9},
        {"min_answers": 0, "max_answers": 2, "target_confidence": 0.9},
        {"min_answers": 1, "max_answers": 101, "target_confidence": 0.9},
        {"min_answers": 1, "max_answers": 3, "target_confidence": 0.5},
        {"min_answers": 1, "max_answers": 3, "target_confidence": 1.0},
        {"max_answers": 3, "target_confidence": 0.9},
        {"aggregation_method": "magic"},
    ],
)
def test_invalid_dynamic_settings_are_refused(make_project, fields):
    project = make_project(items=0, launch=False)
    with pytest.raises(InvalidInput):
        project_update(user=project.created_by, project_id=project.pk, **fields)


def test_switching_a_draft_to_dynamic_resets_its_slots(make_project):
    project = make_project(items=2, launch=False, overlap=3)
    project_update(user=project.created_by, project_id=project.pk, min_answers=1,
                   max_answers=5, target_confidence=0.8)
    assert set(Item.objects.filter(project=project).values_list("slots_open", flat=True)) == {1}

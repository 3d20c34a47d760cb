"""Gold questions: import, serving at the rate, scoring, budget and the threshold action."""

from __future__ import annotations

import pytest

from datadam.datasets.export import iter_item_chunks
from datadam.errors import Conflict, InsufficientFunds
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item
from datadam.quality.hooks import Restricted
from datadam.quality.models import QualityPolicy, RuleHit, WorkerQuality
from datadam.review.models import Decision, Review
from datadam.review.selectors import review_batch, review_queue
from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_release, assignment_submit

pytestmark = pytest.mark.django_db


def _answer(worker, project, *, gold_answer=None, answer=None):
    """Claim, then answer: gold items with ``gold_answer`` (else "neg"), others with "pos"."""
    a = assignment_claim(worker=worker, project_id=project.pk)
    assert a is not None
    is_gold = Item.objects.get(pk=a.item_id).gold is not None
    label = (gold_answer or "neg") if is_gold else (answer or "pos")
    sub, _ = assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": label})
    return a, sub, is_gold


def test_gold_import_keeps_gold_out_of_the_ordinary_pool(gold_project, client_org):
    project = gold_project(items=3, golds=2, launch=False)
    golds = Item.objects.filter(project=project, gold__isnull=False)
    assert golds.count() == 2 and set(golds.values_list("slots_open", flat=True)) == {0}
    assert project.items_count == 3  # gold items are not data
    user, _org = client_org
    bad = items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"text": "x"}, "gold": {"label": "nope"}}]))
    assert not bad.ok and "gold" in bad.errors[0]["error"]


def test_gold_is_served_at_the_rate_and_never_twice(gold_project, worker):
    project = gold_project(items=60, golds=30, rate=20)
    served = []
    for _ in range(50):
        a, _sub, is_gold = _answer(worker, project, gold_answer="pos")
        if is_gold:
            served.append(a.item_id)
    # 20 % of 50 tasks, kept within one of the rate by construction.
    assert 9 <= len(served) <= 11
    assert len(served) == len(set(served))
    stats = WorkerQuality.objects.get(worker=worker, project=project)
    assert stats.gold_served == stats.gold_answered == stats.gold_correct == len(served)


def test_no_gold_after_the_worker_had_every_gold_item(gold_project, worker, monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)  # always gold
    project = gold_project(items=10, golds=2, rate=50)
    kinds = [_answer(worker, project, gold_answer="pos")[2] for _ in range(6)]
    assert kinds[:2] == [True, True] and kinds.count(True) == 2


def test_gold_is_decided_at_once_and_never_reaches_reviewers(
    gold_project, make_user, reviewer, balance_of, ledger_ok, monkeypatch
):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=10, golds=4, rate=50, gold_min_answers=100)
    right, wrong = make_user(), make_user()
    a1, s1, g1 = _answer(right, project, gold_answer="pos")
    a2, s2, g2 = _answer(wrong, project, gold_answer="neg")
    assert g1 and g2
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert a1.status == AssignmentStatus.APPROVED and a2.status == AssignmentStatus.REJECTED
    assert balance_of(right) == project.reward and balance_of(wrong) == 0
    review = Review.objects.get(submission=s2)
    assert review.automatic and "gold mismatch" in review.comment and "pos" in review.comment
    assert Item.objects.get(pk=a2.item_id).slots_open == 0  # rejection gives no slot to gold
    with pytest.raises(Conflict):
        review_decide(reviewer=reviewer, submission_id=s1.pk, decision=Decision.APPROVE)
    assert balance_of(right) == project.reward  # paid exactly once
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.99)
    assert not _answer(right, project)[2]  # one ordinary answer awaits review
    assert all(r["project"].pk != project.pk or r["pending"] == 1
               for r in review_queue(reviewer=reviewer))
    batch = review_batch(reviewer=reviewer, project=project)
    assert [s.assignment.item.gold for s in batch["submissions"]] == [None]
    ledger_ok()


def test_launch_funds_the_expected_gold_and_stops_serving_when_spent(
    gold_project, make_user, balance_of, ledger_ok, monkeypatch
):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=4, golds=10, rate=20)
    policy = QualityPolicy.objects.get(project=project)
    # 4 answers at 20 % gold → ceil(4 × 20 / 80) = 1 gold answer funded.
    assert policy.gold_funded == policy.gold_left == 1
    assert balance_of(project) == 4 * project.item_cost + project.reward
    workers = [make_user() for _ in range(3)]
    gold = [_answer(w, project, gold_answer="pos")[2] for w in workers]
    assert gold == [True, False, False]
    QualityPolicy.objects.filter(pk=policy.pk).update(gold_left=0)
    assert not Assignment.objects.filter(item__gold__isnull=False, worker=workers[1]).exists()
    ledger_ok()


def test_raising_the_rate_funds_more_gold_or_refuses_without_money(
    gold_project, make_client_org, balance_of
):
    from datadam.quality.services import policy_update

    project = gold_project(items=10, golds=2, rate=10)
    before = balance_of(project)
    policy_update(user=project.created_by, project_id=project.pk, gold_rate=50)
    assert balance_of(project) == before + (10 - 2) * project.reward
    poor_user, poor_org = make_client_org(credit=10 * 12)
    from datadam.projects.importing import items_import as imp
    from datadam.projects.services import project_create, project_launch

    p2 = project_create(user=poor_user, organization_id=poor_org.pk, name="poor",
                        kind="text_classification", reward=10, review_reward=2,
                        config={"labels": ["pos", "neg"]})
    rows = parse_records([{"text": str(i)} for i in range(10)])
    imp(user=poor_user, project_id=p2.pk, lines=rows)
    project_launch(user=poor_user, project_id=p2.pk)
    with pytest.raises(InsufficientFunds):
        policy_update(user=poor_user, project_id=p2.pk, gold_rate=50)
    assert not QualityPolicy.objects.filter(project=p2, gold_rate__gt=0).exists()  # rolled back


def test_gold_below_threshold_pauses_the_worker(gold_project, worker, monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=10, golds=5, rate=50, gold_min_answers=2,
                           gold_threshold=60, gold_pause_hours=3)
    results = []
    for _ in range(4):
        try:
            results.append(_answer(worker, project, gold_answer="neg")[2])
        except Restricted:
            results.append("restricted")
            break
    assert "restricted" in results
    hit = RuleHit.objects.get(worker=worker, source_project=project)
    assert hit.kind == "gold_policy" and hit.action == "pause" and hit.until is not None
    with pytest.raises(Restricted):
        assignment_claim(worker=worker, project_id=project.pk)


def test_remove_action_and_gold_never_exported(gold_project, worker, monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=3, golds=3, rate=50, gold_min_answers=1,
                           gold_threshold=100, gold_action="remove")
    _answer(worker, project, gold_answer="neg")
    hit = RuleHit.objects.get(worker=worker)
    assert hit.action == "remove" and hit.until is None and hit.project_id == project.pk
    exported = [i["pk"] for chunk in iter_item_chunks(project) for i in chunk]
    assert len(exported) == 3
    assert not Item.objects.filter(pk__in=exported, gold__isnull=False).exists()


def test_skipped_or_expired_gold_never_enters_the_ordinary_pick(gold_project, make_user,
                                                                   monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=2, golds=2, rate=50)
    w = make_user()
    a = assignment_claim(worker=w, project_id=project.pk)
    assert Item.objects.get(pk=a.item_id).gold is not None
    assignment_release(worker=w, assignment_id=a.pk)
    assert Item.objects.get(pk=a.item_id).slots_open == 0


def test_a_skipped_gold_task_gives_its_reservation_back_once_and_is_never_paid(
    gold_project, make_user, balance_of, ledger_ok, monkeypatch
):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)  # gold when due
    project = gold_project(items=4, golds=10, rate=20)  # 1 gold answer funded
    first, second = make_user(), make_user()
    a = assignment_claim(worker=first, project_id=project.pk)
    assert Item.objects.get(pk=a.item_id).gold is not None
    assert QualityPolicy.objects.get(project=project).gold_left == 0
    assignment_release(worker=first, assignment_id=a.pk)
    assert QualityPolicy.objects.get(project=project).gold_left == 1
    with pytest.raises(Conflict):  # a second skip changes nothing
        assignment_release(worker=first, assignment_id=a.pk)
    assert QualityPolicy.objects.get(project=project).gold_left == 1
    with pytest.raises(Conflict):  # nor can the skipped task still be answered
        assignment_submit(worker=first, assignment_id=a.pk, answer={"label": "pos"})
    # The reservation serves someone else, and escrow pays that answer.
    b, _sub, is_gold = _answer(second, project, gold_answer="pos")
    assert is_gold and QualityPolicy.objects.get(project=project).gold_left == 0
    assert balance_of(second) == project.reward and balance_of(first) == 0
    ledger_ok()


def test_a_wrong_gold_answer_keeps_its_reservation_and_its_item_gains_no_slot(
    gold_project, worker, monkeypatch
):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=4, golds=10, rate=20)  # 1 gold answer funded
    a, _sub, is_gold = _answer(worker, project, gold_answer="neg")  # the gold answer is "pos"
    assert is_gold
    a.refresh_from_db()
    assert a.status == "rejected"
    # Its pay stays reserved in escrow (an appeal may overturn the rejection), so the
    # reservation is not handed to another gold task, and gold never gains a slot.
    assert QualityPolicy.objects.get(project=project).gold_left == 0
    assert Item.objects.get(pk=a.item_id).slots_open == 0


def test_an_expired_gold_lease_gives_its_reservation_back(gold_project, worker, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from datadam.work.services import leases_expire

    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=4, golds=10, rate=20)
    a = assignment_claim(worker=worker, project_id=project.pk)
    assert Item.objects.get(pk=a.item_id).gold is not None
    later = timezone.now() + timedelta(seconds=project.lease_seconds + 1)
    assert leases_expire(project_id=project.pk, limit=10, now=later) == 1
    assert leases_expire(project_id=project.pk, limit=10, now=later) == 0  # safe twice
    assert QualityPolicy.objects.get(project=project).gold_left == 1
    gold = Item.objects.get(pk=a.item_id)
    assert gold.slots_open == 0  # gold never gains a slot

"""Skills computed from hand-made histories; the job is idempotent; the pay tier pays once."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role
from datadam.audit.models import AuditEvent
from datadam.errors import InvalidInput, NotFound
from datadam.review.services import review_decide
from datadam.rewards.models import LedgerTransaction
from datadam.skills.estimate import Evidence, skill_estimate
from datadam.skills.models import WorkerSkill
from datadam.skills.services import project_skills_set, skills_compute
from datadam.skills.tasks import skills_compute_task

pytestmark = pytest.mark.django_db


def test_skill_rows_come_from_gold_agreement_reviews_and_speed(
    make_project, mark_gold, make_user, do_work, reviewer, client_org
):
    project = make_project(items=3, overlap=2)
    project_skills_set(user=client_org[0], project_id=project.pk, tags=["Medical"])
    a, b = make_user(Role.WORKER), make_user(Role.WORKER)
    # Items in order: gold pos, gold pos, plain. A: pos, neg, neu. B: pos, pos, pos.
    subs_a = [do_work(project, a, {"label": x}) for x in ("pos", "neg", "neu")]
    subs_b = [do_work(project, b, {"label": "pos"}) for _ in range(3)]
    for s in subs_a[:1] + subs_b:
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    review_decide(reviewer=reviewer, submission_id=subs_a[1].pk, decision="reject",
                  reason_code="wrong_answer")
    review_decide(reviewer=reviewer, submission_id=subs_a[2].pk, decision="return",
                  reason_code="incomplete")
    mark_gold(project, 2)

    assert skills_compute() == {"written": 4, "removed": 0}
    row = WorkerSkill.objects.get(worker=a, kind="text_classification")
    # The returned answer awaits its revision: it counts by its review only.
    assert (row.answers, row.gold_total, row.gold_correct) == (2, 2, 1)
    assert (row.agree_items, row.agree_share) == (2, 1.0)
    assert (row.approved, row.rejected, row.returned) == (1, 1, 1)
    expected = skill_estimate(Evidence(gold_total=2, gold_correct=1, agree_items=2,
                                       agree_share=1.0, approved=1, rejected=1, returned=1))
    assert (row.score, row.lower) == (expected.score, expected.lower)
    assert row.median_ms is not None
    tag_row = WorkerSkill.objects.get(worker=a, tag="medical")
    assert tag_row.kind == "" and tag_row.lower == row.lower
    best = WorkerSkill.objects.get(worker=b, kind="text_classification")
    assert (best.gold_correct, best.approved) == (2, 3)
    assert best.lower > row.lower


def test_the_job_is_idempotent_and_drops_rows_without_work(make_project, mark_gold, make_user,
                                                           do_work):
    project = make_project(items=2)
    worker = make_user(Role.WORKER)
    do_work(project, worker)
    mark_gold(project, 1)
    first = skills_compute()
    snapshot = list(WorkerSkill.objects.values("worker", "kind", "tag", "score", "lower"))
    assert skills_compute_task.call() == {"written": first["written"], "removed": 0}
    assert list(WorkerSkill.objects.values("worker", "kind", "tag", "score", "lower")) == snapshot
    WorkerSkill.objects.create(worker=worker, kind="", tag="ghost", computed_at=worker.date_joined)
    assert skills_compute(worker_ids=[worker.pk])["removed"] == 1
    assert not WorkerSkill.objects.filter(tag="ghost").exists()


def test_settings_are_checked_and_scoped(make_project, make_client_org, client_org):
    project = make_project()
    with pytest.raises(InvalidInput):
        project_skills_set(user=client_org[0], project_id=project.pk, min_skill=1.5)
    with pytest.raises(InvalidInput):
        project_skills_set(user=client_org[0], project_id=project.pk, bonus_percent=10)
    with pytest.raises(InvalidInput):
        project_skills_set(user=client_org[0], project_id=project.pk, tags=["no spaces"])
    other, _org = make_client_org()
    with pytest.raises(NotFound):
        project_skills_set(user=other, project_id=project.pk, tags=["x"])
    project_skills_set(user=client_org[0], project_id=project.pk, tags=["A", "a", "b"])
    events = AuditEvent.objects.filter(action="skills.project_set", project_id=project.pk)
    assert events.count() == 1 and events.get().data["tags"] == ["a", "b"]


def test_skill_gate_refuses_claims_until_the_skill_is_there(
    make_project, mark_gold, make_user, do_work, client_org, reviewer
):
    from datadam.errors import PermissionDenied
    from datadam.work.selectors import feed_projects
    from datadam.work.services import assignment_claim

    practice = make_project(items=6)
    gated = make_project(items=2)
    project_skills_set(user=client_org[0], project_id=gated.pk, min_skill=0.5)
    worker = make_user(Role.WORKER)
    with pytest.raises(PermissionDenied) as exc:
        assignment_claim(worker=worker, project_id=gated.pk)
    assert "skill" in exc.value.message
    assert gated not in feed_projects(worker=worker)
    for _ in range(6):
        s = do_work(practice, worker)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(practice, 6)
    skills_compute(worker_ids=[worker.pk])
    assert gated in feed_projects(worker=worker)
    assert assignment_claim(worker=worker, project_id=gated.pk) is not None


def test_skill_bonus_is_paid_once_from_the_organization(
    make_project, mark_gold, make_user, do_work, reviewer, client_org, balance_of, ledger_ok
):
    project = make_project(items=8, reward=10)
    project_skills_set(user=client_org[0], project_id=project.pk, bonus_skill=0.5,
                       bonus_percent=50)
    worker = make_user(Role.WORKER)
    for _ in range(6):
        s = do_work(project, worker)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    assert not LedgerTransaction.objects.filter(kind="bonus").exists()  # no skill row yet
    mark_gold(project, 6)
    skills_compute(worker_ids=[worker.pk])
    before = balance_of(worker)
    s = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    assert balance_of(worker) - before == 10 + 5
    bonus = LedgerTransaction.objects.get(kind="bonus")
    assert bonus.key == f"submission:{s.pk}:skill_bonus"
    from datadam.skills.services import skill_bonus_pay

    assert skill_bonus_pay(assignment=s.assignment, submission=s, actor=None) == 0
    assert LedgerTransaction.objects.filter(kind="bonus").count() == 1
    assert AuditEvent.objects.filter(action="skills.bonus_paid").count() == 1
    ledger_ok()

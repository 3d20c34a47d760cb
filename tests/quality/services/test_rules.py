"""Rules: each trigger and action, restrictions in the claim, appeals, the agreement job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.quality.agreement import agreement_evaluate, worker_agreement
from datadam.quality.hooks import Restricted
from datadam.quality.models import Appeal, AppealStatus, RuleHit
from datadam.quality.services import appeal_create, appeal_decide, rule_create, rule_update
from datadam.quality.tasks import agreement_task
from datadam.work.models import Submission
from datadam.work.services import assignment_claim, assignment_release

pytestmark = pytest.mark.django_db


def _rule(project, kind, action="warn", **params):
    return rule_create(user=project.created_by, project_id=project.pk, kind=kind,
                       params=params, action=action, pause_hours=2)


def test_rule_params_are_validated(make_project):
    project = make_project()
    with pytest.raises(InvalidInput):
        _rule(project, "fast_answers", seconds=0)
    with pytest.raises(InvalidInput):
        _rule(project, "fast_answers", count=5, window=3)
    with pytest.raises(InvalidInput):
        _rule(project, "nonsense")
    with pytest.raises(InvalidInput):
        _rule(project, "skips", action="explode")
    with pytest.raises(InvalidInput):
        _rule(project, "skips", bogus=1)
    rule = _rule(project, "skips", count=3)
    assert rule.params == {"count": 3}
    with pytest.raises(InvalidInput):
        rule_update(user=project.created_by, project_id=project.pk, rule_id=rule.pk,
                    params={"count": 1})


def test_too_fast_answers_warn_and_warning_does_not_block(make_project, worker, do_work):
    project = make_project(items=6)
    _rule(project, "fast_answers", seconds=60, count=3, window=5)
    for _ in range(2):
        do_work(project, worker)
    assert not RuleHit.objects.exists()
    do_work(project, worker)
    hit = RuleHit.objects.get()
    assert hit.action == "warn" and hit.kind == "fast_answers"
    assert "3 of the last 3" in hit.reason_text()
    do_work(project, worker)  # a warning does not block, and does not repeat while shown
    assert RuleHit.objects.count() == 1
    assert AuditEvent.objects.filter(action="quality.warn").count() == 1


def test_skips_in_a_row_pause_only_this_project(make_project, worker, do_work):
    project, other = make_project(items=10), make_project(items=2)
    _rule(project, "skips", action="pause", count=3)
    for _ in range(2):
        a = assignment_claim(worker=worker, project_id=project.pk)
        assignment_release(worker=worker, assignment_id=a.pk)
    do_work(project, worker)  # an answer resets the streak
    for _ in range(3):
        a = assignment_claim(worker=worker, project_id=project.pk)
        assignment_release(worker=worker, assignment_id=a.pk)
    hit = RuleHit.objects.get()
    assert hit.action == "pause" and hit.until > timezone.now() + timedelta(hours=1)
    with pytest.raises(Restricted) as exc:
        assignment_claim(worker=worker, project_id=project.pk)
    assert exc.value.status == 403 and "paused" in exc.value.message
    assert assignment_claim(worker=worker, project_id=other.pk) is not None
    RuleHit.objects.update(until=timezone.now() - timedelta(seconds=1))  # the pause ends
    assert assignment_claim(worker=worker, project_id=project.pk) is not None


def test_daily_cap_pauses_until_midnight(make_project, worker, do_work):
    project = make_project(items=5)
    _rule(project, "daily_cap", action="pause", count=2)
    do_work(project, worker)
    do_work(project, worker)
    hit = RuleHit.objects.get()
    assert timezone.localtime(hit.until).hour == 0 and hit.until > timezone.now()
    with pytest.raises(Restricted):
        assignment_claim(worker=worker, project_id=project.pk)


def test_gold_accuracy_rule_suspends_from_the_platform(gold_project, make_project, worker,
                                                       monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=10, golds=3, rate=50, gold_min_answers=1000)
    elsewhere = make_project(items=2)
    _rule(project, "gold_accuracy", action="suspend", min_answers=1, threshold=50)
    from datadam.work.services import assignment_submit

    a = assignment_claim(worker=worker, project_id=project.pk)
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "neg"})
    hit = RuleHit.objects.get()
    assert hit.action == "suspend" and hit.project_id is None and hit.until is None
    for pid in (project.pk, elsewhere.pk):
        with pytest.raises(Restricted):
            assignment_claim(worker=worker, project_id=pid)


def test_appeal_lifts_a_restriction(make_project, worker, make_user, operator, do_work):
    project = make_project(items=4)
    _rule(project, "daily_cap", action="suspend", count=1)
    do_work(project, worker)
    hit = RuleHit.objects.get()
    with pytest.raises(InvalidInput):
        appeal_create(worker=worker, hit_id=hit.pk, message="  ")
    with pytest.raises(NotFound):
        appeal_create(worker=make_user(), hit_id=hit.pk, message="not mine")
    appeal = appeal_create(worker=worker, hit_id=hit.pk, message="I work carefully")
    with pytest.raises(Conflict):
        appeal_create(worker=worker, hit_id=hit.pk, message="again")
    with pytest.raises(PermissionDenied):
        appeal_decide(operator=worker, appeal_id=appeal.pk, lift=True)
    appeal_decide(operator=operator, appeal_id=appeal.pk, lift=True, note="ok")
    with pytest.raises(Conflict):
        appeal_decide(operator=operator, appeal_id=appeal.pk, lift=False)
    hit.refresh_from_db()
    assert hit.lifted_at is not None and hit.lifted_by == operator
    assert assignment_claim(worker=worker, project_id=project.pk) is not None
    assert AuditEvent.objects.filter(action="quality.appeal_lifted").exists()


def test_refused_appeal_keeps_the_restriction(make_project, worker, operator, do_work):
    project = make_project(items=4)
    _rule(project, "daily_cap", action="pause", count=1)
    do_work(project, worker)
    hit = RuleHit.objects.get()
    appeal = appeal_create(worker=worker, hit_id=hit.pk, message="please")
    appeal_decide(operator=operator, appeal_id=appeal.pk, lift=False)
    assert Appeal.objects.get().status == AppealStatus.REFUSED
    with pytest.raises(Restricted):
        assignment_claim(worker=worker, project_id=project.pk)


def test_worker_agreement_counts_the_majority_of_the_others():
    rows = [(1, 10, "a"), (1, 11, "a"), (1, 12, "b"), (2, 10, "a"), (2, 11, "a")]
    assert worker_agreement(rows) == {10: (1, 1), 11: (1, 1), 12: (0, 1)}


def test_agreement_job_is_idempotent(make_project, make_user, do_work):
    project = make_project(items=4, overlap=3)
    _rule(project, "agreement", action="pause", min_answers=3, threshold=50)
    good, good2, odd = make_user(), make_user(), make_user()
    for _ in range(4):
        do_work(project, good, {"label": "pos"})
        do_work(project, good2, {"label": "pos"})
        do_work(project, odd, {"label": "neg"})
    assert agreement_evaluate() == {"projects": 1, "hits": 1}
    assert agreement_evaluate() == {"projects": 1, "hits": 0}
    agreement_task.call()  # the job as the task worker runs it
    hit = RuleHit.objects.get()
    assert hit.worker == odd and hit.kind == "agreement" and "0%" in hit.reason_text()
    assert Submission.objects.count() == 12


def test_agreement_hits_again_on_new_answers_when_the_window_count_repeats(
    make_project, make_user, do_work, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr("datadam.quality.agreement.RECENT_ANSWERS", 9)  # 3 items × 3
    project = make_project(items=6, overlap=3)
    _rule(project, "agreement", action="pause", min_answers=3, threshold=50)
    good, good2, odd = make_user(), make_user(), make_user()

    def round_of(n: int) -> None:
        for _ in range(n):
            do_work(project, good, {"label": "pos"})
            do_work(project, good2, {"label": "pos"})
            do_work(project, odd, {"label": "neg"})

    round_of(3)
    assert agreement_evaluate() == {"projects": 1, "hits": 1}
    RuleHit.objects.update(lifted_at=timezone.now())  # an operator lifts the pause
    round_of(3)  # three newer items: the window again compares 3 answers of the worker
    assert agreement_evaluate() == {"projects": 1, "hits": 1}
    assert agreement_evaluate() == {"projects": 1, "hits": 0}  # and still once per answers
    assert RuleHit.objects.filter(worker=odd).count() == 2

"""Racing claims in real threads: a gold item never goes twice to one worker, and the
funded gold budget is never overspent. Runs on both databases (SQLite queues writers);
on PostgreSQL the claims truly overlap."""

from __future__ import annotations

import pytest
from django.db.models import Count

from datadam.quality.models import QualityPolicy, WorkerQuality
from datadam.work.models import Assignment
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db(transaction=True)


def _errors(results):
    return [r for r in results if isinstance(r, BaseException)]


def test_racing_claims_of_one_worker_never_double_serve_gold(gold_project, worker, race,
                                                             monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=40, golds=10, rate=50, gold_min_answers=1000)

    def work(_i: int) -> int:
        done = 0
        for _ in range(5):
            a = assignment_claim(worker=worker, project_id=project.pk)
            if a is None:
                break
            try:
                assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
                done += 1
            except Exception:  # another thread submitted this shared lease first
                pass
        return done

    results = race(6, work)
    assert not _errors(results), _errors(results)
    mine = Assignment.objects.filter(worker=worker)
    assert not mine.values("item").annotate(n=Count("pk")).filter(n__gt=1).exists()
    gold = mine.filter(item__gold__isnull=False)
    stats = WorkerQuality.objects.get(worker=worker, project=project)
    assert gold.count() == stats.gold_served > 0
    assert gold.values("item").distinct().count() == gold.count()


def test_racing_workers_never_overspend_the_gold_budget(gold_project, make_user, race,
                                                        monkeypatch, ledger_ok):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=6, golds=3, rate=25)  # ceil(6 × 25 / 75) = 2 gold funded
    assert QualityPolicy.objects.get(project=project).gold_left == 2
    workers = [make_user() for _ in range(6)]

    def claim(i: int):
        a = assignment_claim(worker=workers[i], project_id=project.pk)
        assignment_submit(worker=workers[i], assignment_id=a.pk, answer={"label": "pos"})
        return a

    results = race(6, claim)
    assert not _errors(results), _errors(results)
    assert Assignment.objects.filter(item__gold__isnull=False).count() == 2
    assert QualityPolicy.objects.get(project=project).gold_left == 0
    ledger_ok()

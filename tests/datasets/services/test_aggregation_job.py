"""The platform's aggregation job: stored results, worker estimates, gold, idempotence."""

from __future__ import annotations

import pytest

from datadam.datasets.aggregation import results_aggregate, results_request
from datadam.datasets.models import AggregationState, ItemResult, WorkerEstimate
from datadam.projects.models import Item
from datadam.review.services import review_decide

pytestmark = pytest.mark.django_db


def _crowd(make_user, n: int = 3):
    return [make_user("worker") for _ in range(n)]


def test_job_stores_results_and_estimates_and_twice_is_the_same(make_project, make_user, do_work):
    project = make_project(items=4, overlap=3, review_policy="auto")
    workers = _crowd(make_user)
    answers = {0: "pos", 1: "pos", 2: "neg"}
    for i, w in enumerate(workers):
        for _ in range(4):
            do_work(project, w, {"label": answers[i]})
    first = results_aggregate(project_id=project.pk)
    assert first["items"] == 4 and first["labels"] == 12
    rows = {r.item_id: (r.label, r.confidence, r.answers) for r in ItemResult.objects.all()}
    assert {label for label, _c, _n in rows.values()} == {"pos"}
    assert all(n == 3 and 0.5 < c <= 1 for _l, c, n in rows.values())
    estimates = dict(WorkerEstimate.objects.values_list("worker_id", "n_labels"))
    assert estimates == {w.pk: 4 for w in workers}
    second = results_aggregate(project_id=project.pk)
    assert second["run"] == first["run"] + 1
    again = {r.item_id: (r.label, r.confidence, r.answers) for r in ItemResult.objects.all()}
    assert again == rows
    assert WorkerEstimate.objects.count() == 3


def test_rejected_answers_drop_out_and_stale_results_are_removed(
    make_project, make_user, do_work, reviewer
):
    project = make_project(items=1, overlap=1, review_policy="auto")
    submission = do_work(project, make_user("worker"), {"label": "neg"})
    results_aggregate(project_id=project.pk)
    assert ItemResult.objects.get().label == "neg"
    review_decide(reviewer=reviewer, submission_id=submission.pk, decision="reject",
                  reason_code="wrong_answer")
    results_aggregate(project_id=project.pk)
    assert not ItemResult.objects.exists()


def test_gold_items_teach_the_model_and_are_left_out_of_the_results(
    make_project, make_user, do_work
):
    project = make_project(items=6, overlap=2, aggregation_method="ds", review_policy="auto")
    gold_ids = list(Item.objects.filter(project=project).values_list("pk", flat=True))
    Item.objects.filter(pk__in=gold_ids[:2]).update(gold={"label": "neg"})
    good, bad = make_user("worker"), make_user("worker")
    for _ in range(6):
        do_work(project, good, {"label": "neg"})
        do_work(project, bad, {"label": "pos"})
    out = results_aggregate(project_id=project.pk)
    assert out["gold"] == 2 and out["items"] == 4
    assert not ItemResult.objects.filter(item_id__in=gold_ids[:2]).exists()
    # Gold showed that "bad" answers wrongly, so the crowd's label follows "good".
    assert set(ItemResult.objects.values_list("label", flat=True)) == {"neg"}
    skills = dict(WorkerEstimate.objects.values_list("worker_id", "skill"))
    assert skills[good.pk] > skills[bad.pk]
    state = AggregationState.objects.get(project=project)
    assert (state.gold_total, state.gold_correct) == (2, 2)


def test_request_is_debounced_to_one_job(make_project, make_user, do_work):
    from django_tasks_db.models import DBTaskResult

    project = make_project(items=3, overlap=1, review_policy="auto")
    worker = make_user("worker")
    for _ in range(3):
        do_work(project, worker)  # each submit requests an aggregation
    jobs = DBTaskResult.objects.filter(task_path__endswith="aggregate_task")
    assert jobs.count() == 1
    assert AggregationState.objects.get(project=project).requested
    results_aggregate(project_id=project.pk)
    assert not AggregationState.objects.get(project=project).requested
    assert results_request(project_id=project.pk) is True
    assert jobs.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_leave_one_complete_set_of_results(make_project, make_user, do_work,
                                                            race):
    project = make_project(items=5, overlap=2, review_policy="auto")
    a, b = make_user("worker"), make_user("worker")
    for _ in range(5):
        do_work(project, a, {"label": "neu"})
        do_work(project, b, {"label": "neu"})
    outcomes = race(2, lambda i: results_aggregate(project_id=project.pk))
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    state = AggregationState.objects.get(project=project)
    assert state.run == 2 and state.n_items == 5
    assert ItemResult.objects.filter(project=project).count() == 5
    assert set(ItemResult.objects.values_list("label", flat=True)) == {"neu"}

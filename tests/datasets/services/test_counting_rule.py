"""One rule for which answers count: results, confidence, card, export and samples agree."""

from __future__ import annotations

import pytest

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.export import item_results
from datadam.datasets.models import AggregationState, ItemResult
from datadam.datasets.selectors import dataset_card, quality_panel
from datadam.datasets.services import sample_create
from datadam.errors import Conflict
from datadam.projects.models import Item
from datadam.review.services import review_decide

pytestmark = pytest.mark.django_db


def _export(project):
    items = list(Item.objects.filter(project=project, gold__isnull=True).order_by("pk")
                 .values("pk", "external_id", "data"))
    return {row["item_id"]: row["result"] for row in item_results(project, items)}


def test_under_manual_review_an_answer_awaiting_review_counts_nowhere(
    make_project, make_user, do_work, client_org
):
    project = make_project(items=2, overlap=1, review_policy="manual")
    worker = make_user("worker")
    do_work(project, worker, {"label": "pos"})
    do_work(project, worker, {"label": "neg"})
    out = results_aggregate(project_id=project.pk)
    assert out["items"] == 0 and not ItemResult.objects.exists()
    assert set(_export(project).values()) == {None}
    card = dataset_card(project)
    assert card["results"] == 0 and card["counting"]["counted"] == ["approved"]
    assert card["accuracy"]["estimate"] is None
    with pytest.raises(Conflict):
        sample_create(user=client_org[0], project_id=project.pk, aql=0.025)


def test_an_approved_answer_counts_and_its_result_is_final(
    make_project, make_user, do_work, reviewer
):
    project = make_project(items=1, overlap=1, review_policy="manual", aggregation_method="mv")
    submission = do_work(project, make_user("worker"), {"label": "neu"})
    review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")
    results_aggregate(project_id=project.pk)
    row = ItemResult.objects.get()
    assert (row.label, row.provisional) == ("neu", False)
    assert next(iter(_export(project).values()))["label"] == "neu"


def test_under_auto_review_a_pending_answer_gives_a_provisional_result_never_certain(
    make_project, make_user, do_work, client_org
):
    project = make_project(items=1, overlap=1, review_policy="auto", aggregation_method="mv")
    do_work(project, make_user("worker"), {"label": "pos"})
    results_aggregate(project_id=project.pk)
    row = ItemResult.objects.get()
    assert row.provisional is True
    assert 0.5 < row.confidence < 0.9  # one answer of a worker of unknown skill
    exported = next(iter(_export(project).values()))
    assert exported["provisional"] is True and exported["confidence"] < 0.9
    assert dataset_card(project)["results_provisional"] == 1
    assert quality_panel(project)["result_counts"] == {"total": 1, "provisional": 1, "final": 0}
    # A provisional result is not delivered: nothing to sample yet, and the refusal says why.
    with pytest.raises(Conflict, match="awaiting review"):
        sample_create(user=client_org[0], project_id=project.pk, aql=0.025)


def test_a_decided_answer_makes_the_exported_result_final_before_the_next_run(
    make_project, make_user, do_work, reviewer
):
    project = make_project(items=1, overlap=1, review_policy="auto", aggregation_method="mv")
    submission = do_work(project, make_user("worker"), {"label": "pos"})
    results_aggregate(project_id=project.pk)
    review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")
    exported = next(iter(_export(project).values()))
    assert exported["provisional"] is False and exported["method"] == "current"
    results_aggregate(project_id=project.pk)
    assert ItemResult.objects.get().provisional is False
    assert AggregationState.objects.get(project=project).n_provisional == 0


def test_rejected_and_returned_answers_never_count(make_project, make_user, do_work, reviewer):
    project = make_project(items=2, overlap=1, review_policy="auto")
    worker = make_user("worker")
    first = do_work(project, worker, {"label": "pos"})
    second = do_work(project, worker, {"label": "neg"})
    review_decide(reviewer=reviewer, submission_id=first.pk, decision="reject",
                  reason_code="wrong_answer")
    review_decide(reviewer=reviewer, submission_id=second.pk, decision="return",
                  reason_code="wrong_answer", comment="look again")
    assert results_aggregate(project_id=project.pk)["items"] == 0
    assert set(_export(project).values()) == {None}


def test_wrong_answers_to_gold_enter_the_gold_check(make_project, make_user, do_work):
    """A wrong gold answer is rejected by the gold check; it must still count as evidence,
    or the gold accuracy could only ever read 100 %."""
    project = make_project(items=4, overlap=1, review_policy="manual", aggregation_method="mv")
    ids = list(Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    Item.objects.filter(pk__in=ids).update(gold={"label": "neg"})
    worker = make_user("worker")
    for _ in range(4):
        do_work(project, worker, {"label": "pos"})  # every one wrong
    results_aggregate(project_id=project.pk)
    state = AggregationState.objects.get(project=project)
    assert state.gold_total == 4 and state.gold_correct == 0
    accuracy = dataset_card(project)["accuracy"]
    assert accuracy["source"] == "gold" and accuracy["estimate"] == 0


def test_samples_draw_only_delivered_results(make_project, make_user, do_work, reviewer,
                                             client_org):
    project = make_project(items=3, overlap=1, review_policy="auto", aggregation_method="mv")
    worker = make_user("worker")
    subs = [do_work(project, worker, {"label": "pos"}) for _ in range(3)]
    review_decide(reviewer=reviewer, submission_id=subs[0].pk, decision="approve")
    results_aggregate(project_id=project.pk)
    sample = sample_create(user=client_org[0], project_id=project.pk, aql=0.1)
    assert sample.lot_size == 1
    assert list(sample.items.values_list("item_id", flat=True)) == [subs[0].assignment.item_id]

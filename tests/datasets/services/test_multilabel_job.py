"""The aggregation job on multi-label projects: label sets stored, idempotent, gold used."""

from __future__ import annotations

import pytest

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.models import AggregationState, ItemResult, WorkerEstimate
from datadam.datasets.overlap import item_confidence
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db

MULTI = {"labels": ["a", "b", "c"], "multi_label": True}


def _stored():
    return {r.item_id: (r.label, r.result, r.confidence, r.answers, r.method)
            for r in ItemResult.objects.all()}


def test_job_stores_label_sets_with_probabilities_and_twice_is_the_same(
    make_project, make_user, do_work
):
    project = make_project(items=4, overlap=3, config=MULTI, aggregation_method="mv",
                           review_policy="auto")
    workers = [make_user("worker") for _ in range(3)]
    plan = {0: ["a", "c"], 1: ["a"], 2: ["a", "c"]}
    for i, w in enumerate(workers):
        for _ in range(4):
            do_work(project, w, {"labels": plan[i]})
    first = results_aggregate(project_id=project.pk)
    assert first["items"] == 4 and first["labels"] == 12
    rows = _stored()
    assert len(rows) == 4
    for label, result, confidence, answers, method in rows.values():
        assert label == "a, c" and result["labels"] == ["a", "c"]
        assert result["probabilities"] == {"a": 1.0, "b": 0.0, "c": pytest.approx(0.6667)}
        # The least certain decision (c: yes, no, yes) as a one-coin posterior, not a vote
        # share: skills 1, 2/3, 1 on 12 votes each, shrunk towards 0.7 with 4 pseudo-votes,
        # are 0.925, 0.675, 0.925; p(yes) = .925·.325·.925 / (that + .075·.675·.075).
        yes, no = 0.925 * 0.325 * 0.925, 0.075 * 0.675 * 0.075
        assert confidence == pytest.approx(yes / (yes + no), abs=1e-5)
        assert answers == 3 and method == "mv"
    # Worker estimates from the binary fit: 3 yes/no votes per answer.
    estimates = dict(WorkerEstimate.objects.values_list("worker_id", "n_labels"))
    assert estimates == {w.pk: 12 for w in workers}
    skills = dict(WorkerEstimate.objects.values_list("worker_id", "skill"))
    assert skills[workers[0].pk] == 1.0 and skills[workers[1].pk] == pytest.approx(2 / 3)
    second = results_aggregate(project_id=project.pk)
    assert second["run"] == first["run"] + 1
    assert _stored() == rows
    assert AggregationState.objects.get(project=project).n_items == 4


def test_gold_label_sets_teach_the_binary_model_and_are_left_out(
    make_project, make_user, do_work
):
    project = make_project(items=6, overlap=2, config=MULTI, aggregation_method="ds",
                           review_policy="auto")
    gold_ids = list(Item.objects.filter(project=project).values_list("pk", flat=True))
    Item.objects.filter(pk__in=gold_ids[:2]).update(gold={"labels": ["b"]})
    good, bad = make_user("worker"), make_user("worker")
    for _ in range(6):
        do_work(project, good, {"labels": ["b"]})
        do_work(project, bad, {"labels": ["a", "c"]})
    out = results_aggregate(project_id=project.pk)
    assert out["gold"] == 2 and out["items"] == 4
    assert not ItemResult.objects.filter(item_id__in=gold_ids[:2]).exists()
    # Without gold the two workers tie; gold shows "bad" wrong, so the sets follow "good".
    assert {r.label for r in ItemResult.objects.all()} == {"b"}
    skills = dict(WorkerEstimate.objects.values_list("worker_id", "skill"))
    assert skills[good.pk] > skills[bad.pk]
    state = AggregationState.objects.get(project=project)
    assert (state.gold_total, state.gold_correct) == (2, 2)


def test_dynamic_overlap_judges_multi_label_items_by_their_least_certain_label(
    make_project, make_user, do_work
):
    project = make_project(items=1, config=MULTI, min_answers=2, max_answers=4,
                           target_confidence=0.8, review_policy="auto")
    item = Item.objects.get(project=project)
    do_work(project, make_user("worker"), {"labels": ["a"]})
    do_work(project, make_user("worker"), {"labels": ["a"]})
    confidence, answers = item_confidence(project, item.pk)
    assert answers == 2 and confidence >= 0.8  # 0.49 / (0.49 + 0.09) at skill 0.7
    item.refresh_from_db()
    assert item.slots_open == 0  # both agree on every label: done

    split = make_project(items=1, config=MULTI, min_answers=2, max_answers=4,
                         target_confidence=0.8, review_policy="auto")
    other = Item.objects.get(project=split)
    do_work(split, make_user("worker"), {"labels": ["a"]})
    do_work(split, make_user("worker"), {"labels": ["a", "b"]})
    confidence, _ = item_confidence(split, other.pk)
    assert confidence == pytest.approx(0.5, abs=0.01)  # label b: one yes, one no
    other.refresh_from_db()
    assert other.slots_open == 1

"""The aggregation job on kinds fused item by item (boxes here): results, skills, gold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.export import item_results, iter_item_chunks
from datadam.datasets.models import AggregationState, ItemResult, WorkerEstimate
from datadam.datasets.overlap import item_confidence
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db

CONFIG = {"labels": ["car", "person"]}
CAR = {"label": "car", "box": [10, 10, 100, 50]}
PERSON = {"label": "person", "box": [200, 100, 30, 80]}


def _box_project(make_project, client_org, items=3, gold=None, **fields):
    project = make_project(items=0, launch=False, kind="bounding_box", config=CONFIG,
                           review_policy="auto", **fields)
    user, _org = client_org
    records = [{"data": {"image": f"/media/{i}.png", "width": 400, "height": 300}}
               for i in range(items)]
    for i, answer in enumerate(gold or []):
        records.append({"data": {"image": f"/media/g{i}.png", "width": 400, "height": 300},
                        "gold": answer})
    report = items_import(user=user, project_id=project.pk, lines=parse_records(records))
    assert report.ok, report.errors
    from datadam.projects.services import project_launch

    project = project_launch(user=user, project_id=project.pk)
    project.refresh_from_db()
    return project


def test_box_results_are_fused_per_item_with_agreement_and_twice_is_the_same(
    make_project, client_org, make_user, do_work
):
    project = _box_project(make_project, client_org, items=2, overlap=3)
    workers = [make_user("worker") for _ in range(3)]
    answers = [{"boxes": [CAR, PERSON]}, {"boxes": [CAR, PERSON]}, {"boxes": [CAR]}]
    for w, answer in zip(workers, answers, strict=True):
        for _ in range(2):
            do_work(project, w, answer)
    first = results_aggregate(project_id=project.pk)
    assert first["items"] == 2 and first["labels"] == 6
    rows = list(ItemResult.objects.order_by("item_id").values_list(
        "label", "result", "confidence", "answers", "method", "provisional"))
    label, result, confidence, n, method, provisional = rows[0]
    assert label == "car, person" and method == "fusion" and n == 3 and provisional
    assert [b["label"] for b in result["boxes"]] == ["car", "person"]
    # Weights are the skills below shrunk towards 0.7 by 4 pseudo-answers (2 answers each).
    w_full, w_missed = (1.0 * 2 + 2.8) / 6, (2 / 3 * 2 + 2.8) / 6
    assert result["boxes"][1]["score"] == pytest.approx(
        2 * w_full / (2 * w_full + w_missed), abs=1e-3)
    assert 0.5 < confidence < 1
    # Each worker is scored against the others' fused result: the one who missed the
    # person scores F1 2/3 on both items; the others each agree with one partner of two.
    skills = dict(WorkerEstimate.objects.values_list("worker_id", "skill"))
    assert skills[workers[2].pk] == pytest.approx(2 / 3)
    assert skills[workers[0].pk] == pytest.approx(1.0)
    state = AggregationState.objects.get(project=project)
    assert state.chosen == "fusion" and state.n_items == 2 and state.n_provisional == 2
    second = results_aggregate(project_id=project.pk)
    assert second["run"] == first["run"] + 1
    assert list(ItemResult.objects.order_by("item_id").values_list(
        "label", "result", "confidence", "answers", "method", "provisional")) == rows


def test_gold_items_score_workers_and_are_judged_with_tolerance_not_stored(
    make_project, client_org, make_user, do_work
):
    gold = {"boxes": [CAR]}
    project = _box_project(make_project, client_org, items=1, gold=[gold], overlap=2)
    good, sloppy = make_user("worker"), make_user("worker")
    item = Item.objects.get(project=project, gold__isnull=False)
    now = timezone.now()
    for worker, box in ((good, [12, 11, 97, 50]), (sloppy, [150, 150, 40, 40])):
        assignment = Assignment.objects.create(
            project=project, item=item, worker=worker, status=AssignmentStatus.APPROVED,
            leased_at=now, expires_at=now + timedelta(minutes=5))
        Submission.objects.create(assignment=assignment, duration_ms=5000,
                                  answer={"boxes": [{"label": "car", "box": box}]})
    out = results_aggregate(project_id=project.pk)
    assert out["gold"] == 1
    assert ItemResult.objects.count() == 0  # gold items are not data
    skills = dict(WorkerEstimate.objects.values_list("worker_id", "skill"))
    assert skills[good.pk] == 1.0 and skills[sloppy.pk] == 0.0
    state = AggregationState.objects.get(project=project)
    # The crowd's fused box weighs the good worker (skill 1) over the sloppy one (skill 0):
    # it lands within tolerance of gold.
    assert state.gold_total == 1 and state.gold_correct == 1


def test_dynamic_overlap_and_the_export_judge_new_box_answers_by_fusion(
    make_project, client_org, make_user, do_work
):
    project = _box_project(make_project, client_org, items=1, overlap=2)
    a, b = make_user("worker"), make_user("worker")
    do_work(project, a, {"boxes": [CAR]})
    item = Item.objects.get(project=project)
    confidence, n = item_confidence(project, item.pk)
    assert n == 1 and confidence == pytest.approx(0.7)  # a lone answer: its worker's weight
    do_work(project, b, {"boxes": [PERSON]})
    confidence, n = item_confidence(project, item.pk)
    # They drew different objects: each a cluster with half the weight and a perfect fit.
    assert n == 2 and confidence == pytest.approx(0.5)
    [records] = list(iter_item_chunks(project))
    [record] = list(item_results(project, records))
    assert record["result"]["method"] == "current" and record["result"]["answers"] == 2
    assert "boxes" in record["result"]


def test_the_dataset_card_says_what_right_means_for_boxes_and_reports_agreement(
    make_project, client_org
):
    from datadam.datasets.selectors import dataset_card

    project = _box_project(make_project, client_org, items=1, overlap=2)
    card = dataset_card(project)
    assert card["aggregation_kind"] == "item"
    assert "IoU ≥ 0.5" in card["correct_means"] and "0.8" in card["correct_means"]
    text = make_project(items=1)
    assert dataset_card(text)["aggregation_kind"] == "labels"

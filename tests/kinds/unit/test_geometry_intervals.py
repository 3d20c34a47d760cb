"""Labelled 1-D intervals: temporal IoU, Hungarian matching, weighted-median fusion, F1."""

from __future__ import annotations

import pytest

from datadam.kinds.geometry import intervals as iv


def test_iou_is_overlap_over_union_and_zero_apart():
    assert iv.iou((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert iv.iou((0, 10), (0, 10)) == 1.0
    assert iv.iou((0, 1), (2, 3)) == 0.0
    assert iv.iou((0, 1), (1, 2)) == 0.0  # touching is not overlapping
    m = iv.iou_matrix([(0, 4), (10, 12)], [(1, 3), (11, 12), (20, 30)])
    assert m.shape == (2, 3)
    assert m[0, 0] == pytest.approx(0.5) and m[1, 1] == pytest.approx(0.5)
    assert iv.iou_matrix([], [(0, 1)]).shape == (0, 1)


@pytest.mark.parametrize("bad", [(5, 5), (5, 1), (0, float("nan")), (0,)])
def test_an_interval_must_be_finite_and_end_after_it_starts(bad):
    with pytest.raises(ValueError):
        iv.Interval("a", bad)


def test_intervals_are_read_from_mappings_and_pairs():
    assert iv.as_interval({"label": "goal", "start": 1, "end": 2.5}) == iv.Interval(
        "goal", (1.0, 2.5))
    assert iv.as_interval(("goal", (1, 2))).span == (1.0, 2.0)
    with pytest.raises(ValueError):
        iv.as_interval({"label": "x", "start": 1})


def test_matching_is_one_to_one_same_label_and_globally_best():
    a = [("x", (0, 10)), ("x", (8, 20))]
    b = [("x", (9, 19)), ("x", (1, 10)), ("y", (0, 10))]
    pairs = sorted(iv.match(a, b, min_iou=0.5))
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 0)]
    assert iv.match([("x", (0, 10))], [("x", (6, 16))], min_iou=0.5) == []


def test_weighted_median_splits_the_weight_and_averages_an_even_split():
    assert iv.weighted_median([1, 2, 3], [1, 1, 1]) == 2
    assert iv.weighted_median([1, 2], [1, 1]) == 1.5
    assert iv.weighted_median([1, 2, 30], [1, 1, 5]) == 30
    assert iv.weighted_median([1, 2, 3], [0, 0, 0]) == 2  # no weight: all count alike
    with pytest.raises(ValueError):
        iv.weighted_median([], [])


def test_fusion_takes_the_median_edges_so_one_stray_edge_does_not_move_them():
    answers = [[("goal", (2.0, 5.0))], [("goal", (2.2, 5.1))], [("goal", (1.0, 5.05))]]
    fused = iv.fuse_intervals(answers, [1, 1, 1], min_iou=0.5, min_agreement=0.5)
    (seg,) = fused.shapes
    assert seg.label == "goal" and seg.shape == pytest.approx((2.0, 5.05))
    assert seg.score == pytest.approx(1.0)
    assert 0.8 < fused.agreement < 1.0


def test_fusion_keeps_a_segment_only_with_enough_weight_and_sorts_by_time():
    answers = [[("a", (10, 12)), ("b", (0, 3))], [("a", (10, 12)), ("b", (0, 3))],
               [("a", (10, 12)), ("c", (5, 6))]]
    fused = iv.fuse_intervals(answers, None, min_iou=0.5, min_agreement=0.5)
    assert [(s.label, s.shape) for s in fused.shapes] == [("b", (0, 3)), ("a", (10, 12))]
    # Three clusters: a (all, fit 1), b (2/3, fit 1), c (1/3, fit 1).
    assert fused.agreement == pytest.approx((1 + 2 / 3 + 1 / 3) / 3)
    heavy = iv.fuse_intervals(answers, [0.1, 0.1, 1.0], min_iou=0.5, min_agreement=0.5)
    assert [s.label for s in heavy.shapes] == ["c", "a"]


def test_everyone_marking_nothing_is_full_agreement_on_nothing():
    fused = iv.fuse_intervals([[], []], [1, 1])
    assert fused.shapes == () and fused.agreement == 1.0


def test_medians_that_cross_fall_back_to_means_that_keep_the_order():
    start, end = iv.fuse_spans([(0.0, 1.0), (0.9, 1.0), (0.95, 0.96)], [1, 1, 1])
    assert end > start


def test_gold_score_is_the_f1_of_the_temporal_matching():
    gold = [("goal", (2, 5)), ("foul", (8, 9))]
    assert iv.score_against_gold(gold, gold) == 1.0
    assert iv.score_against_gold([("goal", (2.2, 5.1))], gold, min_iou=0.5) == pytest.approx(
        2 / 3)
    assert iv.score_against_gold([("foul", (2, 5))], gold) == 0.0
    assert iv.score_against_gold([], []) == 1.0
    assert iv.score_against_gold([], gold) == 0.0

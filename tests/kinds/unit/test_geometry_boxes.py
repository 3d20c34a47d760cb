"""Box IoU, Hungarian matching and box fusion on hand-built cases (plain numpy, no database)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from datadam.kinds.geometry.boxes import (
    Box,
    as_box,
    fuse_boxes,
    iou_matrix,
    match,
    score_against_gold,
)

ROOT = Path(__file__).resolve().parents[3]
CAR = Box("car", (0, 0, 10, 10))
PERSON = Box("person", (50, 50, 20, 40))


def test_iou_matrix_matches_hand_computed_values():
    a = np.array([[0, 0, 10, 10], [2, 2, 5, 5]])
    b = np.array([[5, 0, 10, 10], [0, 0, 10, 10], [20, 20, 5, 5]])
    expected = [
        [50 / 150, 1.0, 0.0],  # half overlap; identical; disjoint
        [10 / 115, 25 / 100, 0.0],  # 2×5 overlap; contained in the 10×10 box
    ]
    assert iou_matrix(a, b) == pytest.approx(np.array(expected))
    assert iou_matrix(a, np.zeros((0, 4))).shape == (2, 0)


@pytest.mark.parametrize(
    "boxes, message",
    [
        ([[0, 0, -1, 5]], "negative width"),
        ([[0, float("nan"), 1, 5]], "NaN"),
        ([[0, 0, 1]], "n×4"),
    ],
)
def test_iou_matrix_rejects_bad_boxes_with_a_clear_message(boxes, message):
    with pytest.raises(ValueError, match=message):
        iou_matrix(np.array(boxes), np.array([[0, 0, 1, 1]]))


@pytest.mark.parametrize(
    "xywh, message",
    [
        ((0, 0, -3, 5), "positive width"),
        ((0, 0, 0, 5), "positive width"),
        ((0, 0, 3), "4 numbers"),
        ((float("inf"), 0, 3, 3), "finite"),
    ],
)
def test_a_box_with_a_bad_size_or_coordinate_is_refused(xywh, message):
    with pytest.raises(ValueError, match=message):
        Box("car", xywh)


def test_boxes_read_from_mappings_and_pairs():
    assert as_box({"label": "car", "box": [0, 0, 10, 10]}) == CAR
    assert as_box(("car", (0, 0, 10, 10))) == CAR
    with pytest.raises(ValueError, match="'box' key"):
        as_box({"label": "car"})


def test_hungarian_matching_finds_the_global_best_where_greedy_would_not():
    # Interval IoUs (equal heights): a0-b0 .82 is the single best pair, but taking it leaves
    # a1-b1 at .25; the global optimum pairs a0-b1 (.54) and a1-b0 (.67), both above .5.
    a = [Box("car", (0, 0, 10, 10)), Box("car", (3, 0, 10, 10))]
    b = [Box("car", (1, 0, 10, 10)), Box("car", (-3, 0, 10, 10))]
    iou = iou_matrix(np.array([x.xywh for x in a]), np.array([x.xywh for x in b]))
    assert iou.argmax() == 0 and iou[1, 1] < 0.5  # greedy would take a0-b0 and strand a1
    pairs = match(a, b, min_iou=0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 0)]
    assert [s for _, _, s in pairs] == pytest.approx([7 / 13, 8 / 12])


def test_matching_never_pairs_boxes_of_different_labels():
    assert match([CAR], [Box("truck", CAR.xywh)]) == []
    assert match([CAR, PERSON], [PERSON, CAR]) == [(0, 1, 1.0), (1, 0, 1.0)]


def test_three_workers_drawing_the_same_boxes_fuse_to_them_with_full_agreement():
    result = fuse_boxes([[CAR, PERSON]] * 3)
    assert [(s.label, s.shape, s.score) for s in result.shapes] == [
        ("car", CAR.xywh, 1.0),
        ("person", PERSON.xywh, 1.0),
    ]
    assert result.agreement == 1.0


@pytest.mark.parametrize("min_agreement, kept", [(0.5, True), (2 / 3, True), (0.7, False)])
def test_a_box_one_worker_missed_keeps_two_thirds_share_and_the_threshold_decides(
    min_agreement, kept
):
    result = fuse_boxes([[CAR, PERSON], [CAR, PERSON], [CAR]], min_agreement=min_agreement)
    person = [s for s in result.shapes if s.label == "person"]
    assert bool(person) is kept
    if kept:
        assert person[0].score == pytest.approx(2 / 3)
    # Agreement: mean over clusters of share × fit = (1·1 + 2/3·1) / 2.
    assert result.agreement == pytest.approx(5 / 6)


def test_labels_never_mix_even_for_identical_boxes():
    result = fuse_boxes([[CAR], [Box("truck", CAR.xywh)]], min_agreement=0.5)
    assert sorted((s.label, s.score) for s in result.shapes) == [("car", 0.5), ("truck", 0.5)]
    assert result.agreement == pytest.approx(0.5)


def test_a_low_skill_outlier_moves_the_fused_box_less_than_a_high_skill_one():
    answers = [[CAR], [CAR], [Box("car", (3, 0, 10, 10))]]  # the outlier still overlaps .54
    low = fuse_boxes(answers, [1.0, 1.0, 0.2]).shapes[0].shape
    high = fuse_boxes(answers, [1.0, 1.0, 2.0]).shapes[0].shape
    assert low[0] == pytest.approx(3 * 0.2 / 2.2)
    assert high[0] == pytest.approx(3 * 2.0 / 4.0)
    assert low[1:] == high[1:] == (0.0, 10.0, 10.0)


def test_a_worker_adds_at_most_one_box_to_a_cluster():
    double = [CAR, Box("car", (0.5, 0, 10, 10))]  # the same car drawn twice
    result = fuse_boxes([double, [CAR]], min_agreement=0.0)
    assert [s.score for s in result.shapes] == [1.0, 0.5]
    assert result.shapes[0].shape == CAR.xywh


def test_agreement_weighs_each_cluster_by_share_and_by_fit_to_the_fused_box():
    shifted = Box("car", (5, 0, 10, 10))
    result = fuse_boxes([[CAR], [shifted]], min_iou=0.3)
    fused = result.shapes[0].shape
    assert fused == pytest.approx((2.5, 0, 10, 10))
    fit = (75 / 125 + 75 / 125) / 2  # each member against the fused box
    assert result.agreement == pytest.approx(1.0 * fit)


def test_workers_who_all_drew_nothing_agree_fully_on_no_boxes():
    result = fuse_boxes([[], [], []])
    assert result.shapes == () and result.agreement == 1.0


def test_the_highest_weight_worker_anchors_and_ties_follow_input_order():
    other = Box("car", (1, 0, 10, 10))
    assert fuse_boxes([[CAR], [other]], [1, 1], min_agreement=0).shapes[0].shape == (
        pytest.approx((0.5, 0, 10, 10))
    )
    far = fuse_boxes([[CAR], [Box("car", (9, 0, 10, 10))]], [1, 3], min_agreement=0)
    assert [s.shape[0] for s in far.shapes] == [9.0, 0.0]  # the heavier worker's box first


@pytest.mark.parametrize(
    "weights, message",
    [([1.0], "1 weights for 2"), ([1.0, -1.0], "non-negative"), ([0, 0], "positive weight")],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ValueError, match=message):
        fuse_boxes([[CAR], [CAR]], weights)


def test_gold_score_is_the_f1_of_the_hungarian_matching():
    assert score_against_gold([CAR, PERSON], [CAR]) == pytest.approx(2 / 3)
    assert score_against_gold([CAR], [CAR, PERSON]) == pytest.approx(2 / 3)
    assert score_against_gold([Box("car", (8, 8, 10, 10))], [CAR]) == 0.0
    assert score_against_gold([], [CAR]) == 0.0
    assert score_against_gold([], []) == 1.0


def test_the_geometry_package_imports_no_django():
    # datadam.kinds' own __init__ registers the Django task kinds, so stand in a bare
    # package for it: what must stay Django-free is the geometry package itself.
    script = textwrap.dedent(
        f"""
        import sys, types
        kinds = types.ModuleType("datadam.kinds")
        kinds.__path__ = [{str(ROOT / "datadam" / "kinds")!r}]
        sys.modules["datadam.kinds"] = kinds
        import datadam.kinds.geometry
        from datadam.kinds.geometry import boxes, keypoints, polygons, text
        bad = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "ninja"))
        print(",".join(bad))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""


def test_a_minimum_iou_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="minimum similarity"):
        fuse_boxes([[CAR]], min_iou=0)

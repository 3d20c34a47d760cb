"""COCO OKS and keypoint fusion on hand-built skeletons (no database)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from datadam.kinds.geometry.keypoints import (
    fuse_keypoints,
    geometric_median,
    oks,
    score_against_gold,
    weighted_median,
)

AREA = 10_000.0  # a 100×100 px object
POSE = {"head": (50.0, 10.0, True), "hand": (20.0, 60.0, True), "foot": (50.0, 95.0, True)}


def moved(pose, name, dx=0.0, dy=0.0, visible=True):
    x, y, _ = pose[name]
    return {**pose, name: (x + dx, y + dy, visible)}


def test_identical_skeletons_have_oks_one():
    assert oks(POSE, POSE, area=AREA) == 1.0


def test_oks_follows_the_coco_formula_with_default_sigma_and_falls_with_distance():
    # One of three points 10 px off: exp(−d² / (2·area·(2σ)²)) with σ = 0.05.
    expected = (2 + math.exp(-100 / (2 * AREA * 0.1**2))) / 3
    assert oks(moved(POSE, "hand", dx=10), POSE, area=AREA) == pytest.approx(expected)
    scores = [oks(moved(POSE, "hand", dx=d), POSE, area=AREA) for d in (0, 5, 10, 20, 40)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 5


def test_per_point_sigmas_loosen_or_tighten_a_point():
    off = moved(POSE, "hand", dx=10)
    loose = oks(off, POSE, area=AREA, sigmas={"hand": 0.2})
    tight = oks(off, POSE, area=AREA, sigmas={"hand": 0.02})
    assert tight < oks(off, POSE, area=AREA) < loose
    assert oks(off, POSE, area=AREA, sigmas=0.05) == oks(off, POSE, area=AREA)


def test_points_invisible_in_the_reference_are_ignored():
    reference = moved(POSE, "foot", visible=False)
    anywhere = moved(POSE, "foot", dx=500, dy=500)
    assert oks(anywhere, reference, area=AREA) == 1.0
    assert oks({k: v for k, v in POSE.items() if k != "foot"}, reference, area=AREA) == 1.0


def test_a_reference_point_the_answer_did_not_mark_visible_scores_zero():
    hidden = moved(POSE, "foot", visible=False)
    assert oks(hidden, POSE, area=AREA) == pytest.approx(2 / 3)
    assert oks({"head": POSE["head"]}, POSE, area=AREA) == pytest.approx(1 / 3)


def test_with_nothing_visible_in_the_reference_only_nothing_visible_matches():
    nothing = {k: (x, y, False) for k, (x, y, _) in POSE.items()}
    assert oks(nothing, nothing, area=AREA) == 1.0
    assert oks(POSE, nothing, area=AREA) == 0.0


@pytest.mark.parametrize(
    "answer, area, message",
    [
        ({"head": (1.0, float("nan"), True)}, AREA, "non-finite"),
        ({"head": (1.0, 2.0)}, AREA, "needs \\(x, y, visible\\)"),
        ({"head": (1.0, 2.0, "yes")}, AREA, "bool or 0/1/2"),
        ({"head": ("a", 2.0, True)}, AREA, "numeric"),
        (POSE, 0.0, "area must be a positive"),
    ],
)
def test_bad_keypoints_are_refused_with_a_clear_message(answer, area, message):
    with pytest.raises(ValueError, match=message):
        oks(answer, POSE, area=area)


def test_coco_visibility_flags_read_as_booleans():
    coco = {k: (x, y, 2) for k, (x, y, _) in POSE.items()}
    assert oks(coco, POSE, area=AREA) == 1.0


def test_one_worker_fuses_to_their_own_answer_with_full_agreement():
    result = fuse_keypoints([POSE], area=AREA)
    assert result.points == POSE and result.agreement == 1.0


def test_identical_answers_fuse_to_themselves_with_full_agreement():
    result = fuse_keypoints([POSE] * 3, area=AREA)
    assert result.points == POSE and result.agreement == 1.0


def test_an_outlier_worker_does_not_drag_the_robust_position():
    answers = [POSE, moved(POSE, "hand", dx=1), moved(POSE, "hand", dx=300, dy=300)]
    x, y, visible = fuse_keypoints(answers, area=AREA).points["hand"]
    assert visible
    assert 20.0 <= x <= 21.0 and y == pytest.approx(60.0, abs=1.0)
    assert (20 + 21 + 320) / 3 > 100  # where a plain mean would have put it


def test_visibility_is_a_weighted_majority():
    hidden = moved(POSE, "foot", visible=False)
    assert not fuse_keypoints([POSE, hidden, hidden], area=AREA).points["foot"][2]
    assert fuse_keypoints([POSE, hidden, hidden], [3, 1, 1], area=AREA).points["foot"][2]
    # Omitting a point counts as not visible.
    without = {k: v for k, v in POSE.items() if k != "foot"}
    assert not fuse_keypoints([POSE, without, without], area=AREA).points["foot"][2]


def test_agreement_is_the_mean_pairwise_oks():
    off = moved(POSE, "hand", dx=10)
    pair = oks(off, POSE, area=AREA)  # symmetric here: both mark every point visible
    assert fuse_keypoints([POSE, off], area=AREA).agreement == pytest.approx(pair)
    three = fuse_keypoints([POSE, POSE, off], area=AREA).agreement
    assert three == pytest.approx((1 + 2 * pair) / 3)


def test_weighted_and_geometric_medians_resist_outliers():
    assert weighted_median([1.0, 2.0, 100.0], [1, 1, 1]) == 2.0
    assert weighted_median([1.0, 2.0, 100.0], [1, 1, 5]) == 100.0
    pts = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0], [500.0, 500.0]])
    z = geometric_median(pts, np.ones(4))
    assert np.hypot(*(z - [1.0, 0.5])) < 1.0


def test_gold_score_is_the_oks_against_gold():
    off = moved(POSE, "hand", dx=10)
    assert score_against_gold(off, POSE, area=AREA) == oks(off, POSE, area=AREA)


def test_fusing_nothing_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        fuse_keypoints([], area=AREA)

"""Polygon IoU, polyline distance and polygon fusion on hand-built cases (no database)."""

from __future__ import annotations

import math

import pytest

from datadam.kinds.geometry.polygons import (
    Polygon,
    area,
    fuse_polygons,
    is_convex,
    polygon_iou,
    polygon_iou_bounds,
    polyline_distance,
    polyline_similarity,
    score_against_gold,
)


def square(x: float, y: float, side: float = 10) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]


# [0,10]×[0,4] ∪ [0,4]×[4,10]: area 64, concave at (4, 4).
L_SHAPE = [(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10)]
DIAMOND = [(6, -1), (13, 6), (6, 13), (-1, 6)]


def _intersection(p, q) -> float:
    """Exact intersection area of two convex polygons, from their exact IoU."""
    iou = polygon_iou(p, q)
    return iou * (area(p) + area(q)) / (1 + iou)


def test_two_overlapping_squares_have_the_exact_iou():
    iou, bound = polygon_iou_bounds(square(0, 0), square(2, 2))
    assert bound == 0.0  # both convex: clipped exactly
    assert iou == pytest.approx(64 / 136, abs=1e-12)  # 8×8 overlap, 100 + 100 − 64 union
    assert polygon_iou(square(0, 0), square(2, 2)[::-1]) == pytest.approx(64 / 136)


def test_iou_of_a_concave_l_shape_is_within_the_documented_bound():
    # Against an off-grid square: [1.3,10]×[1.7,4] + [1.3,4]×[4,10] overlap it.
    other = square(1.3, 1.7)
    inter = 8.7 * 2.3 + 2.7 * 6
    exact = inter / (64 + 100 - inter)
    iou, bound = polygon_iou_bounds(L_SHAPE, other)
    assert 0 < bound < 0.02
    assert abs(iou - exact) <= bound


def test_iou_of_an_l_shape_and_a_diamond_is_within_the_documented_bound():
    # The L is two rectangles, each convex: their exact overlaps with the diamond add up.
    inter = _intersection(square(0, 0, 10)[:2] + [(10, 4), (0, 4)], DIAMOND) + _intersection(
        [(0, 4), (4, 4), (4, 10), (0, 10)], DIAMOND
    )
    exact = inter / (area(L_SHAPE) + area(DIAMOND) - inter)
    iou, bound = polygon_iou_bounds(L_SHAPE, DIAMOND)
    assert abs(iou - exact) <= bound
    assert abs(iou - exact) < 0.005  # the real error is far below the bound


def test_identical_and_disjoint_polygons_score_one_and_zero():
    assert polygon_iou(L_SHAPE, L_SHAPE) == 1.0
    assert polygon_iou(L_SHAPE, square(50, 50)) == 0.0
    assert polygon_iou(L_SHAPE, square(5, 5, 5)) == 0.0  # inside the L's bounding box only


def test_convexity_check_rejects_concave_and_self_crossing_shapes():
    star = [(math.cos(a), math.sin(a)) for a in (k * 4 * math.pi / 5 for k in range(5))]
    assert is_convex(square(0, 0)) and is_convex(DIAMOND[::-1])
    assert not is_convex(L_SHAPE)
    assert not is_convex(star)  # all turns one way, but twice round


@pytest.mark.parametrize(
    "points, message",
    [
        ([(0, 0), (1, 1)], "at least 3"),
        ([(0, 0), (1, 1), (2, 2)], "positive area"),
        ([(0, 0), (1, float("nan")), (2, 0)], "finite"),
        ([(0, 0, 1), (1, 1, 1), (2, 0, 1)], "pairs"),
    ],
)
def test_bad_polygons_are_refused_with_a_clear_message(points, message):
    with pytest.raises(ValueError, match=message):
        Polygon("roof", points)


def test_a_closed_ring_repeating_its_first_point_is_the_same_polygon():
    assert Polygon("roof", square(0, 0) + [(0, 0)]).points == Polygon("roof", square(0, 0)).points


def test_polyline_distance_is_symmetric_and_ignores_direction_and_vertex_count():
    line = [(0, 0), (100, 0)]
    assert polyline_distance(line, [(0, 3), (100, 3)]) == pytest.approx(3.0)
    assert polyline_distance(line, [(100, 0), (50, 0), (0, 0)]) == pytest.approx(0.0)
    bent = [(0, 0), (50, 10), (100, 0)]
    assert polyline_distance(line, bent) == pytest.approx(polyline_distance(bent, line))
    assert polyline_similarity(line, [(0, 3), (100, 3)], tolerance=6) == pytest.approx(0.5)
    assert polyline_similarity(line, [(0, 30), (100, 30)], tolerance=6) == 0.0
    with pytest.raises(ValueError, match="tolerance"):
        polyline_similarity(line, line, tolerance=0)
    with pytest.raises(ValueError, match="at least 2"):
        polyline_distance([(0, 0)], line)


def test_three_workers_drawing_the_same_polygon_fuse_to_it_with_full_agreement():
    result = fuse_polygons([[Polygon("roof", L_SHAPE)]] * 3)
    assert len(result.shapes) == 1
    assert result.shapes[0].shape == Polygon("roof", L_SHAPE).points
    assert result.shapes[0].score == 1.0 and result.agreement == 1.0


def test_the_fused_polygon_is_the_member_most_like_the_others():
    answers = [[Polygon("roof", square(x, 0))] for x in (0, 2, 1)]
    result = fuse_polygons(answers)
    assert result.shapes[0].shape == Polygon("roof", square(1, 0)).points
    fit = (1 + 2 * (90 / 110)) / 3  # the medoid itself and its two neighbours
    assert result.agreement == pytest.approx(fit)


@pytest.mark.parametrize("min_agreement, kept", [(2 / 3, True), (0.7, False)])
def test_a_polygon_one_worker_missed_is_kept_only_up_to_two_thirds(min_agreement, kept):
    roof, door = Polygon("roof", L_SHAPE), Polygon("door", square(20, 0))
    result = fuse_polygons([[roof, door], [roof, door], [roof]], min_agreement=min_agreement)
    assert [s.label for s in result.shapes] == (["roof", "door"] if kept else ["roof"])


def test_polygon_labels_never_mix():
    result = fuse_polygons([[Polygon("roof", L_SHAPE)], [Polygon("wall", L_SHAPE)]])
    assert sorted(s.label for s in result.shapes) == ["roof", "wall"]
    assert all(s.score == 0.5 for s in result.shapes)


def test_polygon_gold_score_is_the_f1_of_the_matching():
    roof, door = Polygon("roof", L_SHAPE), Polygon("door", square(20, 0))
    assert score_against_gold([roof, door], [roof]) == pytest.approx(2 / 3)
    assert score_against_gold([Polygon("door", L_SHAPE)], [roof]) == 0.0
    assert score_against_gold([], []) == 1.0

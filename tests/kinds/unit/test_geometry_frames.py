"""Frame-level timeline labels: ranges ↔ frames, the per-frame weighted vote, accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.kinds.geometry import frames as fr


def test_frames_are_the_sampled_instants_before_the_end():
    assert fr.frame_count(10, 2) == 20
    assert fr.frame_count(10.2, 2) == 21  # 10.0 s is a frame; the timeline ends at 10.2
    assert fr.frame_count(0, 2) == 0
    with pytest.raises(ValueError):
        fr.frame_count(1, 0)


def test_ranges_label_the_frames_whose_instant_they_hold():
    got = fr.codes([("a", 0, 1), ("b", 1, 2.5)], ["a", "b"], fps=2, n=6)
    assert got.tolist() == [0, 0, 1, 1, 1, 2]  # 2.5 s is left unlabelled
    back = fr.runs(got, ["a", "b"], fps=2, end=3.0)
    assert [(r.label, r.start, r.end) for r in back] == [("a", 0, 1), ("b", 1, 2.5)]


def test_the_run_reaching_the_last_frame_ends_with_the_timeline():
    got = fr.codes([("a", 0, 10.2)], ["a"], fps=2, n=fr.frame_count(10.2, 2))
    (run,) = fr.runs(got, ["a"], fps=2, end=10.2)
    assert (run.start, run.end) == (0, 10.2)


def test_the_weighted_vote_picks_each_frames_heaviest_label():
    answers = [[("walk", 0, 4), ("run", 4, 6)],
               [("walk", 0, 3), ("run", 3, 6)],
               [("run", 0, 6)]]
    out = fr.vote(answers, [1, 1, 1], labels=["walk", "run"], fps=1)
    assert [(r.label, r.start, r.end) for r in out.runs] == [("walk", 0, 3), ("run", 3, 6)]
    assert out.frames == 6
    # Frames 0–2: 2/3; frame 3: 2/3 (run); frames 4–5: all three.
    assert out.agreement == pytest.approx((4 * 2 / 3 + 2) / 6)
    assert out.runs[1].score == pytest.approx((2 / 3 + 1 + 1) / 3)
    skilled = fr.vote(answers, [0.1, 0.1, 1], labels=["walk", "run"], fps=1)
    assert [(r.label, r.start, r.end) for r in skilled.runs] == [("run", 0, 6)]


def test_ties_go_to_the_first_label_and_a_label_beats_unlabelled():
    out = fr.vote([[("b", 0, 2)], [("a", 0, 1)]], None, labels=["a", "b"], fps=1)
    assert [(r.label, r.start, r.end) for r in out.runs] == [("a", 0, 1), ("b", 1, 2)]


def test_a_frame_most_workers_left_unlabelled_stays_unlabelled():
    out = fr.vote([[("a", 0, 1)], [], []], None, labels=["a"], fps=1, end=3)
    assert out.runs == [] and out.frames == 3
    assert out.agreement == pytest.approx((2 / 3 + 1 + 1) / 3)


def test_accuracy_is_the_share_of_frames_with_the_same_label():
    gold = [("a", 0, 5), ("b", 5, 10)]
    assert fr.accuracy(gold, gold, fps=2) == 1.0
    assert fr.accuracy([("a", 0, 6), ("b", 6, 10)], gold, fps=2) == pytest.approx(18 / 20)
    assert fr.accuracy([("a", 0, 5)], gold, fps=2) == pytest.approx(0.5)
    assert fr.accuracy([], [], fps=2) == 1.0


def test_overlapping_ranges_let_the_later_one_win():
    got = fr.codes([("a", 0, 4), ("b", 2, 3)], ["a", "b"], fps=1, n=4)
    assert np.array_equal(got, [0, 0, 1, 0])

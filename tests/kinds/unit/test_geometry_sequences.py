"""Token sequences: edit distance, alignment, error rate and the weighted ROVER."""

from __future__ import annotations

import pytest

from datadam.kinds.geometry import sequences as seq


def test_edit_distance_and_error_rate_count_token_edits():
    a, b = "the cat sat".split(), "the bat sat down".split()
    assert seq.edit_distance(a, b) == 2
    assert seq.error_rate(a, b) == 0.5
    assert seq.error_rate([], []) == 0.0 and seq.error_rate(["x"], []) == 1.0
    assert seq.normalised_distance(a, []) == 1.0


def test_alignment_pairs_tokens_and_gaps():
    assert seq.align(["a", "b", "c"], ["a", "c"]) == [(0, 0), (1, None), (2, 1)]
    assert seq.align([], ["x"]) == [(None, 0)]


def test_rover_votes_each_position_and_inserted_runs_by_weight():
    words = ["a b c d".split(), "a x c d".split(), "a b c d e".split()]
    voted, agreement = seq.rover(words)
    assert voted == "a b c d".split()
    assert agreement == pytest.approx(1 - (0 + 0.25 + 0.25) / 3)
    # weights decide: the heavy reading's insertion wins
    voted, _ = seq.rover(words, [1, 1, 5])
    assert voted == "a b c d e".split()


def test_rover_compares_by_key_and_keeps_the_heaviest_surface_form():
    voted, agreement = seq.rover([["Hello,", "World"], ["hello", "world"], ["hello", "world"]],
                                 key=lambda t: t.lower().strip(",."))
    assert voted == ["hello", "world"] and agreement == 1.0


def test_rover_needs_a_sequence_and_sound_weights():
    with pytest.raises(ValueError):
        seq.rover([])
    with pytest.raises(ValueError):
        seq.rover([["a"]], [0.0])

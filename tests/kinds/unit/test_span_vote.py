"""The span vote (plain module, no Django): matching, span F1, the weighted vote, agreement."""

from __future__ import annotations

import random

import pytest

from datadam.kinds.span_tagging.vote import (
    FusedSpan,
    Span,
    agreement,
    match_spans,
    resolve,
    span_f1,
    vote,
)

SEOUL, FEST = Span(0, 2, "LOC"), Span(7, 9, "EVT")  # in "서울에서 🎉 축제가 열렸다"


def spans(result):
    return [(s.start, s.end, s.label) for s in result.spans]


def test_span_f1_is_one_for_the_same_spans_and_for_two_empty_answers():
    assert span_f1([SEOUL, FEST], [FEST, SEOUL]) == 1.0
    assert span_f1([], []) == 1.0
    assert span_f1([SEOUL], []) == 0.0


def test_span_f1_counts_a_span_once_and_needs_the_same_label():
    assert span_f1([SEOUL], [SEOUL, FEST]) == pytest.approx(2 / 3)
    assert span_f1([Span(0, 2, "ORG")], [SEOUL]) == 0.0
    assert span_f1([SEOUL, SEOUL], [SEOUL]) == pytest.approx(2 / 3)  # one to one


def test_boundaries_match_exactly_or_within_the_tolerance():
    near = Span(0, 4, "LOC")  # "서울에서" against "서울"
    assert span_f1([near], [SEOUL], 0) == 0.0
    assert span_f1([near], [SEOUL], 1) == 0.0  # the end is 2 characters off
    assert span_f1([near], [SEOUL], 2) == 1.0
    assert span_f1([Span(1, 3, "LOC")], [SEOUL], 1) == 1.0


def test_matching_prefers_the_nearer_of_two_possible_spans():
    # Within tolerance 3 both answer spans could match the first reference span; the
    # Hungarian matching pairs each with its nearest so that both are matched.
    a = [Span(10, 15, "PER"), Span(12, 17, "PER")]
    b = [Span(13, 18, "PER"), Span(10, 15, "PER")]
    assert match_spans(a, b, 3) == [(0, 1), (1, 0)]


def test_unanimous_workers_keep_every_span_with_score_one_and_agreement_one():
    result = vote([[SEOUL, FEST]] * 3)
    assert spans(result) == [(0, 2, "LOC"), (7, 9, "EVT")]
    assert [s.score for s in result.spans] == [1.0, 1.0]
    assert result.agreement == 1.0


def test_a_span_is_kept_when_workers_with_min_agreement_of_the_weight_marked_it():
    answers = [[SEOUL, FEST], [SEOUL], [SEOUL]]
    assert spans(vote(answers)) == [(0, 2, "LOC")]  # the festival: 1 of 3
    assert spans(vote(answers, min_agreement=0.3)) == [(0, 2, "LOC"), (7, 9, "EVT")]
    # Weighted: the one worker who marked the festival outweighs the other two.
    heavy = vote(answers, [3.0, 1.0, 1.0])
    assert spans(heavy) == [(0, 2, "LOC"), (7, 9, "EVT")]
    assert heavy.spans[1].score == pytest.approx(0.6)


def test_two_equal_halves_meet_a_threshold_of_one_half():
    assert spans(vote([[SEOUL], []])) == [(0, 2, "LOC")]
    assert spans(vote([[SEOUL], []], min_agreement=0.51)) == []


def test_boundaries_are_voted_within_tolerance_start_and_end_each_by_weight():
    answers = [[Span(0, 4, "LOC")], [Span(0, 2, "LOC")], [Span(1, 2, "LOC")]]
    assert spans(vote(answers)) == []  # exact: three different spans, one vote each
    result = vote(answers, tolerance=2)
    # start: 0 (two votes) against 1; end: 2 (two votes) against 4.
    assert spans(result) == [(0, 2, "LOC")] and result.spans[0].score == 1.0


def test_boundary_ties_go_to_the_heavier_worker():
    answers = [[Span(0, 4, "LOC")], [Span(0, 2, "LOC")]]
    assert spans(vote(answers, [1.0, 2.0], tolerance=2)) == [(0, 2, "LOC")]
    assert spans(vote(answers, [2.0, 1.0], tolerance=2)) == [(0, 4, "LOC")]


def test_adjacent_spans_of_one_label_stay_apart():
    # "Seoul Busan" as two places: a vote of characters would join them only if the space
    # between were marked too; a vote of spans never does.
    a, b = Span(0, 5, "LOC"), Span(5, 10, "LOC")
    assert spans(vote([[a, b], [a, b], [a]])) == [(0, 5, "LOC"), (5, 10, "LOC")]


def test_overlapping_kept_spans_are_resolved_by_score_unless_nested():
    big, small = Span(0, 10, "ORG"), Span(0, 5, "LOC")
    answers = [[big], [big], [small], [small], [small]]
    assert spans(vote(answers, min_agreement=0.3)) == [(0, 5, "LOC")]
    assert spans(vote(answers, min_agreement=0.3, nested=True)) == [(0, 10, "ORG"),
                                                                    (0, 5, "LOC")]


def test_nested_votes_drop_a_span_that_crosses_a_stronger_one():
    outer, inner, crossing = Span(0, 10, "ORG"), Span(2, 5, "LOC"), Span(8, 14, "PER")
    answers = [[outer, inner], [outer, inner], [outer, crossing]]
    result = vote(answers, min_agreement=0.3, nested=True)
    assert spans(result) == [(0, 10, "ORG"), (2, 5, "LOC")]


def test_resolve_keeps_the_earlier_then_the_longer_of_equal_scores():
    a, b = FusedSpan(0, 3, "X", 0.5), FusedSpan(2, 8, "Y", 0.5)
    assert resolve([b, a], nested=False) == [a]
    c = FusedSpan(0, 6, "Z", 0.5)
    assert resolve([a, c], nested=False) == [c]


def test_agreement_is_the_weighted_mean_pairwise_span_f1():
    answers = [[SEOUL, FEST], [SEOUL], [SEOUL]]
    # pairs: (0,1) 2/3, (0,2) 2/3, (1,2) 1
    assert agreement(answers) == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert vote(answers).agreement == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    # Weights 2, 1, 1: pair weights 2, 2, 1.
    assert agreement(answers, [2, 1, 1]) == pytest.approx((2 * 2 / 3 + 2 * 2 / 3 + 1) / 5)
    assert agreement([[SEOUL]]) == 1.0
    assert agreement([[], []]) == 1.0


def test_one_weighted_worker_among_zero_weights_counts_every_pair_alike():
    assert agreement([[SEOUL], []], [1.0, 0.0]) == 0.0


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="min_agreement"):
        vote([[SEOUL]], min_agreement=1.5)
    with pytest.raises(ValueError, match="weights"):
        vote([[SEOUL], [SEOUL]], [1.0])


def test_thousands_of_spans_in_a_long_text_vote_quickly():
    rng = random.Random(3)
    truth = [Span(i * 20, i * 20 + rng.randint(2, 15), rng.choice("ABC")) for i in range(4000)]
    answers = [[s for s in truth if rng.random() > 0.1] for _ in range(5)]
    result = vote(answers, tolerance=2)
    assert len(result.spans) > 3900
    assert 0.8 < result.agreement < 1

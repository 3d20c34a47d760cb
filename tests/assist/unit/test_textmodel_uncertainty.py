"""Uncertainty scores: higher means less sure, 0..1, one score per row."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.assist.textmodel.uncertainty import entropy, margin, vote_disagreement, vote_entropy


def test_margin_is_zero_when_certain_and_one_when_the_top_two_tie():
    p = np.array([[1.0, 0.0, 0.0], [0.4, 0.4, 0.2], [0.7, 0.2, 0.1], [0.1, 0.6, 0.3]])
    assert margin(p) == pytest.approx([0.0, 1.0, 0.5, 0.7])
    assert margin(np.array([[1.0], [1.0]])) == pytest.approx([0.0, 0.0])


def test_entropy_is_normalised_by_the_number_of_classes():
    p = np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0], [0.0, 0.0, 0.0]])
    assert entropy(p) == pytest.approx([0.0, 1.0, np.log(2) / np.log(3), 1.0])
    two = entropy(np.array([[0.9, 0.1], [0.6, 0.4]]))
    assert two[0] < two[1] < 1.0


def test_scores_order_items_from_least_to_most_sure():
    p = np.array([[0.95, 0.05], [0.55, 0.45], [0.75, 0.25]])
    assert np.argsort(-margin(p)).tolist() == [1, 2, 0]
    assert np.argsort(-entropy(p)).tolist() == [1, 2, 0]


def test_vote_disagreement_is_zero_for_unanimous_and_one_for_an_even_split():
    counts = np.array([[5, 0, 0], [2, 2, 2], [3, 1, 0], [0, 0, 0]])
    assert vote_disagreement(counts) == pytest.approx([0.0, 1.0, (1 - 0.75) / (2 / 3), 1.0])
    assert vote_disagreement(np.array([[3, 3]])) == pytest.approx([1.0])


def test_vote_entropy_treats_counts_as_shares():
    assert vote_entropy(np.array([[4, 0], [2, 2], [0, 0]])) == pytest.approx([0.0, 1.0, 1.0])


def test_shapes_other_than_items_by_classes_are_refused():
    with pytest.raises(ValueError):
        margin(np.array([0.5, 0.5]))
    with pytest.raises(ValueError):
        entropy(np.zeros((3, 0)))

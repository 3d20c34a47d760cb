"""Scoring an answer against a gold answer."""

from __future__ import annotations

from datadam.kinds import get_kind


def test_single_label_matches_only_the_same_label():
    kind = get_kind("text_classification")
    assert kind.answer_matches({"label": "a"}, {"label": "a"})
    assert not kind.answer_matches({"label": "a"}, {"label": "b"})


def test_multi_label_matches_the_same_set_in_any_order():
    kind = get_kind("image_classification")
    assert kind.answer_matches({"labels": ["b", "a"]}, {"labels": ["a", "b"]})
    assert not kind.answer_matches({"labels": ["a"]}, {"labels": ["a", "b"]})
    assert kind.answer_matches({"labels": []}, {"labels": []})

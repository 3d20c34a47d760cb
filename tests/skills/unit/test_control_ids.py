"""Control ids: outside the submission range, reversible, parity tells nothing."""

from __future__ import annotations

from datadam.reviewchecks.controls import CONTROL_ID_BASE, control_id, parse_control_id


def test_control_ids_round_trip_and_hide_good_from_bad():
    for item in range(1, 60):
        for good in (True, False):
            public = control_id(item, good)
            assert public >= CONTROL_ID_BASE
            assert parse_control_id(public) == (item, good)
    assert {control_id(i, True) % 2 for i in range(1, 60)} == {0, 1}
    assert parse_control_id(CONTROL_ID_BASE - 1) is None
    assert parse_control_id(42) is None


def test_classification_wrong_answer_and_match():
    from datadam.kinds import get_kind

    kind = get_kind("text_classification")
    config = {"labels": ["pos", "neg", "neu"]}
    assert kind.wrong_answer({"label": "pos"}, config) == {"label": "neg"}
    assert kind.wrong_answer({"label": "neg"}, config) == {"label": "pos"}
    multi = {"labels": ["a", "b", "c"], "multi_label": True}
    assert kind.wrong_answer({"labels": ["a", "c"]}, multi) == {"labels": ["c"]}
    assert kind.wrong_answer({"labels": ["b"]}, multi) == {"labels": ["a", "b"]}
    assert kind.answer_matches({"labels": ["c", "a"]}, {"labels": ["a", "c"]})
    assert not kind.answer_matches({"label": "neg"}, {"label": "pos"})
    assert kind.wrong_answer({"label": "pos"}, {"labels": ["pos"]}) is None

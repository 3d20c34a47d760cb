"""Task kinds: config, item and answer validation, majority vote (no database)."""

from __future__ import annotations

import pytest

from datadam.errors import InvalidInput
from datadam.kinds import all_kinds, get_kind
from datadam.kinds.base import ItemError

SINGLE = {"labels": ["cat", "dog", "bird"], "multi_label": False}
MULTI = {"labels": ["cat", "dog", "bird"], "multi_label": True}


@pytest.fixture
def text():
    return get_kind("text_classification")


def test_every_kind_is_registered_once_in_slug_order():
    slugs = [k.slug for k in all_kinds()]
    assert slugs == sorted(set(slugs))
    assert {"audio_classification", "audio_segments", "audio_transcription", "bounding_box",
            "image_classification", "keypoints", "ocr", "polygon",
            "text_classification"} <= set(slugs)


def test_an_unknown_kind_is_invalid_input_naming_the_known_ones():
    with pytest.raises(InvalidInput, match="text_classification"):
        get_kind("audio_karaoke")


def test_config_is_normalised(text):
    assert text.validate_config({"labels": [" a ", "b"]}) == {
        "labels": ["a", "b"],
        "multi_label": False,
    }


@pytest.mark.parametrize(
    "config",
    [
        None,
        [],
        {},
        {"labels": []},
        {"labels": "a,b"},
        {"labels": ["a", ""]},
        {"labels": ["a", 1]},
        {"labels": ["a", " a"]},
        {"labels": ["a"], "multi_label": 1},
        {"labels": [f"l{i}" for i in range(501)]},
    ],
)
def test_bad_configs_are_refused(text, config):
    with pytest.raises(InvalidInput):
        text.validate_config(config)


@pytest.mark.parametrize("answer", [{"label": "cat"}, {"label": "bird"}], ids=["first", "last"])
def test_single_label_answer_in_the_label_set_is_accepted(text, answer):
    assert text.validate_answer(answer, SINGLE) == answer


@pytest.mark.parametrize(
    "answer",
    [
        None,
        "cat",
        ["cat"],
        {},
        {"label": "fish"},
        {"label": "Cat"},
        {"label": 1},
        {"label": None},
        {"label": "cat", "extra": 1},
        {"labels": ["cat"]},
    ],
)
def test_single_label_answers_outside_the_schema_are_refused_with_a_message(text, answer):
    with pytest.raises(InvalidInput) as exc:
        text.validate_answer(answer, SINGLE)
    assert exc.value.message
    assert exc.value.status == 422


def test_multi_label_answer_is_put_in_label_set_order(text):
    assert text.validate_answer({"labels": ["bird", "cat"]}, MULTI) == {"labels": ["cat", "bird"]}
    assert text.validate_answer({"labels": []}, MULTI) == {"labels": []}


@pytest.mark.parametrize(
    "answer",
    [
        {"label": "cat"},
        {"labels": "cat"},
        {"labels": ["cat", "cat"]},
        {"labels": ["fish"]},
        {"labels": [1]},
        {"labels": ["cat"], "label": "cat"},
    ],
)
def test_multi_label_answers_outside_the_schema_are_refused(text, answer):
    with pytest.raises(InvalidInput):
        text.validate_answer(answer, MULTI)


def test_answer_schema_matches_the_config(text):
    assert text.answer_schema(SINGLE)["properties"]["label"]["enum"] == SINGLE["labels"]
    assert text.answer_schema(MULTI)["required"] == ["labels"]


@pytest.mark.parametrize(
    ("slug", "good", "bad"),
    [
        ("text_classification", {"text": "hello"}, [{"text": ""}, {"text": 1}, {}, "x", None]),
        ("image_classification", {"image": "a.png"}, [{"image": " "}, {"text": "x"}, [1]]),
    ],
)
def test_items_must_carry_the_kinds_field(slug, good, bad):
    kind = get_kind(slug)
    assert kind.validate_item(good) == good
    for data in bad:
        with pytest.raises(ItemError):
            kind.validate_item(data)


def test_text_longer_than_the_limit_is_refused(text):
    with pytest.raises(ItemError):
        text.validate_item({"text": "x" * 100_001})


def test_majority_vote_picks_the_most_frequent_label_with_its_share(text):
    answers = [{"label": "dog"}, {"label": "cat"}, {"label": "dog"}]
    assert text.aggregate(answers, SINGLE) == {"label": "dog", "confidence": 0.6667, "answers": 3}


def test_majority_vote_ties_go_to_the_label_listed_first(text):
    answers = [{"label": "bird"}, {"label": "dog"}]
    assert text.aggregate(answers, SINGLE)["label"] == "dog"


def test_multi_label_vote_keeps_labels_chosen_by_more_than_half(text):
    answers = [{"labels": ["cat", "dog"]}, {"labels": ["cat"]}, {"labels": ["dog", "cat"]}]
    result = text.aggregate(answers, MULTI)
    assert result == {"labels": ["cat", "dog"], "confidence": 0.6667, "answers": 3}


def test_no_answers_aggregate_to_nothing(text):
    assert text.aggregate([], SINGLE) == {}

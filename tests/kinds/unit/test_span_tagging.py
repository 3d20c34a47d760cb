"""The span tagging kind: config, items, answers checked against the text in code points
(Hangul and emoji), the vote through the kind, gold scoring, review controls, the wizard."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError
from datadam.projects.kindsettings import kind_config

KIND = get_kind("span_tagging")
CONFIG = KIND.validate_config({"labels": ["LOC", "EVT", "PER"]})
NESTED = KIND.validate_config({"labels": ["LOC", "ORG"], "nested": True})
FESTIVAL = "서울에서 🎉 축제가 열렸다"  # 🎉 is one code point (two UTF-16 units)
FAMILY = "👩‍👩‍👧 family"  # the family emoji is 5 code points: 3 people joined by 2 ZWJ


def check(spans, text=FESTIVAL, config=CONFIG):
    return KIND.validate_answer({"spans": spans}, config, {"text": text})["spans"]


def span(start, end, label="LOC"):
    return {"start": start, "end": end, "label": label}


# --- Offsets are code points ---------------------------------------------------------------
def test_hangul_offsets_are_code_points_one_syllable_each():
    assert FESTIVAL[0:2] == "서울" and FESTIVAL[7:9] == "축제"
    assert check([span(7, 9, "EVT"), span(0, 2)]) == [span(0, 2), span(7, 9, "EVT")]
    # The emoji counts one: in UTF-16 (a browser's string) 축 would be at 8, not 7.
    assert len(FESTIVAL.encode("utf-16-le")) // 2 == len(FESTIVAL) + 1


def test_an_emoji_and_a_zwj_family_are_spans_of_their_code_points():
    assert check([span(5, 6, "EVT")]) == [span(5, 6, "EVT")]  # 🎉
    assert FAMILY[0:5] == "👩‍👩‍👧" and FAMILY[6:12] == "family"
    assert check([span(0, 5, "PER"), span(6, 12, "PER")], FAMILY) == [
        span(0, 5, "PER"), span(6, 12, "PER")]


def test_a_span_ending_past_the_text_is_refused_with_the_text_length_in_code_points():
    assert len(FESTIVAL) == 14
    with pytest.raises(InvalidInput, match=r"span 1 ends at 15, after the end of the text "
                                           r"\(14 characters\)"):
        check([span(11, 15)])
    with pytest.raises(InvalidInput, match=r"\(12 characters\)"):
        check([span(6, 13, "PER")], FAMILY)


def test_whitespace_at_the_ends_of_a_span_is_trimmed_and_whitespace_alone_refused():
    assert check([span(4, 9, "EVT")]) == [span(5, 9, "EVT")]  # " 🎉 축제" → "🎉 축제"
    with pytest.raises(InvalidInput, match="span 2 .*4–5.* covers only whitespace"):
        check([span(0, 2), span(4, 5)])
    text = "서울\u3000부산"  # an ideographic space, as str.isspace sees it
    assert check([span(0, 3)], text) == [span(0, 2)]


@pytest.mark.parametrize("bad, message", [
    ({"label": "LOC"}, "answer must be"),
    ({"spans": {}}, "answer must be"),
    ({"spans": [], "extra": 1}, "answer must be"),
    ({"spans": ["0-2"]}, r"span 1 must be \{"),
    ({"spans": [{"start": 0, "end": 2, "label": "LOC", "score": 1}]}, r"span 1 must be \{"),
    ({"spans": [{"start": 0.0, "end": 2, "label": "LOC"}]}, "whole numbers"),
    ({"spans": [{"start": True, "end": 2, "label": "LOC"}]}, "whole numbers"),
    ({"spans": [{"start": 0, "end": 2, "label": "CITY"}]}, "unknown label 'CITY'"),
    ({"spans": [{"start": -1, "end": 2, "label": "LOC"}]}, "0 or more"),
    ({"spans": [{"start": 2, "end": 2, "label": "LOC"}]}, "less than end"),
    ({"spans": [span(0, 2), span(0, 2)]}, "span 2 repeats span 1"),
    ({"spans": [span(0, 4), span(2, 3, "EVT")]}, "span 1 and span 2 overlap .*2–3"),
])
def test_bad_answers_are_refused_with_a_clear_message(bad, message):
    with pytest.raises(InvalidInput, match=message):
        KIND.validate_answer(bad, CONFIG, {"text": FESTIVAL})


def test_nested_projects_take_spans_inside_spans_but_not_crossing_ones():
    text = "Seoul National University"
    nested = check([span(0, 25, "ORG"), span(0, 5)], text, NESTED)
    assert nested == [span(0, 25, "ORG"), span(0, 5)]  # outer first
    assert check([span(0, 5, "ORG"), span(0, 5)], text, NESTED) == [span(0, 5),
                                                                     span(0, 5, "ORG")]
    with pytest.raises(InvalidInput, match="span 1 and span 2 cross"):
        check([span(0, 14, "ORG"), span(6, 25)], text, NESTED)
    with pytest.raises(InvalidInput, match="does not allow nested"):
        check([span(0, 25), span(0, 5)], text, CONFIG)


def test_without_the_item_only_the_offsets_themselves_are_checked():
    answer = {"spans": [span(100, 200)]}
    assert KIND.validate_answer(answer, CONFIG, None) == answer


def test_too_many_spans_are_refused():
    with pytest.raises(InvalidInput, match="at most 5000 spans"):
        KIND.validate_answer({"spans": [span(0, 1)] * 5001}, CONFIG, {"text": FESTIVAL})


# --- Items and config --------------------------------------------------------------------
def test_items_need_a_text_of_at_most_100k_characters_without_lone_surrogates():
    assert KIND.validate_item({"text": FESTIVAL, "source": "news"})["source"] == "news"
    assert KIND.validate_item({"text": "가" * 100_000})
    for bad in ({}, {"text": "  "}, {"text": 5}, {"text": "가" * 100_001}, {"text": "a\ud83cb"},
                {"text": "a\x00b"}, ["text"]):
        with pytest.raises(ItemError):
            KIND.validate_item(bad)


def test_configs_get_colours_and_defaults_and_bad_settings_are_named():
    assert CONFIG == {"labels": ["LOC", "EVT", "PER"],
                      "colors": {"LOC": "#e6194b", "EVT": "#3cb44b", "PER": "#4363d8"},
                      "nested": False, "boundary_tolerance": 0, "min_agreement": 0.5,
                      "pass_score": 0.8}
    assert KIND.validate_config({"labels": ["A"], "boundary_tolerance": 2.0})[
        "boundary_tolerance"] == 2
    for bad, message in [({"labels": []}, "labels"), ({"labels": ["A"], "nested": "yes"},
                                                      "config.nested"),
                         ({"labels": ["A"], "boundary_tolerance": 1.5},
                          "config.boundary_tolerance"),
                         ({"labels": ["A"], "boundary_tolerance": 21},
                          "config.boundary_tolerance"),
                         ({"labels": ["A"], "pass_score": 2}, "config.pass_score")]:
        with pytest.raises(InvalidInput, match=message):
            KIND.validate_config(bad)


def test_the_wizard_asks_for_colours_nesting_and_tolerances_and_builds_the_config():
    post = QueryDict(mutable=True)
    post.update({"span_tagging__colors": "PER: #112233\nLOC - #445566",
                 "span_tagging__boundary_tolerance": "1", "span_tagging__min_agreement": "0.6",
                 "span_tagging__pass_score": "0.9"})
    post.setlist("span_tagging__nested", ["yes"])
    config = KIND.validate_config(kind_config(KIND, ["PER", "LOC"], False, post.get,
                                              post.getlist))
    assert config["colors"] == {"PER": "#112233", "LOC": "#445566"}
    assert (config["nested"], config["boundary_tolerance"], config["min_agreement"],
            config["pass_score"]) == (True, 1, 0.6, 0.9)
    fields = {f.name: f for f in KIND.config_fields}
    assert fields["nested"].format(True) == ["yes"] and fields["nested"].format(False) == []
    assert fields["colors"].format(config["colors"]) == "PER: #112233\nLOC: #445566"
    empty = QueryDict()
    assert KIND.validate_config(kind_config(KIND, ["A"], False, empty.get, empty.getlist))[
        "nested"] is False


def test_the_widget_posts_its_answer_as_json_in_one_field():
    form = QueryDict(mutable=True)
    form["answer"] = json.dumps({"spans": [span(0, 2)]})
    assert KIND.answer_from_form(form, CONFIG) == {"spans": [span(0, 2)]}
    form["answer"] = "not json"
    with pytest.raises(InvalidInput, match="answer must be"):
        KIND.validate_answer(KIND.answer_from_form(form, CONFIG), CONFIG, {"text": FESTIVAL})


# --- Aggregation, gold, controls ---------------------------------------------------------
def test_aggregate_item_votes_spans_with_scores_agreement_and_summary():
    answers = [{"spans": [span(0, 2), span(7, 9, "EVT")]}, {"spans": [span(0, 2)]},
               {"spans": [span(0, 2)]}]
    fused = KIND.aggregate_item(answers, [1.0, 1.0, 1.0], CONFIG)
    assert fused.result == {"spans": [{**span(0, 2), "score": 1.0}]}
    assert fused.agreement == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert fused.summary == "LOC"
    assert KIND.aggregate_item([], [], CONFIG) is None
    assert KIND.aggregate(answers, CONFIG)["answers"] == 3


def test_gold_is_span_f1_exact_or_within_the_boundary_tolerance():
    gold = {"spans": [span(0, 2), span(7, 9, "EVT")]}
    near = {"spans": [span(0, 4), span(7, 9, "EVT")]}  # "서울에서" for "서울"
    assert KIND.score_answer(near, gold, CONFIG) == 0.5
    assert not KIND.answer_matches(near, gold, CONFIG)
    loose = {**CONFIG, "boundary_tolerance": 2}
    assert KIND.score_answer(near, gold, loose) == 1.0 and KIND.answer_matches(near, gold, loose)
    assert KIND.answer_matches(near, gold, {**CONFIG, "pass_score": 0.5})
    assert "exactly the same start and end" in KIND.correctness(CONFIG)
    assert "within 2 characters" in KIND.correctness(loose)


def test_wrong_answers_for_review_controls_relabel_every_gold_span():
    gold = check([span(0, 2), span(7, 9, "EVT")])
    wrong = KIND.wrong_answer({"spans": gold}, CONFIG)
    assert [s["label"] for s in wrong["spans"]] == ["EVT", "PER"]
    assert KIND.validate_answer(wrong, CONFIG, {"text": FESTIVAL}) == wrong
    assert KIND.score_answer(wrong, {"spans": gold}, CONFIG) == 0.0
    assert KIND.wrong_answer({"spans": gold}, {**CONFIG, "labels": ["LOC"]}) == {"spans": []}
    assert KIND.wrong_answer({"spans": []}, CONFIG) is None


def test_the_kind_is_found_by_its_words_and_shows_a_sample():
    assert KIND.crowd_labels is False and KIND.answer_needs_item is True
    assert "ner" in KIND.search_words and "개체명" in KIND.search_words
    assert KIND.validate_item(KIND.sample_item()) and KIND.validate_item(KIND.example_item())
    assert [f.slug for f in KIND.exporters] == ["conll", "spacy"]
    assert KIND.summary({"spans": []}) == "no spans"

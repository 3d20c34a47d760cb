"""The writing kinds: settings, items, each mode's answers, block and warn, aggregation, gold,
review controls and the templates."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError

QA, SUMMARY, TRANSLATION = (get_kind("writing_qa"), get_kind("writing_summary"),
                            get_kind("writing_translation"))
DIALOGUE, SENTENCES = get_kind("writing_dialogue"), get_kind("writing_sentences")
SOURCE = ("한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇고, "
          "여름 저녁이면 공원이 사람들로 붐빈다.")
ITEM = {"source": SOURCE, "source_language": "ko"}


def test_each_mode_is_a_kind_of_its_own_with_its_defaults():
    assert QA.validate_config({}) == {
        "mode": "qa_pairs", "min_count": 1, "max_count": 5, "min_chars": 5, "max_chars": 200,
        "answer_min_chars": 1, "answer_max_chars": 200, "target_languages": [],
        "copy_limit": 0.5, "blocking": ["length"], "duplicates": "warn", "pass_score": 0.5}
    assert TRANSLATION.validate_config({})["target_languages"] == ["ko"]
    assert DIALOGUE.validate_config({})["speakers"] == ["A", "B"]
    assert "min_count" not in SUMMARY.validate_config({})
    # The wizard's number fields give floats; a language may be given as one code.
    config = SENTENCES.validate_config({"min_count": 2.0, "max_count": 3.0,
                                        "target_language": "en"})
    assert (config["min_count"], config["max_count"], config["target_languages"]) == (2, 3,
                                                                                      ["en"])
    assert {f.name for f in DIALOGUE.config_fields} >= {"speakers", "min_count", "blocking"}


def test_checks_shorthand_sets_blocking_languages_and_copy():
    config = SUMMARY.validate_config({"target_languages": ["ko"], "checks": {
        "language": "block", "copy": "off", "length": "warn"}})
    assert config["blocking"] == ["language"] and config["copy_limit"] == 1.0
    config = SUMMARY.validate_config({"target_languages": ["ko"],
                                      "checks": {"language": "off"}})
    assert config["target_languages"] == [] and config["blocking"] == ["length"]


def test_the_duplicate_setting_is_the_wizards_duplicate_box_or_its_own_key():
    def read(**cfg):
        config = SUMMARY.validate_config(cfg)
        return config["duplicates"], config["blocking"]

    assert read() == ("warn", ["length"])
    assert read(blocking=["length", "duplicate"]) == ("block", ["length", "duplicate"])
    assert read(duplicates="off") == ("off", ["length"])
    assert read(duplicates="block") == ("block", ["length", "duplicate"])
    # The key decides over the box (a client editing one key of a stored config).
    assert read(duplicates="warn", blocking=["duplicate"]) == ("warn", [])
    assert read(checks={"duplicate": "off"}, duplicates="block") == ("off", ["length"])
    assert read(checks={"duplicate": "block", "length": "warn"}) == ("block", ["duplicate"])
    assert "duplicate" in dict(next(f for f in SUMMARY.config_fields
                                    if f.name == "blocking").choices)


@pytest.mark.parametrize("kind, config, message", [
    (QA, "x", "object"),
    (QA, {"mode": "summary"}, "mode"),
    (QA, {"min_count": 4, "max_count": 2}, "min_count"),
    (QA, {"max_count": 51}, "max_count"),
    (SUMMARY, {"min_chars": 0}, "min_chars"),
    (SUMMARY, {"max_chars": 2.5}, "max_chars"),
    (SUMMARY, {"target_languages": ["fr"]}, "target_languages"),
    (SUMMARY, {"copy_limit": 0}, "copy_limit"),
    (SUMMARY, {"blocking": ["style"]}, "blocking"),
    (SUMMARY, {"checks": {"length": "off"}}, "length check"),
    (SUMMARY, {"checks": {"language": "block"}}, "target_languages"),
    (SUMMARY, {"duplicates": "maybe"}, "config.duplicates"),
    (SUMMARY, {"checks": {"duplicate": "sometimes"}}, "config.checks"),
    (DIALOGUE, {"speakers": ["A", "A"]}, "unique"),
    (DIALOGUE, {"speakers": []}, "speakers"),
    (QA, {"answer_min_chars": 9, "answer_max_chars": 3}, "answer_min_chars"),
])
def test_bad_settings_are_refused_with_the_setting_named(kind, config, message):
    with pytest.raises(InvalidInput, match=message):
        kind.validate_config(config)


def test_items_need_a_source_and_may_name_its_language():
    assert SUMMARY.validate_item(ITEM) == ITEM
    assert SUMMARY.validate_item({"source": "x", "title": "extra keys stay"})["title"]
    for bad in ({}, {"source": " "}, {"source": 3}, {"source": "x", "source_language": "한국"},
                {"source": "x" * 100_001}, []):
        with pytest.raises(ItemError):
            SUMMARY.validate_item(bad)


# --- Answers by mode -----------------------------------------------------------------------------
def test_qa_pairs_are_normalised_to_nfc_one_line_and_keep_meta():
    config = QA.validate_config({})
    decomposed = "\u1112\u1161\u11ab\u1100\u1161\u11bc"  # 한강 typed as conjoining jamo
    answer = QA.validate_answer({"pairs": [
        {"question": f"  {decomposed}은\n어디를   흐르나요? ", "answer": " 서울 "}],
        "meta": {"pastes": 0, "typed_ms": 5300}}, config, ITEM)
    assert answer == {"pairs": [{"question": "한강은 어디를 흐르나요?", "answer": "서울"}],
                      "meta": {"pastes": 0, "typed_ms": 5300}}


def test_summaries_keep_their_paragraphs():
    config = SUMMARY.validate_config({"min_chars": 5})
    answer = SUMMARY.validate_answer({"text": "첫 문단입니다. \r\n\r\n\r\n  둘째 문단."}, config,
                                     ITEM)
    assert answer == {"text": "첫 문단입니다.\n\n둘째 문단."}


def test_dialogue_turns_need_a_known_speaker():
    config = DIALOGUE.validate_config({"speakers": ["손님", "점원"], "min_count": 2})
    turns = [{"speaker": "손님", "text": "이 신발 환불되나요?"},
             {"speaker": "점원", "text": "네, 영수증 있으세요?"}]
    assert DIALOGUE.validate_answer({"turns": turns}, config, ITEM) == {"turns": turns}
    with pytest.raises(InvalidInput, match="speaker must be one of 손님, 점원"):
        DIALOGUE.validate_answer({"turns": [turns[0], {"speaker": "C", "text": "?"}]}, config,
                                 ITEM)


LONG = "충분히 긴 요약입니다. 스무 자가 넘어요."


@pytest.mark.parametrize("kind, answer, message", [
    (QA, {"label": "x"}, "pairs"),
    (QA, {"pairs": []}, "from 1 to 5"),
    (QA, {"pairs": [{"question": "한강은 어디에?"}]}, "pair 1"),
    (QA, {"pairs": [{"question": "한강은 어디에?", "answer": "   "}]}, "Answer 1 is empty"),
    (QA, {"pairs": [{"question": "한강은 어디에?", "answer": 3}]}, "Answer 1 must be text"),
    (SUMMARY, {"text": "x" * 20_001}, "at most 20000"),
    (SUMMARY, {"text": LONG, "extra": 1}, "answer must be"),
    (SUMMARY, {"text": LONG, "meta": {"pastes": -1}}, "pastes"),
    (SUMMARY, {"text": LONG, "meta": {"typed_ms": True}},
     "typed_ms"),
    (SUMMARY, {"text": LONG, "meta": {"mouse": 1}}, "meta"),
    (SENTENCES, {"sentences": "한 문장"}, "sentences"),
    (SENTENCES, {"sentences": ["좋은 문장입니다.", ""]}, "Sentence 2 is empty"),
    (DIALOGUE, {"turns": [{"speaker": "A", "text": "안녕"}]}, "from 2 to 10"),
])
def test_bad_answers_are_refused_with_the_part_named(kind, answer, message):
    with pytest.raises(InvalidInput, match=message):
        kind.validate_answer(answer, kind.validate_config({}), ITEM)


# --- Block or warn ----------------------------------------------------------------------------
COPIED = "한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇는다."


def test_a_blocking_check_refuses_with_a_clear_message():
    config = SUMMARY.validate_config({"target_languages": ["ko"],
                                      "blocking": ["length", "language", "copy"]})
    with pytest.raises(InvalidInput, match=r"The summary copies \d+% of its characters from "
                                           r"the source \(at most 50%\)"):
        SUMMARY.validate_answer({"text": COPIED}, config, ITEM)
    with pytest.raises(InvalidInput, match="does not read as Korean"):
        SUMMARY.validate_answer({"text": "The Han River runs through Seoul, with parks."},
                                config, ITEM)
    with pytest.raises(InvalidInput, match="has 4 characters; write from 20 to 500"):
        SUMMARY.validate_answer({"text": "짧은 글"}, config, ITEM)


def test_a_warning_check_accepts_and_stores_the_findings_for_the_reviewer():
    config = SUMMARY.validate_config({"target_languages": ["ko"], "blocking": []})
    answer = SUMMARY.validate_answer({"text": COPIED, "meta": {"pastes": 1, "typed_ms": 200},
                                      "checks": [{"check": "forged"}]}, config, ITEM)
    assert answer["text"] == COPIED and answer["meta"] == {"pastes": 1, "typed_ms": 200}
    assert [c["check"] for c in answer["checks"]] == ["copy"]
    assert answer["checks"][0]["share"] > 0.5 and answer["checks"][0]["run"] >= 20
    own_words = "서울을 가로지르는 강, 다리가 많고 공원은 여름밤에 붐빈다."
    clean = SUMMARY.validate_answer({"text": own_words}, config, ITEM)
    assert "checks" not in clean  # answers without findings stay as written


def test_qa_answers_may_quote_the_passage_but_questions_may_not_copy_it():
    config = QA.validate_config({"blocking": ["copy"]})
    ok = {"pairs": [{"question": "한강은 어디를 흐르나요?", "answer": "서울 한가운데를 흐른다"}]}
    assert QA.validate_answer(ok, config, ITEM)["pairs"] == ok["pairs"]
    copied = {"pairs": [{"question": "다리들이 도시의 북쪽과 남쪽을 잇는다?", "answer": "예"}]}
    with pytest.raises(InvalidInput, match="Question 1 copies"):
        QA.validate_answer(copied, config, ITEM)


def test_translation_left_in_the_source_language_is_caught_by_the_language_check():
    config = TRANSLATION.validate_config({"target_languages": ["en"], "blocking": ["language"]})
    with pytest.raises(InvalidInput, match="does not read as English"):
        TRANSLATION.validate_answer({"text": "한강은 서울을 흐른다"}, config, ITEM)
    done = TRANSLATION.validate_answer({"text": "The Han flows through Seoul."}, config, ITEM)
    assert done == {"text": "The Han flows through Seoul."}


def test_the_widget_posts_json_in_one_field():
    form = QueryDict(mutable=True)
    form["answer"] = json.dumps({"text": "요약"})
    assert SUMMARY.answer_from_form(form, {}) == {"text": "요약"}
    form["answer"] = "{broken"
    assert SUMMARY.answer_from_form(form, {}) == "{broken"


# --- Aggregation, gold, controls --------------------------------------------------------------
def test_the_result_is_the_weighted_medoid_without_meta_or_checks():
    config = SUMMARY.validate_config({})
    answers = [{"text": "한강은 서울을 흐른다.", "meta": {"pastes": 0}},
               {"text": "한강은 서울을 흐릅니다.", "checks": [{"check": "copy"}]},
               {"text": "한강이 서울을 흐른다."}, {"text": "완전히 다른 이야기를 썼습니다."}]
    fused = SUMMARY.aggregate_item(answers, [1.0] * 4, config)
    assert fused.result == {"text": "한강은 서울을 흐른다."}
    assert 0 < fused.agreement < 1 and fused.summary == "한강은 서울을 흐른다."
    assert SUMMARY.aggregate_item([], [], config) is None
    plain = SUMMARY.aggregate(answers, config)
    assert plain["answers"] == 4 and plain["confidence"] == round(fused.agreement, 4)


def test_gold_matches_within_the_pass_score():
    config = TRANSLATION.validate_config({"target_languages": ["en"], "pass_score": 0.8})
    gold = {"text": "The Han River flows through Seoul."}
    assert TRANSLATION.answer_matches({"text": "The Han river flows through Seoul"}, gold,
                                      config)
    assert not TRANSLATION.answer_matches({"text": "Seoul has a river."}, gold, config)
    qa = QA.validate_config({"pass_score": 0.6})
    qa_gold = {"pairs": [{"question": "한국의 수도는?", "answer": "서울"}]}
    wordy = {"pairs": [{"question": "한국의 수도는 어디인가요?", "answer": "서울입니다"}]}
    assert QA.score_answer(wordy, qa_gold, qa) == pytest.approx(0.7, abs=0.05)
    assert QA.answer_matches({"pairs": [{"question": "한국의 수도는 어디?", "answer": "서울"}]},
                             qa_gold, qa)
    assert "token F1 of at least 0.6" in QA.correctness(qa)
    assert "character error rate of at least 0.8" in TRANSLATION.correctness(config)


def test_wrong_answers_for_review_controls_are_valid_and_clearly_off():
    qa_gold = {"pairs": [{"question": "한국의 수도는?", "answer": "서울"},
                         {"question": "가장 긴 강은?", "answer": "낙동강"}]}
    wrong = QA.wrong_answer(qa_gold, QA.validate_config({}))
    assert [p["answer"] for p in wrong["pairs"]] == ["낙동강", "서울"]
    assert QA.wrong_answer(qa_gold, {}) == wrong  # deterministic
    summary = SUMMARY.wrong_answer({"text": "한강은 서울을 흐른다"}, {})
    assert summary == {"text": "은강한 을울서 다른흐"}
    assert SUMMARY.score_answer(summary, {"text": "한강은 서울을 흐른다"}, {}) < 0.5
    assert SUMMARY.wrong_answer({"text": "aa"}, {}) is None
    assert DIALOGUE.wrong_answer({"label": "x"}, {}) is None


# --- Templates ---------------------------------------------------------------------------------
def test_the_widget_shows_the_source_beside_the_fields_in_korean():
    config = QA.validate_config({})
    answer = {"pairs": [{"question": "한강은?", "answer": "서울"}], "meta": {"pastes": 2}}
    with translation.override("ko"):
        html = render_to_string(QA.widget_template, {"item": ITEM, "config": config,
                                                     "answer": answer, "readonly": False})
    assert 'data-writing="qa_pairs"' in html and 'name="answer"' in html
    assert SOURCE in html and 'lang="ko"' in html
    assert "kinds/text_writing/widget.js" in html and '"pastes": 2' in html
    readonly = render_to_string(QA.widget_template, {"item": ITEM, "config": config,
                                                     "answer": answer, "readonly": True})
    assert "widget.js" not in readonly and "한강은?" in readonly and 'name="answer"' not in readonly


def test_the_review_card_shows_source_answer_warnings_and_meta():
    answer = {"text": "요약입니다", "meta": {"pastes": 3, "typed_ms": 65400},
              "checks": [{"check": "copy", "part": "text", "share": 0.62, "run": 40,
                          "limit": 0.5},
                         {"check": "length", "part": "text", "chars": 5, "min": 20,
                          "max": 500}]}
    html = render_to_string(SUMMARY.review_template, {"item": ITEM, "answer": answer})
    assert SOURCE in html and "요약입니다" in html
    assert "copies 62 in 100 of its characters" in html and "longest copied run 40" in html
    assert "5 characters; the project asks for 20 to 500" in html
    assert "3 pastes" in html and "typing 65 s" in html
    long_source = {"source": "가" * 400}
    folded = render_to_string(SUMMARY.review_template, {"item": long_source, "answer": None})
    assert "<details" in folded
    pairs = render_to_string(QA.review_template, {"item": ITEM, "answer": {
        "pairs": [{"question": "한강은?", "answer": "서울"}]}})
    assert "한강은?" in pairs and "서울" in pairs


def test_the_review_card_shows_paste_typing_and_duplicate_findings_in_words():
    answer = {"text": "서울을 가로지르는 강에는 다리가 많다.",
              "meta": {"pastes": 2, "pasted_chars": 300, "keys": 4, "typed_ms": 9000},
              "checks": [{"check": "pasted", "share": 0.92},
                         {"check": "typing", "cpm": 2400, "keys": 4, "chars": 60},
                         {"check": "duplicate", "similarity": 0.93, "scope": "worker",
                          "submission": 12, "excerpt": "예전에 보낸 같은 답"},
                         {"check": "duplicate", "similarity": 0.81, "scope": "client",
                          "submission": 14, "excerpt": "다른 프로젝트의 답"}]}
    html = render_to_string(SUMMARY.review_template, {"item": ITEM, "answer": answer})
    assert "92 in 100 of the answer's characters came in by pasting" in html
    assert "60 characters typed at 2400 a minute" in html
    assert "4 keystrokes for 60 typed characters" in html
    assert "2 pastes" in html and "(300 characters)" in html and "4 keystrokes" in html
    # Each earlier answer beside this one, with where it was sent and how alike.
    assert html.index("tw-rv-answer") < html.index("tw-rv-dups")
    assert "Repeats an answer this worker sent before (93% alike)" in html
    assert "Repeats an answer in another project of this client (81% alike)" in html
    assert "예전에 보낸 같은 답" in html and "다른 프로젝트의 답" in html
    slow = {"text": "글", "checks": [{"check": "typing", "cpm": 300, "keys": 2, "chars": 80},
                                    {"check": "typing", "cpm": None, "keys": None,
                                     "chars": 50}]}
    html = render_to_string(SUMMARY.review_template, {"item": ITEM, "answer": slow})
    assert "a minute" not in html and "2 keystrokes for 80 typed characters" in html
    assert "50 characters with no typing time measured" in html
    with translation.override("ko"):
        korean = render_to_string(SUMMARY.review_template, {"item": ITEM, "answer": answer})
    assert "예전에 보낸 같은 답" in korean

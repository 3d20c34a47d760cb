"""The writing kinds' plain modules (no Django): the script-based language check, copying from
the source, length, and the medoid with its agreement."""

from __future__ import annotations

import pytest

from datadam.kinds.text_writing import checks, script, similarity
from datadam.kinds.text_writing.checks import Part, Source


# --- Language, from the scripts of the letters -------------------------------------------------
@pytest.mark.parametrize("text, language", [
    ("오늘은 날씨가 정말 좋네요.", "ko"),
    ("The weather is lovely today.", "en"),
    ("今日はとても良い天気ですね。", "ja"),
    ("東京大学の入学試験は難しい。", "ja"),  # kanji with a few kana
    ("今天天气很好，我们去公园吧。", "zh"),
    ("AI 모델을 학습시키는 데이터를 만듭니다", "ko"),  # Latin letters count half
    ("Привет, как дела сегодня?", None),  # another script
    ("OK", None),  # too few letters to tell
    ("12345 !!!", None),
])
def test_the_language_is_told_from_the_letters_scripts(text, language):
    assert script.detect(text) == language


def test_the_share_in_the_wanted_languages_passes_mixed_text_and_skips_short_text():
    assert script.language_share("I ate 김치 and 불고기 for lunch today", ["en"]) > 0.5
    assert script.language_share("I ate 김치 and 불고기 for lunch today", ["ko"]) < 0.5
    assert script.language_share("삼성전자 Galaxy 발표", ["ko", "en"]) == 1.0
    assert script.language_share("서울", ["en"]) is None  # 2 letters: not judged
    # Han characters are Chinese without kana, Japanese with them.
    assert script.language_share("今天天气很好我们去公园", ["ja"]) == 0.0
    assert script.language_share("今日はいい天気です", ["zh"]) < 0.5


# --- Copying from the source --------------------------------------------------------------------
SOURCE = ("The Han River flows through the middle of Seoul. Its bridges join the north and "
          "the south of the city.")
KO_SOURCE = "한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇는다."


def test_a_copied_sentence_is_found_whatever_its_case_spaces_and_punctuation():
    share, run = checks.copied("the han river FLOWS through, the middle of Seoul", Source(SOURCE))
    assert share == 1.0 and run == len(checks.squeeze("the han river flows through the "
                                                      "middle of seoul"))


def test_own_words_share_little_with_the_source():
    share, _run = checks.copied("A river crosses the capital, with many bridges.",
                                Source(SOURCE))
    assert share == 0.0
    share, _run = checks.copied("서울을 가로지르는 강에는 다리가 많다.", Source(KO_SOURCE))
    assert share == 0.0


def test_korean_copies_count_from_eight_syllables_latin_from_sixteen_letters():
    assert checks.window("한강은 서울 한가운데") == 8 and checks.window("The Han River") == 16
    share, run = checks.copied("요약: 한강은 서울 한가운데를 흐른다", Source(KO_SOURCE))
    assert run == len("한강은서울한가운데를흐른다") and 0.8 < share < 1
    # Seven syllables in a row is not yet a copy.
    assert checks.copied("북쪽과 남쪽 이야기", Source(KO_SOURCE))[0] == 0.0


def test_check_copy_fails_above_the_limit_and_is_off_at_one_and_for_qa_answers():
    part = Part("text", None, "The Han River flows through the middle of Seoul today")
    found = checks.check_copy(part, Source(SOURCE), 0.5)
    assert found is not None and found.values["share"] > 0.5 and found.values["limit"] == 0.5
    assert checks.check_copy(part, Source(SOURCE), 1.0) is None
    assert checks.check_copy(Part("answer", 1, part.text, copy=False), Source(SOURCE),
                             0.5) is None
    assert checks.check_copy(part, None, 0.5) is None


def test_length_and_language_checks_name_the_part_and_numbers():
    found = checks.check_length(Part("question", 2, "짧다"), 5, 100)
    assert found.as_json() == {"check": "length", "part": "question", "n": 2, "chars": 2,
                               "min": 5, "max": 100}
    assert checks.check_length(Part("text", None, "x" * 5), 5, 5) is None
    lang = checks.check_language(Part("text", None, "This is written in English."), ["ko"])
    assert lang.as_json() == {"check": "language", "part": "text", "share": 0.0,
                              "detected": "en", "wanted": ["ko"]}
    assert checks.check_language(Part("text", None, "한국어로 썼습니다."), ["ko"]) is None
    assert checks.check_language(Part("text", None, "English"), []) is None


def test_run_checks_uses_the_answer_limits_for_qa_answers():
    parts = [Part("question", 1, "한강은 어디를 흐르나요?"), Part("answer", 1, "서울", copy=False)]
    found = checks.run_checks(parts, source=KO_SOURCE, low=5, high=100, answer_limits=(1, 10),
                              languages=["ko"], copy_limit=0.5)
    assert found == []
    found = checks.run_checks(parts, source=KO_SOURCE, low=5, high=100, answer_limits=(3, 10),
                              languages=["ko"], copy_limit=0.5)
    assert [(f.check, f.part, f.n) for f in found] == [("length", "answer", 1)]


# --- Similarity, medoid, agreement ---------------------------------------------------------------
def test_cer_and_token_f1_treat_korean_syllables_as_characters_and_tokens():
    assert similarity.cer("한국의 수도", "한국의 수도") == 0.0
    assert similarity.cer("한국 수도", "한국의 수도") == pytest.approx(1 / 6)
    assert similarity.cer("완전히 다른 긴 문장입니다", "짧음") == 1.0  # capped
    assert similarity.tokens("Seoul은 한국의 수도, 10M people") == [
        "seoul", "은", "한", "국", "의", "수", "도", "10m", "people"]
    assert similarity.token_f1("서울", "서울입니다") == pytest.approx(2 * 1 * 0.4 / 1.4)
    assert similarity.token_f1("", "") == 1.0 and similarity.token_f1("a", "") == 0.0


def test_pairs_are_matched_one_to_one_whatever_their_order():
    a = {"pairs": [{"question": "수도는?", "answer": "서울"},
                   {"question": "강 이름은?", "answer": "한강"}]}
    b = {"pairs": list(reversed(a["pairs"]))}
    assert similarity.similarity(a, b, "qa_pairs") == 1.0
    missing = {"pairs": a["pairs"][:1]}
    assert similarity.similarity(missing, a, "qa_pairs") == pytest.approx(2 / 3)
    assert similarity.distance(a, {"pairs": []}, "qa_pairs") == 1.0


def test_the_medoid_is_the_answer_closest_to_the_others_and_agreement_is_one_minus_mean_cer():
    answers = [{"text": "한강은 서울을 흐른다."}, {"text": "한강은 서울을 흐릅니다."},
               {"text": "한강이 서울을 흐른다."}, {"text": "전혀 관계없는 글입니다."}]
    chosen, agreement = similarity.medoid(answers, [1, 1, 1, 1], "summary")
    assert chosen == 0
    others = [similarity.cer(a["text"], answers[0]["text"]) for a in answers[1:]]
    assert agreement == pytest.approx(1 - sum(others) / 3)


def test_weights_move_the_medoid_and_ties_go_to_the_heavier_answer():
    two = [{"text": "first answer"}, {"text": "second reply"}]
    assert similarity.medoid(two, [0.5, 0.9], "translation")[0] == 1
    assert similarity.medoid(two, [0.9, 0.5], "translation")[0] == 0
    seoul = [{"text": "서울은 한국의 수도"}, {"text": "서울은 한국의 수도다"}]
    busan = [{"text": "부산은 항구 도시"}, {"text": "부산은 항구 도시다"},
             {"text": "부산은 큰 항구 도시"}]
    assert similarity.medoid(seoul + busan, [1] * 5, "summary")[0] >= 2
    # Two skilled writers outweigh three unskilled ones.
    assert similarity.medoid(seoul + busan, [5, 5, 0.2, 0.2, 0.2], "summary")[0] < 2
    assert similarity.medoid([{"text": "alone"}], [0.3], "summary") == (0, 1.0)


def test_dialogues_compare_speakers_and_texts_in_order():
    a = {"turns": [{"speaker": "A", "text": "안녕하세요"}, {"speaker": "B", "text": "네"}]}
    swapped = {"turns": [{"speaker": "B", "text": "안녕하세요"}, {"speaker": "A", "text": "네"}]}
    assert similarity.similarity(a, a, "dialogue") == 1.0
    assert 0 < similarity.similarity(swapped, a, "dialogue") < 1


def test_bad_medoid_input_is_refused():
    with pytest.raises(ValueError):
        similarity.medoid([], [], "summary")
    with pytest.raises(ValueError):
        similarity.medoid([{"text": "a"}], [1, 2], "summary")

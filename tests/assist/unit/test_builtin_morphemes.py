"""Built-in Korean morpheme pre-labels (Kiwi, through the kind's analyser)."""

from __future__ import annotations

import pytest

from datadam.assist.builtin.morphemes import morphemes_predict
from datadam.kinds import get_kind
from datadam.kinds.korean_morphemes import SAMPLE_MORPHEMES, SAMPLE_TEXT
from datadam.kinds.korean_morphemes.analysis import analyse

SENTENCES = [
    SAMPLE_TEXT,
    "학교에 갔다",  # a contraction: 갔 → 가/VV + 았/EP on one span
    "의사예요",  # an elided copula
    "OpenAI의 GPT-4는 2023년에 나왔다!",
    "서울특별시 강남구 테헤란로 123, 5층 (우: 06234)",
    "ㅋㅋㅋ 진짜 웃겨요ㅎㅎ",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_suggested_tokens_are_the_kinds_own_analysis(text):
    assert morphemes_predict(text)["answer"]["tokens"] == analyse(text)


def test_the_sample_sentence_gives_the_kinds_sample_analysis():
    assert morphemes_predict(SAMPLE_TEXT)["answer"] == {"tokens": SAMPLE_MORPHEMES}


@pytest.mark.parametrize("text", SENTENCES)
def test_the_suggestion_is_a_valid_answer_for_the_item(text):
    kind = get_kind("korean_morphemes")
    item = kind.validate_item({"text": text})
    answer = morphemes_predict(item["text"])["answer"]
    assert kind.validate_answer(answer, kind.validate_config({}), item) == answer


def test_a_sentence_kiwi_reads_two_ways_is_less_certain_than_a_plain_one():
    ambiguous = morphemes_predict("아버지가방에들어가신다")  # 가방 (bag) or 가 방 (room)
    plain = morphemes_predict("나는 밥을 먹었다")
    assert ambiguous["uncertainty"] > 0.3 > 0.05 > plain["uncertainty"]
    assert ambiguous["score"] < plain["score"]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_score_is_the_best_analysis_share_against_the_runner_up(text):
    found = morphemes_predict(text)
    assert 0.0 <= found["uncertainty"] <= 1.0
    assert found["score"] == pytest.approx(1.0 / (1.0 + found["uncertainty"]), abs=1e-4)


def test_blank_text_suggests_no_tokens_with_full_uncertainty():
    assert morphemes_predict("  \n") == {"answer": {"tokens": []}, "score": 0.0,
                                         "uncertainty": 1.0}

"""The Korean morpheme kind without the database: Kiwi's analysis as tokens, answer checks,
the weighted vote, gold scoring and the Sejong TSV export read back."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from django.http import QueryDict

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError
from datadam.kinds.exporting import ExportContext
from datadam.kinds.korean_morphemes import SAMPLE_MORPHEMES, SAMPLE_TEXT, analysis
from datadam.kinds.korean_morphemes.formats import SEJONG, read_tsv
from datadam.kinds.korean_morphemes.tags import TAG_SET, TAGS, base_tag
from datadam.kinds.korean_morphemes.tokens import check_tokens, normal_form
from datadam.kinds.korean_morphemes.vote import agreement, fuse, token_f1

KIND = get_kind("korean_morphemes")
CONFIG = KIND.validate_config({})
TEXT = "학교에 갔다."  # 학교 에 | 가+았 다 .


def tok(start: int, end: int, form: str, tag: str) -> dict:
    return {"start": start, "end": end, "form": form, "tag": tag}


TRUTH = [tok(0, 2, "학교", "NNG"), tok(2, 3, "에", "JKB"), tok(4, 5, "가", "VV"),
         tok(4, 5, "았", "EP"), tok(5, 6, "다", "EF"), tok(6, 7, ".", "SF")]


# --- The analysis wrapper ----------------------------------------------------------------------
def test_kiwi_analyses_the_sample_as_the_kind_ships_it_with_a_contraction_sharing_its_span():
    assert analysis.analyse(SAMPLE_TEXT) == SAMPLE_MORPHEMES
    assert analysis.analyse(TEXT) == TRUTH
    assert analysis.analyse("   ") == []


def test_kiwi_is_loaded_once_however_many_threads_ask_at_first():
    analysis._kiwi = None  # as in a fresh process
    seen, results = [], []

    def work() -> None:
        seen.append(analysis.kiwi())
        results.append(analysis.analyse(TEXT))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(k) for k in seen}) == 1
    assert results == [TRUTH] * 6


@pytest.mark.parametrize("text", [
    "의사예요.", "했어욗", "“안녕하세요” 하고 인사했다…", "서울 특별시 (Seoul) 3.5% 上海 ㅋㅋㅋ",
    "  앞뒤 공백  ", "https://example.com 에 접속", "그는\n공부를\t했다.",
    "가. 첫째 항목 😀 이모지",
])
def test_every_analysis_is_a_valid_answer_for_its_text(text):
    tokens = analysis.analyse(text)
    assert check_tokens(tokens, text, max_tokens=4000) == tokens
    assert all(t["tag"] in TAG_SET for t in tokens)


def test_raw_morphemes_become_tokens_overlaps_merged_elisions_joined_and_gaps_filled():
    text = "나눕니다 의사예요 ab"
    raw = [("나누", "VV", 0, 2), ("ᆸ니다", "EF", 1, 4),  # overlapping stretches: one span
           ("의사", "NNG", 5, 7), ("이", "VCP", 7, 7), ("예요", "EF", 7, 9),  # length 0: next
           ("요", "JX-I", 9, 9)]  # length 0 at the end: the previous span; ab: nobody's
    assert analysis.tokens_from_raw(text, raw) == [
        tok(0, 4, "나누", "VV"), tok(0, 4, "ㅂ니다", "EF"), tok(5, 7, "의사", "NNG"),
        tok(7, 9, "이", "VCP"), tok(7, 9, "예요", "EF"), tok(7, 9, "요", "JX"),
        tok(10, 12, "ab", "SL")]


def test_a_raw_span_across_a_space_is_cut_into_one_token_per_word():
    text = "뉴욕 타임스가"
    raw = [("뉴욕 타임스", "NNP", 0, 6), ("가", "JKS", 6, 7)]
    tokens = analysis.tokens_from_raw(text, raw)
    assert tokens == [tok(0, 2, "뉴욕타임스", "NNP"), tok(3, 6, "타임스", "NNP"),
                      tok(6, 7, "가", "JKS")]
    assert check_tokens(tokens, text, max_tokens=10) == tokens


def test_tags_fold_kiwis_irregular_marks_and_forms_use_keyboard_jamo():
    assert (base_tag("VV-I"), base_tag("XSA-R"), base_tag("NNG"), base_tag("USER0")) == (
        "VV", "XSA", "NNG", "UN")
    assert normal_form("ᆸ니다") == "ㅂ니다"
    assert normal_form("하\u1100") == "하ㄱ"


def test_the_widget_lists_the_same_tags_as_the_kind():
    html = (Path(__file__).parents[3] / "datadam/kinds/korean_morphemes/_tags.html").read_text()
    assert re.findall(r'data-tag="([A-Z_]+)"', html) == [t for t, _ko, _en in TAGS]


# --- Items and answers -------------------------------------------------------------------------
def test_items_are_texts_normalised_to_nfc_and_a_sent_analysis_is_checked_against_them():
    nfd = "\u1112\u1161\u11ab\u1100\u116e\u11a8"  # 한국 as conjoining jamo
    assert KIND.validate_item({"text": nfd}) == {"text": "한국"}
    item = KIND.validate_item({"text": TEXT, "morphemes": TRUTH})
    assert item["morphemes"] == TRUTH
    for bad in ({}, {"text": "  "}, {"text": "가" * 2001}, {"text": 3},
                {"text": TEXT, "morphemes": TRUTH[:-1]}):
        with pytest.raises(ItemError):
            KIND.validate_item(bad)


def test_an_answer_checked_against_the_text_is_normalised():
    answer = {"tokens": [{**t, "score": 0.5} for t in TRUTH[:2]] + [
        tok(4, 5, " 가 ", "VV"), tok(4, 5, "았", "EP"), tok(5, 6, "다", "EF"),
        tok(6, 7, ".", "SF")]}
    assert KIND.validate_answer(answer, CONFIG, {"text": TEXT}) == {"tokens": TRUTH}
    form = QueryDict(mutable=True)
    form["answer"] = '{"tokens": []}'
    assert KIND.answer_from_form(form, CONFIG) == {"tokens": []}


@pytest.mark.parametrize("tokens, message", [
    ([], "non-empty"),
    ([tok(0, 3, "학교에", "NNG"), tok(2, 3, "에", "JKB")], "overlaps"),
    ([tok(2, 3, "에", "JKB"), tok(0, 2, "학교", "NNG")], "text order"),
    ([tok(0, 5, "학교에갔", "NNG")], "spans a space"),
    ([tok(0, 3, "학교에", "NNG")], "in no morpheme"),
    ([tok(0, 3, "학교에", "NOUN")], "unknown tag"),
    ([tok(0, 3, "  ", "NNG")], "needs a form"),
    ([tok(0, 9, "학교에", "NNG")], "past the text"),
    ([tok(2, 2, "에", "JKB")], "start before end"),
    ([{"start": 0, "end": 3, "form": "학교에"}], "must be"),
])
def test_bad_answers_are_refused_naming_the_morpheme_and_the_problem(tokens, message):
    with pytest.raises(InvalidInput, match=message):
        KIND.validate_answer({"tokens": tokens}, CONFIG, {"text": TEXT})


def test_without_the_item_only_the_tokens_themselves_are_checked():
    assert KIND.validate_answer({"tokens": TRUTH[:1]}, CONFIG) == {"tokens": TRUTH[:1]}
    with pytest.raises(InvalidInput):
        KIND.validate_answer({"tokens": TRUTH, "extra": 1}, CONFIG)


# --- The vote ----------------------------------------------------------------------------------
def test_unanimous_answers_fuse_to_themselves_with_full_agreement():
    fused = fuse([TRUTH, TRUTH], [0.7, 0.9])
    assert [{k: t[k] for k in ("start", "end", "form", "tag")} for t in fused.tokens] == TRUTH
    assert {t["score"] for t in fused.tokens} == {1.0} and fused.agreement == 1.0


def test_the_segmentation_is_voted_by_boundary_and_tags_by_weight():
    whole = [tok(0, 3, "학교에", "NNG"), *TRUTH[2:]]
    as_verb = [TRUTH[0], tok(2, 3, "에", "JX"), *TRUTH[2:]]
    fused = fuse([whole, TRUTH, as_verb], [1.0, 1.0, 1.0])
    assert fused.tokens[:2] == [{**TRUTH[0], "score": round(2 / 3, 4)},
                                {**TRUTH[1], "score": round(1 / 3, 4)}]
    # A heavy worker outweighs two light ones on the tag.
    heavy = fuse([as_verb, TRUTH, TRUTH], [3.0, 1.0, 1.0])
    assert heavy.tokens[1]["tag"] == "JX"


def test_a_contraction_is_voted_as_the_sequence_of_forms_of_its_span():
    one = [*TRUTH[:2], tok(4, 5, "갔", "VV"), *TRUTH[4:]]
    fused = fuse([one, TRUTH, TRUTH], [1.0, 1.0, 1.0])
    assert [(t["form"], t["tag"]) for t in fused.tokens if t["start"] == 4] == [
        ("가", "VV"), ("았", "EP")]
    assert fuse([one, TRUTH], [1.0, 1.0]).tokens[2]["form"] == "갔"  # a tie: the first answer


def test_a_span_no_answer_drew_joins_the_morphemes_of_those_that_have_its_ends():
    text = "abcd"
    a = [tok(0, 1, "a", "SL"), tok(1, 4, "bcd", "SL")]
    b = [tok(0, 3, "abc", "SL"), tok(3, 4, "d", "SW")]
    c = [tok(0, 2, "ab", "SL"), tok(2, 4, "cd", "SW")]
    fused = fuse([a, b, c], [1.0, 1.0, 1.0])
    assert fused.tokens == [{"start": 0, "end": 4, "form": "abcd", "tag": "SL", "score": 0.0}]
    assert check_tokens(fused.tokens, text, max_tokens=5)


def test_agreement_is_the_weighted_mean_pairwise_token_f1():
    other = [tok(0, 3, "학교에", "NNG"), *TRUTH[2:]]  # 4 of 6 and 5 tokens shared
    f1 = 2 * 4 / (6 + 5)
    assert token_f1(other, TRUTH) == pytest.approx(f1)
    assert agreement([TRUTH, TRUTH, other], [1.0, 1.0, 2.0]) == pytest.approx(
        (1 * 1.0 + 2 * f1 + 2 * f1) / 5)
    assert agreement([TRUTH], [0.3]) == 1.0


def test_aggregate_item_gives_the_result_with_scores_and_a_summary():
    fused = KIND.aggregate_item([{"tokens": TRUTH}] * 2, [0.8, 0.6], CONFIG)
    assert fused.summary == "학교/NNG+에/JKB 가/VV+았/EP+다/EF+./SF"
    assert fused.agreement == 1.0 and len(fused.result["tokens"]) == 6
    assert KIND.aggregate_item([], [], CONFIG) is None
    assert KIND.aggregate([{"tokens": TRUTH}], CONFIG)["confidence"] == 1.0


def test_gold_matches_at_the_pass_score_and_a_wrong_control_scores_zero():
    one_off = [*TRUTH[:5], tok(6, 7, ".", "SW")]  # 5 of 6 tokens
    assert KIND.score_answer({"tokens": one_off}, {"tokens": TRUTH}, CONFIG) == pytest.approx(
        5 / 6)
    assert not KIND.answer_matches({"tokens": one_off}, {"tokens": TRUTH}, CONFIG)
    assert KIND.answer_matches({"tokens": one_off}, {"tokens": TRUTH}, {"pass_score": 0.8})
    wrong = KIND.wrong_answer({"tokens": TRUTH}, CONFIG)
    assert KIND.validate_answer(wrong, CONFIG, {"text": TEXT}) == wrong
    assert KIND.score_answer(wrong, {"tokens": TRUTH}, CONFIG) == 0.0
    assert "0.9" in KIND.correctness(CONFIG)


# --- The Sejong TSV export ---------------------------------------------------------------------
def test_the_tsv_export_reads_back_to_the_same_tokens():
    plus_text = "1+1=2 입니다"
    plus = [tok(0, 1, "1", "SN"), tok(1, 2, "+", "SW"), tok(2, 3, "1", "SN"),
            tok(3, 4, "=", "SW"), tok(4, 5, "2", "SN"), tok(6, 7, "이", "VCP"),
            tok(7, 9, "ㅂ니다", "EF")]
    records = [
        {"item_id": 1, "external_id": "s-1", "data": {"text": TEXT},
         "result": {"tokens": TRUTH, "confidence": 0.75}, "answers": []},
        {"item_id": 2, "external_id": "", "data": {"text": "줄\n바꿈"}, "result": None,
         "answers": []},
        {"item_id": 3, "external_id": "", "data": {"text": plus_text},
         "result": {"tokens": plus, "confidence": 1.0}, "answers": []},
    ]
    ctx = ExportContext(project_id=1, name="p", kind="korean_morphemes", config=CONFIG)
    body = b"".join(SEJONG.write(ctx, records)).decode()
    assert ("1\t학교에\t학교/NNG+에/JKB\t0:2+2:3\n"
            "2\t갔다.\t가/VV+았/EP+다/EF+./SF\t4:5+4:5+5:6+6:7") in body
    back = read_tsv(body)
    assert [b["item_id"] for b in back] == [1, 2, 3]
    assert back[0] == {"item_id": 1, "external_id": "s-1", "text": TEXT, "confidence": 0.75,
                       "tokens": TRUTH}
    assert back[1]["tokens"] is None and back[1]["text"] == "줄 바꿈"
    assert back[2]["tokens"] == plus

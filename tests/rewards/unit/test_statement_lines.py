"""A statement words each ledger transaction from its key, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from datadam.rewards.memos import statement_line


@pytest.mark.parametrize(
    ("key", "english", "korean"),
    [
        ("payout:3:request", "payout #3 requested", "지급 #3 요청"),
        ("project:4:fund:0-30", "budget for 30 items of project #4", "프로젝트 #4 항목 30개 예산"),
        ("project:4:gold:7-30", "budget for 23 gold answers of project #4",
         "프로젝트 #4 골드 답변 23개 예산"),
        ("project:4:close:refund", "unused budget returned", "쓰지 않은 예산 반환"),
        ("submission:9:settle:refund", "unused budget returned", "쓰지 않은 예산 반환"),
    ],
)
def test_known_events_are_worded_in_each_language(key: str, english: str, korean: str) -> None:
    with translation.override("en"):
        assert statement_line(key=key, memo="stored memo") == english
    with translation.override("ko"):
        assert statement_line(key=key, memo="stored memo") == korean


@pytest.mark.parametrize(
    ("key", "english", "korean"),
    [
        ("submission:51:reward", "approved answer #108", "승인된 답변 #108"),
        ("submission:51:review", "review of answer #108", "답변 #108 검수"),
        ("submission:51:skill_bonus", "skill bonus for answer #108", "답변 #108 숙련도 보너스"),
    ],
)
def test_a_line_about_an_answer_names_its_assignment_not_the_submission_in_the_key(
    key: str, english: str, korean: str
) -> None:
    with translation.override("en"):
        assert statement_line(key=key, memo="stored memo", answer=108) == english
    with translation.override("ko"):
        assert statement_line(key=key, memo="stored memo", answer=108) == korean


def test_a_line_about_an_answer_of_unknown_assignment_shows_the_stored_memo() -> None:
    assert statement_line(key="submission:51:reward", memo="approved answer #9") == (
        "approved answer #9"
    )


def test_top_ups_show_the_operators_reference_or_nothing() -> None:
    with translation.override("ko"):
        assert statement_line(key="topup:TRX-7:refund", memo="top-up TRX-7:refund") == (
            "충전 TRX-7:refund"
        )
        generated = "topup:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        assert statement_line(key=generated, memo="top-up") == "충전"


def test_a_payment_beyond_escrow_says_so() -> None:
    with translation.override("en"):
        line = statement_line(
            key="submission:5:reward", memo="approved answer #4 (beyond escrow)", answer=4
        )
    assert line == "approved answer #4 (beyond escrow)"


def test_a_key_of_no_known_form_shows_the_stored_memo() -> None:
    assert statement_line(key="something:else", memo="as recorded") == "as recorded"
    assert statement_line(key="submission:x:reward", memo="as recorded") == "as recorded"

"""A statement words each ledger transaction from its key, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from datadam.rewards.memos import statement_line


@pytest.mark.parametrize(
    ("key", "english", "korean"),
    [
        ("submission:51:reward", "approved answer #51", "승인된 답변 #51"),
        ("submission:31:review", "review of answer #31", "답변 #31 검수"),
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


def test_top_ups_show_the_operators_reference_or_nothing() -> None:
    with translation.override("ko"):
        assert statement_line(key="topup:TRX-7:refund", memo="top-up TRX-7:refund") == (
            "충전 TRX-7:refund"
        )
        generated = "topup:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        assert statement_line(key=generated, memo="top-up") == "충전"


def test_a_payment_beyond_escrow_says_so() -> None:
    with translation.override("en"):
        line = statement_line(key="submission:5:reward", memo="approved answer #5 (beyond escrow)")
    assert line == "approved answer #5 (beyond escrow)"


def test_a_key_of_no_known_form_shows_the_stored_memo() -> None:
    assert statement_line(key="something:else", memo="as recorded") == "as recorded"
    assert statement_line(key="submission:x:reward", memo="as recorded") == "as recorded"

"""The typed signature and the small parsers the consent services share (no database)."""

from __future__ import annotations

import pytest

from datadam.consent.selectors import PAGE_MAX, page_limit
from datadam.consent.services import consent_id_value, signature_matches
from datadam.errors import InvalidInput


@pytest.mark.parametrize("name,signature", [
    ("Kim Minji", "Kim Minji"),
    ("Kim Minji", "kim minji"),
    ("Kim Minji", "  KIM   MINJI "),
    ("Kim Minji", "KimMinji"),
    ("홍길동", "홍 길동"),
    ("Ｊｏｈｎ", "john"),  # full-width letters, as some phone keyboards type them
])
def test_the_signature_is_the_name_again_whatever_the_case_spaces_or_width(name, signature):
    assert signature_matches(name, signature)


@pytest.mark.parametrize("name,signature", [
    ("Kim Minji", "Kim Minju"),
    ("Kim Minji", "K.M."),
    ("Kim Minji", ""),
    ("Kim Min-ji", "Kim Minji"),
    ("", ""),
    ("   ", "   "),
])
def test_a_different_or_empty_signature_does_not_sign(name, signature):
    assert not signature_matches(name, signature)


@pytest.mark.parametrize("value,expected", [
    (7, 7), ("12", 12), (" 12 ", 12), (2**63 - 1, 2**63 - 1),
])
def test_a_consent_id_may_come_as_a_number_or_as_digits(value, expected):
    assert consent_id_value(value) == expected


@pytest.mark.parametrize("value", [0, -3, 2**63, True, "abc", "1.5", 1.0, None, "9" * 30])
def test_anything_else_is_not_a_consent_id(value):
    with pytest.raises(InvalidInput, match="consent_id"):
        consent_id_value(value)


@pytest.mark.parametrize("limit,expected", [
    (10, 10), (0, 1), (-5, 1), (10**9, PAGE_MAX), (True, 100), ("7", 100),
])
def test_page_sizes_are_clamped_to_one_to_the_maximum(limit, expected):
    assert page_limit(limit) == expected

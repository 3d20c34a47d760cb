"""Targeting by profile: native speakers, and attributes compared with a number
("baby_age_months <= 6"), evaluated without a database."""

from __future__ import annotations

import pytest

from datadam.qualifications.eligibility import (
    WorkerFacts,
    attribute_bound,
    is_bound_like,
    requirement_gaps,
)
from datadam.qualifications.models import ProjectRequirement


def gaps(facts: WorkerFacts, **fields) -> list[str]:
    return [g.message for g in requirement_gaps(ProjectRequirement(project_id=1, **fields),
                                                facts, year=2026)]


@pytest.mark.parametrize("value,bound", [
    ("<=6", ("<=", 6.0)), (" >= 18 ", (">=", 18.0)), ("<2.5", ("<", 2.5)), (">0", (">", 0.0)),
    ("≤6", ("<=", 6.0)), ("≥-1", (">=", -1.0)),
    ("6", None), ("yes", None), ("<=six", None), ("=<6", None), ("", None),
])
def test_a_value_written_as_a_comparison_asks_for_a_number(value, bound):
    assert attribute_bound(value) == bound


def test_a_value_starting_like_a_comparison_is_recognised_even_when_malformed():
    assert is_bound_like("<=six") and is_bound_like(" >x") and not is_bound_like("six<")


@pytest.mark.parametrize("have,ok", [
    ("4", True), ("6", True), ("6.0", True), (" 0 ", True), ("7", False), ("6.5", False),
    ("four", False), ("", False), (None, False),
])
def test_a_worker_meets_at_most_six_with_a_number_of_six_or_less(have, ok):
    attributes = {} if have is None else {"Baby_Age_Months": have}
    found = gaps(WorkerFacts(attributes=attributes), attributes={"baby_age_months": "<=6"})
    assert found == ([] if ok else [
        "Your profile needs the attribute baby_age_months as a number of 6 or less."])


@pytest.mark.parametrize("bound,have,ok", [
    (">=18", "18", True), (">=18", "17.9", False),
    ("<3", "2", True), ("<3", "3", False),
    (">0", "1", True), (">0", "0", False),
])
def test_every_comparison_holds_as_written(bound, have, ok):
    found = gaps(WorkerFacts(attributes={"n": have}), attributes={"n": bound})
    assert (found == []) is ok


def test_plain_values_still_compare_as_text():
    facts = WorkerFacts(attributes={"parent_of_infant": " Yes "})
    assert gaps(facts, attributes={"parent_of_infant": "yes"}) == []
    assert gaps(WorkerFacts(attributes={"n": "6.0"}), attributes={"n": "6"}) == [
        "Your profile needs the attribute n=6."]


def test_a_native_speaker_requirement_looks_at_the_native_language_only():
    native = WorkerFacts(native_language="ko", languages=("ko", "en"))
    learner = WorkerFacts(native_language="en", languages=("en", "ko"))
    assert gaps(native, native_languages=["ko"]) == []
    assert gaps(learner, languages=["ko"]) == []  # knowing Korean is not being native
    assert gaps(learner, native_languages=["ko"]) == [
        "This project is for native speakers of: Korean. Your profile says: English."]
    assert gaps(WorkerFacts(), native_languages=["ko", "ja"]) == [
        "This project is for native speakers of: Korean, Japanese. Your profile says: —."]

"""Why-you reasons are kept as facts, checked on the way in, and worded in the reader's
language; plain text a client wrote stays as written."""

from __future__ import annotations

import pytest
from django.utils import translation

from datadam.recommendations.reasons import reason_clean, reason_text

FACTS = [
    {"code": "skill", "kind": "text_classification", "lower": 0.91, "answers": 120,
     "gold_correct": 8, "gold_total": 8, "approved": 7, "reviewed": 8},
    {"code": "skill", "tag": "boxes", "lower": 0.5, "answers": 3},
    {"code": "no_work", "kind": "image_classification"},
    {"code": "no_timing"},
    {"code": "speed", "median_ms": 2500, "typical_ms": 4000},
    {"code": "qualification", "id": 3, "level": 2},
    {"code": "no_qualification", "id": 3},
    {"code": "no_profile"},
    {"code": "native", "lang": "ko"},
    {"code": "speaks", "lang": "en"},
    {"code": "no_language", "lang": "ja"},
    {"code": "region", "value": "Seoul"},
    {"code": "occupation", "value": "nurse"},
]  # fmt: skip


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f["code"])
def test_every_fact_is_accepted_as_it_is_and_worded_in_both_languages(fact):
    assert reason_clean(fact) == fact
    english = reason_text(fact)
    with translation.override("ko"):
        korean = reason_text(fact)
    assert english and korean
    if fact["code"] not in ("region", "occupation"):  # those carry the worker's own words
        assert english != korean


def test_the_wording_follows_the_reader_not_the_writer():
    fact = {"code": "native", "lang": "ko"}
    assert reason_text(fact) == "native Korean speaker"
    with translation.override("ko"):
        assert "한국어" in reason_text(fact)
    skill = FACTS[0]
    assert reason_text(skill).endswith("skill 0.91 over 120 answers, gold 8/8, approved 7/8")


def test_a_stored_fact_that_cannot_be_worded_reads_as_nothing_not_an_error():
    assert reason_text({"code": "speed", "median_ms": 10**400, "typical_ms": 1}) == ""
    assert reason_text({"code": "skill"}) == ""
    assert reason_text(["not", "a", "fact"]) == ""


def test_text_is_kept_as_written_and_trimmed():
    assert reason_clean("  You did great on our last project  ") == (
        "You did great on our last project")
    assert len(reason_clean("x" * 1000)) == 300
    with translation.override("ko"):
        assert reason_text("as written") == "as written"


@pytest.mark.parametrize(
    "bad, says",
    [
        ({"code": "nope"}, "unknown reason code"),
        ({"lang": "ko"}, "unknown reason code"),
        ({"code": "speaks"}, "needs lang"),
        ({"code": "speaks", "lang": 5}, "wrong type"),
        ({"code": "qualification", "id": True, "level": 1}, "wrong type"),
        ({"code": "speed", "median_ms": 10**400, "typical_ms": 1}, "range"),
        ({"code": "speed", "median_ms": -1, "typical_ms": 1}, "range"),
        ({"code": "skill", "kind": "x", "lower": float("nan"), "answers": 1}, "range"),
        ({"code": "skill", "kind": "x", "lower": float("inf"), "answers": 1}, "range"),
        ({"code": "skill", "kind": "x", "lower": 10**400, "answers": 1}, "range"),
        ({"code": "skill", "kind": "x", "lower": 1.5, "answers": 1}, "range"),
        ({"code": "speaks", "lang": "\ud800"}, "not text"),
        ("hi \ud800", "not text"),
        ({"code": {"nested": []}}, "unknown reason code"),
        ({"code": "speaks", "lang": "ko", "html": "<b>"}, "no field"),
        (["speaks"], "text or an object"),
        (42, "text or an object"),
        ("   ", "empty"),
    ],
)
def test_malformed_reasons_are_refused_with_a_message(bad, says):
    with pytest.raises(ValueError, match=says):
        reason_clean(bad)


def test_an_invitation_states_a_fact_two_criteria_share_once():
    """"careful" (accuracy in the project's kind) and "has done image classification" (that
    kind) explain with the same skill fact; the invitation lists it once, met ones only."""
    from datadam.recommendations.ranking import Match

    skill = FACTS[0]
    lines = [
        {"criterion": "accuracy", "match": 0.9, "weight": 1.0, "reason": dict(skill)},
        {"criterion": "kind", "match": 0.9, "weight": 1.0, "reason": dict(skill)},
        {"criterion": "language", "match": 1.0, "weight": 1.0, "reason": FACTS[8]},
        {"criterion": "region", "match": 0.0, "weight": 1.0, "reason": FACTS[11]},
    ]
    match = Match(worker=None, total=0.9, skill=0.9, lines=lines)  # type: ignore[arg-type]
    assert match.reasons == [skill, FACTS[8]]

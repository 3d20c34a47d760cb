"""The paste and typing checks on a written answer: computed by the server from the widget's
meta and the stored text, only ever warnings, and silent without meta."""

from __future__ import annotations

import pytest

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.text_writing.rhythm import check_pasted, check_typing, rhythm_findings

SUMMARY, QA = get_kind("writing_summary"), get_kind("writing_qa")
ITEM = {"source": "한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇는다."}
TEXT = ("서울을 가로지르는 강에는 다리가 많고, 여름 저녁이면 강가 공원에 사람들이 모여 "
        "산책을 하거나 자전거를 탄다.")  # 61 characters


def test_an_answer_mostly_pasted_is_flagged_with_the_pasted_share():
    assert check_pasted(100, {"pasted_chars": 80}) == {"check": "pasted", "share": 0.8}
    assert check_pasted(100, {"pasted_chars": 79}) is None
    # Pasting more than the answer keeps (pasted, then cut down) counts as all of it.
    assert check_pasted(50, {"pasted_chars": 400}) == {"check": "pasted", "share": 1.0}
    assert check_pasted(100, {"pastes": 3}) is None  # no characters counted: not judged


def test_typing_faster_than_people_type_is_flagged_with_the_rate():
    # 200 characters in 6 s of typing = 2,000 a minute; in 20 s, 600 a minute.
    assert check_typing(200, {"typed_ms": 6000, "keys": 500}) == {
        "check": "typing", "cpm": 2000, "keys": 500, "chars": 200}
    assert check_typing(200, {"typed_ms": 20_000, "keys": 500}) is None
    assert check_typing(200, {"typed_ms": 12_000}) is None  # 1,000 a minute is not above it
    # Text with no typing time at all.
    assert check_typing(60, {"typed_ms": 0}) == {"check": "typing", "cpm": None, "keys": None,
                                                 "chars": 60}


def test_text_that_appeared_with_too_few_keystrokes_is_flagged():
    # 300 characters at a human pace, but 20 keys: injected, not typed.
    assert check_typing(300, {"typed_ms": 60_000, "keys": 20}) == {
        "check": "typing", "cpm": 300, "keys": 20, "chars": 300}
    # Korean: a syllable takes two or three keys, and 0.3 per character is far below that.
    assert check_typing(300, {"typed_ms": 60_000, "keys": 90}) is None
    assert check_typing(300, {"keys": 89})["keys"] == 89


def test_pasted_characters_are_not_expected_to_be_typed():
    # 250 of 300 characters pasted: only 50 were typed, in 10 s with 120 keys.
    assert check_typing(300, {"pasted_chars": 250, "typed_ms": 10_000, "keys": 120}) is None
    # Under 40 typed characters a burst says little.
    assert check_typing(300, {"pasted_chars": 270, "typed_ms": 100, "keys": 0}) is None
    assert check_typing(39, {"typed_ms": 100, "keys": 0}) is None


def test_without_meta_nothing_is_judged():
    assert rhythm_findings(500, None) == [] and rhythm_findings(500, {}) == []
    assert rhythm_findings(500, {"pastes": 2}) == []
    assert [f["check"] for f in rhythm_findings(
        100, {"pasted_chars": 90, "typed_ms": 0, "keys": 0})] == ["pasted"]


def test_the_kind_stores_both_findings_as_warnings_even_where_every_check_blocks():
    config = SUMMARY.validate_config({"blocking": ["length", "language", "copy"]})
    answer = SUMMARY.validate_answer({"text": TEXT, "meta": {
        "pastes": 1, "pasted_chars": 61, "keys": 2, "typed_ms": 300}}, config, ITEM)
    assert answer["checks"] == [{"check": "pasted", "share": 1.0}]
    fast = SUMMARY.validate_answer({"text": TEXT, "meta": {"keys": 3, "typed_ms": 1500}},
                                   config, ITEM)
    assert fast["checks"] == [{"check": "typing", "cpm": 2440, "keys": 3, "chars": 61}]
    human = SUMMARY.validate_answer({"text": TEXT, "meta": {
        "pastes": 0, "pasted_chars": 0, "keys": 160, "typed_ms": 30_000}}, config, ITEM)
    assert "checks" not in human
    assert "checks" not in SUMMARY.validate_answer({"text": TEXT}, config, ITEM)


def test_every_text_of_the_answer_counts_and_a_forged_verdict_is_dropped():
    config = QA.validate_config({})
    pairs = [{"question": "한강은 어느 도시를 가로질러 흐르나요?", "answer": "서울"},
             {"question": "여름 저녁 강가 공원에서 사람들은 무엇을 하나요?",
              "answer": "산책과 자전거 타기"}]  # 21 + 2 + 27 + 10 = 60 characters
    answer = QA.validate_answer({"pairs": pairs, "meta": {"pasted_chars": 49, "keys": 30},
                                 "checks": [{"check": "pasted", "share": 0}]}, config, ITEM)
    assert answer["checks"] == [{"check": "pasted", "share": 0.82}]


@pytest.mark.parametrize("meta, message", [
    ({"pasted_chars": -1}, "pasted_chars"),
    ({"keys": 1.5}, "keys"),
    ({"keys": 10_000_001}, "keys"),
    ({"pasted_chars": "9"}, "pasted_chars"),
    ({"verdict": "human"}, "meta"),
])
def test_bad_meta_is_refused_with_its_key_named(meta, message):
    with pytest.raises(InvalidInput, match=message):
        SUMMARY.validate_answer({"text": TEXT, "meta": meta}, SUMMARY.validate_config({}), ITEM)


def test_the_answer_schema_offers_the_new_meta_keys_as_optional_whole_numbers():
    meta = SUMMARY.answer_schema(SUMMARY.validate_config({}))["properties"]["meta"]
    assert set(meta["properties"]) == {"pastes", "pasted_chars", "keys", "typed_ms"}
    assert "required" not in meta
    assert all(p["type"] == "integer" and p["minimum"] == 0 for p in meta["properties"].values())

"""Edit distance, CER, ROVER voting and OCR region fusion on hand-built readings."""

from __future__ import annotations

import unicodedata

import pytest

from datadam.kinds.geometry.text import (
    cer,
    char_align,
    edit_distance,
    fuse_regions,
    rover,
    text_similarity,
)


def test_three_noisy_readings_vote_to_hello_world():
    text, agreement = rover(["HELL0 WORLD", "HELLO W0RLD", "HELLO WORLD"])
    assert text == "HELLO WORLD"
    assert agreement == pytest.approx(1 - (1 / 11 + 1 / 11 + 0) / 3)


def test_korean_readings_with_one_typo_each_vote_to_the_right_string():
    text, agreement = rover(["안넝하세요", "안녕하세오", "안녕히세요"])
    assert text == "안녕하세요"
    assert agreement == pytest.approx(0.8)  # each reading is one syllable in five off


def test_decomposed_hangul_and_japanese_compare_as_composed_characters():
    nfd = unicodedata.normalize("NFD", "안녕하세요")
    assert len(nfd) > 5 and edit_distance(nfd, "안녕하세요") == 0
    assert rover([nfd, nfd, "안녕"]) == ("안녕하세요", pytest.approx(0.8))
    assert rover(["こんにちは", "こんにちわ", "こんにちは"])[0] == "こんにちは"
    assert edit_distance("ガ", unicodedata.normalize("NFD", "ガ")) == 0


def test_an_extra_character_from_one_reader_is_voted_out():
    assert rover(["HELLLO", "HELLO", "HELLO"])[0] == "HELLO"
    assert rover(["HELLO WORLD!", "HELLO WORLD", "HELLO WORLD"])[0] == "HELLO WORLD"


def test_a_character_one_reader_dropped_is_voted_back():
    assert rover(["HELO", "HELLO", "HELLO"])[0] == "HELLO"
    assert rover(["HELLO WORLD", "HELLOWORLD", "HELLO WORLD"])[0] == "HELLO WORLD"


def test_an_insertion_slot_can_win_against_the_backbone():
    # All three are equally far apart, so the first is the backbone; it lacks an L that
    # the other two insert at the same place, and the vote puts it back.
    text, _ = rover(["HELO WORLD", "HELLO W0RLD", "HELL0 WORLD"])
    assert text == "HELLO WORLD"  # none of the readings, but each of its characters won


def test_a_trusted_reader_outvotes_two_weak_ones():
    assert rover(["CAT", "CUT", "CUT"], [3.0, 1.0, 1.0])[0] == "CAT"
    assert rover(["CAT", "CUT", "CUT"])[0] == "CUT"


def test_identical_readings_agree_fully_and_ties_go_to_the_first_reading():
    assert rover(["ABC"] * 3) == ("ABC", 1.0)
    assert rover(["AB", "AC"])[0] == "AB"
    assert rover(["", "", ""]) == ("", 1.0)


def test_alignment_pairs_characters_and_marks_gaps():
    assert char_align("HELLO", "HELO") == [
        ("H", "H"),
        ("E", "E"),
        ("L", None),
        ("L", "L"),
        ("O", "O"),
    ]
    pairs = char_align("kitten", "sitting")
    assert "".join(a for a, _ in pairs if a) == "kitten"
    assert "".join(b for _, b in pairs if b) == "sitting"
    assert sum(a != b for a, b in pairs) == 3
    assert char_align("", "ab") == [(None, "a"), (None, "b")]


def test_character_error_rate_counts_edits_per_reference_character():
    assert cer("HELO", "HELLO") == pytest.approx(1 / 5)
    assert cer("kitten", "sitting") == pytest.approx(3 / 7)
    assert cer("abcabc", "abc") == pytest.approx(1.0)  # insertions can reach or pass 1
    assert cer("", "") == 0.0 and cer("abc", "") == 1.0
    assert cer("안녕하세오", "안녕하세요") == pytest.approx(1 / 5)


def test_text_similarity_is_one_minus_normalised_edit_distance():
    assert text_similarity("abc", "abc") == 1.0
    assert text_similarity("kitten", "sitting") == pytest.approx(1 - 3 / 7)
    assert text_similarity("abc", "xyz") == 0.0
    assert text_similarity("", "") == 1.0


@pytest.mark.parametrize(
    "texts, weights, message",
    [
        ([], None, "at least one"),
        (["a", 3], None, "must be a string"),
        (["a", "b"], [1.0], "1 weights for 2"),
    ],
)
def test_bad_rover_input_is_refused(texts, weights, message):
    with pytest.raises(ValueError, match=message):
        rover(texts, weights)


def region(x: float, text: str) -> dict:
    return {"box": (x, 0, 100, 20), "text": text}


def test_ocr_regions_are_matched_by_box_and_their_texts_voted():
    answers = [
        [region(0, "HELL0 WORLD"), region(200, "안녕하세요")],
        [region(2, "HELLO W0RLD"), region(200, "안넝하세요")],
        [region(1, "HELLO WORLD"), region(200, "안녕하세요")],
    ]
    result = fuse_regions(answers)
    assert [(r.text, r.score) for r in result.regions] == [
        ("HELLO WORLD", 1.0),
        ("안녕하세요", 1.0),
    ]
    assert result.regions[0].box == pytest.approx((1.0, 0, 100, 20))
    assert 0.9 < result.agreement < 1.0


def test_an_ocr_region_one_worker_missed_is_kept_only_up_to_two_thirds():
    answers = [
        [region(0, "A"), region(200, "B")],
        [region(0, "A"), region(200, "B")],
        [region(0, "A")],
    ]
    assert len(fuse_regions(answers, min_agreement=2 / 3).regions) == 2
    dropped = fuse_regions(answers, min_agreement=0.7)
    assert [r.text for r in dropped.regions] == ["A"]
    # Boxes and texts each agree (1 + 2/3) / 2; the item's agreement is their mean.
    assert dropped.agreement == pytest.approx(5 / 6)


def test_identical_ocr_answers_agree_fully_and_empty_ones_too():
    same = [[region(0, "HELLO")]] * 3
    assert fuse_regions(same).agreement == 1.0
    assert fuse_regions([[], []]).regions == () and fuse_regions([[], []]).agreement == 1.0


def test_bad_ocr_regions_are_refused():
    with pytest.raises(ValueError, match="text region"):
        fuse_regions([[{"box": (0, 0, 1, 1)}]])
    with pytest.raises(ValueError, match="positive width"):
        fuse_regions([[{"box": (0, 0, -1, 1), "text": "a"}]])

"""MinHash fingerprints of texts (plain numpy): near copies of an answer come out at least
0.8 alike, answers written independently on the same source come out low, in Korean and in
English; signatures are deterministic and normalised; bands carry their band number."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.collection.fingerprints import text as tp

KO = ("한강은 서울 한가운데를 흐르며, 여러 다리가 강북과 강남을 이어 준다. 여름 저녁이면 강변 "
      "공원에서 산책하거나 자전거를 타는 사람이 많고, 돗자리를 펴고 치킨을 먹는 가족도 흔하다. "
      "밤에는 다리의 조명이 강물에 비쳐 경치가 아름답다.")
KO_OTHER = ("서울 중심을 가로지르는 한강에는 남북을 잇는 다리가 많다. 여름밤이 되면 시민들이 "
            "강가 공원에 모여 걷고 운동하며 저녁을 먹는데, 불 켜진 다리가 물에 비치는 모습이 "
            "특히 볼만하다.")
EN = ("The Han River runs through the middle of Seoul, and its many bridges connect the north "
      "and the south of the city. On summer evenings the riverside parks are full of people "
      "walking, cycling and eating fried chicken, and at night the lit bridges shine on the "
      "water.")
EN_OTHER = ("Seoul is split in two by the Han, which dozens of bridges cross. When summer "
            "nights come, locals crowd the green banks to stroll, ride bikes and have dinner "
            "outdoors, while the illuminated bridges are reflected in the river.")


def alike(a: str, b: str) -> float:
    return tp.similarity(tp.minhash(a), tp.minhash(b))


def exact(a: str, b: str) -> float:
    x, y = tp.shingles(a), tp.shingles(b)
    return len(x & y) / len(x | y)


@pytest.mark.parametrize("original, copy", [
    (KO, KO.replace(", ", " ").replace(".", "!")),  # punctuation and spacing
    (KO, KO.replace("아름답다.", "아름답습니다.")),  # an ending changed
    (KO, KO + " 정말 좋은 곳이다."),  # a sentence added
    (EN, EN.replace("fried chicken", "fried chiken")),  # a typo
    (EN, EN.upper().replace(",", "")),  # case and commas
    (EN, EN.replace("many bridges", "numerous bridges")),  # a word changed
    (EN, EN + " It is lovely."),  # a sentence added
])
def test_near_copies_are_at_least_80_percent_alike(original, copy):
    assert alike(original, copy) >= 0.8


@pytest.mark.parametrize("text", [KO, EN])
def test_copies_with_one_letter_changed_anywhere_are_found(text):
    """One changed letter breaks 5 of ~90 shingles (exact similarity 0.89 in Korean, 0.95 in
    English); the 64-value estimate has a standard error of about 0.04, so nearly all copies,
    wherever the change, come out at least 0.8 alike."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    positions = letters[::max(1, len(letters) // 30)]
    found = [alike(text, text[:i] + ("가" if text[i] > "z" else "q") + text[i + 1:])
             for i in positions]
    assert sum(f >= 0.8 for f in found) >= 0.9 * len(found)
    assert sum(found) / len(found) >= 0.85


@pytest.mark.parametrize("a, b", [(KO, KO_OTHER), (EN, EN_OTHER), (KO, EN)])
def test_answers_written_independently_on_one_source_are_far_apart(a, b):
    assert alike(a, b) < 0.3


def test_spacing_case_punctuation_and_unicode_form_do_not_change_the_signature():
    decomposed = "\u1112\u1161\u11ab\u1100\u1161\u11bc" + KO[2:]  # 한강 as conjoining jamo
    assert np.array_equal(tp.minhash(KO), tp.minhash(decomposed))
    assert np.array_equal(tp.minhash(EN), tp.minhash("  " + EN.upper().replace(" ", "\n")))


def test_signatures_are_deterministic_uint32_arrays():
    signature = tp.minhash(EN)
    assert signature.dtype == np.uint32 and signature.shape == (64,)
    assert np.array_equal(signature, tp.minhash(EN))
    assert tp.minhash(EN, num_perm=16).shape == (16,)
    assert np.array_equal(tp.from_bytes(tp.to_bytes(signature)), signature)
    assert len(tp.to_bytes(signature)) == 256


def test_the_estimate_follows_the_exact_jaccard_similarity():
    pairs = [(KO, KO.replace("흔하다", "흔한다")), (KO, KO[:120]), (EN, EN[40:]),
             (EN, EN.replace("bridges", "piers")), (KO, KO_OTHER), (EN, EN_OTHER)]
    errors = [abs(alike(a, b) - exact(a, b)) for a, b in pairs]
    assert max(errors) < 0.2 and sum(errors) / len(errors) < 0.08


def test_shingles_are_character_5_grams_of_the_squeezed_text():
    assert tp.squeeze("Ab, c-D 1!") == "abcd1"
    assert len(tp.shingles("abcdefg")) == 3  # abcde, bcdef, cdefg
    assert tp.shingles("ab cd-efg") == tp.shingles("ABCDEFG")
    assert tp.shingles("abcd") == set()
    assert tp.shingles("abcabcabcabc") == tp.shingles("abcabcabc")  # a set: repeats count once


def test_short_answers_are_not_fingerprinted():
    assert not tp.long_enough("네, 맞아요.")
    assert not tp.long_enough("Yes, that's right.")
    assert tp.long_enough("한강은 서울 한가운데를 흐르는 큰 강이며 다리가 많다.")


def test_a_long_text_is_hashed_in_chunks_with_the_same_result(monkeypatch):
    long = " ".join(f"sentence {i} about the river and its bridges" for i in range(800))
    whole = tp.minhash(long)  # 2,550 shingles: one chunk
    monkeypatch.setattr(tp, "_CHUNK", 7)
    assert np.array_equal(tp.minhash(long), whole)
    edited = long.replace("sentence 400 ", "sentense 400 ")
    assert alike(long, edited) > 0.95


def test_bands_are_sixteen_signed_64_bit_values_that_include_their_number():
    values = tp.bands(tp.minhash(KO))
    assert len(values) == 16 and all(-(2 ** 63) <= v < 2 ** 63 for v in values)
    same_rows = np.full(64, 7, dtype=np.uint32)  # every band holds the same four values
    assert len(set(tp.bands(same_rows))) == 16
    near = tp.bands(tp.minhash(KO.replace("흔하다", "흔한다")))
    assert sum(x == y for x, y in zip(values, near, strict=True)) >= 4  # found by LSH
    with pytest.raises(ValueError):
        tp.bands(np.zeros(10, dtype=np.uint32))


def test_similarity_needs_signatures_of_one_length():
    assert tp.similarity(tp.minhash(EN), tp.minhash(EN)) == 1.0
    with pytest.raises(ValueError):
        tp.similarity(tp.minhash(EN), tp.minhash(EN, num_perm=32))
    matrix = np.stack([tp.minhash(EN), tp.minhash(KO)])
    assert list(tp.similarities(tp.minhash(EN), matrix)) == [1.0, tp.similarity(
        tp.minhash(EN), tp.minhash(KO))]


def test_a_huge_text_is_fingerprinted_by_its_first_20000_letters():
    words = " ".join(f"word{i}" for i in range(6000))  # about 50,000 letters and digits
    assert len(tp.squeeze(words)) > tp.MAX_CHARS
    assert np.array_equal(tp.minhash(words), tp.minhash(words + " and a different ending"))
    assert not np.array_equal(tp.minhash(words[:20_000]), tp.minhash(words))
    assert tp.long_enough(" " * 100 + words)

"""Parsing a client's description of the workers they want."""

from __future__ import annotations

from datadam.recommendations.parsing import Criterion, Vocabulary, parse_query

KINDS = {"image_classification": ("visual", "visually", "sharp", "image", "사진"),
         "text_classification": ("text", "sentiment", "텍스트"),
         "ocr": ("ocr", "transcribe", "글자")}
VOCAB = Vocabulary(kinds=KINDS, tags=("boxes", "medical"), regions=("Busan", "Seoul"),
                   occupations=("nurse",), qualifications={"Radiology": 7})


def by_name(parsed):
    return {(c.name, c.value): c for c in parsed.criteria}


def test_the_example_from_the_brief():
    parsed = parse_query("careful, visually sharp, Korean native, has done boxes before", VOCAB)
    found = by_name(parsed)
    assert set(found) == {("accuracy", ""), ("kind", "image_classification"),
                          ("language", "ko"), ("tag", "boxes")}
    assert found[("language", "ko")].native is True
    assert found[("language", "ko")].weight == 2.0
    assert found[("kind", "image_classification")].weight == 2.0  # "visually" and "sharp"
    assert parsed.unknown == ()


def test_intensifier_and_required():
    found = by_name(parse_query("very fast, must be in Busan", VOCAB))
    assert found[("speed", "")].weight == 2.0
    assert found[("region", "Busan")].required is True
    assert not found[("speed", "")].required


def test_korean_words_with_particles_and_vocabulary():
    found = by_name(parse_query("꼼꼼하고 빠른 한국어 원어민 nurses Radiology medical", VOCAB))
    assert ("accuracy", "") in found and ("speed", "") in found
    assert found[("language", "ko")].native
    assert ("occupation", "nurse") in found
    assert ("qualification", "7") in found
    assert ("tag", "medical") in found


def test_unknown_words_are_reported_once():
    parsed = parse_query("careful zebra zebra", VOCAB)
    assert parsed.unknown == ("zebra",)
    assert parsed.criteria == (Criterion("accuracy", words=("careful",)),)


def test_empty_query():
    parsed = parse_query("", None)
    assert parsed.criteria == () and parsed.unknown == ()


def test_each_kind_brings_its_own_words_for_finding_skilled_workers():
    found = by_name(parse_query("has done OCR before, 글자 전사", VOCAB))
    assert ("kind", "ocr") in found
    assert found[("kind", "ocr")].weight == 2  # "ocr" and "글자" both point at it

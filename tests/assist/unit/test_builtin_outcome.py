"""Accepted, edited or replaced: a worker's answer against the suggestion, kind by kind."""

from __future__ import annotations

import unicodedata

import pytest

from datadam.assist.builtin.outcome import RULES, suggestion_outcome
from datadam.kinds import all_kinds

BOXES = {"boxes": [{"label": "car", "box": [10, 10, 100, 50]},
                   {"label": "bus", "box": [200, 10, 80, 80]}]}
SQUARE = [[0, 0], [100, 0], [100, 100], [0, 100]]
REGIONS = {"regions": [{"box": [10, 10, 200, 40], "text": "HELLO 2026"},
                       {"box": [10, 80, 200, 40], "text": "EXIT"}]}
TOKENS = {"tokens": [{"start": 0, "end": 2, "form": "학교", "tag": "NNG"},
                     {"start": 2, "end": 3, "form": "에", "tag": "JKB"},
                     {"start": 4, "end": 5, "form": "가", "tag": "VV"},
                     {"start": 4, "end": 5, "form": "았", "tag": "EP"},
                     {"start": 5, "end": 6, "form": "다", "tag": "EF"}]}
SEGMENTS = {"segments": [{"start": 0.0, "end": 2.0, "label": "a"},
                         {"start": 5.0, "end": 8.0, "label": "b"}]}

CASES = [
    # single label: the same label (even in NFD) is accepted, never edited
    ("text_classification", {"label": "긍정"}, {"label": "긍정"}, "accepted"),
    ("text_classification", {"label": "긍정"},
     {"label": unicodedata.normalize("NFD", "긍정")}, "accepted"),
    ("image_classification", {"label": "cat"}, {"label": "dog"}, "replaced"),
    # multi-label: any order accepted; overlap edited; disjoint replaced
    ("audio_classification", {"labels": ["a", "b"]}, {"labels": ["b", "a"]}, "accepted"),
    ("text_classification", {"labels": ["a", "b"]}, {"labels": ["b", "c"]}, "edited"),
    ("text_classification", {"labels": ["a", "b"]}, {"labels": ["c"]}, "replaced"),
    # boxes: within 1 px and in any order accepted; nudged or relabelled edited
    ("bounding_box", BOXES, {"boxes": [BOXES["boxes"][1], {"label": "car",
                                                           "box": [10.8, 9.5, 100, 50.6]}]},
     "accepted"),
    ("bounding_box", BOXES, {"boxes": [{"label": "car", "box": [14, 12, 100, 50]},
                                       {"label": "van", "box": [200, 10, 80, 80]}]}, "edited"),
    ("bounding_box", BOXES, {"boxes": [{"label": "car", "box": [10, 10, 100, 50]}]}, "edited"),
    ("bounding_box", BOXES, {"boxes": [{"label": "car", "box": [400, 300, 50, 50]}]},
     "replaced"),
    ("bounding_box", {"boxes": []}, {"boxes": []}, "accepted"),
    ("bounding_box", {"boxes": []}, BOXES, "replaced"),
    ("bounding_box", BOXES, {"boxes": []}, "replaced"),
    # polygons: IoU of the outlines; polylines as bands
    ("polygon", {"shapes": [{"label": "roof", "type": "polygon", "points": SQUARE}]},
     {"shapes": [{"label": "roof", "type": "polygon",
                  "points": [[0.5, 0], [100, 0.9], [100, 100], [0, 100]]}]}, "accepted"),
    ("polygon", {"shapes": [{"label": "roof", "type": "polygon", "points": SQUARE}]},
     {"shapes": [{"label": "roof", "type": "polygon",
                  "points": [[10, 0], [100, 0], [100, 90], [50, 100], [0, 100]]}]}, "edited"),
    ("polygon", {"shapes": [{"label": "roof", "type": "polygon", "points": SQUARE}]},
     {"shapes": [{"label": "roof", "type": "polygon",
                  "points": [[60, 60], [160, 60], [160, 160], [60, 160]]}]}, "replaced"),
    ("polygon", {"shapes": [{"label": "lane", "type": "polyline", "points": [[0, 0], [200, 0]]}]},
     {"shapes": [{"label": "lane", "type": "polyline", "points": [[0, 3], [200, 3]]}]},
     "edited"),
    ("polygon", {"shapes": [{"label": "lane", "type": "polyline", "points": [[0, 0], [200, 0]]}]},
     {"shapes": [{"label": "lane", "type": "polyline", "points": [[0, 60], [200, 60]]}]},
     "replaced"),
    # OCR: boxes by IoU, each matched region counting by its text similarity
    ("ocr", REGIONS, {"regions": [{"box": [10.5, 10, 200, 40], "text": " HELLO 2026 "},
                                  {"box": [10, 80, 200.4, 40], "text": "EXIT"}]}, "accepted"),
    ("ocr", REGIONS, {"regions": [{"box": [10, 10, 200, 40], "text": "HELLO 2025"},
                                  {"box": [10, 80, 200, 40], "text": "EXIT"}]}, "edited"),
    ("ocr", REGIONS, {"regions": [{"box": [10, 10, 200, 40], "text": "안녕하세요 여러분"},
                                  {"box": [10, 80, 200, 40], "text": "출구 나가는 곳"}]},
     "replaced"),
    ("ocr", REGIONS, {"regions": [{"box": [10, 10, 200, 40], "points": [[10, 10], [210, 10],
                                                                        [210, 50], [10, 50]],
                                   "text": "HELLO 2026"},
                                  {"box": [10, 80, 200, 40], "text": "EXIT"}]}, "edited"),
    # keypoints: [x, y] within 1 px and v the same accepted; most points kept edited
    ("keypoints", {"keypoints": {"nose": [50, 50, 2], "eye": [40, 40, 2], "ear": [20, 40, 1]}},
     {"keypoints": {"nose": [50.5, 49.4, 2], "eye": [40, 40, 2], "ear": [20, 40, 1]}},
     "accepted"),
    ("keypoints", {"keypoints": {"nose": [50, 50, 2], "eye": [40, 40, 2], "ear": [20, 40, 1]}},
     {"keypoints": {"nose": [50, 50, 2], "eye": [40, 40, 2], "ear": [20, 40, 2]}}, "edited"),
    ("keypoints", {"keypoints": {"nose": [50, 50, 2], "eye": [40, 40, 2], "ear": [20, 40, 1]}},
     {"keypoints": {"nose": [150, 150, 2], "eye": [140, 140, 2]}}, "replaced"),
    # spans: exact spans accepted; span F1 ≥ 0.5 (labels aside) edited
    ("span_tagging", {"spans": [{"start": 0, "end": 2, "label": "LOC"},
                                {"start": 5, "end": 9, "label": "PER"}]},
     {"spans": [{"start": 5, "end": 9, "label": "PER"}, {"start": 0, "end": 2, "label": "LOC"}]},
     "accepted"),
    ("span_tagging", {"spans": [{"start": 0, "end": 2, "label": "LOC"},
                                {"start": 5, "end": 9, "label": "PER"}]},
     {"spans": [{"start": 0, "end": 2, "label": "ORG"}, {"start": 5, "end": 9, "label": "PER"},
                {"start": 12, "end": 14, "label": "PER"}]}, "edited"),
    ("span_tagging", {"spans": [{"start": 0, "end": 2, "label": "LOC"}]},
     {"spans": [{"start": 0, "end": 3, "label": "LOC"}]}, "replaced"),
    # morphemes: token F1 over (start, end, form, tag)
    ("korean_morphemes", TOKENS, {"tokens": [dict(t) for t in TOKENS["tokens"]]}, "accepted"),
    ("korean_morphemes", TOKENS,
     {"tokens": [*TOKENS["tokens"][:4], {"start": 5, "end": 6, "form": "다", "tag": "EC"}]},
     "edited"),
    ("korean_morphemes", TOKENS,
     {"tokens": [{"start": 0, "end": 3, "form": "학교에", "tag": "NNG"},
                 {"start": 4, "end": 6, "form": "갔다", "tag": "VV"}]}, "replaced"),
    # segments: times within 1 ms accepted; temporal IoU ≥ 0.5 covering half edited
    ("audio_segments", SEGMENTS, {"segments": [{"start": 0.0005, "end": 2.0, "label": "a"},
                                               {"start": 5.0, "end": 8.0, "label": "b"}]},
     "accepted"),
    ("video_segments", SEGMENTS, {"segments": [{"start": 0.3, "end": 2.2, "label": "a"}]},
     "edited"),
    ("video_segments", SEGMENTS, {"segments": [{"start": 10.0, "end": 12.0, "label": "a"}]},
     "replaced"),
    # video frames: the share of labelled time keeping its label
    ("video_frames", {"ranges": [{"start": 0.0, "end": 4.0, "label": "walk"}]},
     {"ranges": [{"start": 0.0, "end": 3.0, "label": "walk"},
                 {"start": 3.0, "end": 4.0, "label": "run"}]}, "edited"),
    ("video_frames", {"ranges": [{"start": 0.0, "end": 4.0, "label": "walk"}]},
     {"ranges": [{"start": 0.0, "end": 4.0, "label": "run"}]}, "replaced"),
    # texts: edit similarity
    ("audio_transcription", {"text": "안녕하세요 반갑습니다"},
     {"text": unicodedata.normalize("NFD", "안녕하세요 반갑습니다 ")}, "accepted"),
    ("audio_transcription", {"text": "안녕하세요 반갑습니다"}, {"text": "안녕하세요 반가워요"},
     "edited"),
    ("writing_qa", {"pairs": [{"question": "Who?", "answer": "Kim"}]},
     {"pairs": [{"question": "Where is it?", "answer": "In Busan, by the sea"}]}, "replaced"),
]


@pytest.mark.parametrize(("kind", "suggestion", "answer", "expected"), CASES,
                         ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_the_outcome_follows_the_kinds_rule(kind, suggestion, answer, expected):
    assert suggestion_outcome(kind, suggestion, answer) == expected


def test_scores_and_meta_are_not_part_of_the_comparison():
    suggestion = {"boxes": [{"label": "car", "box": [10, 10, 100, 50], "score": 0.91}]}
    answer = {"boxes": [{"label": "car", "box": [10, 10, 100, 50]}], "meta": {"pastes": 0}}
    assert suggestion_outcome("bounding_box", suggestion, answer) == "accepted"


def test_a_malformed_suggestion_is_replaced_not_an_error():
    answer = {"boxes": [{"label": "car", "box": [10, 10, 100, 50]}]}
    assert suggestion_outcome("bounding_box", {"boxes": "nonsense"}, answer) == "replaced"
    assert suggestion_outcome("bounding_box", {"rectangles": []}, answer) == "replaced"
    assert suggestion_outcome("ocr", {"regions": [{"box": [1, 2]}]}, {"regions": []}) == (
        "replaced")
    assert suggestion_outcome("ocr", None, {"regions": []}) == "replaced"


def test_an_unknown_kind_is_accepted_when_equal_and_else_replaced():
    assert suggestion_outcome("new_kind", {"x": [1, 2]}, {"x": [1, 2]}) == "accepted"
    assert suggestion_outcome("new_kind", {"x": [1, 2]}, {"x": [1, 3]}) == "replaced"


def test_every_registered_kind_that_takes_suggestions_has_a_rule():
    capture = {"photo_capture", "audio_recording", "video_recording"}  # new data, no pre-label
    assert {k.slug for k in all_kinds()} - capture <= set(RULES)

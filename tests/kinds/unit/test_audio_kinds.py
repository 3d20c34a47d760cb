"""The audio kinds: config and answer checks, transcript and segment fusion, gold scoring,
review controls, the wizard's sample item."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError

TRANS = get_kind("audio_transcription")
SEGS = get_kind("audio_segments")
CLS = get_kind("audio_classification")
T_CONFIG = TRANS.validate_config({"language": "en"})
S_CONFIG = SEGS.validate_config({"labels": ["cry", "speech", "silence"]})
ITEM = {"audio": "/media/audio/1/ab/x.wav", "duration": 10.0, "sample_rate": 16000}


def test_the_audio_kinds_take_audio_uploads_and_default_their_settings():
    assert (TRANS.media_field, SEGS.media_field, CLS.media_field) == ("audio",) * 3
    assert T_CONFIG == {"language": "en", "strict": [], "pass_score": 0.8}
    assert S_CONFIG["colors"]["cry"].startswith("#") and S_CONFIG["iou"] == 0.5
    assert CLS.crowd_labels and not TRANS.crowd_labels and not SEGS.crowd_labels


@pytest.mark.parametrize("kind, config, message", [
    (TRANS, {"language": "English!"}, "language"),
    (TRANS, {"strict": ["spelling"]}, "strict"),
    (TRANS, {"pass_score": 2}, "pass_score"),
    (SEGS, {"labels": []}, "labels"),
    (SEGS, {"labels": ["a"], "iou": 0}, "iou"),
])
def test_bad_configs_are_refused_with_the_setting_named(kind, config, message):
    with pytest.raises(InvalidInput, match=message):
        kind.validate_config(config)


def test_items_need_an_audio_reference_and_segments_a_duration():
    assert TRANS.validate_item({"audio": "https://x/a.mp3"}) == {"audio": "https://x/a.mp3"}
    assert SEGS.validate_item(ITEM) == ITEM
    for bad in ({}, {"audio": ""}, {"audio": "a.wav", "duration": -1},
                {"audio": "a.wav", "duration": True}, {"audio": "a.wav", "sample_rate": 1.5}):
        with pytest.raises(ItemError):
            TRANS.validate_item(bad)
    with pytest.raises(ItemError, match="duration"):
        SEGS.validate_item({"audio": "a.wav"})
    sample = SEGS.sample_item()
    assert sample["audio"].startswith("data:audio/wav;base64,") and sample["duration"] == 2.0


# --- Transcription -----------------------------------------------------------------------------
def test_a_transcript_is_normalised_and_read_from_its_form_field():
    form = QueryDict(mutable=True)
    form["text"] = "  오늘 날씨가\u3000좋다  "
    answer = TRANS.validate_answer(TRANS.answer_from_form(form, T_CONFIG), T_CONFIG, ITEM)
    assert answer == {"text": "오늘 날씨가\u3000좋다"}
    assert TRANS.validate_answer({"text": ""}, T_CONFIG) == {"text": ""}  # nobody speaks
    for bad in ({"text": 3}, {"words": "x"}, {"text": "a", "x": 1}, {"text": "a\x00"},
                {"text": "x" * 20_001}):
        with pytest.raises(InvalidInput):
            TRANS.validate_answer(bad, T_CONFIG)


def test_transcripts_are_fused_word_by_word_and_the_agreement_is_one_minus_the_mean_wer():
    answers = [{"text": "the cat sat on the mat"}, {"text": "The cat sat on a mat."},
               {"text": "the cat sat on the mat"}]
    fused = TRANS.aggregate_item(answers, [1, 1, 1], T_CONFIG)
    assert fused.result == {"text": "the cat sat on the mat"}
    assert fused.agreement == pytest.approx(1 - (0 + 1 / 6 + 0) / 3)
    # A skilled worker outweighs two careless ones who agree with each other
    fused = TRANS.aggregate_item(
        [{"text": "red fish"}, {"text": "bed fish"}, {"text": "bed fish"}], [3, 1, 1], T_CONFIG)
    assert fused.result["text"] == "red fish"
    assert TRANS.aggregate([], T_CONFIG) == {}


def test_gold_is_scored_by_word_error_rate_with_the_projects_normalisation():
    gold = {"text": "Hello, world!"}
    assert TRANS.score_answer({"text": "hello world"}, gold, T_CONFIG) == 1.0
    strict = TRANS.validate_config({"language": "en", "strict": ["case", "punctuation"]})
    assert TRANS.score_answer({"text": "hello world"}, gold, strict) == 0.0
    assert TRANS.score_answer({"text": "hello there world"}, gold, T_CONFIG) == 0.5
    assert TRANS.answer_matches({"text": "hello world"}, gold, T_CONFIG)
    assert not TRANS.answer_matches({"text": "goodbye world"}, gold, T_CONFIG)
    # Japanese is scored by characters
    ja = TRANS.validate_config({"language": "ja", "pass_score": 0.75})
    assert TRANS.score_answer({"text": "今日は晴れ"}, {"text": "今日は晴れです"}, ja) == (
        pytest.approx(1 - 2 / 7))
    assert "character error rate" in TRANS.correctness(ja)
    assert "word error rate" in TRANS.correctness(T_CONFIG)


def test_a_review_control_transcript_is_wrong_and_valid():
    for gold in ({"text": "hello world"}, {"text": ""}, {"text": "zzz qqq"}):
        wrong = TRANS.wrong_answer(gold, T_CONFIG)
        assert TRANS.validate_answer(wrong, T_CONFIG) == wrong
        assert TRANS.score_answer(wrong, gold, T_CONFIG) == 0.0
    assert TRANS.summary({"text": ""}) == "(no speech)"


# --- Segments ----------------------------------------------------------------------------------
def seg(start, end, label="cry"):
    return {"start": start, "end": end, "label": label}


def test_segments_are_checked_against_the_recording_and_sorted():
    posted = QueryDict(mutable=True)
    posted["answer"] = json.dumps({"segments": [seg(5, 12.34567, "speech"), seg(-1, 2)]})
    answer = SEGS.validate_answer(SEGS.answer_from_form(posted, S_CONFIG), S_CONFIG, ITEM)
    assert answer == {"segments": [seg(0.0, 2.0), seg(5.0, 10.0, "speech")]}  # clipped
    assert SEGS.validate_answer({"segments": []}, S_CONFIG, ITEM) == {"segments": []}
    for bad, message in [({"segments": [seg(11, 12)]}, "inside the recording"),
                         ({"segments": [seg(3, 3)]}, "end after it starts"),
                         ({"segments": [seg(1, 2, "dog")]}, "unknown label"),
                         ({"segments": [{"start": 1, "end": 2}]}, "segment 1"),
                         ({"segments": [seg(1, float("nan"))]}, "seconds"),
                         ({"spans": []}, "answer must be"), ("not json", "answer must be")]:
        with pytest.raises(InvalidInput, match=message):
            SEGS.validate_answer(bad, S_CONFIG, ITEM)


def test_segments_of_several_workers_are_fused_by_temporal_iou_and_weighted_medians():
    answers = [{"segments": [seg(1.0, 3.0), seg(5.0, 6.0, "speech")]},
               {"segments": [seg(1.2, 3.1)]},
               {"segments": [seg(0.9, 2.9), seg(8.0, 9.0, "silence")]}]
    fused = SEGS.aggregate_item(answers, [1, 1, 1], S_CONFIG)
    (kept,) = fused.result["segments"]  # speech and silence: one worker of three each
    assert (kept["label"], kept["start"], kept["end"]) == ("cry", 1.0, 3.0)
    assert kept["score"] == 1.0 and 0 < fused.agreement < 1
    assert fused.summary == "cry"
    nothing = SEGS.aggregate_item([{"segments": []}] * 2, [1, 1], S_CONFIG)
    assert nothing.result == {"segments": []} and nothing.agreement == 1.0


def test_gold_segments_are_scored_by_the_f1_of_the_iou_matching():
    gold = {"segments": [seg(1, 3), seg(5, 7, "speech")]}
    assert SEGS.score_answer(gold, gold, S_CONFIG) == 1.0
    half = {"segments": [seg(1.1, 3.0)]}
    assert SEGS.score_answer(half, gold, S_CONFIG) == pytest.approx(2 / 3)
    assert not SEGS.answer_matches(half, gold, S_CONFIG)
    assert SEGS.answer_matches({"segments": [seg(1.1, 3), seg(5, 6.8, "speech")]}, gold,
                               S_CONFIG)
    for g in (gold, {"segments": []}):
        wrong = SEGS.wrong_answer(g, S_CONFIG)
        assert SEGS.validate_answer(wrong, S_CONFIG, ITEM)
        assert SEGS.score_answer(wrong, g, S_CONFIG) == 0.0
    one = SEGS.validate_config({"labels": ["speech"]})
    assert SEGS.score_answer(SEGS.wrong_answer({"segments": [seg(1, 2, "speech")]}, one),
                             {"segments": [seg(1, 2, "speech")]}, one) == 0.0


# --- Classification ----------------------------------------------------------------------------
def test_audio_classification_is_a_classification_kind_with_audio_items():
    config = CLS.validate_config({"labels": ["hunger", "pain", "tired"]})
    assert CLS.validate_answer({"label": "pain"}, config) == {"label": "pain"}
    assert CLS.aggregate([{"label": "pain"}, {"label": "pain"}, {"label": "tired"}],
                         config)["label"] == "pain"
    assert CLS.validate_item(ITEM) == ITEM

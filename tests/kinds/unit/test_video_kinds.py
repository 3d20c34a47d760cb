"""The video kinds: items, config and answer checks, fusion and vote, gold, controls, templates."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError

SEG = get_kind("video_segments")
FRM = get_kind("video_frames")
SEG_CONFIG = SEG.validate_config({"labels": ["goal", "foul"], "colors": {"goal": "#FF0000"}})
FRM_CONFIG = FRM.validate_config({"labels": ["walk", "run"], "sample_fps": 2})
ITEM = {"video": "/media/videos/a.webm", "duration": 8.0, "width": 320, "height": 180,
        "fps": 10}


def test_configs_get_colours_and_tolerances():
    assert SEG_CONFIG == {"labels": ["goal", "foul"],
                          "colors": {"goal": "#ff0000", "foul": "#3cb44b"},
                          "iou": 0.5, "min_agreement": 0.5, "pass_score": 0.8}
    assert FRM_CONFIG["sample_fps"] == 2.0 and FRM_CONFIG["pass_score"] == 0.8
    assert SEG.media_field == FRM.media_field == "video"
    assert not SEG.crowd_labels and SEG.answer_needs_item


@pytest.mark.parametrize("kind, config, message", [
    (SEG, {"labels": []}, "labels"),
    (SEG, {"labels": ["a"], "iou": 0}, "iou"),
    (FRM, {"labels": ["a"], "sample_fps": 60}, "sample_fps"),
    (FRM, {"labels": ["a", "a"]}, "unique"),
])
def test_bad_configs_are_refused_with_the_setting_named(kind, config, message):
    with pytest.raises(InvalidInput, match=message):
        kind.validate_config(config)


def test_items_need_a_video_and_its_duration():
    assert SEG.validate_item(ITEM) == ITEM
    assert SEG.validate_item({"video": "https://x.test/a.mp4", "duration": 3}) is not None
    for bad, message in (({}, "video"), ({"video": "a.webm"}, "duration"),
                         ({"video": "a.webm", "duration": -1}, "duration"),
                         ({"video": "a.webm", "duration": 5, "width": 10}, "both"),
                         ({"video": "a.webm", "duration": 5, "fps": 0}, "fps"),
                         ({"video": "a.webm", "duration": 5, "poster": 3}, "poster")):
        with pytest.raises(ItemError, match=message):
            FRM.validate_item(bad)


def test_segments_are_rounded_clipped_to_the_video_and_sorted():
    answer = SEG.validate_answer({"segments": [
        {"start": 5, "end": 9.5, "label": "foul"},
        {"start": -1, "end": 2.12345, "label": "goal"},
    ]}, SEG_CONFIG, ITEM)
    assert answer == {"segments": [{"start": 0.0, "end": 2.123, "label": "goal"},
                                   {"start": 5.0, "end": 8.0, "label": "foul"}]}


@pytest.mark.parametrize("answer, message", [
    ({"boxes": []}, "segments"),
    ({"segments": [{"start": 1, "end": 2, "label": "dunk"}]}, "unknown label"),
    ({"segments": [{"start": 3, "end": 2, "label": "goal"}]}, "end after it starts"),
    ({"segments": [{"start": 9, "end": 10, "label": "goal"}]}, "inside the video"),
    ({"segments": [{"start": "1", "end": 2, "label": "goal"}]}, "seconds"),
    ({"segments": [{"start": float("nan"), "end": 2, "label": "goal"}]}, "seconds"),
    ({"segments": [{"start": 1, "end": 2, "label": "goal", "x": 1}]}, "must be"),
    ("not json", "segments"),
])
def test_bad_segments_are_refused_with_a_message(answer, message):
    with pytest.raises(InvalidInput, match=message):
        SEG.validate_answer(answer, SEG_CONFIG, ITEM)


def test_the_widget_posts_the_answer_as_one_json_field():
    form = QueryDict(mutable=True)
    form["answer"] = json.dumps({"segments": [{"start": 1, "end": 2, "label": "goal"}]})
    assert SEG.answer_from_form(form, SEG_CONFIG)["segments"][0]["label"] == "goal"
    form["answer"] = "{broken"
    with pytest.raises(InvalidInput):
        SEG.validate_answer(SEG.answer_from_form(form, SEG_CONFIG), SEG_CONFIG, ITEM)


def test_segment_answers_are_fused_with_agreement_and_scored_by_f1():
    truth = {"segments": [{"start": 1.0, "end": 3.0, "label": "goal"},
                          {"start": 5.0, "end": 7.0, "label": "foul"}]}
    shifted = {"segments": [{"start": 1.2, "end": 3.1, "label": "goal"},
                            {"start": 5.1, "end": 7.0, "label": "foul"}]}
    missed = {"segments": [{"start": 0.9, "end": 3.0, "label": "goal"}]}
    fused = SEG.aggregate_item([truth, shifted, missed], [1, 1, 1], SEG_CONFIG)
    assert [(s["label"], s["start"], s["end"]) for s in fused.result["segments"]] == [
        ("goal", 1.0, 3.0), ("foul", 5.05, 7.0)]
    assert fused.result["segments"][1]["score"] == pytest.approx(2 / 3, abs=1e-4)
    assert 0.5 < fused.agreement < 1 and fused.summary == "goal, foul"
    assert SEG.score_answer(shifted, truth, SEG_CONFIG) == 1.0
    assert SEG.score_answer(missed, truth, SEG_CONFIG) == pytest.approx(2 / 3)
    assert SEG.answer_matches(shifted, truth, SEG_CONFIG)
    assert not SEG.answer_matches(missed, truth, SEG_CONFIG)
    assert SEG.aggregate([truth, truth], SEG_CONFIG)["confidence"] == 1.0


def test_segment_wrong_answers_are_valid_and_clearly_wrong():
    gold = {"segments": [{"start": 1.0, "end": 3.0, "label": "goal"}]}
    wrong = SEG.wrong_answer(gold, SEG_CONFIG)
    assert SEG.validate_answer(wrong, SEG_CONFIG, ITEM) == wrong
    assert SEG.score_answer(wrong, gold, SEG_CONFIG) == 0.0
    one = {**SEG_CONFIG, "labels": ["goal"]}
    assert SEG.wrong_answer(gold, one) == {"segments": []}
    assert SEG.score_answer(SEG.wrong_answer({"segments": []}, one), {"segments": []}, one) == 0


def test_frame_ranges_are_put_on_the_grid_joined_and_end_with_the_video():
    answer = FRM.validate_answer({"ranges": [
        {"start": 0, "end": 2.2, "label": "walk"}, {"start": 2.2, "end": 4.1, "label": "walk"},
        {"start": 4.1, "end": 7.9, "label": "run"}]}, FRM_CONFIG, ITEM)
    assert answer == {"ranges": [{"start": 0.0, "end": 4.0, "label": "walk"},
                                 {"start": 4.0, "end": 8.0, "label": "run"}]}


@pytest.mark.parametrize("answer, message", [
    ({"ranges": [{"start": 0, "end": 3, "label": "walk"},
                 {"start": 2, "end": 5, "label": "run"}]}, "overlaps"),
    ({"ranges": [{"start": 1.0, "end": 1.1, "label": "walk"}]}, "no sampled frame"),
    ({"ranges": [{"start": 0, "end": 1, "label": "swim"}]}, "unknown label"),
    ({"segments": []}, "ranges"),
])
def test_bad_frame_ranges_are_refused_with_a_message(answer, message):
    with pytest.raises(InvalidInput, match=message):
        FRM.validate_answer(answer, FRM_CONFIG, ITEM)


def test_frames_are_voted_one_by_one_and_scored_by_accuracy():
    a = {"ranges": [{"start": 0.0, "end": 4.0, "label": "walk"},
                    {"start": 4.0, "end": 8.0, "label": "run"}]}
    b = {"ranges": [{"start": 0.0, "end": 5.0, "label": "walk"},
                    {"start": 5.0, "end": 8.0, "label": "run"}]}
    c = {"ranges": [{"start": 0.0, "end": 8.0, "label": "run"}]}
    fused = FRM.aggregate_item([a, b, c], [1, 1, 1], FRM_CONFIG)
    assert [(r["label"], r["start"], r["end"]) for r in fused.result["ranges"]] == [
        ("walk", 0.0, 4.0), ("run", 4.0, 8.0)]
    assert fused.summary == "walk 50%, run 50%"
    # Frames 0–9 (0 to 5 s): 2 of 3 agree; frames 10–15: all three say run.
    assert fused.agreement == pytest.approx((10 * 2 / 3 + 6) / 16)
    assert FRM.score_answer(b, a, FRM_CONFIG) == pytest.approx(14 / 16)
    assert FRM.answer_matches(b, a, FRM_CONFIG)
    assert not FRM.answer_matches(c, a, FRM_CONFIG)
    skilled = FRM.aggregate_item([a, b, c], [0.1, 0.1, 1.0], FRM_CONFIG)
    assert [r["label"] for r in skilled.result["ranges"]] == ["run"]


def test_frame_wrong_answers_are_valid_and_clearly_wrong():
    gold = {"ranges": [{"start": 0.0, "end": 4.0, "label": "walk"},
                       {"start": 4.0, "end": 8.0, "label": "run"}]}
    wrong = FRM.wrong_answer(gold, FRM_CONFIG)
    assert FRM.validate_answer(wrong, FRM_CONFIG, ITEM) == wrong
    assert FRM.score_answer(wrong, gold, FRM_CONFIG) == 0.0
    one = {**FRM_CONFIG, "labels": ["walk"]}
    partial = {"ranges": [{"start": 2.0, "end": 4.0, "label": "walk"}]}
    assert FRM.wrong_answer(partial, one) == {
        "ranges": [{"start": 0.0, "end": 2.0, "label": "walk"}]}


def test_the_widget_and_review_templates_render_with_the_item_and_answer():
    answer = {"segments": [{"start": 1.0, "end": 3.0, "label": "goal", "score": 0.9}]}
    html = render_to_string("video_segments/widget.html", {
        "item": {**ITEM, "web": "/media/videos/a.web.webm", "poster": "/media/p.jpg"},
        "config": SEG_CONFIG, "answer": answer, "readonly": False})
    assert 'data-video="video_segments"' in html and 'data-duration="8.0"' in html
    assert 'src="/media/videos/a.web.webm"' in html and 'poster="/media/p.jpg"' in html
    assert 'name="answer"' in html and "kinds/video_segments/widget.js" in html
    review = render_to_string("video_segments/review.html", {
        "item": ITEM, "answer": answer, "config": SEG_CONFIG})
    assert 'viewBox="0 0 8.0 2"' in review
    assert 'd="M1.0 0.1H3.0V0.9H1.0Z"' in review and 'fill="#ff0000"' in review
    assert "1 segment" in review and "goal 1.0–3.0 s (0.9)" in review
    frames = render_to_string("video_frames/review.html", {
        "item": ITEM, "answer": {"ranges": [{"start": 0.0, "end": 8.0, "label": "run"}]},
        "config": FRM_CONFIG})
    assert 'd="M0.0 0.1H8.0V0.9H0.0Z"' in frames and 'fill="#3cb44b"' in frames


def test_the_wizard_preview_item_is_a_shipped_video():
    item = SEG.sample_item()
    assert item["video"].endswith("kinds/video/sample.webm") and item["duration"] == 4.0
    assert SEG.validate_item(item) == item
    assert FRM.validate_item(FRM.example_item())["video"].startswith("https://")


@pytest.mark.parametrize("slug", ["video_segments", "video_frames"])
def test_the_wizard_previews_the_widget_with_the_sample_video(slug):
    from datadam.projects.views.wizard import preview_context

    preview = preview_context({"kind": slug, "labels": "walk\nrun", "name": "Clips"})
    html = str(preview["widget"])
    assert f'data-video="{slug}"' in html and "kinds/video/sample.webm" in html
    assert "data-autofocus" not in html and 'data-label="run"' in html

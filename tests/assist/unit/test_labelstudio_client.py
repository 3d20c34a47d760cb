"""The Label Studio ML backend client against a fake backend served on 127.0.0.1."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from datadam.assist.backends.labelstudio import (
    BackendError,
    LabelStudioBackend,
    TrainingExample,
    label_config,
    to_ls,
)
from datadam.kinds import get_kind
from tests.assist.lsbackend import VERSION, FakeBackend

TEXT = {"labels": ["positive", "negative", "neutral"]}
BOXES = {"labels": ["car", "person"]}
SPANS = {"labels": ["PER", "LOC"]}


@pytest.fixture
def fake() -> Iterator[FakeBackend]:
    with FakeBackend() as backend:
        yield backend


def _project(kind: str, config: dict[str, Any]
             ) -> tuple[dict[str, Any], Callable[[dict[str, Any], dict[str, Any]], Any]]:
    """The kind's clean config and its answer check, as the lead passes them."""
    k = get_kind(kind)
    clean = k.validate_config(config)
    return clean, lambda answer, data: k.validate_answer(answer, clean, data)


def _predict(backend: LabelStudioBackend, kind: str, config: dict[str, Any],
             datas: list[dict[str, Any]], **extra: Any) -> list[Any]:
    clean, check = _project(kind, config)
    tasks = [{"id": 100 + i, "data": d} for i, d in enumerate(datas)]
    return backend.predict(tasks, project_id=5, label_config=label_config(kind, clean),
                           kind=kind, config=clean, validate=extra.pop("validate", check),
                           **extra)


def test_health_answers_the_backends_status(fake: FakeBackend) -> None:
    assert LabelStudioBackend(fake.url).health() == {"status": "UP", "model_class": "FakeModel"}


def test_setup_sends_the_project_key_and_config_and_returns_the_model_version(
        fake: FakeBackend) -> None:
    backend = LabelStudioBackend(fake.url + "/")
    xml = label_config("text_classification", TEXT)
    assert backend.setup(project_id=7, label_config=xml, hostname="https://dd.example") == VERSION
    assert backend.model_version == VERSION
    body = fake.sent("/setup")[0]
    assert body["project"] == "7.0" and body["schema"] == xml
    assert body["hostname"] == "https://dd.example" and body["extra_params"] == {}


def test_text_predictions_become_answers_in_task_order(fake: FakeBackend) -> None:
    preds = _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                     [{"text": "so negative"}, {"text": "Positive!"}, {"text": "meh"}])
    assert [p.answer for p in preds] == [{"label": "negative"}, {"label": "positive"},
                                         {"label": "neutral"}]
    assert [p.score for p in preds] == [0.9, 0.9, 0.4]
    assert {p.model_version for p in preds} == {VERSION} and not any(p.error for p in preds)
    sent = fake.sent("/predict")[0]
    assert [t["id"] for t in sent["tasks"]] == [100, 101, 102]
    assert sent["project"] == "5.0" and sent["params"] == {"context": None}
    assert "<Choices" in sent["label_config"]


def test_multi_label_predictions_become_label_lists(fake: FakeBackend) -> None:
    preds = _predict(LabelStudioBackend(fake.url), "text_classification",
                     {**TEXT, "multi_label": True}, [{"text": "negative"}])
    assert preds[0].answer == {"labels": ["negative"]}


def test_image_classification_predictions_convert(fake: FakeBackend) -> None:
    preds = _predict(LabelStudioBackend(fake.url), "image_classification",
                     {"labels": ["cat", "dog"]}, [{"image": "https://x.test/dog-1.jpg"}])
    assert preds[0].answer == {"label": "dog"}


def test_rectangles_in_percent_become_boxes_in_the_items_pixels(fake: FakeBackend) -> None:
    preds = _predict(LabelStudioBackend(fake.url), "bounding_box", BOXES,
                     [{"image": "a.jpg", "width": 1000, "height": 500}])
    # RECT is x 10 %, y 20 %, 30 % wide, 40 % high
    assert preds[0].answer == {"boxes": [{"label": "car", "box": [100.0, 100.0, 300.0, 200.0]}]}
    assert preds[0].score == 0.8  # no prediction score: the mean of its regions' scores


def test_rectangles_use_the_regions_original_size_when_the_item_has_none(
        fake: FakeBackend) -> None:
    preds = _predict(LabelStudioBackend(fake.url), "bounding_box", BOXES, [{"image": "a.jpg"}])
    assert preds[0].answer == {"boxes": [{"label": "car", "box": [20.0, 20.0, 60.0, 40.0]}]}


def test_span_labels_become_spans_with_code_point_offsets(fake: FakeBackend) -> None:
    text = "🎉 Kim met Lee in Seoul"
    preds = _predict(LabelStudioBackend(fake.url), "span_tagging", SPANS, [{"text": text}])
    spans = preds[0].answer["spans"]
    assert [text[s["start"]:s["end"]] for s in spans] == ["Kim", "Lee", "Seoul"]
    assert {s["label"] for s in spans} == {"PER"}


def test_an_older_backends_bare_list_answer_is_read(fake: FakeBackend) -> None:
    fake.mode = "bare_list"
    preds = _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                     [{"text": "negative"}, {"text": "positive"}])
    assert [p.answer for p in preds] == [{"label": "negative"}, {"label": "positive"}]
    assert preds[0].model_version == VERSION  # from the prediction itself


def test_of_several_predictions_for_a_task_the_best_scored_is_taken(fake: FakeBackend) -> None:
    fake.mode = "multi"
    preds = _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                     [{"text": "negative"}])
    assert preds[0].answer == {"label": "negative"} and preds[0].score == 0.9


def test_a_backend_answering_only_the_first_task_is_asked_task_by_task(
        fake: FakeBackend) -> None:
    fake.mode = "first_only"
    preds = _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                     [{"text": "negative"}, {"text": "positive"}, {"text": "neutral"}])
    assert [p.answer["label"] for p in preds] == ["negative", "positive", "neutral"]
    assert [len(b["tasks"]) for b in fake.sent("/predict")] == [3, 1, 1, 1]


def test_tasks_a_backend_skips_get_none_in_their_place(fake: FakeBackend) -> None:
    fake.mode = "skip_empty"
    preds = _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                     [{"text": "negative", "skip": True}, {"text": "positive"}])
    assert preds[0] is None and preds[1].answer == {"label": "positive"}


def test_an_unknown_label_gives_no_answer_and_says_why(fake: FakeBackend) -> None:
    fake.mode = "unknown_label"
    pred, = _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                     [{"text": "negative"}])
    assert pred.answer is None and "NOT-A-LABEL" in pred.error
    assert pred.model_version == VERSION and pred.score == 0.9


def test_a_prediction_the_validator_refuses_gives_no_answer_with_its_reason(
        fake: FakeBackend) -> None:
    def refuse(answer: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("boxes must not touch the edge")

    pred, = _predict(LabelStudioBackend(fake.url), "bounding_box", BOXES,
                     [{"image": "a.jpg", "width": 10, "height": 10}], validate=refuse)
    assert pred.answer is None and "boxes must not touch the edge" in pred.error


def test_a_wrong_number_of_predictions_raises_backend_error(fake: FakeBackend) -> None:
    fake.mode = "wrong_count"
    with pytest.raises(BackendError) as caught:
        _predict(LabelStudioBackend(fake.url), "text_classification", TEXT,
                 [{"text": "a"}, {"text": "b"}])
    assert caught.value.code == "bad_shape" and "2 predictions for 1 task" in caught.value.message


def test_a_slow_backend_raises_a_timeout_within_the_timeout(fake: FakeBackend) -> None:
    fake.mode = "slow"
    started = time.monotonic()
    with pytest.raises(BackendError) as caught:
        _predict(LabelStudioBackend(fake.url, timeout_s=0.4), "text_classification", TEXT,
                 [{"text": "a"}])
    assert time.monotonic() - started < 1.5
    assert caught.value.code == "timeout" and "did not answer within 0.4 s" in str(caught.value)


def test_an_http_500_raises_backend_error_without_the_stack_trace(fake: FakeBackend) -> None:
    fake.mode = "error500"
    with pytest.raises(BackendError) as caught:
        _predict(LabelStudioBackend(fake.url), "text_classification", TEXT, [{"text": "a"}])
    assert caught.value.status == 500 and "boom" in caught.value.message
    assert "Traceback" not in caught.value.message


def test_an_answer_that_is_not_json_raises_backend_error(fake: FakeBackend) -> None:
    fake.mode = "garbage"
    with pytest.raises(BackendError) as caught:
        _predict(LabelStudioBackend(fake.url), "text_classification", TEXT, [{"text": "a"}])
    assert caught.value.code == "bad_json"


def test_an_answer_larger_than_the_limit_raises_backend_error(fake: FakeBackend) -> None:
    fake.mode, fake.huge_bytes = "huge", 50_000
    with pytest.raises(BackendError) as caught:
        _predict(LabelStudioBackend(fake.url, max_bytes=10_000), "text_classification", TEXT,
                 [{"text": "a"}])
    assert caught.value.code == "too_large"


def test_a_backend_nobody_listens_at_raises_backend_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(BackendError) as caught:
        LabelStudioBackend(f"http://127.0.0.1:{port}", timeout_s=2).health()
    assert caught.value.code == "unreachable"


@pytest.mark.parametrize("url", ["ftp://host/x", "not a url", "http://host:99999", "http://"])
def test_an_address_that_is_not_an_http_url_is_refused(url: str) -> None:
    with pytest.raises(BackendError) as caught:
        LabelStudioBackend(url)
    assert caught.value.code == "bad_url"


def test_a_token_is_sent_as_bearer_and_user_password_as_basic_auth(fake: FakeBackend) -> None:
    LabelStudioBackend(fake.url, token="s3cret").health()
    LabelStudioBackend(fake.url, token="ml:pass word").health()
    first, second = (h.get("Authorization") for p, _b, h in fake.requests)
    assert first == "Bearer s3cret"
    assert second == "Basic " + base64.b64encode(b"ml:pass word").decode()


def test_predicting_no_tasks_sends_nothing(fake: FakeBackend) -> None:
    assert _predict(LabelStudioBackend(fake.url), "text_classification", TEXT, []) == []
    assert fake.requests == []


def _examples() -> list[TrainingExample]:
    return [TrainingExample(task_id=10 + i, data={"text": t}, annotation_id=i,
                            result=to_ls("text_classification", TEXT, {"text": t},
                                         {"label": label}))
            for i, (t, label) in enumerate([("good", "positive"), ("bad", "negative")])]


def test_training_sends_one_annotation_created_webhook_per_example(fake: FakeBackend) -> None:
    xml = label_config("text_classification", TEXT)
    outcome = LabelStudioBackend(fake.url).train(3, _examples(), xml)
    assert (outcome.endpoint, outcome.requests) == ("webhook", 2)
    first, second = fake.sent("/webhook")
    assert first["action"] == "ANNOTATION_CREATED"
    assert first["project"] == {"id": 3, "label_config": xml}
    assert first["task"] == {"id": 10, "data": {"text": "good"}, "project": 3}
    assert first["annotation"]["task"] == 10
    assert first["annotation"]["result"][0]["value"] == {"choices": ["positive"]}
    assert second["annotation"]["result"][0]["value"] == {"choices": ["negative"]}


def test_training_without_examples_sends_start_training(fake: FakeBackend) -> None:
    LabelStudioBackend(fake.url).train(3, [], label_config("text_classification", TEXT))
    assert [b["action"] for b in fake.sent("/webhook")] == ["START_TRAINING"]


def test_training_falls_back_to_train_when_the_backend_has_no_webhook() -> None:
    with FakeBackend(webhook=False) as old:
        outcome = LabelStudioBackend(old.url).train(
            3, _examples(), label_config("text_classification", TEXT))
        assert outcome.endpoint == "train"
        body, = old.sent("/train")
    assert body["project"] == "3.0"
    assert [t["id"] for t in body["annotations"]] == [10, 11]
    assert body["annotations"][1]["annotations"][0]["result"][0]["value"] == {
        "choices": ["negative"]}


def test_a_training_failure_the_backend_reports_raises_backend_error(
        fake: FakeBackend) -> None:
    fake.mode = "train_error"
    with pytest.raises(BackendError) as caught:
        LabelStudioBackend(fake.url).train(3, _examples(),
                                           label_config("text_classification", TEXT))
    assert caught.value.code == "training_failed" and "fit failed" in caught.value.message

"""The sentences of notification codes: filled from params, in the reader's language, and
never an error for a row that lacks params or whose code is gone."""

from __future__ import annotations

import pytest
from django.utils import translation

from datadam.notifications import messages
from datadam.notifications.messages import MESSAGES, render

HUB_CODES = {
    "hub.access_approved", "hub.access_declined", "hub.access_requested", "hub.request_filed",
    "hub.request_accepted", "hub.request_declined", "hub.request_duplicate",
    "hub.request_released", "hub.version_ready", "hub.version_failed",
}


def test_every_code_the_dataset_hub_sends_is_registered():
    assert HUB_CODES <= set(MESSAGES)


def test_a_sentence_is_filled_from_its_params():
    assert render("hub.request_declined", {"request": 7, "dataset": "Street signs",
                                           "reason": "out of scope"}) == (
        "Your improvement request #7 on “Street signs” was declined: out of scope")
    assert render("hub.request_released", {"version": "2.0", "dataset": "Signs",
                                           "request": 3}) == (
        "Version 2.0 of “Signs” includes your improvement request #3. Thank you!")


@pytest.mark.parametrize("code", sorted(HUB_CODES))
def test_missing_params_read_as_a_question_mark(code):
    text = render(code, {})
    assert "?" in text and "%(" not in text
    assert render(code, None) == text
    assert render(code, ["not", "a", "dict"]) == text  # a row edited by hand


def test_extra_params_are_ignored():
    assert render("hub.version_ready", {"version": "1", "dataset": "D", "other": "x"}) == (
        "Version 1 of “D” is ready.")


def test_an_unknown_code_is_shown_as_itself():
    assert render("hub.gone_code", {"dataset": "D"}) == "hub.gone_code"


def test_the_sentence_is_translated_when_rendered_not_when_stored(monkeypatch):
    seen: list[str] = []

    class Sentence:
        def __str__(self) -> str:
            language = translation.get_language()
            seen.append(language)
            return "%(dataset)s 버전 준비" if language == "ko" else "%(dataset)s ready"

    monkeypatch.setitem(MESSAGES, "test.ready", Sentence())
    with translation.override("ko"):
        assert render("test.ready", {"dataset": "D"}) == "D 버전 준비"
    with translation.override("en"):
        assert render("test.ready", {"dataset": "D"}) == "D ready"
    assert seen == ["ko", "en"]


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(monkeypatch):
    class Broken:
        def __str__(self) -> str:
            return "%(dataset)d 준비" if translation.get_language() == "ko" else "%(dataset)s ready"

    monkeypatch.setitem(MESSAGES, "test.broken", Broken())
    with translation.override("ko"):
        assert render("test.broken", {"dataset": "D"}) == "D ready"


def test_registered_sentences_are_lazy_so_each_reader_gets_their_language():
    from django.utils.functional import Promise

    assert all(isinstance(sentence, Promise) for sentence in messages.MESSAGES.values())

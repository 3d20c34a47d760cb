"""The span tagger (kinds/span_tagging) in a real browser on the harness pages (harness.py:
the kind's own widget.html and review.html, no database): selecting by mouse and keyboard,
snapping to words, Alt for exact characters, labels by key and button, undo and redo,
delete, revise and readonly, and offsets in code points with Hangul and emoji."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

FESTIVAL = "서울에서 🎉 축제가 열렸다"
FAMILY = "👩‍👩‍👧 family, Seoul"
CONFIG = {"labels": ["LOC", "EVT", "PER"]}

# Where code point k of the text is on the screen: [left, right, middle y] of its box.
CHAR_BOX = """([k]) => {
  const el = document.querySelector(".dd-sp-text");
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    const cps = Array.from(node.data);
    if (seen + cps.length > k) {
      const from = cps.slice(0, k - seen).join("").length;
      const range = document.createRange();
      range.setStart(node, from);
      range.setEnd(node, from + cps[k - seen].length);
      const r = range.getClientRects()[0];
      return [r.left, r.right, (r.top + r.bottom) / 2];
    }
    seen += cps.length;
  }
  return null;
}"""


def answer(page) -> dict:
    return json.loads(page.locator("input[name=answer]").input_value())


def spans(page) -> list[tuple[int, int, str]]:
    return [(s["start"], s["end"], s["label"]) for s in answer(page)["spans"]]


def selected(page) -> str:
    """The text of the pending selection (drawn in pieces where span edges cut it)."""
    return "".join(page.locator(".dd-sp-sel").all_inner_texts())


def drag(page, start: int, end: int, *, alt: bool = False) -> None:
    """Press the mouse on the left edge of code point ``start`` and let go on the right edge
    of code point ``end - 1`` (with Alt held when ``alt``)."""
    left = page.evaluate(CHAR_BOX, [start])
    right = page.evaluate(CHAR_BOX, [end - 1])
    if alt:
        page.keyboard.down("Alt")
    page.mouse.move(left[0] + 1, left[2])
    page.mouse.down()
    page.mouse.move(right[1] - 1, right[2], steps=5)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def open_widget(page, harness, text=FESTIVAL, config=CONFIG, **params) -> None:
    page.goto(harness.url("span_tagging", item={"text": text}, config=config, **params))
    if params.get("readonly") != "1":  # the module ran: the answer is filled in
        expect(page.locator("input[name=answer]")).not_to_have_value("")


def test_a_mouse_selection_snaps_to_the_eojeol_and_alt_keeps_exact_characters(page, harness):
    open_widget(page, harness)
    assert answer(page) == {"spans": []}
    expect(page.locator(".dd-sp-empty")).to_be_visible()
    drag(page, 0, 2)  # "서울" inside the eojeol "서울에서": snapped to the whole word
    assert selected(page) == "서울에서"
    assert spans(page) == []  # waiting for its label
    page.keyboard.press("1")
    assert spans(page) == [(0, 4, "LOC")]
    # After the emoji (2 UTF-16 units, 1 code point): 축제 exactly, with Alt held.
    drag(page, 7, 9, alt=True)
    assert selected(page) == "축제"
    page.locator(".dd-sp-label[data-label=EVT]").click()
    assert spans(page) == [(0, 4, "LOC"), (7, 9, "EVT")]
    expect(page.locator(".dd-sp-list .dd-sp-row")).to_have_count(2)
    expect(page.locator(".dd-sp-label[data-label=EVT]")).to_have_attribute("aria-pressed",
                                                                           "true")
    expect(page.locator(".dd-sp-end").first).to_have_attribute("data-tag", "LOC")


def test_keyboard_selection_by_word_and_by_character_and_enter_labels_it(page, harness):
    open_widget(page, harness)
    page.locator(".dd-sp-text").focus()
    page.keyboard.press("Shift+ArrowRight")  # the first word
    assert selected(page) == "서울에서"
    page.keyboard.press("Shift+ArrowRight")  # and the emoji, a word of its own
    assert selected(page) == "서울에서 🎉"
    page.keyboard.press("Enter")  # the current label: the first, LOC; does not submit
    assert spans(page) == [(0, 6, "LOC")]
    assert harness.POSTED == []
    # Alt+Shift+arrows go by character: from the caret (after 🎉) past the space, 축, 제.
    for _ in range(3):
        page.keyboard.press("Alt+Shift+ArrowRight")
    assert selected(page) == "축제"
    page.keyboard.press("2")
    assert spans(page) == [(0, 6, "LOC"), (7, 9, "EVT")]
    page.keyboard.press("Escape")  # drops the selection of the new span
    page.keyboard.press("Enter")  # nothing to label now: Enter submits
    expect(page.locator("#task[data-n='1']")).to_be_attached()
    assert json.loads(harness.POSTED[0]) == {"spans": [
        {"start": 0, "end": 6, "label": "LOC"}, {"start": 7, "end": 9, "label": "EVT"}]}


def test_a_clicked_span_is_relabelled_deleted_and_undo_and_redo_bring_it_back(page, harness):
    open_widget(page, harness, text=FAMILY)
    drag(page, 6, 12)  # "family" (after the 5-code-point family emoji and a space)
    page.keyboard.press("3")
    drag(page, 0, 5)  # the family emoji
    page.keyboard.press("3")
    assert spans(page) == [(0, 5, "PER"), (6, 12, "PER")]
    drag(page, 14, 19)  # "Seoul" (the comma before it is left out)
    page.keyboard.press("1")
    assert spans(page)[-1] == (14, 19, "LOC")
    box = page.evaluate(CHAR_BOX, [8])
    page.mouse.click((box[0] + box[1]) / 2, box[2])  # a click in "family" selects it
    expect(page.locator(".dd-sp-row[aria-current=true] .dd-sp-quote")).to_have_text("family")
    page.keyboard.press("1")  # relabel
    assert (6, 12, "LOC") in spans(page)
    page.keyboard.press("Delete")
    assert spans(page) == [(0, 5, "PER"), (14, 19, "LOC")]
    page.keyboard.press("Control+z")
    assert (6, 12, "LOC") in spans(page)
    page.keyboard.press("Control+z")
    assert (6, 12, "PER") in spans(page)
    page.keyboard.press("Control+Shift+z")
    assert (6, 12, "LOC") in spans(page)
    page.locator(".dd-sp-row", has_text="Seoul").locator(".dd-sp-del").click()
    assert spans(page) == [(0, 5, "PER"), (6, 12, "LOC")]
    page.locator("[data-act=undo]").click()
    assert len(spans(page)) == 3


def test_a_new_span_replaces_the_one_it_overlaps_unless_nested_where_crossing_is_refused(
    page, harness
):
    text = "Seoul National University opened"
    open_widget(page, harness, text=text, config={"labels": ["LOC", "ORG"]})
    drag(page, 0, 5)
    page.keyboard.press("1")
    drag(page, 0, 25)
    page.keyboard.press("2")
    assert spans(page) == [(0, 25, "ORG")]
    expect(page.locator(".dd-sp-status")).to_contain_text("replaced")

    open_widget(page, harness, text=text, config={"labels": ["LOC", "ORG"], "nested": True})
    drag(page, 0, 25)
    page.keyboard.press("2")
    drag(page, 0, 5)
    page.keyboard.press("1")
    assert spans(page) == [(0, 25, "ORG"), (0, 5, "LOC")]
    drag(page, 6, 32)  # "National University opened" crosses the ORG span
    page.keyboard.press("1")
    assert spans(page) == [(0, 25, "ORG"), (0, 5, "LOC")]
    expect(page.locator(".dd-sp-status")).to_contain_text("cross")


def test_revise_preloads_the_answer_and_readonly_shows_it_without_tools(page, harness):
    given = {"spans": [{"start": 7, "end": 9, "label": "EVT"}, {"start": 0, "end": 2,
                                                                "label": "LOC"}]}
    open_widget(page, harness, answer=given)
    assert spans(page) == [(0, 2, "LOC"), (7, 9, "EVT")]
    expect(page.locator(".dd-sp-m")).to_have_count(2)
    expect(page.locator(".dd-sp-m").nth(1)).to_have_text("축제")

    page.goto(harness.url("span_tagging", item={"text": FESTIVAL}, config=CONFIG,
                          answer=given, readonly="1"))
    expect(page.locator(".dd-sp-m")).to_have_count(2)
    expect(page.locator("input[name=answer]")).to_have_count(0)
    expect(page.locator(".dd-sp-label")).to_have_count(0)
    expect(page.locator(".dd-sp-list .dd-sp-row")).to_have_count(2)


def test_review_cards_mark_the_spans_of_each_answer(page, harness):
    answers = [{"spans": [{"start": 0, "end": 2, "label": "LOC"}]},
               {"spans": [{"start": 7, "end": 9, "label": "EVT", "score": 0.5}]}, None]
    page.goto(harness.url("span_tagging", review=True, item={"text": FESTIVAL},
                          config=CONFIG, answers=answers))
    cards = page.locator("[data-span-review]")
    expect(cards).to_have_count(3)
    expect(cards.nth(0).locator(".dd-sp-m")).to_have_text("서울")
    expect(cards.nth(1).locator(".dd-sp-m")).to_have_text("축제")
    expect(cards.nth(1).locator(".dd-sp-cap")).to_contain_text("(0.5)")
    expect(cards.nth(2).locator(".dd-sp-m")).to_have_count(0)
    expect(cards.nth(2).locator(".dd-sp-text")).to_have_text(FESTIVAL)
